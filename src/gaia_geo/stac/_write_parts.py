"""Write a catalog as partitioned stac-geoparquet and a small static root (layout="geoparquet").

The layout is described in :mod:`gaia_geo.stac._partitioned`. Items arrive as Arrow tables in the
stac-geoparquet layout (``write_catalog`` converts Item dicts in chunks of 50,000, or a caller
hands tables it built column by column) and are written in two passes, so memory stays bounded by
one partition rather than the catalog:

1. each table is cut by partition (split, then year or H3 cell) and appended to that partition's
   spill file (lz4, unsorted);
2. each partition is read back alone, sorted along a Z-order curve of its bbox centres, and
   written as ``part-<n>.parquet`` files of at most ``rows_per_file`` rows in row groups of
   ``rows_per_group`` rows (zstd), whose ``bbox`` statistics then let a bbox query skip most row
   groups. The Collections' extents and summaries are computed from the columns on the way.

As for the static layout, the whole tree is built beside ``root`` and swapped in with two renames.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from .._atomic import swap_directory
from .._paths import check_output_folder, fresh_temporary_folder
from ..errors import CatalogError, GeometryError
from ._arrow import geoparquet_metadata
from ._extension import SCHEMA_URI as CAPTIONS_SCHEMA_URI
from ._item import ML_AOI_SCHEMA_URI, is_remote
from ._partitioned import (
    ASSETS_FOLDER,
    CROSSING_KEY,
    ITEMS_FOLDER,
    NULL_PARTITION,
    PartitionBy,
)
from ._parts_root import CollectionStats, RootInfo, json_encoded, write_root


def _centres(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """The bbox centre of each row (NaN where an Item has no bbox)."""
    n = table.num_rows
    if "bbox" not in table.column_names or not pa.types.is_struct(table.column("bbox").type):
        return np.full(n, np.nan), np.full(n, np.nan)
    bbox = table.column("bbox")
    c = {
        k: pc.struct_field(bbox, k).to_numpy(zero_copy_only=False).astype(np.float64)
        for k in ("xmin", "ymin", "xmax", "ymax")
    }
    x = (c["xmin"] + c["xmax"]) / 2
    crosses = c["xmin"] > c["xmax"]  # over the antimeridian: the centre is on the far side
    x[crosses] = (x[crosses] + 360.0) % 360.0 - 180.0
    return x, (c["ymin"] + c["ymax"]) / 2


def _crossing_groups(part: pa.Table, rows_per_group: int) -> list[int]:
    """The row groups of ``part`` that hold an Item over the antimeridian (xmin > xmax)."""
    if "bbox" not in part.column_names or not pa.types.is_struct(part.column("bbox").type):
        return []
    bbox = part.column("bbox")
    crosses = pc.fill_null(
        pc.greater(pc.struct_field(bbox, "xmin"), pc.struct_field(bbox, "xmax")), False
    )
    rows = np.flatnonzero(crosses.to_numpy(zero_copy_only=False))
    return sorted({int(r) // rows_per_group for r in rows})


def _zorder(table: pa.Table) -> np.ndarray:
    """Z-order (Morton) keys of the bbox centres, 16 bits a coordinate; no bbox sorts last."""
    x, y = _centres(table)
    x, y = np.nan_to_num(x, nan=180.0), np.nan_to_num(y, nan=90.0)
    qx = np.clip((x + 180.0) / 360.0 * 65535, 0, 65535).astype(np.uint64)
    qy = np.clip((y + 90.0) / 180.0 * 65535, 0, 65535).astype(np.uint64)

    def spread(v: np.ndarray) -> np.ndarray:
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
        return (v | (v << np.uint64(1))) & np.uint64(0x55555555)

    return spread(qx) | (spread(qy) << np.uint64(1))


def _partition_values(table: pa.Table, partition_by: PartitionBy) -> np.ndarray:
    """The hive value of the second partition key of each row (year, or H3 cell at res 0)."""
    n = table.num_rows
    names = table.column_names
    if partition_by == "year":
        years = np.full(n, NULL_PARTITION, dtype=object)
        for column in ("start_datetime", "datetime"):  # datetime wins where both are set
            if column not in names:
                continue
            values = pc.year(table.column(column).cast(pa.timestamp("us", "UTC")))
            array = values.to_numpy(zero_copy_only=False)
            valid = ~pd.isna(array)
            years[valid] = np.asarray(array[valid], dtype=np.int64).astype(str)
        return years
    import h3

    out = np.full(n, NULL_PARTITION, dtype=object)
    x, y = _centres(table)
    valid = ~(np.isnan(x) | np.isnan(y))
    # cells at resolution 0 are ~1,000 km across: a quarter degree never matters for a
    # partition key, and rounding makes the (scalar) H3 calls one per distinct point
    grid = np.round(np.column_stack([y[valid], x[valid]]) * 4) / 4
    unique, inverse = np.unique(grid, axis=0, return_inverse=True)
    cells = np.array([h3.latlng_to_cell(float(a), float(b), 0) for a, b in unique], dtype=object)
    out[valid] = cells[inverse.ravel()] if len(cells) else out[valid]
    return out


def _groups(table: pa.Table, catalog_id: str) -> tuple[np.ndarray, pa.Table]:
    """Each row's Collection folder, and the table with its ``collection`` column set.

    As in the static layout: Items with an ``ml-aoi:split`` go to that split's Collection
    (``<catalog id>-<split>``); Items without one keep their source Collection; the rest are
    ``unsplit``.
    """
    from ._write import UNSPLIT, _group_folder

    n = table.num_rows
    names = table.column_names

    def strings(name: str) -> np.ndarray:
        if name not in names or json_encoded(table.schema.field(name)):
            return np.full(n, None, dtype=object)
        return np.asarray(table.column(name).cast(pa.string()).to_numpy(zero_copy_only=False))

    split, source = strings("ml-aoi:split"), strings("collection")
    has_split = pd.notna(split)
    has_source = ~has_split & pd.notna(source)
    folder = np.full(n, UNSPLIT, dtype=object)
    collection = np.full(n, f"{catalog_id}-{UNSPLIT}", dtype=object)
    folder[has_split] = split[has_split]
    collection[has_split] = np.char.add(f"{catalog_id}-", split[has_split].astype(str))
    collection[has_source] = source[has_source]
    folder[has_source] = source[has_source]
    folders = {value: _group_folder(value) for value in set(folder.tolist())}
    folder = np.array([folders[v] for v in folder.tolist()], dtype=object)
    column = pa.array(collection.tolist(), pa.string())
    if "collection" in names:
        table = table.set_column(names.index("collection"), "collection", column)
    else:
        table = table.append_column("collection", column)
    return folder, table


def _check_batch(table: pa.Table, hashes: list[np.ndarray]) -> None:
    """Refuse out-of-range bboxes; remember id hashes for the duplicate check."""
    ids = table.column("id").to_numpy(zero_copy_only=False)
    hashes.append(pd.util.hash_array(np.asarray(ids, dtype=object)))
    if "bbox" not in table.column_names or not pa.types.is_struct(table.column("bbox").type):
        return
    bbox = table.column("bbox")
    bad = None
    for key, limit in (("xmin", 180), ("xmax", 180), ("ymin", 90), ("ymax", 90)):
        values = pc.struct_field(bbox, key)
        out = pc.fill_null(pc.greater(pc.abs(values), limit), False)
        out = pc.or_(out, pc.fill_null(pc.is_nan(values), False))
        bad = out if bad is None else pc.or_(bad, out)
    if bad is not None and pc.any(bad).as_py():
        row = pc.indices_nonzero(bad)[0].as_py()
        item = table.column("id")[row].as_py()
        raise GeometryError(
            item,
            "bbox",
            "it is outside [-180, 180] x [-90, 90]; coordinates must be (longitude, latitude) "
            "in WGS84: fix the Item",
        )


def _duplicates(hashes: list[np.ndarray], spills: Iterable[Path]) -> list[str]:
    """Item ids written more than once (exact: the rare hash collision is checked on the ids)."""
    if not hashes:
        return []
    values, counts = np.unique(np.concatenate(hashes), return_counts=True)
    suspects = set(values[counts > 1].tolist())
    if not suspects:
        return []
    seen: dict[str, int] = defaultdict(int)
    for spill in spills:
        ids = pq.read_table(spill, columns=["id"]).column("id").to_numpy(zero_copy_only=False)
        found = pd.util.hash_array(np.asarray(ids, dtype=object))
        for item, key in zip(ids.tolist(), found.tolist(), strict=True):
            if key in suspects:
                seen[item] += 1
    return sorted(k for k, v in seen.items() if v > 1)


class _Spill:
    """Unsorted per-partition files of pass 1 (a new file when a table's schema differs)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers: dict[tuple[str, str], tuple[pq.ParquetWriter, pa.Schema]] = {}
        self.files: dict[tuple[str, str], list[Path]] = defaultdict(list)

    def append(self, key: tuple[str, str], table: pa.Table) -> None:
        open_ = self.writers.get(key)
        if open_ is not None and not open_[1].equals(table.schema, check_metadata=False):
            conformed = _conform(table, open_[1])
            if conformed is None:
                open_[0].close()
                del self.writers[key]
                open_ = None
            else:
                table = conformed
        if open_ is None:
            path = self.folder / f"{sum(map(len, self.files.values()))}.parquet"
            open_ = (pq.ParquetWriter(path, table.schema, compression="lz4"), table.schema)
            self.writers[key] = open_
            self.files[key].append(path)
        open_[0].write_table(table)

    def close(self) -> None:
        for writer, _ in self.writers.values():
            writer.close()
        self.writers.clear()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table | None:
    """``table`` cast to ``schema`` (missing columns as nulls), or ``None`` when it cannot be."""
    if set(table.column_names) - set(schema.names):
        return None
    arrays = []
    for target in schema:
        if target.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, target.type))
            continue
        try:
            arrays.append(table.column(target.name).cast(target.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return None
    return pa.Table.from_arrays(arrays, schema=schema)


def _finish_partition(
    spills: Sequence[Path],
    folder: Path,
    stats: CollectionStats,
    *,
    rows_per_group: int,
    rows_per_file: int,
) -> None:
    """Pass 2 for one partition: read its spill files, sort them spatially, write the parts."""
    tables = [pq.read_table(path) for path in spills]
    table = (
        tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="permissive")
    )
    for path in spills:
        path.unlink()
    table = table.take(pa.array(np.argsort(_zorder(table), kind="stable")))
    stats.update(table)
    folder.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, table.num_rows, rows_per_file)):
        part = table.slice(start, rows_per_file)
        metadata = {
            **(part.schema.metadata or {}),
            **geoparquet_metadata(part),
            # row-group statistics cannot tell an Item over the antimeridian (xmin > xmax) from
            # a spread of Items; naming its row groups lets every other group be pruned by bbox
            CROSSING_KEY: orjson.dumps(_crossing_groups(part, rows_per_group)),
        }
        part = part.replace_schema_metadata(metadata)
        pq.write_table(
            part,
            folder / f"part-{number:04d}.parquet",
            compression="zstd",
            row_group_size=rows_per_group,
            write_statistics=True,
        )


