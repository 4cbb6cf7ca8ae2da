"""The prepared GPU check: train a real-size CLIP (ViT-B-32) a few hundred steps, then evaluate.

Training, in the same run on the same model, weights and batches (already on the device, so the
figure is the step's throughput, not the disk's):

- *baseline*: open_clip_train's loop (forward, ClipLoss, backward, AdamW step, logit-scale
  clamp) under ``torch.autocast`` for the mixed precisions;
- *ours*: gaia_geo's ClipModule under a Lightning Trainer (the code path of ``gaia-geo train
  clip``), with its logging, schedule and hooks.

Images/s is measured after ``--warmup`` steps; peak memory is ``torch.cuda.max_memory_allocated``.
Weights start random (``pretrained=None``) because the device has no network; the step cost is the
same as from OpenAI weights.

Evaluation, the path of ``gaia-geo eval retrieval``: the trained weights are written as a learn
checkpoint (``model.pt`` + ``config.json``), loaded with ``load_clip``, ``--eval-images`` JPEG
files are embedded with ``embed_images`` (DataLoader workers decode while the GPU runs) against a
bare open-preprocess-forward loop, five captions per image with ``embed_texts``, and the RSICD
recall is ranked with ``retrieval_metrics``; then the embeddings again with tokenizing workers
and under bf16 autocast (``precision="bf16"``), with the lowest fp32/bf16 cosine agreement.

GPU:  ``python benchmarks/gpu_clip.py --steps 300 --batch-size 256 --precision bf16-mixed``
CPU smoke test: ``python benchmarks/gpu_clip.py --tiny``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import lightning
import numpy as np
import open_clip
import torch
from torch.utils.data import DataLoader

from _open_clip_baseline import open_clip_optimizer
from gaia_geo.train import register_model_configs
from gaia_geo.train._clip_module import ClipModule

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


class _Throughput(lightning.Callback):
    def __init__(self, warmup: int) -> None:
        self.warmup = warmup
        self.start = 0.0
        self.images = 0
        self.elapsed = 0.0

    def on_train_batch_start(self, trainer: Any, module: Any, batch: Any, batch_idx: int) -> None:
        if batch_idx == self.warmup:
            _sync()
            self.start = time.perf_counter()

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        if batch_idx >= self.warmup:
            self.images += len(batch["image"])

    def on_train_end(self, trainer: Any, module: Any) -> None:
        _sync()
        self.elapsed = time.perf_counter() - self.start


def open_clip_loop(
    model: torch.nn.Module, loader: DataLoader, precision: str, warmup: int
) -> tuple[float, float]:
    """open_clip_train's train_one_epoch on the device; returns (images/s, final loss)."""
    loss_fn = open_clip.ClipLoss()
    optimizer = open_clip_optimizer(model, 1e-5)
    device_type = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = {"bf16-mixed": torch.bfloat16, "16-mixed": torch.float16}.get(precision)
    scaler = torch.amp.GradScaler(device_type, enabled=dtype is torch.float16)
    model.train()
    start, images, loss = 0.0, 0, torch.zeros(())
    for step, batch in enumerate(loader):
        if step == warmup:
            _sync()
            start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type, dtype=dtype or torch.float32, enabled=dtype is not None):
            out = model(batch["image"], batch["text"])
            loss = loss_fn(**out)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if step >= warmup:
            images += len(batch["image"])
    _sync()
    return images / (time.perf_counter() - start), float(loss.detach())


def train(args: argparse.Namespace, report: dict[str, Any]) -> ClipModule:
    """Baseline then ours on the same weights and batches; fills report['train']."""
    lightning.seed_everything(0, verbose=False)
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    module = ClipModule(args.model, None, lr=1e-5, weight_decay=0.1)
    baseline = open_clip.create_model(args.model, pretrained=None, output_dict=True)
    baseline.load_state_dict(module.model.state_dict())
    size = module.model.visual.image_size
    size = size[0] if isinstance(size, tuple) else size
    tokens = open_clip.get_tokenizer(args.model)(
        [f"The image showcases: a field of type {i % 97} near a river" for i in range(64)]
    )
    generator = torch.Generator().manual_seed(0)
    batches = []
    for _ in range(4):  # a few distinct batches, reused: data cost stays out of the figure
        pick = torch.randint(0, len(tokens), (args.batch_size,), generator=generator)
        image = torch.rand(args.batch_size, 3, size, size, generator=generator)
        batches.append({"image": image.to(device), "text": tokens[pick].to(device)})
    loader = DataLoader([batches[i % 4] for i in range(args.steps)], batch_size=None)

    if cuda:
        torch.cuda.reset_peak_memory_stats()
    theirs, theirs_loss = open_clip_loop(baseline.to(device), loader, args.precision, args.warmup)
    theirs_memory = torch.cuda.max_memory_allocated() / 2**30 if cuda else None
    del baseline
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()

    meter = _Throughput(args.warmup)
    with tempfile.TemporaryDirectory() as tmp:
        trainer = lightning.Trainer(
            default_root_dir=tmp,
            max_epochs=1,
            accelerator="gpu" if cuda else "cpu",
            devices=1,
            precision=args.precision,
            logger=lightning.pytorch.loggers.CSVLogger(tmp),
            log_every_n_steps=50,
            callbacks=[meter],
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
        )
        trainer.fit(module, train_dataloaders=loader)
    ours = meter.images / meter.elapsed
    report["train"] = {
        "model": args.model,
        "batch_size": args.batch_size,
        "precision": args.precision,
        "steps": args.steps,
        "warmup": args.warmup,
        "open_clip_loop_images_per_s": round(theirs, 1),
        "gaia_geo_images_per_s": round(ours, 1),
        "ratio_ours_over_open_clip": round(ours / theirs, 3),
        "open_clip_loop_peak_gib": round(theirs_memory, 2) if theirs_memory else None,
        "gaia_geo_peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "open_clip_loop_final_loss": round(theirs_loss, 4),
        "gaia_geo_final_loss": round(float(trainer.callback_metrics["train/loss"]), 4),
    }
    return module


