"""Seeded generator of the balance test items (run it to regenerate; fixtures call it too).

``make_items`` builds a skewed GeoDataFrame shaped like ``gaia_geo.read_catalog`` output: dense in
Europe, recent years denser, points and footprints mixed, an antimeridian MultiPolygon, items
without geometry or date, date ranges without an instant. ``make_images`` writes PNGs, some of
them near-duplicates of others, for the perceptual-hash tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PIL import Image

HERE = Path(__file__).parent


def make_items(n: int = 400, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    europe = rng.random(n) < 0.7
    lon = np.where(europe, rng.uniform(-5, 20, n), rng.uniform(-170, 170, n))
    lat = np.where(europe, rng.uniform(40, 55, n), rng.uniform(-55, 70, n))
    geoms: list[shapely.Geometry | None] = []
    for i in range(n):
        if i % 3 == 0:  # a small footprint, about 10 km across
            geoms.append(shapely.box(lon[i] - 0.06, lat[i] - 0.05, lon[i] + 0.06, lat[i] + 0.05))
        else:
            geoms.append(shapely.Point(lon[i], lat[i]))
    # an antimeridian footprint split into two parts (as the STAC spec recommends)
    geoms[1] = shapely.MultiPolygon(
        [shapely.box(179.5, -17.5, 180.0, -16.5), shapely.box(-180.0, -17.5, -179.5, -16.5)]
    )
    geoms[2] = None
    geoms[4] = None
    years = 2000 + np.minimum(rng.geometric(0.25, n), 24)
    years = 2024 - (years - 2000)  # recent years denser
    stamps = pd.to_datetime(years.astype(str), utc=True) + pd.to_timedelta(
        rng.integers(0, 364, n), unit="D"
    )
    datetime = pd.Series(stamps).astype("datetime64[ms, UTC]")
    start = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ms, UTC]")
    end = start.copy()
    ranged = np.arange(n) % 5 == 3  # only the year is known
    start[ranged] = pd.to_datetime(years[ranged].astype(str), utc=True)
    end[ranged] = start[ranged] + pd.Timedelta(days=365) - pd.Timedelta(seconds=1)
    datetime[ranged] = pd.NaT
    datetime[[5, 7]] = pd.NaT  # no date at all
    constellation = rng.choice(["landsat", "sentinel-2", "modis"], n, p=[0.6, 0.3, 0.1])
    tags = [[str(t), "other"] for t in rng.choice(["flood", "fire", "ice"], n)]
    frame = gpd.GeoDataFrame(
        {
            "id": [f"item-{i:04d}" for i in range(n)],
            "datetime": datetime,
            "start_datetime": start,
            "end_datetime": end,
            "constellation": constellation,
            "gaia:resolution_class": rng.choice(["Moderate", "High"], n),
            "gaia:tags": tags,
            "ml-aoi:split": None,
        },
        geometry=gpd.GeoSeries(geoms, crs=4326),
    )
    return frame


def make_images(folder: Path, n: int = 12, seed: int = 0) -> list[Path]:
    """``n`` distinct 64x64 PNGs, and for the first three a slightly changed copy (n + 3 files)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    bases = []
    for i in range(n):
        blocks = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        pixels = np.kron(blocks, np.ones((8, 8, 1), dtype=np.uint8))
        bases.append(pixels)
        path = folder / f"image-{i:02d}.png"
        Image.fromarray(pixels).save(path)
        paths.append(path)
    for i in range(3):
        noisy = np.clip(bases[i].astype(int) + rng.integers(-6, 7, bases[i].shape), 0, 255)
        path = folder / f"image-{i:02d}-copy.png"
        Image.fromarray(noisy.astype(np.uint8)).save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    make_items().to_parquet(out / "items.parquet")
    make_images(out / "images")
