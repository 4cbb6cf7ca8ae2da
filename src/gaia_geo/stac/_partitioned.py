"""Partitioned stac-geoparquet catalogs: their layout, their files, and which files a query reads.

``write_catalog(..., layout="geoparquet")`` writes no Item JSON at all, for sets too large for one
JSON file per Item (millions of Items). The Items live in one hive-partitioned stac-geoparquet
dataset, and a small static root (a Catalog and one Collection per split) points at it, so STAC
Browser still opens the catalog and shows each Collection's extent, summaries and data link::

    <root>/catalog.json
    <root>/<split>/collection.json                      asset "geoparquet-items" -> the partitions
    <root>/items/split=<split>/year=<year>/part-<n>.parquet     (partition_by="year", the default)
    <root>/items/split=<split>/h3=<cell>/part-<n>.parquet       (partition_by="h3": H3 resolution 0)
    <root>/assets/<item id>/<file>                      local assets, when copied

The partition keys are in the folder names only (plain hive style: DuckDB's ``hive_partitioning``,
pyarrow's ``partitioning="hive"`` and dask read them as columns); each file holds whole Items,
``ml-aoi:split`` and ``datetime`` included. ``year`` is the UTC year of ``datetime`` (or of
``start_datetime`` when ``datetime`` is null); Items with no time go to
``year=__HIVE_DEFAULT_PARTITION__``, the hive name for null. Inside a partition, rows are sorted
along a Z-order curve of their bbox centre and written in small row groups, so the row groups'
``bbox`` statistics make a bbox query skip most of them.

The Collection asset follows the stac-geoparquet convention: type
``application/vnd.apache.parquet``, role ``stac-items`` (the Items themselves, not a mirror of
JSON files), href the split's folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import orjson
import pyarrow.parquet as pq

#: The folder under the catalog root that holds the partitioned dataset.
ITEMS_FOLDER = "items"
#: The folder under the catalog root that holds copied local assets.
ASSETS_FOLDER = "assets"
#: The Collection asset key and role naming a split's partitions (stac-geoparquet's convention).
ITEMS_ASSET = "geoparquet-items"
ITEMS_ROLE = "stac-items"
#: The hive value of a null partition key (an Item without time, or without a location).
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
PartitionBy = Literal["year", "h3"]

#: File metadata key: the row groups holding an Item over the antimeridian (a JSON list).
CROSSING_KEY = b"gaia:antimeridian_row_groups"

_KEY = re.compile(r"^(?P<name>[A-Za-z0-9_]+)=(?P<value>.+)$")


def items_asset(collection: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The asset of a Collection that holds its Items as (partitioned) stac-geoparquet, if any."""
    for asset in (collection.get("assets") or {}).values():
        if (
            isinstance(asset, Mapping)
            and ITEMS_ROLE in (asset.get("roles") or [])
            and asset.get("type") == "application/vnd.apache.parquet"
        ):
            return asset
    return None


def partition_files(folder: Path) -> list[Path]:
    """The ``.parquet`` files under a partitioned folder (or the file itself), in a stable order."""
    if folder.is_file():
        return [folder]
    return sorted(
        p for p in folder.rglob("*.parquet") if p.is_file() and not p.name.startswith(".")
    )


def collection_partitions(
    collection_path: str | os.PathLike[str], data: Mapping[str, Any]
) -> list[Path] | None:
    """The files of a Collection written with ``layout="geoparquet"``; ``None`` for other ones.

    Args:
        collection_path: the ``collection.json`` (its asset href is relative to it).
        data: the Collection's JSON.
    """
    asset = items_asset(data)
    if asset is None or "://" in str(asset.get("href", "")):
        return None
    target = Path(os.path.normpath(Path(collection_path).parent / str(asset["href"])))
    return partition_files(target) if target.exists() else []


