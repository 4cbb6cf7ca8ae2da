"""Balance catalogs larger than memory: strata from a few columns, then only the chosen rows.

The first pass streams the stac-geoparquet files in record batches and keeps, per item, just what
the strata need: a representative point, one instant, and the ``by`` values as categoricals,
about 25 bytes an item instead of the whole row (captions, assets, links). The strata, quotas and
draw are those of :func:`gaia_geo.balance`, on the same rows in the same order, so the subset is
the same one. The second pass reads whole rows again and keeps only the chosen ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from ..errors import CatalogError
from ._frame import item_times, representative_points
from ._places import UNKNOWN
from ._sample import Strategy, check_counts, choose_rows
from ._strata import MissingPolicy, TemporalBin, compute_strata, first_value

_TIME_COLUMNS = ("datetime", "start_datetime", "end_datetime")


def parquet_sources(source: str | os.PathLike[str]) -> list[Path]:
    """The stac-geoparquet files behind ``source``, in :func:`gaia_geo.read_catalog`'s row order.

    Args:
        source: a catalog folder or ``catalog.json`` (its Collections' mirrors), one
            ``.parquet`` file, or a folder of ``.parquet`` files (partitions, in name order).

    Raises:
        CatalogError: nothing readable, or a Collection without a GeoParquet mirror.
    """
    from ..stac._partitioned import catalog_partitions
    from ..stac._read import collection_mirrors

    path = Path(source)
    if path.suffix == ".parquet":
        if not path.is_file():
            raise CatalogError(f"{str(path)!r} does not exist")
        return [path]
    if path.is_dir() and not (path / "catalog.json").is_file():
        files = sorted(path.rglob("*.parquet"))
        if not files:
            raise CatalogError(f"{str(path)!r} holds no catalog.json and no .parquet files")
        return files
    catalog = path / "catalog.json" if path.is_dir() else path
    if not catalog.is_file():
        raise CatalogError(f"{str(catalog)!r} does not exist")
    partitioned = catalog_partitions(catalog)  # write_catalog(layout="geoparquet")
    if partitioned:
        return partitioned
    files = []
    for cpath, _, mirror in collection_mirrors(catalog):
        if mirror is None:
            raise CatalogError(
                f"collection {str(cpath)!r} has no GeoParquet mirror; out-of-core balancing "
                "reads the mirrors (write_catalog writes them): rewrite the catalog, or use "
                "gaia_geo.balance on gaia_geo.read_catalog(...)"
            )
        files.append(mirror)
    if not files:
        raise CatalogError(f"no collections under {str(catalog)!r}")
    return files


def _batches(
    files: Sequence[Path], columns: Sequence[str], batch_rows: int
) -> Iterator[pa.RecordBatch]:
    for file in files:
        handle = pq.ParquetFile(file)
        names = set(handle.schema_arrow.names)
        wanted = [c for c in columns if c in names]
        yield from handle.iter_batches(batch_size=batch_rows, columns=wanted)


def strata_frame(
    source: str | os.PathLike[str], by: Sequence[str] = (), *, batch_rows: int = 65_536
) -> gpd.GeoDataFrame:
    """Every item of a catalog reduced to what balancing needs, read batch by batch.

    One row per item, in :func:`gaia_geo.read_catalog`'s order: ``geometry`` (the item's
    representative point), ``datetime`` (its instant: ``datetime``, else the middle of its
    range) and each ``by`` column as a categorical of stratum labels. About 150 bytes an item, so
    :func:`gaia_geo.balance` and :func:`gaia_geo.balance_report` run on catalogs whose full
    rows would not fit in memory, with the same strata.

    Args:
        source: see :func:`parquet_sources`.
        by: extra columns to keep (list values keep their first element).
        batch_rows: rows read at a time.

    Raises:
        CatalogError: no readable GeoParquet behind ``source``.
        ValueError: a ``by`` column no file has.
    """
    return _light_frame(parquet_sources(source), (by,) if isinstance(by, str) else by, batch_rows)


def _light_frame(files: Sequence[Path], by: Sequence[str], batch_rows: int) -> gpd.GeoDataFrame:
    lons, lats, times = [], [], []
    values: dict[str, list[pd.Categorical]] = {column: [] for column in by}
    seen: set[str] = set()
    for batch in _batches(files, ["geometry", *_TIME_COLUMNS, *by], batch_rows):
        if "geometry" not in batch.schema.names:
            raise CatalogError("a stac-geoparquet file without a 'geometry' column")
        wkb = batch.column("geometry").to_numpy(zero_copy_only=False)
        lon, lat = representative_points(gpd.GeoDataFrame(geometry=shapely.from_wkb(wkb)))
        lons.append(lon)
        lats.append(lat)
        stamps = {c: batch.column(c).to_pandas() for c in _TIME_COLUMNS if c in batch.schema.names}
        times.append(item_times(pd.DataFrame(stamps, index=pd.RangeIndex(batch.num_rows))))
        for column in by:
            if column in batch.schema.names:
                seen.add(column)
                keys = [first_value(v) for v in batch.column(column).to_pylist()]
            else:
                keys = [UNKNOWN] * batch.num_rows
            values[column].append(pd.Categorical(keys))
    missing = [column for column in by if column not in seen]
    if missing:
        raise ValueError(f"by={missing[0]!r}: no such column in the items")
    if not lons:
        raise CatalogError(f"no items in {', '.join(map(str, files))}")
    lon, lat = np.concatenate(lons), np.concatenate(lats)
    frame = gpd.GeoDataFrame(
        {"datetime": pd.concat(times, ignore_index=True)},
        geometry=gpd.points_from_xy(lon, lat, crs="EPSG:4326"),
    )
    frame.loc[np.isnan(lon) | np.isnan(lat), "geometry"] = None
    for column in by:
        frame[column] = pd.api.types.union_categoricals(values[column])
    return frame


def read_rows(
    source: str | os.PathLike[str], rows: Sequence[int], *, batch_rows: int = 65_536
) -> gpd.GeoDataFrame:
    """The whole rows at positions ``rows``, as :func:`gaia_geo.read_catalog` gives them.

    With :func:`strata_frame` (whose index is these positions) it balances, splits or filters
    a catalog larger than memory: choose on the light frame, then read only the chosen rows.

    Args:
        source: see :func:`parquet_sources`.
        rows: row positions in :func:`gaia_geo.read_catalog`'s order.
        batch_rows: rows read at a time.

    Returns:
        The rows in position order, indexed by their positions.
    """
    return _chosen_rows(
        parquet_sources(source), np.unique(np.asarray(rows, dtype=np.int64)), batch_rows
    )


def _chosen_rows(files: Sequence[Path], rows: np.ndarray, batch_rows: int) -> gpd.GeoDataFrame:
    """Pass 2: the whole rows at ``rows`` (sorted positions), as read_catalog would give them.

    Each column is streamed on its own, ``batch_rows`` at a time, keeping only the chosen rows:
    the peak is one batch of one column, whatever the row groups (a writer may put a whole
    Collection in one).
    """
    from ..stac._read import absolutize_asset_hrefs, table_to_frame

    frames = []
    start = 0
    for file in files:
        handle = pq.ParquetFile(file)
        size = handle.metadata.num_rows
        lo, hi = np.searchsorted(rows, [start, start + size])
        mine = rows[lo:hi] - start
        start += size
        if not len(mine):
            continue
        columns = []
        for name in handle.schema_arrow.names:
            chunks, offset = [], 0
            for batch in handle.iter_batches(batch_size=batch_rows, columns=[name]):
                a, b = np.searchsorted(mine, [offset, offset + batch.num_rows])
                if b > a:
                    chunks.append(batch.column(0).take(pa.array(mine[a:b] - offset)))
                offset += batch.num_rows
            columns.append(pa.chunked_array(chunks, type=handle.schema_arrow.field(name).type))
        table = pa.Table.from_arrays(columns, schema=handle.schema_arrow)
        frames.append(table_to_frame(absolutize_asset_hrefs(table, file.parent)))
    if not frames:
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    frame.index = pd.Index(rows)
    return frame


def balance_parquet(
    source: str | os.PathLike[str],
    n: int | None = None,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
    cap: int | None = None,
    strategy: Strategy = "uniform",
    seed: int = 0,
    missing: MissingPolicy = "drop",
    nested: bool = False,
    batch_rows: int = 65_536,
) -> gpd.GeoDataFrame:
    """:func:`gaia_geo.balance` for catalogs larger than memory, reading their GeoParquet.

    Takes the arguments of :func:`gaia_geo.balance` and returns the same subset (same seed, same
    rows): memory holds about 25 bytes per item plus the chosen rows, never the whole catalog.

    Args:
        source: a catalog folder or ``catalog.json`` (its Collections' stac-geoparquet mirrors),
            one ``.parquet`` file, or a folder of ``.parquet`` partitions.
        n: how many items to keep (see :func:`gaia_geo.balance`).
        spatial: the spatial cell spec.
        temporal: the temporal bin.
        by: extra stratum columns.
        cap: the most items any one stratum may give.
        strategy: ``"uniform"``, ``"sqrt"`` or ``"proportional"``.
        seed: random seed.
        missing: ``"drop"`` or ``"unknown"`` for items without a place or date.
        nested: allocate per axis in turn (see :func:`gaia_geo.balance`).
        batch_rows: rows read at a time.

    Returns:
        The chosen rows as :func:`gaia_geo.read_catalog` returns them, indexed by their
        position in the whole catalog.

    Raises:
        CatalogError: no readable GeoParquet behind ``source``.
        ValueError: bad ``n``, ``cap``, spec, strategy or ``by`` column.

    Example:
        >>> subset = gaia_geo.balance_parquet("catalogs/gaia", n=40_000)  # doctest: +SKIP
    """
    check_counts(n, cap)
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be >= 1, got {batch_rows}")
    if isinstance(by, str):
        by = (by,)
    files = parquet_sources(source)
    light = _light_frame(files, by, batch_rows)
    strata = compute_strata(light, spatial=spatial, temporal=temporal, by=by, missing=missing)
    rows = choose_rows(strata, n, cap=cap, strategy=strategy, seed=seed, nested=nested)
    return _chosen_rows(files, rows, batch_rows)
