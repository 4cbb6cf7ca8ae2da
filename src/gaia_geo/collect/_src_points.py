"""Read the points a STAC chip run is centred on, from CSV or GeoJSON."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path
from typing import Any

from ..errors import (
    PointsError as PointsError,
)

_LON = ("lon", "longitude", "lng", "x")
_LAT = ("lat", "latitude", "y")


def _check(path: Path, where: str, lon: Any, lat: Any) -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        raise PointsError(f"{path}: {where}: lon/lat {lon!r}, {lat!r} are not numbers") from None
    if not (math.isfinite(x) and math.isfinite(y) and abs(x) <= 180 and abs(y) <= 90):
        raise PointsError(
            f"{path}: {where}: ({x}, {y}) is not a WGS84 lon/lat; give longitude first, in "
            "[-180, 180], then latitude in [-90, 90]"
        )
    return x, y


def read_points(path: str | os.PathLike[str]) -> list[tuple[float, float]]:
    """Read (lon, lat) points from a CSV (``lon``/``lat`` columns) or a GeoJSON file.

    CSV columns may be named ``lon``/``longitude``/``lng``/``x`` and ``lat``/``latitude``/``y``;
    a CSV without a header is read as ``lon,lat`` rows. GeoJSON may be a FeatureCollection, a
    Feature or a geometry of Points or MultiPoints.

    Raises:
        PointsError: naming the file and row for unreadable files or bad coordinates.
    """
    file = Path(path)
    if not file.is_file():
        raise PointsError(f"points file {str(file)!r} does not exist")
    text = file.read_text(encoding="utf-8-sig")
    if file.suffix.lower() in (".json", ".geojson"):
        return _geojson_points(file, text)
    rows = list(csv.reader(text.splitlines()))
    rows = [r for r in rows if r and any(c.strip() for c in r)]
    if not rows:
        raise PointsError(f"{file}: no points")
    header = [c.strip().lower() for c in rows[0]]
    ilon = next((header.index(n) for n in _LON if n in header), None)
    ilat = next((header.index(n) for n in _LAT if n in header), None)
    if ilon is None or ilat is None:
        try:
            float(rows[0][0])
        except ValueError:
            raise PointsError(
                f"{file}: no lon/lat columns in header {rows[0]}; name them 'lon' and 'lat'"
            ) from None
        ilon, ilat, body, first = 0, 1, rows, 1
    else:
        body, first = rows[1:], 2
    points = []
    for n, row in enumerate(body, start=first):
        if len(row) <= max(ilon, ilat):
            raise PointsError(f"{file}: line {n} has {len(row)} columns; expected lon and lat")
        points.append(_check(file, f"line {n}", row[ilon], row[ilat]))
    return points


def _geojson_points(file: Path, text: str) -> list[tuple[float, float]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PointsError(f"{file}: not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise PointsError(f"{file}: expected a GeoJSON object")
    if data.get("type") == "FeatureCollection":
        geoms = [f.get("geometry") for f in data.get("features", [])]
    elif data.get("type") == "Feature":
        geoms = [data.get("geometry")]
    else:
        geoms = [data]
    points = []
    for n, geom in enumerate(geoms):
        kind = (geom or {}).get("type")
        coords = (geom or {}).get("coordinates")
        if kind == "Point":
            coords = [coords]
        elif kind != "MultiPoint":
            raise PointsError(f"{file}: feature {n} is a {kind}, not a Point or MultiPoint")
        for c in coords or []:
            points.append(_check(file, f"feature {n}", c[0], c[1]))
    if not points:
        raise PointsError(f"{file}: no points")
    return points
