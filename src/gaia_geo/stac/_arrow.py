"""STAC Item dicts <-> Arrow tables in the stac-geoparquet layout, losslessly, for any Items.

The layout is stac-geoparquet's (its spec: https://github.com/stac-utils/stac-geoparquet): one
row per Item, ``geometry`` as WKB (GeoArrow ``geoarrow.wkb``), ``bbox`` as a
``xmin/ymin/xmax/ymax`` struct, each property a top-level column, ``datetime``,
``start_datetime`` and ``end_datetime`` as ``timestamp[us, UTC]``, ``assets`` and ``links`` as
structs and lists. rustac writes the same layout faster, but not for every Item that real catalogs
hold: Items with uneven geometry-valued properties (``proj:geometry`` on some Items only) make it
fail, it keeps milliseconds only, and a geometry-valued property comes back as WKB bytes. This
writer takes any Items:

- a property is typed from all its values, not the first Item's (missing values are nulls);
- a geometry-valued property (a GeoJSON geometry in every Item that has it) is stored as WKB with
  the ``geoarrow.wkb`` extension name, as stac-geoparquet does, and read back as GeoJSON;
- a property Arrow cannot type (numbers in one Item and text in another, empty objects) is stored
  as JSON text, marked ``gaia:encoding: json`` in the field's metadata, and read back as given;
- datetimes keep their microseconds.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pyarrow as pa
import shapely
import shapely.geometry

#: Properties stored as ``timestamp[us, UTC]`` columns.
TIMESTAMP_COLUMNS = ("datetime", "start_datetime", "end_datetime")
#: Top-level Item fields (every other column is a property).
TOP_LEVEL = (
    "type",
    "stac_version",
    "stac_extensions",
    "id",
    "geometry",
    "bbox",
    "links",
    "assets",
    "collection",
)
_WKB = {b"ARROW:extension:name": b"geoarrow.wkb"}
_JSON = {b"gaia:encoding": b"json"}
_GEOMETRY_TYPES = frozenset(
    (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    )
)


def _is_geometry(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and value.get("type") in _GEOMETRY_TYPES
        and ("coordinates" in value or "geometries" in value)
    )


def _wkb(values: Sequence[Any]) -> pa.Array:
    shapes = [shapely.geometry.shape(v) if v is not None else None for v in values]
    return pa.array(shapely.to_wkb(shapes, flavor="iso").tolist(), pa.binary())


def _timestamps(name: str, values: Sequence[Any]) -> pa.Array:
    parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    return pa.array(parsed, pa.timestamp("us", "UTC"))


def _has_empty_struct(arrow_type: pa.DataType) -> bool:
    if pa.types.is_struct(arrow_type):
        return arrow_type.num_fields == 0 or any(_has_empty_struct(f.type) for f in arrow_type)
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return _has_empty_struct(arrow_type.value_type)
    return False


def _column(name: str, values: list[Any]) -> tuple[pa.Array, dict[bytes, bytes] | None]:
    """One column for one field of every Item: typed by Arrow, WKB, or JSON text."""
    present = [v for v in values if v is not None]
    if name in TIMESTAMP_COLUMNS:
        return _timestamps(name, values), None
    if present and all(_is_geometry(v) for v in present):
        return _wkb(values), _WKB
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = None
    if array is None or _has_empty_struct(array.type):
        text = [orjson.dumps(v).decode() if v is not None else None for v in values]
        return pa.array(text, pa.string()), _JSON
    return array, None


def _bbox(item: Mapping[str, Any]) -> dict[str, float] | None:
    box = item.get("bbox")
    if not box:
        geometry = item.get("geometry")
        if not geometry:
            return None
        box = list(shapely.geometry.shape(geometry).bounds)
    keys = ("xmin", "ymin", "xmax", "ymax") if len(box) == 4 else (
        "xmin", "ymin", "zmin", "xmax", "ymax", "zmax"
    )  # fmt: skip
    return {k: float(v) for k, v in zip(keys, box, strict=True)}


def items_to_arrow(items: Sequence[Mapping[str, Any]]) -> pa.Table:
    """A stac-geoparquet table of Item dicts (any Items: see the module's notes).

    Args:
        items: Item dicts as in STAC JSON.

    Returns:
        One row per Item; columns in the order of first appearance (top-level fields first).
    """
    rows: list[dict[str, Any]] = []
    names: dict[str, None] = dict.fromkeys(("type", "stac_version", "stac_extensions", "id"))
    for item in items:
        row = {k: v for k, v in item.items() if k in TOP_LEVEL and k not in ("bbox",)}
        row["bbox"] = _bbox(item)
        props = item.get("properties") or {}
        row.update(props)
        names.update(dict.fromkeys(row))
        rows.append(row)
    arrays: list[pa.Array] = []
    fields: list[pa.Field] = []
    for name in names:
        values = [row.get(name) for row in rows]
        meta: dict[bytes, bytes] | None
        if name == "geometry":
            array, meta = _wkb(values), _WKB
        else:
            array, meta = _column(name, values)
        arrays.append(array)
        fields.append(pa.field(name, array.type, metadata=meta))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def decode_columns(table: pa.Table) -> dict[str, list[Any]]:
    """Python values of the columns that :func:`items_to_arrow` encoded (JSON text, WKB).

    Returns:
        Column name -> one decoded value per row (GeoJSON dicts, parsed JSON values, ``None``),
        for every column except ``geometry`` that is JSON- or WKB-encoded.
    """
    out: dict[str, list[Any]] = {}
    for field in table.schema:
        meta = field.metadata or {}
        if field.name == "geometry":
            continue
        if meta.get(b"gaia:encoding") == b"json":
            out[field.name] = [
                orjson.loads(v) if v is not None else None
                for v in table.column(field.name).to_pylist()
            ]
        elif meta.get(b"ARROW:extension:name") == b"geoarrow.wkb" or (
            pa.types.is_binary(field.type) and field.name.endswith(":geometry")
        ):
            geoms = shapely.from_wkb(table.column(field.name).to_numpy(zero_copy_only=False))
            out[field.name] = [
                _lists(shapely.geometry.mapping(g)) if g is not None else None for g in geoms
            ]
    return out


def _lists(value: Any) -> Any:
    """GeoJSON from shapely's ``mapping`` uses tuples; STAC JSON uses lists."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def geoparquet_metadata(table: pa.Table) -> dict[bytes, bytes]:
    """The GeoParquet 1.1 ``geo`` and the ``stac-geoparquet`` file metadata of an Item table."""
    column = table.column("geometry")
    kinds = sorted(
        {g.geom_type for g in shapely.from_wkb(column.to_numpy(zero_copy_only=False)) if g}
    )
    bbox = None
    if "bbox" in table.column_names and table.num_rows:
        boxes = table.column("bbox").to_pylist()
        valid = [b for b in boxes if b]
        if valid:
            bbox = [
                min(b["xmin"] for b in valid),
                min(b["ymin"] for b in valid),
                max(b["xmax"] for b in valid),
                max(b["ymax"] for b in valid),
            ]
    geo: dict[str, Any] = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": kinds}},
    }
    if bbox is not None:
        geo["columns"]["geometry"]["bbox"] = bbox
    return {
        b"geo": orjson.dumps(geo),
        b"stac-geoparquet": orjson.dumps({"version": "1.0.0"}),
    }


def write_items_parquet(path: str | os.PathLike[str], items: Sequence[Mapping[str, Any]]) -> None:
    """Write Item dicts as one stac-geoparquet file (zstd), through a temporary file and a rename.

    Args:
        path: the ``.parquet`` file to write (replaced atomically).
        items: the Item dicts (see :func:`items_to_arrow`).
    """
    import pyarrow.parquet as pq

    target = Path(path)
    table = items_to_arrow(items)
    table = table.replace_schema_metadata(geoparquet_metadata(table))
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
