"""Read a catalog's stac-geoparquet as a dask-geopandas frame: one partition per file.

The partitions follow :func:`gaia_geo.read_catalog`'s row order (the catalog's Collection
mirrors, or a folder's ``.parquet`` files in path order, hive-style ``split=train/`` folders
included) and each holds what ``read_catalog`` gives for that file, indexed by the row's position
in the whole catalog: ``frame.compute()`` equals ``read_catalog(path)``, and the balance functions
can name rows across partitions. Only the file footers are read up front; a selection of columns
(``frame[["geometry", "datetime"]]``) reads only those columns.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import CatalogError
from ._discover import discover

#: Columns every partition reads, whatever is selected: ``read_catalog`` builds its frame on them.
_ALWAYS = ("geometry",)

#: The files behind each frame :func:`read_dask` made (by the frame's name), for :func:`take_rows`.
_READS: dict[str, tuple[list[tuple[str, int, int]], pa.Schema, list[str]]] = {}
_KEEP_READS = 64


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a dask collection (a dask or dask-geopandas frame)."""
    return hasattr(obj, "__dask_graph__")


def require_dask() -> None:
    """Raise ImportError with the install line when dask-geopandas is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import dask_geopandas  # noqa: F401
    except ImportError as err:
        raise ImportError(
            f"engine='dask' needs dask, distributed and dask-geopandas ({err}); "
            "install them with: pip install 'gaia_geo[dask]'"
        ) from None


def parquet_parts(path: str | os.PathLike[str]) -> list[Path]:
    """The stac-geoparquet files behind ``path``, in :func:`gaia_geo.read_catalog`'s order.

    Raises:
        CatalogError: a Collection without a current GeoParquet mirror, or no files at all.
    """
    files = []
    for group in discover(path, prefer_geoparquet=True):
        if group.parquet is None:
            raise CatalogError(
                f"{group.source!r} has no current GeoParquet mirror; engine='dask' reads "
                "stac-geoparquet: rewrite the catalog with write_catalog, or read it with "
                "engine='pandas'"
            )
        files.append(group.parquet)
    if not files:
        raise CatalogError(f"no items found under {os.fspath(path)!r}")
    return files


def _frame(table: pa.Table, file: Path) -> gpd.GeoDataFrame:
    from ._read import absolutize_asset_hrefs, table_to_frame

    return table_to_frame(absolutize_asset_hrefs(table, file.parent))


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with every column of ``schema`` (nulls where it has none), in its order."""
    arrays, fields = [], []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name)
            if column.type != field.type:
                try:
                    column = column.cast(field.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    pass  # left as it is: pandas holds both
        else:
            column = pa.chunked_array([pa.nulls(table.num_rows, field.type)])
        arrays.append(column)
        fields.append(pa.field(field.name, column.type, metadata=field.metadata))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=table.schema.metadata))


def _read_part(
    part: tuple[str, int, int],
    schema: pa.Schema,
    order: list[str],
    columns: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """One partition: the rows of one file, indexed by their positions in the catalog.

    Every partition has the columns of all (``schema``), in ``order``: the order in which
    ``read_catalog`` concatenating the files meets them.
    """
    name, start, rows = part
    file = Path(name)
    if columns is not None:
        wanted = [*_ALWAYS, *(c for c in columns if c not in _ALWAYS)]
        schema = pa.schema([schema.field(c) for c in wanted if c in schema.names])
    present = set(pq.read_schema(file).names)
    table = pq.read_table(file, columns=[c for c in schema.names if c in present])
    frame = _frame(_conform(table, schema), file)
    frame.index = pd.RangeIndex(start, start + rows)
    return frame[list(columns) if columns is not None else order]


def _read_rows(
    piece: tuple[tuple[str, int, int], np.ndarray], schema: pa.Schema, order: list[str]
) -> gpd.GeoDataFrame:
    """Some rows of one file (positions in the file), converted alone."""
    (name, start, _), positions = piece
    file = Path(name)
    present = set(pq.read_schema(file).names)
    table = pq.read_table(file, columns=[c for c in schema.names if c in present])
    frame = _frame(_conform(table.take(pa.array(positions, pa.int64())), schema), file)
    frame.index = pd.Index(start + positions, dtype=np.int64)
    return frame[order]


def take_rows(frame: Any, rows: np.ndarray) -> Any | None:
    """The rows at catalog positions ``rows`` (sorted) of a frame :func:`read_dask` made.

    Each partition converts only its chosen rows (not its whole file, as ``iloc`` on the frame
    would). Returns ``None`` for any other frame (a selection, a filter, another reader).
    """
    import dask.config
    import dask.dataframe as dd

    found = _READS.get(getattr(frame, "_name", ""))
    if found is None:
        return None
    parts, schema, order = found
    pieces = []
    for part in parts:
        _, start, size = part
        lo, hi = np.searchsorted(rows, [start, start + size])
        if hi > lo:
            pieces.append((part, np.asarray(rows[lo:hi], dtype=np.int64) - start))
    if not pieces:
        pieces = [(parts[0], np.zeros(0, dtype=np.int64))]
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            _read_rows,
            pieces,
            args=[schema, order],
            meta=frame._meta,
            label="read-stac-geoparquet-rows",
            enforce_metadata=False,
        )


def read_engine(path: str | os.PathLike[str], engine: str) -> Any:
    """``read_catalog`` for an ``engine`` other than pandas.

    Raises:
        ValueError: an unknown engine.
    """
    if engine != "dask":
        raise ValueError(f"engine={engine!r} is not supported; use 'pandas' or 'dask'")
    return read_dask(path)


def read_dask(path: str | os.PathLike[str]) -> Any:
    """``read_catalog(path, engine="dask")``: a lazy dask-geopandas GeoDataFrame.

    Raises:
        CatalogError: no readable stac-geoparquet behind ``path``.
        ImportError: dask-geopandas is not installed.
    """
    require_dask()
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame collection)

    files = parquet_parts(path)
    parts: list[tuple[str, int, int]] = []
    schemas = []
    start = 0
    for file in files:
        try:
            meta = pq.ParquetFile(file)
        except (OSError, pa.ArrowException) as err:
            raise CatalogError(f"cannot read stac-geoparquet {str(file)!r}: {err}") from None
        rows = meta.metadata.num_rows
        schemas.append(meta.schema_arrow)
        if rows:
            parts.append((str(file), start, rows))
            start += rows
    if not parts:
        raise CatalogError(f"no items found under {os.fspath(path)!r}")
    schema = pa.unify_schemas(schemas, promote_options="permissive")
    if "geometry" not in schema.names:
        raise CatalogError(f"{os.fspath(path)!r}: no 'geometry' column; is it stac-geoparquet?")
    order: dict[str, None] = {}
    for one in schemas:
        if "geometry" in one.names:
            order.update(dict.fromkeys(_frame(one.empty_table(), files[0]).columns))
    empty = _frame(schema.empty_table(), Path(parts[0][0]))[list(order)]
    divisions = [p[1] for p in parts] + [start - 1]
    # dask would turn object columns (decoded JSON values: assets, proj:geometry) into strings
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_map(
            _read_part,
            parts,
            args=[schema, list(order)],
            meta=empty.set_index(pd.RangeIndex(0, 0)),
            divisions=divisions,
            label="read-stac-geoparquet",
            enforce_metadata=False,
        )
    while len(_READS) >= _KEEP_READS:
        _READS.pop(next(iter(_READS)))
    _READS[frame._name] = (parts, schema, list(order))
    return frame
