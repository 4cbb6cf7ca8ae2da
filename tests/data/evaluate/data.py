#!/usr/bin/env python3
"""Generate the evaluate stage's tiny test datasets (seeded, deterministic).

- ``rsicd/``: the ``dataset_rsicd.json`` layout (RSICD, RSITMD, UCM-Captions, Sydney-Captions)
  with an ``images/`` folder of PNGs: train, val and test images, one test image with only three
  captions, one test image that is a re-encoded, slightly brightened copy of a train image (a
  near-duplicate across splits), and two images sharing one caption (duplicate captions).
- ``eurosat/``: torchgeo's EuroSAT layout: 13-band uint16 GeoTIFFs under
  ``ds/images/remote_sensing/otherDatasets/sentinel_2/tif/<Class>/`` plus
  ``eurosat-{train,val,test}.txt`` split files naming ``.jpg`` files, as the release does.

Run ``python tests/data/evaluate/data.py OUT`` or call :func:`make_rsicd` / :func:`make_eurosat`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

EUROSAT_CLASSES = ("AnnualCrop", "Forest", "Highway", "Industrial", "River")
EUROSAT_DIR = "ds/images/remote_sensing/otherDatasets/sentinel_2/tif"
SCENES = ("beach", "farmland", "forest", "harbor", "river", "airport", "desert", "city")


def _scene(rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A smooth random RGB scene (distinct low-frequency structure, so pHashes differ)."""
    coarse = rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize((size, size), Image.Resampling.BICUBIC)
    return np.asarray(image)


def make_rsicd(root: str | Path, seed: int = 0) -> Path:
    """Write ``root/dataset_rsicd.json`` and ``root/images/*.png``; return the JSON path."""
    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    splits = ["train"] * 4 + ["val"] + ["test"] * 5
    entries = []
    sent_id = 0
    arrays = {}
    for index, split in enumerate(splits):
        name = f"{SCENES[index % len(SCENES)]}_{index:02d}.png"
        if index == 9:  # test copy of train image 0, brighter and re-encoded: a near-duplicate
            pixels = np.clip(arrays[0].astype(np.int16) + 6, 0, 255).astype(np.uint8)
        else:
            pixels = _scene(rng)
        arrays[index] = pixels
        Image.fromarray(pixels, "RGB").save(root / "images" / name)
        scene = SCENES[index % len(SCENES)]
        n_captions = 3 if index == 6 else 5
        raws = [f"there is a {scene} number {index} with feature {k} ." for k in range(n_captions)]
        if index in (7, 8):  # two test images share one caption
            raws[0] = "many buildings are near a green area ."
        sentences = []
        for raw in raws:
            sentences.append({"tokens": raw.split(), "raw": raw, "imgid": index, "sentid": sent_id})
            sent_id += 1
        entries.append(
            {
                "filename": name,
                "imgid": index,
                "split": split,
                "sentences": sentences,
                "sentids": [s["sentid"] for s in sentences],
            }
        )
    path = root / "dataset_rsicd.json"
    path.write_text(json.dumps({"images": entries, "dataset": "rsicd"}, indent=1))
    return path


def make_eurosat(root: str | Path, seed: int = 0, per_class: int = 3, size: int = 32) -> Path:
    """Write a tiny EuroSAT (13-band GeoTIFFs, split files) under ``root``; return ``root``."""
    import rasterio
    from rasterio.transform import from_origin

    root = Path(root)
    rng = np.random.default_rng(seed)
    names: dict[str, list[str]] = {"train": [], "val": [], "test": []}
    for label, cls in enumerate(EUROSAT_CLASSES):
        folder = root / EUROSAT_DIR / cls
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, per_class + 1):
            base = 800 + 300 * label
            data = (base + rng.integers(0, 400, (13, size, size))).astype(np.uint16)
            name = f"{cls}_{number}.tif"
            profile = {
                "driver": "GTiff",
                "width": size,
                "height": size,
                "count": 13,
                "dtype": "uint16",
                "crs": "EPSG:32633",
                "transform": from_origin(500000, 5000000, 10, 10),
            }
            with rasterio.open(folder / name, "w", **profile) as dst:
                dst.write(data)
            split = "train" if number == 1 else "test"
            names[split].append(name.replace(".tif", ".jpg"))
    for split, files in names.items():
        (root / f"eurosat-{split}.txt").write_text("".join(f"{n}\n" for n in files))
    return root


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/evaluate/generated")
    print(make_rsicd(out / "rsicd"))
    print(make_eurosat(out / "eurosat"))
