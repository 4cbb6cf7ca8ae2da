"""Read a gaia_geo catalog into a GeoDataFrame, and turn such a frame back into Items."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pystac
import shapely.geometry

from ..errors import CatalogError
from ._arrow import TOP_LEVEL, decode_columns, items_to_arrow
from ._discover import discover
from ._extension import format_datetime
from ._fingerprint import mirror_is_current
from ._read_dask import is_dask
from ._write import PARQUET_MEDIA_TYPE


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise CatalogError(f"{str(path)!r} does not exist; is this a gaia_geo catalog?") from None
    except orjson.JSONDecodeError as err:
        raise CatalogError(f"{str(path)!r} is not valid JSON: {err}") from None


def _collections(path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every Collection (file path, dict) reachable from a catalog or collection file."""
    data = _load_json(path)
    if data.get("type") == "Collection":
        yield path, data
        return
    for link in data.get("links", []):
        if link.get("rel") == "child":
            yield from _collections((path.parent / link["href"]).resolve())


def _types_mapper(arrow_type: pa.DataType) -> Any:
    # Lists and structs stay Arrow-backed: a cell still reads as a Python list or dict, but
    # 205k items load without building millions of Python objects up front.
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return pd.ArrowDtype(arrow_type)
    if pa.types.is_struct(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None


def absolutize_asset_hrefs(table: pa.Table, base: Path) -> pa.Table:
    """Make the relative local hrefs of a stac-geoparquet table's assets absolute (in Arrow).

    ``./x`` hrefs (what ``write_catalog`` writes) are joined to ``base`` with vectorised string
    kernels; the rare other relative forms (``../x``) are normalised in Python.
    """
    if "assets" not in table.column_names:
        return table
    column = table.column("assets")
    if not pa.types.is_struct(column.type):
        return table
    prefix = str(base).rstrip("/") + "/"
    chunks = []
    for chunk in column.chunks:
        children = []
        for index, _ in enumerate(chunk.type):
            asset = chunk.field(index)
            names = [f.name for f in asset.type] if pa.types.is_struct(asset.type) else []
            if "href" not in names:
                children.append(asset)
                continue
            hrefs = asset.field(names.index("href"))
            simple = pc.fill_null(
                pc.and_(pc.starts_with(hrefs, "./"), pc.invert(pc.match_substring(hrefs, "/../"))),
                False,
            )
            new = pc.if_else(
                simple,
                pc.binary_join_element_wise(prefix, pc.utf8_slice_codeunits(hrefs, 2), ""),
                hrefs,
            )
            other = pc.fill_null(
                pc.and_(
                    pc.invert(simple),
                    pc.invert(pc.match_substring_regex(hrefs, r"^([a-zA-Z][a-zA-Z0-9+.-]+:|/)")),
                ),
                False,
            )
            if pc.any(other).as_py():
                values = new.to_pylist()
                for i in pc.indices_nonzero(other).to_pylist():
                    values[i] = os.path.normpath(base / values[i])
                new = pa.array(values, pa.string())
            arrays = [new if n == "href" else asset.field(i) for i, n in enumerate(names)]
            children.append(
                pa.StructArray.from_arrays(arrays, fields=list(asset.type), mask=asset.is_null())
            )
        chunks.append(
            pa.StructArray.from_arrays(children, fields=list(chunk.type), mask=chunk.is_null())
        )
    rebuilt = pa.chunked_array(chunks, type=chunks[0].type) if chunks else column
    return table.set_column(table.column_names.index("assets"), "assets", rebuilt)


def table_to_frame(table: pa.Table) -> gpd.GeoDataFrame:
    """Turn stac-geoparquet rows into the GeoDataFrame ``read_catalog`` returns.

    Scalar properties become ordinary pandas columns; list and struct columns (captions, tags,
    instruments, assets, links, provenance, bbox) stay Arrow-backed (``pd.ArrowDtype``): a cell
    reads as a Python list or dict, and struct members an item does not have read as ``None``.
    ``datetime``, ``start_datetime`` and ``end_datetime`` are always present.
    """
    decoded = decode_columns(table)
    if decoded:
        table = table.drop_columns(list(decoded))
    table = _geoarrow_geometry(table)
    frame = gpd.GeoDataFrame.from_arrow(
        table, geometry="geometry", to_pandas_kwargs={"types_mapper": _types_mapper}
    )
    frame = frame.set_crs("EPSG:4326", allow_override=True)
    for name, values in decoded.items():
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
    for column in ("datetime", "start_datetime", "end_datetime"):
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ms, UTC]")
    return frame


