"""Benchmark one CLIP training step of gaia_geo (ClipModule under a Lightning Trainer) against
open_clip's own training loop (open_clip_train.train.train_one_epoch: forward, ClipLoss, backward,
AdamW step, logit-scale clamp) on the same model, weights and batch.

Both sides iterate the same DataLoader over ``--steps`` copies of one batch; the time per step is
the median interval between consecutive step starts after ``--warmup`` steps, so everything a
step costs (data fetch, hooks, logging, optimizer) is counted. The machine is shared, so the
intervals are measured in process CPU time (``time.process_time``; one torch thread) as well as
wall time, over ``--rounds`` interleaved rounds, best round each. Target: ours >= 0.95x.

Run: ``.venv/bin/python benchmarks/train_step.py [--model gaia-small-vit] [--batch-size 8]
[--steps 12] [--rounds 3] [--threads 1]``
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from typing import Any

import lightning
import open_clip
import torch
from torch.utils.data import DataLoader

from _open_clip_baseline import open_clip_optimizer
from gaia_geo.train import register_model_configs
from gaia_geo.train._clip_module import ClipModule


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


class _StepTimer(lightning.Callback):
    def __init__(self) -> None:
        self.starts: list[tuple[float, float]] = []

    def on_train_batch_start(self, *args: Any) -> None:
        self.starts.append(_now())

    def on_train_end(self, *args: Any) -> None:
        self.starts.append(_now())


def _median_step(starts: list[tuple[float, float]], warmup: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds between consecutive step starts, after the warm-up."""
    pairs = list(zip(starts[:-1], starts[1:], strict=True))[warmup:]
    wall = statistics.median(b[0] - a[0] for a, b in pairs)
    cpu = statistics.median(b[1] - a[1] for a, b in pairs)
    return wall, cpu


def open_clip_loop(
    model: torch.nn.Module, loader: DataLoader, lr: float, warmup: int
) -> tuple[float, float]:
    """open_clip_train's train_one_epoch, minus distillation and accumulation (fp32, CPU)."""
    loss_fn = open_clip.ClipLoss()
    optimizer = open_clip_optimizer(model, lr)
    model.train()
    starts = []
    for batch in loader:
        starts.append(_now())
        images, texts = batch["image"], batch["text"]
        optimizer.zero_grad()
        model_out = model(images, texts)
        losses = loss_fn(**model_out, output_dict=True)
        total_loss = sum(losses.values())
        total_loss.backward()
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
    starts.append(_now())
    return _median_step(starts, warmup)


def gaia_loop(module: ClipModule, loader: DataLoader, warmup: int) -> tuple[float, float]:
    timer = _StepTimer()
    with tempfile.TemporaryDirectory() as tmp:
        trainer = lightning.Trainer(
            default_root_dir=tmp,
            max_epochs=1,
            accelerator="cpu",
            devices=1,
            logger=lightning.pytorch.loggers.CSVLogger(tmp),
            callbacks=[timer],
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            log_every_n_steps=1,
        )
        trainer.fit(module, train_dataloaders=loader)
    return _median_step(timer.starts, warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="gaia-small-vit")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    register_model_configs()
    lightning.seed_everything(0, verbose=False)
    module = ClipModule(args.model, None, lr=1e-5, weight_decay=0.1)
    baseline = open_clip.create_model(args.model, pretrained=None, output_dict=True)
    baseline.load_state_dict(module.model.state_dict())
    size = baseline.visual.image_size
    size = size[0] if isinstance(size, tuple) else size
    batch = {
        "image": torch.randn(args.batch_size, 3, size, size),
        "text": open_clip.get_tokenizer(args.model)(
            [f"The image showcases: scene number {i}" for i in range(args.batch_size)]
        ),
    }
    loader = DataLoader([batch] * args.steps, batch_size=None)
    ours_times, theirs_times = [], []
    for _ in range(args.rounds):  # interleave to share the machine's noise
        theirs_times.append(open_clip_loop(baseline, loader, 1e-5, args.warmup))
        ours_times.append(gaia_loop(module, loader, args.warmup))
    print(f"model {args.model}, batch {args.batch_size}, {args.steps} steps x {args.rounds} rounds")
    for k, clock in enumerate(("wall", "CPU")):
        theirs = min(t[k] for t in theirs_times)
        ours = min(t[k] for t in ours_times)
        print(
            f"{clock:>4}: open_clip loop {theirs * 1000:7.1f} ms/step, gaia_geo ClipModule + "
            f"Lightning {ours * 1000:7.1f} ms/step, ratio ours/open_clip {theirs / ours:.2f}x"
        )
    print("target: >= 0.95x (the CPU-time ratio is the reliable one on a shared machine)")


if __name__ == "__main__":
    main()
