#!/usr/bin/env python3
"""Build the learn stage's tiny test catalog: seeded, offline, a few kilobytes.

Run ``python tests/data/learn/data.py OUT_DIR`` to write it by hand; tests call ``build_catalog``.
Layout follows docs/data-model.md: catalog.json -> one Collection per split -> <id>/<id>.json with
the image beside it. Items alternate 4-band uint16 GeoTIFFs (UTM, 10 m, band metadata naming
blue/green/red/nir so RGB selection is exercised) and 8-bit PNG "article" images. Each image has a
distinct dominant colour and each caption names it, so there is something to learn.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pystac
import rasterio
from PIL import Image
from rasterio.transform import from_origin

SPLITS = {"train": 12, "validate": 4, "test": 4}
COLOURS = ["red", "green", "blue", "yellow", "cyan", "magenta", "white", "black"]
RGB = {
    "red": (1.0, 0.1, 0.1),
    "green": (0.1, 1.0, 0.1),
    "blue": (0.1, 0.1, 1.0),
    "yellow": (1.0, 1.0, 0.1),
    "cyan": (0.1, 1.0, 1.0),
    "magenta": (1.0, 0.1, 1.0),
    "white": (0.95, 0.95, 0.95),
    "black": (0.05, 0.05, 0.05),
}
BANDS = [{"name": n, "eo:common_name": n} for n in ("blue", "green", "red", "nir")]


def _captions(colour: str, n: int, number: int) -> list[str]:
    return [
        f"The image showcases: a {colour} field number {number} seen from orbit, variant {k}."
        for k in range(n)
    ]


def _write_geotiff(
    path: Path, rgb: tuple[float, float, float], rng: np.random.Generator, x0: float
) -> None:
    size = 64
    noise = rng.normal(0, 0.05, (4, size, size))
    red, green, blue = rgb
    levels = np.array([blue, green, red, 0.5]).reshape(4, 1, 1)
    data = (np.clip(levels + noise, 0, 1) * 10000).astype("uint16")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=size,
        height=size,
        count=4,
        dtype="uint16",
        crs="EPSG:32633",
        transform=from_origin(x0, 5_000_640.0, 10.0, 10.0),
        tiled=True,
        blockxsize=32,
        blockysize=32,
    ) as dst:
        dst.write(data)


def _write_png(path: Path, rgb: tuple[float, float, float], rng: np.random.Generator) -> None:
    noise = rng.normal(0, 0.05, (40, 48, 3))
    data = (np.clip(np.array(rgb) + noise, 0, 1) * 255).astype("uint8")
    Image.fromarray(data).save(path)


def build_catalog(
    out: Path, seed: int = 0, captions_per_item: int = 5, splits: dict[str, int] | None = None
) -> Path:
    """Write the tiny catalog under ``out`` and return ``out``.

    ``splits`` maps split names to item counts (default ``SPLITS``).
    """
    rng = np.random.default_rng(seed)
    out = Path(out)
    catalog = pystac.Catalog("learn-test", "Tiny catalog for the learn stage's tests")
    number = 0
    t0 = datetime(2020, 1, 1, tzinfo=UTC)
    for split, count in (splits or SPLITS).items():
        collection = pystac.Collection(
            split,
            f"{split} split",
            pystac.Extent(
                pystac.SpatialExtent([[14.0, 45.0, 16.0, 46.0]]),
                pystac.TemporalExtent([[t0, t0 + timedelta(days=400)]]),
            ),
        )
        for k in range(count):
            colour = COLOURS[number % len(COLOURS)]
            item_id = f"{split}-{k:02d}"
            item_dir = out / split / item_id
            item_dir.mkdir(parents=True, exist_ok=True)
            geotiff = k % 2 == 0
            x0 = 500_000.0 + 640.0 * k
            lon = 15.0 + 0.0083 * k
            bbox = [lon, 45.14, lon + 0.0082, 45.146]
            if geotiff:
                _write_geotiff(item_dir / f"{item_id}.tif", RGB[colour], rng, x0)
                asset = pystac.Asset(
                    f"./{item_id}.tif",
                    media_type=pystac.MediaType.COG,
                    roles=["data"],
                    extra_fields={"bands": BANDS},
                )
            else:
                _write_png(item_dir / f"{item_id}.png", RGB[colour], rng)
                asset = pystac.Asset(
                    f"./{item_id}.png", media_type=pystac.MediaType.PNG, roles=["data"]
                )
            props = {
                "gaia:captions": _captions(colour, captions_per_item, number),
                "ml-aoi:split": split,
                "platform": "sentinel-2a" if geotiff else "iss",
                "instruments": ["msi"] if geotiff else ["camera"],
            }
            when = t0 + timedelta(days=30 * k)
            if not geotiff and k % 4 == 1:  # a month-only date: datetime null plus a range
                props["start_datetime"] = when.isoformat()
                props["end_datetime"] = (when + timedelta(days=29)).isoformat()
                when_arg = None
            else:
                when_arg = when
            item = pystac.Item(
                item_id,
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [bbox[0], bbox[1]],
                            [bbox[2], bbox[1]],
                            [bbox[2], bbox[3]],
                            [bbox[0], bbox[3]],
                            [bbox[0], bbox[1]],
                        ]
                    ],
                },
                bbox=bbox,
                datetime=when_arg,
                properties=props,
            )
            item.add_asset("image", asset)
            collection.add_item(item)
            number += 1
        catalog.add_child(collection)
    catalog.normalize_hrefs(str(out))
    catalog.save(pystac.CatalogType.SELF_CONTAINED)
    return out


if __name__ == "__main__":
    build_catalog(Path(sys.argv[1] if len(sys.argv) > 1 else "learn-catalog"))