def catalog_partitions(catalog: str | os.PathLike[str]) -> list[Path] | None:
    """Every partition file of a ``layout="geoparquet"`` catalog, or ``None`` for another catalog.

    Args:
        catalog: the catalog folder or its ``catalog.json``.
    """
    path = Path(catalog)
    path = path / "catalog.json" if path.is_dir() else path
    try:
        root = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    files: list[Path] = []
    found = False
    for link in root.get("links", []) if isinstance(root, dict) else []:
        if not isinstance(link, dict) or link.get("rel") != "child":
            continue
        child = path.parent / str(link.get("href", ""))
        try:
            data = orjson.loads(child.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        parts = collection_partitions(child, data)
        if parts is None:
            return None
        found = True
        files.extend(parts)
    return files if found else None


def partition_keys(file: Path) -> dict[str, str]:
    """The hive keys in a partition file's path (``{"split": "train", "year": "2015"}``)."""
    keys = {}
    for part in file.parent.parts:
        match = _KEY.match(part)
        if match:
            keys[match.group("name")] = match.group("value")
    return keys


def _year_bounds(interval: tuple[int, int]) -> tuple[int, int]:
    def year(ns: int) -> int:
        if ns <= -(2**62):
            return dt.MINYEAR
        if ns >= 2**62:
            return dt.MAXYEAR
        return int(np.datetime64(ns, "ns").astype("datetime64[Y]").astype(int)) + 1970

    return year(interval[0]), year(interval[1])


def _stats_range(
    group: Any, names: Mapping[str, int], column: str
) -> tuple[Any, Any] | None | Literal["all-null"]:
    """min/max of one column in a row group; ``None`` when unknown, ``"all-null"`` when empty."""
    index = names.get(column)
    if index is None:
        return "all-null"
    meta = group.column(index)
    stats = meta.statistics
    if stats is None:
        return None
    if stats.has_null_count and stats.null_count == group.num_rows:
        return "all-null"
    if not stats.has_min_max:
        return None
    return stats.min, stats.max


def _ns(value: Any) -> int:
    if isinstance(value, dt.datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return int(stamp.timestamp() * 1_000_000) * 1000
    return int(value)


def _group_may_match(
    group: Any,
    names: Mapping[str, int],
    boxes: Sequence[tuple[float, float, float, float]],
    interval: tuple[int, int] | None,
    crossing: bool,
) -> bool:
    if boxes:
        ranges = [_stats_range(group, names, f"bbox.{k}") for k in ("xmin", "ymin", "xmax", "ymax")]
        if all(r == "all-null" for r in ranges):
            return False  # no Item here has a location
        known = [r for r in ranges if isinstance(r, tuple)]
        if len(known) == 4:
            (lo_x, top_xmin), (lo_y, _), (low_xmax, hi_x), (_, hi_y) = known
            # an Item over the antimeridian has xmin > xmax: its x-range is [xmin, 180] plus
            # [-180, xmax], so it meets a box when xmin <= east *or* xmax >= west; files from
            # other writers do not say which groups hold one, so any group might
            may_cross = crossing and top_xmin > low_xmax
            if not any(
                lo_y <= north
                and hi_y >= south
                and (
                    (lo_x <= east and hi_x >= west)
                    or (may_cross and (lo_x <= east or hi_x >= west))
                )
                for west, south, east, north in boxes
            ):
                return False
    if interval is not None:
        spans = []
        for start, end in (("datetime", "datetime"), ("start_datetime", "end_datetime")):
            first, last = _stats_range(group, names, start), _stats_range(group, names, end)
            if first == "all-null" or last == "all-null":
                continue
            if not isinstance(first, tuple) or not isinstance(last, tuple):
                return True  # unknown: read it
            spans.append((_ns(first[0]), _ns(last[1])))
        if not spans:
            return False  # no Item here has a time: none matches a datetime query
        if not any(lo <= interval[1] and hi >= interval[0] for lo, hi in spans):
            return False
    return True


@functools.lru_cache(maxsize=4096)
def _footer(path: str, mtime_ns: int, size: int) -> Any:
    """A file's Parquet footer, cached by path, mtime and size (a few KB each)."""
    return pq.ParquetFile(path).metadata


def prune_partitions(
    files: Sequence[Path],
    boxes: Sequence[tuple[float, float, float, float]] = (),
    interval: tuple[int, int] | None = None,
) -> Iterator[tuple[Path, list[int]]]:
    """The files, and their row groups, that may hold Items matching a bbox and time query.

    Partition folders are skipped from their names alone (``year=Y`` after the query's end, or
    the null year under any datetime query), without opening their files; in the other files,
    row groups are skipped from their ``bbox`` and time statistics (footers only). What is left
    may still hold non-matching rows: the caller filters the rows it reads.

    Args:
        files: partition files (see :func:`partition_files`).
        boxes: query boxes ``(west, south, east, north)``, already split at the antimeridian.
        interval: the query's inclusive ``(start, end)`` in UTC nanoseconds.

    Yields:
        ``(file, row group indices)`` for each file with at least one row group left.
    """
    years = _year_bounds(interval) if interval is not None else None
    for file in files:
        keys = partition_keys(file)
        if years is not None and "year" in keys:
            if keys["year"] == NULL_PARTITION:
                continue
            if keys["year"].isdigit() and int(keys["year"]) > years[1]:
                continue  # every Item here starts after the query ends
        stat = file.stat()
        meta = _footer(str(file), stat.st_mtime_ns, stat.st_size)
        names = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
        listed = (meta.metadata or {}).get(CROSSING_KEY)
        crossing = set(orjson.loads(listed)) if listed is not None else None
        groups = [
            i
            for i in range(meta.num_row_groups)
            if _group_may_match(
                meta.row_group(i), names, boxes, interval, crossing is None or i in crossing
            )
        ]
        if groups:
            yield file, groups
