"""A prepared GPU check: a few hundred ViT-B-32 CLIP fine-tuning steps; prints images/s and memory.

Runs gaia_geo's ClipModule under a Lightning Trainer (the code path of ``gaia-geo train clip``) on
synthetic image-caption batches already on the device, so the figure is the training step's
throughput, not the disk's. Images/s is measured after ``--warmup`` steps; peak memory is
``torch.cuda.max_memory_allocated``. Weights start random (``--pretrained none``) because the
device has no network; the step cost is the same as from OpenAI weights.

GPU:  ``python benchmarks/gpu_clip.py --steps 300 --batch-size 256 --precision bf16-mixed``
CPU smoke test: ``python benchmarks/gpu_clip.py --steps 2 --tiny``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from typing import Any

import lightning
import open_clip
import torch
from torch.utils.data import DataLoader

from gaia_geo.train import register_model_configs
from gaia_geo.train._clip_module import ClipModule


class _Throughput(lightning.Callback):
    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.start = 0.0
        self.images = 0
        self.elapsed = 0.0

    def _sync(self) -> None:
        if torch.cuda.is_available():
            torch.cuda.synchronize()

    def on_train_batch_start(self, trainer: Any, module: Any, batch: Any, batch_idx: int) -> None:
        if batch_idx == self.warmup:
            self._sync()
            self.start = time.perf_counter()

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        if batch_idx >= self.warmup:
            self.images += len(batch["image"])

    def on_train_end(self, trainer: Any, module: Any) -> None:
        self._sync()
        self.elapsed = time.perf_counter() - self.start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--precision", default="bf16-mixed")
    parser.add_argument("--tiny", action="store_true", help="gaia-tiny-vit, batch 4, fp32 (CPU)")
    args = parser.parse_args()
    if args.tiny:
        args.model, args.batch_size, args.precision = "gaia-tiny-vit", 4, "32-true"
        args.warmup = min(args.warmup, max(0, args.steps - 1))
    if args.steps <= args.warmup:
        parser.error("--steps must exceed --warmup")
    register_model_configs()
    lightning.seed_everything(0, verbose=False)
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    module = ClipModule(args.model, None, lr=1e-5, weight_decay=0.1)
    size = module.model.visual.image_size
    size = size[0] if isinstance(size, tuple) else size
    tokenizer = open_clip.get_tokenizer(args.model)
    captions = [f"The image showcases: a field of type {i % 97} near a river" for i in range(64)]
    tokens = tokenizer(captions)
    generator = torch.Generator().manual_seed(0)
    batches = []
    for _ in range(4):  # a few distinct batches, reused: data cost stays out of the figure
        pick = torch.randint(0, len(captions), (args.batch_size,), generator=generator)
        image = torch.rand(args.batch_size, 3, size, size, generator=generator)
        batches.append({"image": image.to(device), "text": tokens[pick].to(device)})
    loader = DataLoader([batches[i % 4] for i in range(args.steps)], batch_size=None)
    meter = _Throughput(args.warmup)
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    with tempfile.TemporaryDirectory() as tmp:
        trainer = lightning.Trainer(
            default_root_dir=tmp,
            max_epochs=1,
            accelerator="gpu" if cuda else "cpu",
            devices=1,
            precision=args.precision,
            logger=False,
            callbacks=[meter],
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
        )
        trainer.fit(module, train_dataloaders=loader)
    name = torch.cuda.get_device_name() if cuda else "CPU"
    print(f"device {name}; model {args.model}; batch {args.batch_size}; precision {args.precision}")
    print(
        f"steps {args.steps} (warm-up {args.warmup}); final loss "
        f"{float(trainer.callback_metrics['train/loss']):.4f}"
    )
    print(f"throughput: {meter.images / meter.elapsed:.1f} images/s")
    if cuda:
        print(f"peak memory: {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
