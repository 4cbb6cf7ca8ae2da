"""Seeded generator of the describe stage's test Items: small PNG images, article texts, Items.

Run it to (re)create ``tests/data/describe/sample`` (not needed by the tests, which call
:func:`make_items` into a temporary folder): ``python tests/data/describe/data.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pystac
from PIL import Image

from gaia_geo.stac import build_item

PLACES = [
    ("Po River Delta, Italy", 12.3, 44.9, "Landsat 8"),
    ("Lake Urmia, Iran", 45.4, 37.7, "Sentinel-2A/B"),
    ("Aral Sea, Kazakhstan", 59.9, 45.0, "MODIS on NASA's Terra satellite"),
    ("Okavango Delta, Botswana", 22.7, -19.3, "Landsat 9"),
    ("Jakobshavn Glacier, Greenland", -49.9, 69.2, "Sentinel-2A/B"),
    ("Great Barrier Reef, Australia", 146.8, -18.3, "Landsat 8"),
]


def make_items(root: Path, n: int = 6, seed: int = 0, *, text: bool = True) -> list[pystac.Item]:
    """Write ``n`` Items' images (24x24 PNG) and article texts under ``root``; return the Items.

    Item ``i`` is ``desc-00i``, dated 15 June of 2021 + i % 5, with a 0.2-degree footprint.
    """
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(n):
        place, lon, lat, sensor = PLACES[i % len(PLACES)]
        item_id = f"desc-{i:03d}"
        pixels = rng.integers(0, 255, size=(24, 24, 3), dtype=np.uint8)
        image = root / f"{item_id}.png"
        Image.fromarray(pixels).save(image)
        article = None
        if text:
            article = root / f"{item_id}.txt"
            article.write_text(
                f"The {sensor} satellite acquired this view of {place} on 15 June "
                f"{2021 + i % 5}. Sediment plumes spread from the river mouth into the sea. "
                f"Fields and wetlands surround the channel (sample {i}, seed {seed}).",
                encoding="utf-8",
            )
        box = {
            "type": "Polygon",
            "coordinates": [
                [
                    [lon - 0.1, lat - 0.1],
                    [lon + 0.1, lat - 0.1],
                    [lon + 0.1, lat + 0.1],
                    [lon - 0.1, lat + 0.1],
                    [lon - 0.1, lat - 0.1],
                ]
            ],
        }
        items.append(
            build_item(
                item_id,
                geometry=box,
                datetime=dt.datetime(2021 + i % 5, 6, 15, 10, 30, tzinfo=dt.UTC),
                sensor=sensor,
                title=place,
                image=image,
                text=article,
                location=place,
                split="train",
            )
        )
    return items


if __name__ == "__main__":
    made = make_items(Path(__file__).parent / "sample", n=6, seed=0)
    print(f"wrote {len(made)} items")