#: Item dicts converted to Arrow at a time (bounds the memory of ``write_catalog``'s dict path).
CHUNK_ITEMS = 50_000


def _item_batches(
    items: Iterable[Any], tmp: Path, assets: str, schema_uri: str
) -> Iterator[pa.Table]:
    """Arrow tables of the Items: tables pass through, Item dicts are prepared and converted.

    Dicts are prepared as the static layout prepares them (ranges checked, the captions schema
    URI and the ml-aoi extension declared, structural links dropped); local assets are copied to
    ``assets/<id>/`` (or referenced), with hrefs relative to the partition folders.
    """
    import os

    import pystac

    from ._arrow import items_to_arrow
    from ._ranges import check_item_ranges
    from ._write import STRUCTURAL_RELS, _item_dict, _place_asset

    partition_dir = tmp / ITEMS_FOLDER / "split" / "key"  # every partition folder is this deep
    chunk: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, pa.RecordBatch):
            item = pa.Table.from_batches([item])
        if isinstance(item, pa.Table):
            if chunk:
                yield items_to_arrow(chunk)
                chunk = []
            yield item
            continue
        if not isinstance(item, pystac.Item | Mapping):
            raise TypeError(f"expected STAC Items, Item dicts or Arrow tables, got {type(item)}")
        data, base = _item_dict(item)
        check_item_ranges(data)
        extensions = data.setdefault("stac_extensions", [])
        if schema_uri != CAPTIONS_SCHEMA_URI and CAPTIONS_SCHEMA_URI in extensions:
            data["stac_extensions"] = extensions = [
                schema_uri if uri == CAPTIONS_SCHEMA_URI else uri for uri in extensions
            ]
        if data["properties"].get("ml-aoi:split") and ML_AOI_SCHEMA_URI not in extensions:
            extensions.append(ML_AOI_SCHEMA_URI)
        for key, asset in (data.get("assets") or {}).items():
            asset = data["assets"][key] = dict(asset)
            folder = tmp / ASSETS_FOLDER / data["id"] if assets == "copy" else partition_dir
            if assets == "copy" and not is_remote(asset["href"]):
                folder.mkdir(parents=True, exist_ok=True)
            try:
                href = _place_asset(asset["href"], base, folder, assets)  # type: ignore[arg-type]
            except CatalogError as err:
                raise CatalogError(f"item {data['id']!r}, asset {key!r}: {err}") from None
            if assets == "copy" and href.startswith("./"):
                href = f"../../../{ASSETS_FOLDER}/{data['id']}/{href[2:]}"
            asset["href"] = href.replace(os.sep, "/")
        data["links"] = [
            link for link in data.get("links") or [] if link.get("rel") not in STRUCTURAL_RELS
        ]
        chunk.append(data)
        if len(chunk) >= CHUNK_ITEMS:
            yield items_to_arrow(chunk)
            chunk = []
    if chunk:
        yield items_to_arrow(chunk)


