"""Refuse Items whose geometry or bbox lies outside WGS84 ranges before they are written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import GeometryError


def _coordinates_out_of_range(coords: Any) -> tuple[float, float] | None:
    """The first (lon, lat) of nested GeoJSON coordinates outside WGS84 ranges, or None."""
    if not coords:
        return None
    if isinstance(coords[0], int | float):
        lon, lat = float(coords[0]), float(coords[1])
        ok = -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0  # False for NaN too
        return None if ok else (lon, lat)
    for part in coords:
        bad = _coordinates_out_of_range(part)
        if bad is not None:
            return bad
    return None


def check_item_ranges(data: Mapping[str, Any]) -> None:
    """Refuse an Item whose geometry or bbox leaves [-180, 180] x [-90, 90] (or is not finite)."""
    geometry = data.get("geometry")
    parts = [geometry] if geometry else []
    while parts:
        part = parts.pop()
        if part.get("type") == "GeometryCollection":
            parts.extend(part.get("geometries") or [])
            continue
        bad = _coordinates_out_of_range(part.get("coordinates"))
        if bad is not None:
            raise GeometryError(
                data["id"],
                "geometry",
                f"point ({bad[0]:g}, {bad[1]:g}) is outside [-180, 180] x [-90, 90]; "
                "coordinates must be (longitude, latitude) in WGS84: fix the Item's JSON",
            )
    bbox = data.get("bbox") or []
    half = len(bbox) // 2
    pairs = [(bbox[0], bbox[1]), (bbox[half], bbox[half + 1])] if half >= 2 else []
    for lon, lat in pairs:
        if _coordinates_out_of_range([lon, lat]) is not None:
            raise GeometryError(
                data["id"],
                "bbox",
                f"{list(bbox)} is outside [-180, 180] x [-90, 90]; fix the Item's JSON",
            )
