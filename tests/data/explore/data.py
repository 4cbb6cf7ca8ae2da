"""Seeded generator of small gaia_geo-shaped STAC catalogs for the explore tests and benchmark.

Builds the layout of docs/data-model.md with plain JSON (no dependency on the catalog stage):
``catalog.json`` -> ``<split>/collection.json`` -> ``<split>/<id>/<id>.json`` plus a stac-geoparquet
mirror ``<split>/items.parquet`` (asset role ``collection-mirror``) written with rustac.

Run ``python tests/data/explore/data.py OUT`` to write one by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
import rustac

SPLITS = ("train", "validate", "test")
TOPICS = (
    "a glacier tongue calving into a fjord",
    "a braided river crossing farmland",
    "a dense city with a grid of streets",
    "a volcanic plume drifting over the sea",
    "center-pivot irrigation circles in a desert",
    "a wildfire burn scar in a forest",
    "sea ice breaking up along a coast",
    "a harbour with container ships",
)
SENSORS = (  # platform, constellation, instruments, gsd, resolution class
    ("landsat-8", "landsat", ["oli", "tirs"], 30.0, "Moderate"),
    ("sentinel-2a", "sentinel-2", ["msi"], 10.0, "High"),
    ("terra", None, ["modis"], 250.0, "Low"),
    ("iss", None, ["camera"], 5.0, "Very High"),
)
CAPTIONS_URI = "https://gaia-geo.github.io/stac-extensions/captions/v1.0.0/schema.json"
ML_AOI_URI = "https://stac-extensions.github.io/ml-aoi/v0.2.0/schema.json"


def make_item(index: int, rng: random.Random, split: str) -> dict[str, Any]:
    """Return one Item dict (JSON-ready) shaped like the catalog stage's."""
    topic = TOPICS[index % len(TOPICS)]
    platform, constellation, instruments, gsd, res_class = SENSORS[(index + index // 8) % 4]
    lon = rng.uniform(-179.0, 178.0)
    lat = rng.uniform(-80.0, 79.0)
    size = rng.choice((0.1, 0.5, 1.0))
    bbox = [round(lon, 6), round(lat, 6), round(lon + size, 6), round(lat + size, 6)]
    geometry = {
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
    }
    year = 1998 + index % 27
    day = dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=rng.randrange(365))
    props: dict[str, Any] = {"platform": platform, "instruments": instruments, "gsd": gsd}
    if constellation:
        props["constellation"] = constellation
    if index % 5 == 4:  # only the month is known
        end = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(seconds=1)
        props.update(
            datetime=None,
            start_datetime=day.replace(day=1).strftime("%Y-%m-%dT%H:%M:%SZ"),
            end_datetime=end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    else:
        props["datetime"] = day.strftime("%Y-%m-%dT%H:%M:%SZ")
    captions = [
        f"The image showcases: {topic}, seen by {platform} (variant {k})." for k in range(5)
    ]
    item_id = f"{split}-{index:06d}"
    props.update(
        {
            "title": f"{topic.capitalize()} #{index}",
            "description": captions[0],
            "ml-aoi:split": split,
            "gaia:captions": captions,
            "gaia:caption_provenance": {
                "generator": "offline",
                "model": "seeded-template",
                "prompt_version": "test-1",
                "created": "2026-01-01T00:00:00Z",
            },
            "gaia:geometry_kind": "footprint",
            "gaia:location": f"Place {index % 97}",
            "gaia:tags": [topic.split()[1], "earth", "demo"],
            "gaia:resolution_class": res_class,
        }
    )
    return {
        "type": "Feature",
        "stac_version": "1.1.0",
        "stac_extensions": [CAPTIONS_URI, ML_AOI_URI],
        "id": item_id,
        "geometry": geometry,
        "bbox": bbox,
        "properties": props,
        "links": [],
        "assets": {
            "image": {
                "href": f"./{item_id}.tif",
                "type": "image/tiff; application=geotiff",
                "roles": ["data"],
            }
        },
        "collection": split,
    }


def make_items(n: int, seed: int = 0, split: str = "train", start: int = 0) -> list[dict[str, Any]]:
    """Return ``n`` seeded Item dicts for one split."""
    rng = random.Random(seed * 1_000_003 + start + SPLITS.index(split) if split in SPLITS else seed)
    return [make_item(start + i, rng, split) for i in range(n)]


def write_parquet(items: list[dict[str, Any]], path: Path) -> None:
    """Write items as a stac-geoparquet file with rustac."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rustac.write_sync(str(path), items)


def _extent(items: list[dict[str, Any]]) -> dict[str, Any]:
    boxes = np.array([i["bbox"] for i in items])
    times = sorted(
        i["properties"].get("datetime") or i["properties"]["start_datetime"] for i in items
    )
    return {
        "spatial": {
            "bbox": [
                [
                    float(boxes[:, 0].min()),
                    float(boxes[:, 1].min()),
                    float(boxes[:, 2].max()),
                    float(boxes[:, 3].max()),
                ]
            ]
        },
        "temporal": {"interval": [[times[0], times[-1]]]},
    }


def make_catalog(out: Path, n_per_split: int = 12, seed: int = 0, json_items: bool = True) -> Path:
    """Write a small catalog to ``out`` and return the path of its ``catalog.json``.

    Args:
        out: the catalog folder (created).
        n_per_split: items in each of the three splits.
        seed: the random seed.
        json_items: write every Item as JSON (and a small binary image) beside the mirror.
    """
    out.mkdir(parents=True, exist_ok=True)
    catalog = {
        "type": "Catalog",
        "stac_version": "1.1.0",
        "id": "explore-test",
        "title": "Explore test catalog",
        "description": "A seeded catalog for the explore tests.",
        "links": [
            {"rel": "root", "href": "./catalog.json", "type": "application/json"},
        ],
    }
    for offset, split in enumerate(SPLITS):
        items = make_items(n_per_split, seed=seed, split=split, start=offset * n_per_split)
        folder = out / split
        links = [
            {"rel": "root", "href": "../catalog.json", "type": "application/json"},
            {"rel": "parent", "href": "../catalog.json", "type": "application/json"},
        ]
        for item in items:
            item_dir = folder / item["id"]
            if json_items:
                item_dir.mkdir(parents=True, exist_ok=True)
                doc = dict(item)
                doc["links"] = [
                    {"rel": "root", "href": "../../catalog.json", "type": "application/json"},
                    {"rel": "parent", "href": "../collection.json", "type": "application/json"},
                    {"rel": "collection", "href": "../collection.json", "type": "application/json"},
                ]
                (item_dir / f"{item['id']}.json").write_text(json.dumps(doc, indent=1))
                blob = random.Random(item["id"]).randbytes(4096 + len(item["id"]))
                (item_dir / f"{item['id']}.tif").write_bytes(blob)
                links.append(
                    {
                        "rel": "item",
                        "href": f"./{item['id']}/{item['id']}.json",
                        "type": "application/geo+json",
                    }
                )
        mirror_items = []
        for item in items:  # mirror hrefs are relative to the mirror's folder
            row = json.loads(json.dumps(item))
            row["assets"]["image"]["href"] = f"./{item['id']}/{item['id']}.tif"
            mirror_items.append(row)
        write_parquet(mirror_items, folder / "items.parquet")
        collection = {
            "type": "Collection",
            "stac_version": "1.1.0",
            "stac_extensions": [],
            "id": split,
            "title": f"Explore test, {split} split",
            "description": f"The {split} split.",
            "license": "CC-BY-4.0",
            "extent": _extent(items),
            "links": links,
            "assets": {
                "geoparquet": {
                    "href": "./items.parquet",
                    "type": "application/vnd.apache.parquet",
                    "roles": ["collection-mirror"],
                    "title": "stac-geoparquet mirror",
                }
            },
        }
        (folder / "collection.json").write_text(json.dumps(collection, indent=1))
        catalog["links"].append(
            {"rel": "child", "href": f"./{split}/collection.json", "type": "application/json"}
        )
    (out / "catalog.json").write_text(json.dumps(catalog, indent=1))
    return out / "catalog.json"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "explore-test-catalog")
    print(make_catalog(target))