def write_partitioned_catalog(
    items: Iterable[Any],
    root: Path,
    *,
    assets: str = "copy",
    captions_schema_uri: str = CAPTIONS_SCHEMA_URI,
    info: RootInfo,
    partition_by: PartitionBy = "year",
    rows_per_group: int = 5_000,
    rows_per_file: int = 1_000_000,
    progress: bool | None = None,
    total: int | None = None,
) -> Path:
    """Write Items as a partitioned catalog at ``root`` (``write_catalog(layout="geoparquet")``).

    See :func:`gaia_geo.write_catalog` for the arguments. ``items`` may mix pystac Items, Item
    dicts and Arrow tables in the stac-geoparquet layout (a fast path for generated or converted
    sets: no Python object per Item); ``total`` is the number of Items when known (progress bar).
    """
    if partition_by not in ("year", "h3"):
        raise ValueError(f"partition_by must be 'year' or 'h3', got {partition_by!r}")
    if rows_per_group < 1 or rows_per_file < rows_per_group:
        raise ValueError("rows_per_group must be >= 1 and rows_per_file >= rows_per_group")
    root = check_output_folder(root)
    tmp = fresh_temporary_folder(root)
    try:
        spill = _Spill(tmp / ".spill")
        spill.folder.mkdir()
        hashes: list[np.ndarray] = []
        show = progress if progress is not None else (total or 0) > 5000
        bar = tqdm(total=total, desc=f"writing {info.catalog_id}", unit="item", disable=not show)
        for batch in _item_batches(items, tmp, assets, captions_schema_uri):
            if batch.num_rows == 0:
                continue
            if "id" not in batch.column_names:
                raise CatalogError("a table of Items has no 'id' column; is it stac-geoparquet?")
            _check_batch(batch, hashes)
            folders, batch = _groups(batch, info.catalog_id)
            keys = np.char.add(
                np.char.add(folders.astype(str), "/"),
                _partition_values(batch, partition_by).astype(str),
            )
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            ends = np.r_[starts[1:], len(ordered)]
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                group, value = str(ordered[start]).split("/", 1)
                spill.append((group, value), batch.take(pa.array(order[start:end])))
            bar.update(batch.num_rows)
        bar.close()
        spill.close()
        if not spill.files:
            raise CatalogError(f"no items to write to {str(root)!r}")
        duplicates = _duplicates(hashes, [p for ps in spill.files.values() for p in ps])
        if duplicates:
            shown = ", ".join(repr(d) for d in duplicates[:3])
            raise CatalogError(f"duplicate item id(s) {shown}; item ids must be unique")
        stats: dict[str, CollectionStats] = defaultdict(CollectionStats)
        key_name = "year" if partition_by == "year" else "h3"
        for (group, value), paths in tqdm(
            sorted(spill.files.items()), desc="sorting partitions", unit="part", disable=not show
        ):
            _finish_partition(
                paths,
                tmp / ITEMS_FOLDER / f"split={group}" / f"{key_name}={value}",
                stats[group],
                rows_per_group=rows_per_group,
                rows_per_file=rows_per_file,
            )
        shutil.rmtree(spill.folder)
        write_root(tmp, stats, info)
        swap_directory(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root