def _geoarrow_geometry(table: pa.Table) -> pa.Table:
    """Mark a plain WKB ``geometry`` column (GeoParquet 0.4 from geopandas) as GeoArrow WKB."""
    if "geometry" not in table.column_names:
        raise CatalogError("the table has no 'geometry' column; is it stac-geoparquet?")
    index = table.schema.get_field_index("geometry")
    field = table.schema.field(index)
    if (field.metadata or {}).get(b"ARROW:extension:name") or not pa.types.is_binary(field.type):
        return table
    return table.set_column(
        index, field.with_metadata({b"ARROW:extension:name": b"geoarrow.wkb"}), table["geometry"]
    )


def _read_parquet(path: Path) -> gpd.GeoDataFrame:
    return table_to_frame(absolutize_asset_hrefs(pq.read_table(path), path.parent))


def items_frame(items: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """The ``read_catalog`` frame of Item dicts (converted in memory, losslessly)."""
    if not items:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    return table_to_frame(items_to_arrow(items))


def collection_mirrors(
    path: Path, *, check: bool = True
) -> list[tuple[Path, dict[str, Any], Path | None]]:
    """Each Collection under a catalog file, with its GeoParquet mirror (``None`` if it has none).

    In the order :func:`read_catalog` reads them: its rows follow this order, file by file.

    Args:
        path: a catalog or collection file.
        check: compare each mirror with its fingerprint (a ``stat()`` per Item file); a mirror
            that no longer matches the Item JSON, or has no fingerprint, is reported as ``None``
            with a warning that says why: the Item JSON is the source of truth.
    """
    found = []
    for cpath, data in _collections(path.resolve()):
        mirror = next(
            (
                a
                for a in data.get("assets", {}).values()
                if "collection-mirror" in a.get("roles", []) and a.get("type") == PARQUET_MEDIA_TYPE
            ),
            None,
        )
        mirror_path = (cpath.parent / mirror["href"]).resolve() if mirror else None
        if mirror_path is not None and not mirror_path.is_file():
            mirror_path = None
        if check and mirror_path is not None and not mirror_is_current(cpath, data, mirror_path):
            mirror_path = None
        found.append((cpath, data, mirror_path))
    return found


def read_catalog(
    path: str | os.PathLike[str],
    *,
    prefer_geoparquet: bool = True,
    allow_remote: bool = False,
    engine: str = "pandas",
) -> gpd.GeoDataFrame:
    """Read any STAC catalog into a GeoDataFrame, one row per Item and a column per property.

    Args:
        path: a catalog folder or file: a Catalog or Collection (Items found under every child,
            as pystac's ``get_items(recursive=True)`` finds them), an ItemCollection (a GeoJSON
            FeatureCollection, a JSON array of Items, or ``.ndjson``), a single Item, a
            stac-geoparquet file or a folder of them (rustac, stac-geoparquet, or GeoParquet
            0.4-1.1 written by geopandas). STAC 0.8-1.1 (older objects are migrated).
        prefer_geoparquet: read each Collection's GeoParquet mirror when it has one (about a
            second for 205k items) and its fingerprint shows it still matches the Item JSON;
            otherwise (or when the mirror is stale, with a logged warning) walk the Item JSON.
        allow_remote: follow ``http(s)`` links (else they are skipped with a warning naming them).
        engine: ``"pandas"`` (in memory) or ``"dask"``: a lazy dask-geopandas frame over the
            stac-geoparquet files, one partition per file, equal to this frame once computed.

    Returns:
        A GeoDataFrame in EPSG:4326 with columns ``id``, ``geometry``, ``bbox``, ``datetime``,
        ``start_datetime``, ``end_datetime`` (UTC timestamps), every property under its STAC name,
        ``assets`` (dicts with absolute local hrefs), ``links`` (non-structural links only) and
        ``collection``. Geometry-valued properties (``proj:geometry``) read as GeoJSON dicts.

    Raises:
        CatalogError: naming the file, if the path is not a readable STAC input.
    """
    if engine != "pandas":
        from ._read_dask import read_engine

        return read_engine(path, engine)
    groups = discover(
        path,
        prefer_geoparquet=prefer_geoparquet,
        allow_remote=allow_remote,
        read_mirror=_read_parquet,
    )
    frames: list[gpd.GeoDataFrame] = []
    pending: list[dict[str, Any]] = []  # consecutive JSON groups share one Arrow schema
    for group in groups:
        if group.parquet is None:
            pending.extend(group.items)
            continue
        if pending:
            frames.append(items_frame(pending))
            pending = []
        try:
            prefetched = group.prefetched  # read while the mirror's freshness was checked
            frames.append(prefetched.result() if prefetched else _read_parquet(group.parquet))
        except (OSError, pa.ArrowException, ValueError) as err:
            where = str(group.parquet)
            raise CatalogError(f"cannot read stac-geoparquet {where!r}: {err}") from None
    if pending:
        frames.append(items_frame(pending))
    frames = [f for f in frames if len(f)]
    if not frames:
        raise CatalogError(f"no items found under {os.fspath(path)!r}")
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return frame.reset_index(drop=True)


def _clean(value: Any) -> Any:
    """Arrow/pandas values back to JSON values; drops the nulls Arrow adds to unify structs."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not _missing(v)}
    if isinstance(value, list | tuple | np.ndarray):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return format_datetime(value.to_pydatetime())
    return value


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def _bbox(value: Any, geometry: Any) -> list[float] | None:
    if isinstance(value, dict):
        keys = ("xmin", "ymin", "zmin", "xmax", "ymax", "zmax")
        return [float(value[k]) for k in keys if value.get(k) is not None]
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        return [float(v) for v in value]
    return [float(v) for v in geometry.bounds] if geometry is not None else None


def frame_to_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn a ``read_catalog`` frame (or any subset of it) back into Item dicts."""
    columns = list(frame.columns)
    props_cols = [c for c in columns if c not in TOP_LEVEL]
    records = frame.to_dict("records")
    out = []
    for row in records:
        geometry = row.get("geometry")
        item: dict[str, Any] = {
            "type": "Feature",
            "stac_version": row.get("stac_version") or "1.1.0",
        }
        if not _missing(row.get("stac_extensions")) and row.get("stac_extensions") is not None:
            item["stac_extensions"] = _clean(row["stac_extensions"])
        item["id"] = row["id"]
        item["geometry"] = (
            _clean(shapely.geometry.mapping(geometry)) if geometry is not None else None
        )
        bbox = _bbox(row.get("bbox"), geometry)
        if bbox is not None:  # an Item without geometry may have no bbox
            item["bbox"] = bbox
        props: dict[str, Any] = {}
        for column in props_cols:
            value = row[column]
            if column == "datetime":
                props["datetime"] = None if _missing(value) else _clean(value)
            elif not _missing(value):
                props[column] = _clean(value)
        item["properties"] = props
        links = row.get("links")
        item["links"] = [] if links is None or _missing(links) else _clean(links)
        assets = row.get("assets")
        item["assets"] = {} if assets is None or _missing(assets) else _clean(assets)
        if not _missing(row.get("collection")) and row.get("collection") is not None:
            item["collection"] = row["collection"]
        out.append(item)
    return out


def frame_item_dicts(frame: Any) -> Iterator[dict[str, Any]]:
    """The Item dicts of a ``read_catalog`` frame, pandas or dask.

    A dask frame (``read_catalog(..., engine="dask")``, or what ``balance`` or ``split`` made of
    it) is computed one partition at a time, so only one partition's rows are in memory at once
    (persist a frame whose partitions share costly upstream work first: each partition is its
    own compute).
    """
    if not is_dask(frame):
        yield from frame_to_dicts(frame)
        return
    for part in frame.to_delayed():
        yield from frame_to_dicts(part.compute())


def to_items(frame: Any) -> list[pystac.Item]:
    """Turn a ``read_catalog`` frame (or a filtered subset) back into pystac Items.

    The Items equal the catalog's Items with absolute asset hrefs and without their structural
    links (root, parent, collection, self), which ``write_catalog`` rebuilds. A dask frame is
    computed (one partition at a time); to write it, pass it to ``write_catalog`` directly.
    """
    return [
        pystac.Item.from_dict(d, preserve_dict=False, migrate=False)
        for d in frame_item_dicts(frame)
    ]
