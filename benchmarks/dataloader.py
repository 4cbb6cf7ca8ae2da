"""Benchmark GaiaCaptions' image loading against a plain PIL/rasterio loop over the same files.

Both sides decode every image of the catalog to a float32 RGB tensor in [0, 1], single process;
ours goes through the catalog index, caption choice and sample dict of GaiaCaptions, iterated
by a torch DataLoader (batch_size=None, num_workers=0). Each side runs ``--rounds`` times,
interleaved, and the best round counts (wall time). Target: ours >= 0.9x the plain loop.

Run: ``.venv/bin/python benchmarks/dataloader.py [--catalog DIR] [--items 60] [--rounds 7]``
(without ``--catalog`` it builds the demo catalog in a temporary directory).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import rasterio
import torch
from PIL import Image
from torch.utils.data import DataLoader

from gaia_geo.datasets import GaiaCaptions


def plain_loop(paths: list[str]) -> int:
    """Decode each file the obvious way; return the number of images."""
    for path in paths:
        if path.endswith((".tif", ".tiff")):
            with rasterio.open(path) as src:
                array = src.read([1, 2, 3] if src.count >= 3 else [1, 1, 1])
        else:
            with Image.open(path) as image:
                array = np.asarray(image.convert("RGB")).transpose(2, 0, 1)
        tensor = torch.from_numpy(np.ascontiguousarray(array)).float() / 255.0
        del tensor
    return len(paths)


def ours(dataset: GaiaCaptions) -> int:
    """Iterate the dataset through a DataLoader; return the number of images."""
    count = 0
    for sample in DataLoader(dataset, batch_size=None, shuffle=False, num_workers=0):
        count += int(sample["image"].shape[0] > 0)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog", type=Path, default=None)
    parser.add_argument("--items", type=int, default=60, help="demo size when no --catalog")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = args.catalog
        if catalog is None:
            from gaia_geo.demo import build_demo

            catalog = build_demo(Path(tmp) / "demo", n=args.items, seed=0)
        dataset = GaiaCaptions(catalog, split=None, caption="random")
        paths = [r.href for r in dataset.records]
        plain_loop(paths)  # warm the page cache for both
        best_plain = best_ours = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            plain_loop(paths)
            best_plain = min(best_plain, time.perf_counter() - start)
            start = time.perf_counter()
            ours(dataset)
            best_ours = min(best_ours, time.perf_counter() - start)
    n = len(paths)
    plain_rate, our_rate = n / best_plain, n / best_ours
    print(f"images: {n} ({sum(p.endswith('.tif') for p in paths)} GeoTIFF)")
    print(f"plain PIL/rasterio loop : {plain_rate:8.1f} images/s")
    print(f"GaiaCaptions+DataLoader : {our_rate:8.1f} images/s")
    print(f"ratio ours/plain        : {our_rate / plain_rate:.2f}x (target >= 0.9x)")


if __name__ == "__main__":
    main()