def evaluate(args: argparse.Namespace, module: ClipModule, report: dict[str, Any]) -> None:
    """Checkpoint -> load_clip -> embed_images / embed_texts -> retrieval_metrics; timed."""
    from PIL import Image

    from gaia_geo.evaluate import embed_images, embed_texts, load_clip, retrieval_metrics

    device = "cuda" if torch.cuda.is_available() else "cpu"
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = Path(tmp) / "run"
        ckpt.mkdir()
        torch.save(module.model.state_dict(), ckpt / "model.pt")
        (ckpt / "config.json").write_text(json.dumps({"model": args.model}))
        clip = load_clip(ckpt, device=device)

        rng = np.random.default_rng(0)
        base = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        paths = []
        for i in range(args.eval_images):  # smooth-ish scenes: JPEG sizes like real chips
            noise = rng.integers(-24, 24, (256, 256, 3))
            pixels = np.kron(np.roll(base, i, axis=0), np.ones((32, 32, 1), dtype=np.int64))
            path = Path(tmp) / f"{i:06d}.jpg"
            Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(path, quality=90)
            paths.append(path)
        captions = [
            f"Scene {i}: fields and a river, view {j}" for i in range(len(paths)) for j in range(5)
        ]

        def bare_pipeline() -> float:
            start = time.perf_counter()
            with torch.inference_mode():
                for first in range(0, len(paths), args.eval_batch_size):
                    chunk = paths[first : first + args.eval_batch_size]
                    batch = torch.stack(
                        [clip.preprocess(Image.open(p).convert("RGB")) for p in chunk]
                    )
                    clip.model.encode_image(batch.to(device), normalize=True).float().cpu()
            _sync()
            return time.perf_counter() - start

        bare_pipeline()  # warm-up (cuDNN autotune, page cache)
        bare = bare_pipeline()
        start = time.perf_counter()
        image_vectors = embed_images(
            clip, paths, batch_size=args.eval_batch_size, num_workers=args.workers, progress=False
        )
        ours_images = time.perf_counter() - start
        start = time.perf_counter()
        text_vectors = embed_texts(clip, captions, batch_size=1024, progress=False)
        ours_texts = time.perf_counter() - start
        start = time.perf_counter()
        result = retrieval_metrics(image_vectors, text_vectors, np.repeat(np.arange(len(paths)), 5))
        rank = time.perf_counter() - start
        # the same with tokenizing workers, then under bf16 autocast (--precision bf16)
        start = time.perf_counter()
        embed_texts(clip, captions, batch_size=1024, num_workers=args.workers, progress=False)
        texts_workers = time.perf_counter() - start
        half = load_clip(ckpt, device=device, precision="bf16")
        start = time.perf_counter()
        embed_images(
            half, paths, batch_size=args.eval_batch_size, num_workers=args.workers, progress=False
        )
        images_bf16 = time.perf_counter() - start
        start = time.perf_counter()
        half_texts = embed_texts(
            half, captions, batch_size=1024, num_workers=args.workers, progress=False
        )
        texts_bf16 = time.perf_counter() - start
        agreement = float((half_texts * text_vectors).sum(axis=1).min())
    report["evaluate"] = {
        "images": len(paths),
        "captions": len(captions),
        "batch_size": args.eval_batch_size,
        "workers": args.workers,
        "bare_pipeline_images_per_s": round(len(paths) / bare, 1),
        "embed_images_per_s": round(len(paths) / ours_images, 1),
        "ratio_embed_images_over_bare": round(bare / ours_images, 3),
        "embed_texts_per_s": round(len(captions) / ours_texts, 1),
        "embed_texts_workers_per_s": round(len(captions) / texts_workers, 1),
        "embed_images_bf16_per_s": round(len(paths) / images_bf16, 1),
        "embed_texts_bf16_workers_per_s": round(len(captions) / texts_bf16, 1),
        "bf16_vs_fp32_min_cosine": round(agreement, 5),
        "retrieval_metrics_s": round(rank, 3),
        "mean_recall": round(result.mean_recall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--precision", default="bf16-mixed")
    parser.add_argument("--eval-images", type=int, default=5000)
    parser.add_argument("--eval-batch-size", type=int, default=256)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--out", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--tiny", action="store_true", help="gaia-tiny-vit, small sizes, fp32 (CPU)"
    )
    args = parser.parse_args()
    if args.tiny:
        args.model, args.batch_size, args.precision = "gaia-tiny-vit", 4, "32-true"
        args.steps, args.warmup = 6, 2
        args.eval_images, args.eval_batch_size, args.workers = 16, 8, 0
    if args.steps <= args.warmup:
        parser.error("--steps must exceed --warmup")
    register_model_configs()
    report: dict[str, Any] = {
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU",
        "torch": torch.__version__,
        "open_clip": open_clip.__version__,
    }

    def emit() -> None:
        text = json.dumps(report, indent=2)
        print(text, flush=True)
        if args.out:
            args.out.write_text(text + "\n")

    module = train(args, report)
    emit()
    evaluate(args, module, report)
    emit()


if __name__ == "__main__":
    main()
