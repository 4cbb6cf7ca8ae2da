"""Checks a JSON Schema cannot make: geometry validity and range, bbox consistency, unique ids.

:func:`geometry_problems` reads an Item's ``geometry`` and ``bbox`` (it repairs nothing; the
repairs live in ``_geometry``). :func:`find_duplicate_ids` is the one check of Item ids that
:func:`~gaia_geo.stac.validate` and the dataset loaders share: an id in two splits leaks test
Items into training.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator
from typing import Any, TypeVar

import shapely
import shapely.geometry
from shapely.validation import explain_validity

#: How far (degrees, ~1 m) a geometry may stick out of its bbox: rounding of written coordinates.
BBOX_TOLERANCE = 1e-5

_Where = TypeVar("_Where", bound=Hashable)


def _positions(coordinates: Any) -> Iterator[list[Any]]:
    """Every position of a GeoJSON ``coordinates`` array, at any nesting depth."""
    if isinstance(coordinates, list | tuple):
        if coordinates and all(isinstance(c, int | float) for c in coordinates):
            yield list(coordinates)
        else:
            for part in coordinates:
                yield from _positions(part)


def _all_positions(geometry: dict[str, Any]) -> Iterator[list[Any]]:
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            if isinstance(part, dict):
                yield from _all_positions(part)
    else:
        yield from _positions(geometry.get("coordinates"))


def geometry_problems(geometry: Any, bbox: Any) -> list[str]:
    """Say what is wrong with an Item's geometry and bbox (empty when nothing is).

    Checks that every position is finite and within longitude [-180, 180] and latitude [-90, 90],
    that the geometry is valid in the OGC sense (shapely's ``is_valid``; the reason comes from
    ``explain_validity``, e.g. ``Self-intersection[10 5]``), and that the bbox is ordered and
    holds the geometry. A bbox with ``west > east`` crosses the antimeridian, as STAC allows.

    Args:
        geometry: the Item's ``geometry`` (a GeoJSON dict, or ``None``).
        bbox: the Item's ``bbox`` (4 or 6 numbers, or ``None``).

    Returns:
        One sentence per problem, naming the field.
    """
    if not isinstance(geometry, dict):
        return []
    problems: list[str] = []
    for position in _all_positions(geometry):
        if len(position) < 2:
            continue
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return [f"geometry: position {position} is not finite"]
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            return [
                f"geometry: position [{lon:g}, {lat:g}] is outside longitude [-180, 180] x "
                "latitude [-90, 90] (WGS84 degrees, as GeoJSON asks); reproject it or split it "
                "at the antimeridian"
            ]
    try:
        shape = shapely.geometry.shape(geometry)
    except Exception as err:  # shapely raises several types for malformed GeoJSON
        return [f"geometry: not a readable GeoJSON geometry ({err})"]
    if not shape.is_valid:
        problems.append(
            f"geometry: invalid {shape.geom_type} ({explain_validity(shape)}); repair it, e.g. "
            "with shapely.make_valid"
        )
    problems.extend(_bbox_problems(shape, bbox))
    return problems


def _bbox_problems(shape: Any, bbox: Any) -> list[str]:
    if not isinstance(bbox, list) or len(bbox) not in (4, 6):
        return []
    if not all(isinstance(v, int | float) for v in bbox):
        return []
    half = len(bbox) // 2
    west, south, east, north = bbox[0], bbox[1], bbox[half], bbox[half + 1]
    if south > north:
        return [f"bbox: south {south:g} is greater than north {north:g}"]
    if shape.is_empty:
        return []
    gw, gs, ge, gn = shape.bounds
    tol = BBOX_TOLERANCE
    outside = gs < south - tol or gn > north + tol
    if west <= east:
        outside = outside or gw < west - tol or ge > east + tol
    else:  # crosses the antimeridian: every longitude must be east of west or west of east
        lons = shapely.get_coordinates(shape)[:, 0]
        outside = outside or bool(((lons < west - tol) & (lons > east + tol)).any())
    if outside:
        return [
            f"bbox {bbox} does not hold the geometry (its bounds are "
            f"{[round(v, 7) for v in (gw, gs, ge, gn)]}); "
            "recompute the bbox from the geometry"
        ]
    return []


def find_duplicate_ids(entries: Iterable[tuple[str, Hashable, _Where]]) -> dict[str, list[_Where]]:
    """Find Item ids used in more than one group (split, Collection).

    An id repeated inside one group is left alone: STAC asks ids to be unique within a
    Collection only as a recommendation (its own examples repeat one), but the same id in two
    splits leaks test Items into training, and in two Collections makes ids ambiguous.

    Args:
        entries: ``(item id, group, where)`` triples: ``group`` is what must not share ids (a
            split name, or a ``(collection, split)`` pair), ``where`` names the place the Item
            was found (its file, for the message).

    Returns:
        Each id found in two or more groups, mapped to every place it was found, in input order.
    """
    groups: dict[str, set[Hashable]] = {}
    places: dict[str, list[_Where]] = {}
    for item_id, group, where in entries:
        groups.setdefault(item_id, set()).add(group)
        places.setdefault(item_id, []).append(where)
    return {item_id: places[item_id] for item_id, found in groups.items() if len(found) > 1}
