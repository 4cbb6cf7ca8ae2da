"""Embedding throughput: ``embed_images`` (batching, preprocessing, hashing, cache writes) vs bare.

Baselines, all in the same run on the same images and batch size:

- *bare forward*: ``model.encode_image`` on tensors already preprocessed (the model's speed);
- *bare pipeline*: the loop a user writes: preprocess each PIL image, stack, forward.

``embed_images`` is run with ``num_workers=0`` (preprocessing in the main process, like the bare
pipeline) and ``num_workers=2`` (DataLoader workers preprocess while the model runs). Each is
timed twice, interleaved, and the best kept, against load from other processes. A last call
shows the cache-hit speed.

    python benchmarks/embedding.py [--model ViT-B-32] [--images 64] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    import torch
    from PIL import Image

    from gaia_geo.evaluate import embed_images, load_clip

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--images", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    clip = load_clip(args.model)  # random init: same cost as pretrained weights
    rng = np.random.default_rng(0)
    images = [
        Image.fromarray(rng.integers(0, 256, (256, 256, 3), dtype=np.uint8))
        for _ in range(args.images)
    ]
    tensors = torch.stack([clip.preprocess(im) for im in images])
    size = args.batch_size
    with torch.inference_mode():  # warm-up
        clip.model.encode_image(tensors[:2], normalize=True)

    def bare_forward() -> float:
        start = time.perf_counter()
        with torch.inference_mode():
            for first in range(0, len(tensors), size):
                clip.model.encode_image(tensors[first : first + size], normalize=True)
        return time.perf_counter() - start

    def bare_pipeline() -> float:
        start = time.perf_counter()
        with torch.inference_mode():
            for first in range(0, len(images), size):
                batch = torch.stack([clip.preprocess(im) for im in images[first : first + size]])
                clip.model.encode_image(batch, normalize=True)
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as cache:
        counter = iter(range(100))

        def ours(workers: int) -> float:
            folder = os.path.join(cache, str(next(counter)))
            start = time.perf_counter()
            embed_images(
                clip, images, batch_size=size, cache_dir=folder, num_workers=workers, progress=False
            )
            return time.perf_counter() - start

        timings: dict[str, list[float]] = {}
        runs = {
            "bare forward (tensors given)": bare_forward,
            "bare pipeline (preprocess + forward)": bare_pipeline,
            "embed_images, num_workers=0": lambda: ours(0),
            "embed_images, num_workers=2": lambda: ours(2),
        }
        for _ in range(2):
            for name, run in runs.items():
                timings.setdefault(name, []).append(run())
        start = time.perf_counter()
        embed_images(clip, images, batch_size=size, cache_dir=os.path.join(cache, "0"))
        hit = time.perf_counter() - start

    n = args.images
    best = {name: min(values) for name, values in timings.items()}
    forward = best["bare forward (tensors given)"]
    pipeline = best["bare pipeline (preprocess + forward)"]
    print(f"{args.model}, {n} images 256 px, batch {size}, {torch.get_num_threads()} torch threads")
    for name, seconds in best.items():
        print(
            f"{name:38s} {n / seconds:7.1f} img/s  ({seconds:.2f} s; vs bare forward "
            f"{forward / seconds:.2f}, vs bare pipeline {pipeline / seconds:.2f})"
        )
    print(f"{'cache hit':38s} {n / hit:7.1f} img/s  ({hit:.2f} s)")


if __name__ == "__main__":
    main()
