"""Check and repair Item geometries: WGS84 ranges, invalid polygons, antimeridian crossings.

Documented repairs (never silent guesses):

- A self-intersecting or otherwise invalid polygon is repaired with :func:`shapely.make_valid`,
  keeping its polygonal parts.
- A polygon that crosses the antimeridian written with continuous longitudes (e.g. 170 to 190, or
  170 to -170 as one ring whose longitude span exceeds 180 degrees) is split into a MultiPolygon
  on either side of 180 degrees, and its bbox is written with ``west > east`` as STAC asks.

Anything else wrong (latitudes beyond +-90, longitudes beyond +-180 outside the crossing
case, non-finite coordinates, empty geometries) raises :class:`~gaia_geo.errors.GeometryError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
import shapely.affinity
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from ..errors import GeometryError

_EAST = shapely.geometry.box(0.0, -90.0, 180.0, 90.0)
_WEST_SHIFTED = shapely.geometry.box(180.0, -90.0, 360.0, 90.0)


def _as_shape(item_id: str | None, geometry: Mapping[str, Any] | BaseGeometry) -> BaseGeometry:
    if isinstance(geometry, BaseGeometry):
        return geometry
    try:
        return shapely.geometry.shape(geometry)
    except Exception as err:  # shapely raises several types for bad GeoJSON
        raise GeometryError(item_id, "geometry", f"not a GeoJSON geometry ({err})") from err


def _split_antimeridian(item_id: str | None, geom: BaseGeometry) -> BaseGeometry:
    """Split a polygon drawn across 180 degrees into parts on both sides."""

    def shift(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, 0] = np.where(out[:, 0] < 0, out[:, 0] + 360.0, out[:, 0])
        return out

    shifted = shapely.transform(geom, shift)
    if not shifted.is_valid:
        shifted = shapely.make_valid(shifted)
    east = shifted.intersection(_EAST)
    west = shapely.affinity.translate(shifted.intersection(_WEST_SHIFTED), xoff=-360.0)
    parts = [g for g in (east, west) if not g.is_empty]
    polys: list[shapely.geometry.Polygon] = []
    for part in parts:
        polys.extend(_polygons(part))
    if not polys:
        raise GeometryError(item_id, "geometry", "antimeridian split left no polygon")
    return shapely.geometry.MultiPolygon(polys) if len(polys) > 1 else polys[0]


def _polygons(geom: BaseGeometry) -> list[shapely.geometry.Polygon]:
    if isinstance(geom, shapely.geometry.Polygon):
        return [geom] if not geom.is_empty else []
    if isinstance(geom, shapely.geometry.MultiPolygon | shapely.geometry.GeometryCollection):
        out: list[shapely.geometry.Polygon] = []
        for g in geom.geoms:
            out.extend(_polygons(g))
        return out
    return []


def crosses_antimeridian(geom: BaseGeometry) -> bool:
    """Whether a (multi)polygon has parts touching both +180 and -180 degrees."""
    if not isinstance(geom, shapely.geometry.MultiPolygon):
        return False
    mins = [p.bounds[0] for p in geom.geoms]
    maxs = [p.bounds[2] for p in geom.geoms]
    return min(mins) <= -180.0 + 1e-9 and max(maxs) >= 180.0 - 1e-9


def stac_bbox(geom: BaseGeometry) -> list[float]:
    """The STAC bbox of a WGS84 geometry; ``west > east`` for antimeridian-crossing ones."""
    if crosses_antimeridian(geom):
        assert isinstance(geom, shapely.geometry.MultiPolygon)
        east_parts = [p for p in geom.geoms if p.bounds[2] >= 180.0 - 1e-9]
        west_parts = [p for p in geom.geoms if p.bounds[0] <= -180.0 + 1e-9]
        west = min(p.bounds[0] for p in east_parts)
        east = max(p.bounds[2] for p in west_parts)
        south = min(p.bounds[1] for p in geom.geoms)
        north = max(p.bounds[3] for p in geom.geoms)
        return [west, south, east, north]
    minx, miny, maxx, maxy = geom.bounds
    return [minx, miny, maxx, maxy]


def _outside(item_id: str | None, axis: str, values: np.ndarray, limit: int) -> GeometryError:
    """The error for a latitude or longitude outside ``[-limit, limit]`` (naming the first)."""
    bad = float(values.min() if values.min() < -limit else values.max())
    return GeometryError(
        item_id,
        "geometry",
        f"{axis} {bad:g} is outside [-{limit}, {limit}]; coordinates must be (longitude, "
        "latitude) in WGS84 (EPSG:4326)",
    )


def normalize_geometry(
    item_id: str | None, geometry: Mapping[str, Any] | BaseGeometry | None
) -> tuple[dict[str, Any], list[float]]:
    """Check, repair if documented, and return ``(geojson, bbox)`` for an Item.

    Args:
        item_id: the item, named in errors.
        geometry: a GeoJSON mapping or shapely geometry in WGS84 (lon, lat).

    Returns:
        The GeoJSON geometry dict and its STAC bbox.

    Raises:
        GeometryError: for missing, empty, non-finite or out-of-range geometries.
    """
    if geometry is None:
        raise GeometryError(
            item_id,
            "geometry",
            "no geometry: give a footprint polygon, or a point (with geometry_kind='point') "
            "or a place extent (geometry_kind='place')",
        )
    geom = _as_shape(item_id, geometry)
    if geom.is_empty:
        raise GeometryError(item_id, "geometry", "the geometry is empty")
    coords = shapely.get_coordinates(geom)
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise GeometryError(item_id, "geometry", "coordinates must be finite numbers")
    lats = coords[:, 1]
    lons = coords[:, 0]
    if lats.min() < -90 or lats.max() > 90:
        raise _outside(item_id, "latitude", lats, 90)
    polygonal = isinstance(geom, shapely.geometry.Polygon | shapely.geometry.MultiPolygon)
    span = float(lons.max() - lons.min())
    # A polygon from -180 to 180 (a global raster's bounds) spans the world; it does not cross.
    spans_world = lons.min() == -180.0 and lons.max() == 180.0 and geom.is_valid
    if (
        polygonal
        and not spans_world
        and (lons.max() > 180 or (lons.min() < 0 < lons.max() and span > 180))
    ):
        if lons.max() > 360 or lons.min() < -180:
            raise GeometryError(item_id, "geometry", "longitudes span more than 360 degrees")
        geom = _split_antimeridian(item_id, geom)
    elif lons.min() < -180 or lons.max() > 180:
        raise _outside(item_id, "longitude", lons, 180)
    if not geom.is_valid:
        repaired = shapely.make_valid(geom)
        polys = _polygons(repaired) if polygonal else []
        if polygonal:
            if not polys:
                raise GeometryError(item_id, "geometry", "invalid polygon with no valid area")
            geom = shapely.geometry.MultiPolygon(polys) if len(polys) > 1 else polys[0]
        else:
            geom = repaired
    mapping = shapely.geometry.mapping(geom)
    return _to_lists(mapping), stac_bbox(geom)


def _to_lists(value: Any) -> Any:
    """GeoJSON with lists (not tuples), so it compares equal after a JSON round trip."""
    if isinstance(value, dict):
        return {k: _to_lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_lists(v) for v in value]
    return value
