"""Balanced sample locations over land (or the whole globe), for the STAC-API chip source.

The same machinery as ``balance``: a pool of points uniform on the sphere (kept where they fall
on Natural Earth 1:110m land), put into spatial cells, then drawn with water-filling quotas so
every occupied cell gets the same number of points as far as its pool allows.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np

from ._places import nearest_country, on_land
from ._sample import allocate, draw
from ._strata import Axis, parse_spatial, spatial_axis

Over = Literal["land", "globe"]

_MAX_POOL = 4_000_000


def _pool(size: int, over: Over, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    lon = rng.uniform(-180.0, 180.0, size)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, size)))
    if over == "land":
        keep = on_land(lon, lat)
        lon, lat = lon[keep], lat[keep]
    return lon, lat


def _cells(lon: np.ndarray, lat: np.ndarray, spatial: str) -> Axis:
    return spatial_axis(lon, lat, np.ones(len(lon), dtype=bool), spatial)


def sample_locations(
    n: int,
    over: Over = "land",
    *,
    spatial: str = "h3:2",
    seed: int = 0,
) -> gpd.GeoDataFrame:
    """Draw ``n`` points spread evenly over the spatial cells that hold land.

    Land is Natural Earth's 1:110m country polygons: small islands are missing and coasts are
    smoothed to a few km. Every land cell gets the same share (``n / cells``, water-filling), so
    a coastal cell with little land gets as many points as an inland one.

    Args:
        n: how many points.
        over: ``"land"`` (points on land) or ``"globe"`` (anywhere).
        spatial: the cells to balance over: ``"h3:<res>"``, ``"grid:<km>"``, ``"country"``,
            ``"continent"`` or ``"none"``.
        seed: random seed; the same arguments give the same points.

    Returns:
        A GeoDataFrame (EPSG:4326) of Points with columns ``cell`` (the spatial label) and
        ``country`` (ISO alpha-2 of the nearest gazetteer place).

    Raises:
        ValueError: ``n`` negative, or an unknown ``over`` or ``spatial``.

    Example:
        >>> points = gaia_geo.sample_locations(500, spatial="h3:1", seed=7)  # doctest: +SKIP
    """
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"n={n!r} must be a non-negative integer")
    if over not in ("land", "globe"):
        raise ValueError(f"over={over!r} is not supported; use 'land' or 'globe'")
    parse_spatial(spatial)
    rng = np.random.default_rng(seed)
    size = max(50_000, 40 * int(n))
    lon, lat = _pool(size, over, rng)
    for attempt in range(4):
        axis = _cells(lon, lat, spatial)
        counts = np.bincount(axis.codes, minlength=len(axis.labels))
        wanted = min(int(n), int(counts.sum()))
        quota = allocate(counts, wanted, rng=rng)
        # Enough pool when few cells are exhausted; otherwise add more points and retry.
        exhausted = float(np.mean(quota >= counts)) if wanted < counts.sum() else 1.0
        if (exhausted <= 0.05 and wanted == n) or len(lon) >= _MAX_POOL or attempt == 3:
            break
        more_lon, more_lat = _pool(size, over, rng)
        lon, lat = np.concatenate([lon, more_lon]), np.concatenate([lat, more_lat])
        size *= 2
    chosen = draw(axis.codes, quota, rng)
    x, y = lon[chosen], lat[chosen]
    return gpd.GeoDataFrame(
        {
            "cell": axis.labels[axis.codes[chosen]].astype(str),
            "country": nearest_country(x, y).astype(str),
        },
        geometry=gpd.points_from_xy(x, y),
        crs=4326,
    )
