"""Input frames: a catalog path or a GeoDataFrame; one point and one instant per item."""

from __future__ import annotations

import os
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: What the balance functions accept: a frame as ``read_catalog`` returns it, or a catalog path.
ItemsLike: TypeAlias = "gpd.GeoDataFrame | pd.DataFrame | str | os.PathLike[str]"


class BalanceWarning(UserWarning):
    """The result differs from what was asked (fewer items than ``n``, split fractions missed)."""


def load_items(items: ItemsLike) -> gpd.GeoDataFrame:
    """Return ``items`` as a GeoDataFrame in EPSG:4326, reading a catalog path lazily.

    Args:
        items: a GeoDataFrame (or DataFrame with a ``geometry`` column) or a catalog path.

    Raises:
        TypeError: ``items`` is neither a frame nor a path.
    """
    if isinstance(items, str | os.PathLike):
        from ..stac import read_catalog

        items = read_catalog(items)
    if isinstance(items, gpd.GeoDataFrame):
        frame = items
    elif isinstance(items, pd.DataFrame):
        if "geometry" not in items.columns:
            raise TypeError("items is a DataFrame without a 'geometry' column; pass a GeoDataFrame")
        frame = gpd.GeoDataFrame(items, geometry="geometry", crs=4326)
    else:
        raise TypeError(
            f"items must be a GeoDataFrame or a catalog path, got {type(items).__name__}"
        )
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _wrap_lon(lon: np.ndarray) -> np.ndarray:
    return ((lon + 180.0) % 360.0) - 180.0


def _shift_west(coords: np.ndarray) -> np.ndarray:
    out = coords.copy()
    out[:, 0] = np.where(out[:, 0] < 0, out[:, 0] + 360.0, out[:, 0])
    return out


def representative_points(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One point per item: the point itself, or a point on the surface of a footprint.

    Footprints that cross the antimeridian (a MultiPolygon split at +-180, or any geometry wider
    than 180 degrees) are shifted to 0..360 first, so the point lies inside the footprint and not
    on the far side of the globe.

    Returns:
        ``(lon, lat)`` float arrays; NaN where an item has no (or an empty) geometry.
    """
    geoms = np.asarray(frame.geometry.array, dtype=object)
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    if len(geoms) == 0:
        return lon, lat
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = shapely.get_type_id(geoms)
    points = present & (kinds == 0)
    lon[points] = shapely.get_x(geoms[points])
    lat[points] = shapely.get_y(geoms[points])
    others = present & ~points
    if others.any():
        bounds = shapely.bounds(geoms[others])
        wide = (bounds[:, 2] - bounds[:, 0]) > 180.0
        idx = np.flatnonzero(others)
        shifted = geoms[idx].copy()
        if wide.any():
            shifted[wide] = shapely.transform(shifted[wide], _shift_west)
        reps = shapely.point_on_surface(shifted)
        lon[idx] = shapely.get_x(reps)
        lat[idx] = shapely.get_y(reps)
    lon = np.where(np.isnan(lon), lon, _wrap_lon(lon))
    return lon, np.clip(lat, -90.0, 90.0)


def _utc(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    return pd.to_datetime(frame[column], utc=True, errors="coerce")


def item_times(frame: pd.DataFrame) -> pd.Series:
    """One instant per item: ``datetime``, else the midpoint of ``start_datetime``/``end_datetime``.

    Returns:
        A UTC datetime Series aligned with ``frame`` (NaT where neither is known).
    """
    instant = _utc(frame, "datetime")
    start = _utc(frame, "start_datetime")
    end = _utc(frame, "end_datetime")
    midpoint = start + (end - start) / 2
    midpoint = midpoint.fillna(start).fillna(end)
    return instant.fillna(midpoint)
