"""In-process search over a catalog's stac-geoparquet mirrors: bbox, datetime, CQL2 and text.

The first search of a mirror loads it with pyarrow and precomputes what every later query needs:
numpy arrays of the item bboxes and of each item's time interval (``datetime``, or
``start_datetime``/``end_datetime`` when ``datetime`` is null) in nanoseconds, and one lower-case
text per item (title, description and all captions). The index is cached per file and rebuilt when
the file's mtime or size changes. A query then costs a few vectorised comparisons plus one
substring scan over the rows that survived the cheaper filters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import CatalogError
from ..stac._partitioned import partition_files, prune_partitions
from ._cql2 import evaluate_filter
from ._hrefs import absolutize_assets

logger = logging.getLogger(__name__)

__all__ = ["CAPTION_TEXT", "DatetimeLike", "find_mirrors", "parse_datetime", "search"]

#: The virtual property (a column of the API's serving copy too) holding each item's searchable
#: text: title, description and captions joined by newlines, lower-cased.
CAPTION_TEXT = "gaia:caption_text"
#: Media type of a stac-geoparquet mirror asset.
PARQUET_TYPE = "application/vnd.apache.parquet"

DatetimeLike = str | dt.datetime | tuple[dt.datetime | str | None, dt.datetime | str | None]
_MIN_NS = np.iinfo(np.int64).min
_MAX_NS = np.iinfo(np.int64).max


def find_mirrors(catalog: str | os.PathLike[str]) -> list[Path]:
    """Return the stac-geoparquet mirrors of a catalog.

    Args:
        catalog: a catalog folder, its ``catalog.json``, a ``collection.json``, one ``.parquet``
            file, or a folder of them.

    Returns:
        The mirror files: the assets with role ``collection-mirror`` (or the parquet media type)
        of every Collection reachable through ``child`` links, else ``*/items.parquet``.

    Raises:
        CatalogError: no mirror was found; the message names the folder and the fix.
    """
    path = Path(catalog)
    if path.suffix == ".parquet":
        if not path.is_file():
            raise CatalogError(f"{path}: no such GeoParquet file")
        return [path]
    if path.is_dir() and (path / "catalog.json").is_file():
        path = path / "catalog.json"
    mirrors: list[Path] = []
    if path.is_file() and path.suffix == ".json":
        mirrors = _mirrors_from_json(path, set())
    elif path.is_dir():
        mirrors = sorted(path.glob("*.parquet")) + sorted(path.glob("*/items.parquet"))
        if not mirrors and any("=" in p.parent.name for p in path.rglob("*.parquet")):
            mirrors = [path]  # a hive-partitioned folder (write_catalog(layout="geoparquet"))
    if not mirrors:
        return [derived_mirror(catalog)]
    return mirrors


def derived_mirror(catalog: str | os.PathLike[str]) -> Path:
    """A stac-geoparquet mirror of a STAC input that has none (a JSON-only catalog from others).

    Built from the JSON with ``read_catalog`` into a cache folder (``$XDG_CACHE_HOME/gaia_geo``,
    else ``~/.cache/gaia_geo``), never into the catalog, and rebuilt when any JSON file under the
    catalog's folder changes (their paths, sizes and mtimes are its key).

    Raises:
        CatalogError: when the input is no readable STAC (the message names it).
    """
    from ..stac import frame_to_dicts, read_catalog
    from ..stac._arrow import write_items_parquet

    path = Path(catalog).resolve()
    folder = path if path.is_dir() else path.parent
    digest = hashlib.sha256(str(path).encode())
    for file in sorted(folder.rglob("*.json")) if path.is_dir() or path.suffix == ".json" else []:
        stat = file.stat()
        digest.update(f"{file}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    if path.is_file():
        stat = path.stat()
        digest.update(f"{stat.st_size}|{stat.st_mtime_ns}".encode())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gaia_geo"
    target = cache / "mirrors" / f"{digest.hexdigest()[:24]}.parquet"
    if not target.is_file():
        frame = read_catalog(path, prefer_geoparquet=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_items_parquet(target, frame_to_dicts(frame))
        logger.info("%s has no GeoParquet mirror: built one at %s", catalog, target)
    return target


def _mirrors_from_json(path: Path, seen: set[Path]) -> list[Path]:
    path = path.resolve()
    if path in seen or not path.is_file():
        return []
    seen.add(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise CatalogError(f"{path}: not valid JSON ({err}); rebuild the catalog") from err
    found: list[Path] = []
    for asset in (data.get("assets") or {}).values():
        roles = asset.get("roles") or []
        href = str(asset.get("href", ""))
        if (
            "collection-mirror" in roles or asset.get("type") == PARQUET_TYPE
        ) and "://" not in href:
            found.append((path.parent / href).resolve())
    for link in data.get("links", []):
        href = str(link.get("href", ""))
        if link.get("rel") == "child" and "://" not in href:
            found.extend(_mirrors_from_json(path.parent / href, seen))
    return found


def parse_datetime(value: DatetimeLike | None) -> tuple[int, int] | None:
    """Parse a STAC API ``datetime`` argument into an inclusive ``(start, end)`` in UTC ns.

    Args:
        value: an RFC 3339 instant (``"2020-05-01T00:00:00Z"``), an interval
            (``"2020-01-01T00:00:00Z/2021-01-01T00:00:00Z"``, open ends ``..`` or empty), a
            ``datetime`` or a ``(start, end)`` tuple (``None`` for an open end). Naive times are
            UTC.

    Returns:
        ``None`` for no constraint, else the bounds in nanoseconds since the epoch.
    """
    if value is None:
        return None
    if isinstance(value, tuple):
        start, end = value
    elif isinstance(value, dt.datetime):
        start = end = value
    elif isinstance(value, str):
        if "/" in value:
            start_text, _, end_text = value.partition("/")
            start = None if start_text.strip() in ("", "..") else start_text.strip()
            end = None if end_text.strip() in ("", "..") else end_text.strip()
            if start is None and end is None:
                raise ValueError(f"datetime {value!r}: at least one end must be given")
        else:
            start = end = value.strip()
    else:
        raise TypeError(f"datetime must be a string, datetime or tuple, got {type(value).__name__}")
    low = _MIN_NS if start is None else _to_ns(start)
    high = _MAX_NS if end is None else _to_ns(end)
    if low > high:
        raise ValueError(f"datetime {value!r}: the start is after the end")
    return low, high


def _to_ns(value: dt.datetime | str) -> int:
    try:
        stamp = pd.Timestamp(value)
    except ValueError as err:
        raise ValueError(
            f"cannot parse datetime {value!r}: use RFC 3339, e.g. 2020-05-01T00:00:00Z"
        ) from err
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.value)


def _ns_column(table: pa.Table, name: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Return a time column as (int64 ns with nulls as 0, null mask), or None when absent."""
    if name not in table.column_names:
        return None
    column = table.column(name)
    if not pa.types.is_timestamp(column.type):
        column = pc.cast(column, pa.timestamp("ms", "UTC"))
    values = column.cast(pa.timestamp("ns", "UTC")).cast(pa.int64())
    nulls = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(values.fill_null(0).to_numpy(), dtype=np.int64), nulls


@dataclass
class MirrorIndex:
    """What a query needs from one mirror, precomputed (see the module docstring)."""

    path: Path
    table: pa.Table
    bounds: np.ndarray  # (n, 4) float64: xmin, ymin, xmax, ymax
    start: np.ndarray  # int64 ns, inclusive
    end: np.ndarray  # int64 ns, inclusive; rows without any time: start > end, never match
    text: pa.Array  # large_string, lower-cased

    @classmethod
    def load(cls, path: Path) -> MirrorIndex:
        """Read a mirror and precompute its index."""
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowInvalid) as err:
            raise CatalogError(
                f"{path}: cannot read the GeoParquet mirror ({err}); rebuild it"
            ) from err
        return cls.from_table(path, table)

    @classmethod
    def from_table(cls, path: Path, table: pa.Table) -> MirrorIndex:
        """Precompute the index of rows read from ``path`` (a whole file or some row groups)."""
        table = table.combine_chunks()
        decoded = [
            c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for c in table.columns
        ]
        fields = [  # keep field metadata: it marks geometry as geoarrow.wkb for geopandas
            f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in table.schema
        ]
        table = pa.Table.from_arrays(decoded, schema=pa.schema(fields, table.schema.metadata))
        return cls(path, table, _bounds(table, path), *_interval(table), _text(table))

    def geometries(self, rows: np.ndarray) -> Any:
        """The shapely geometries of the given rows (decoded from WKB on demand)."""
        import shapely

        wkb = self.table.column("geometry").take(pa.array(rows, pa.int64()))
        return shapely.from_wkb(wkb.to_numpy(zero_copy_only=False))


def _bounds(table: pa.Table, path: Path) -> np.ndarray:
    if "bbox" in table.column_names and pa.types.is_struct(table.column("bbox").type):
        bbox = table.column("bbox").combine_chunks()
        names = [bbox.type.field(i).name for i in range(bbox.type.num_fields)]
        keys = ("xmin", "ymin", "xmax", "ymax")
        if all(k in names for k in keys):
            return np.column_stack(
                [bbox.field(k).to_numpy(zero_copy_only=False).astype(np.float64) for k in keys]
            )
    if "geometry" in table.column_names:
        import shapely

        geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
        return np.asarray(shapely.bounds(geoms), dtype=np.float64)
    raise CatalogError(f"{path}: the mirror has neither a bbox nor a geometry column; rebuild it")


def _interval(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    n = table.num_rows
    start = np.full(n, _MAX_NS, dtype=np.int64)
    end = np.full(n, _MIN_NS, dtype=np.int64)
    for name_start, name_end in (("start_datetime", "end_datetime"), ("datetime", "datetime")):
        got_start, got_end = _ns_column(table, name_start), _ns_column(table, name_end)
        if got_start is None or got_end is None:
            continue
        (s_values, s_null), (e_values, e_null) = got_start, got_end
        ok = ~s_null & ~e_null
        start[ok], end[ok] = s_values[ok], e_values[ok]
    return start, end


_NEWLINE = pa.scalar("\n", pa.large_string())


def _text(table: pa.Table) -> pa.Array:
    n = table.num_rows
    parts: list[pa.Array] = []
    for name in ("title", "description"):
        if name in table.column_names:
            parts.append(pc.fill_null(table.column(name).cast(pa.large_string()), ""))
    if "gaia:captions" in table.column_names:
        captions = table.column("gaia:captions").cast(pa.large_list(pa.large_string()))
        parts.append(pc.fill_null(pc.binary_join(captions, _NEWLINE), ""))
    if not parts:
        return pa.array([""] * n, pa.large_string())
    joined = pc.binary_join_element_wise(*parts, _NEWLINE) if len(parts) > 1 else parts[0]
    lowered = pc.utf8_lower(joined)
    if isinstance(lowered, pa.ChunkedArray):
        lowered = lowered.combine_chunks()
    return lowered


_CACHE: dict[Path, tuple[tuple[int, int], MirrorIndex]] = {}
_CACHE_LOCK = threading.Lock()


def load_index(path: str | os.PathLike[str]) -> MirrorIndex:
    """Return the (cached) index of one mirror, rebuilt when the file changed."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        hit = _CACHE.get(resolved)
        if hit is not None and hit[0] == key:
            return hit[1]
    index = MirrorIndex.load(resolved)
    with _CACHE_LOCK:
        _CACHE[resolved] = (key, index)
    return index


def normalize_bbox(bbox: Sequence[float]) -> list[tuple[float, float, float, float]]:
    """Check a STAC bbox (4 or 6 finite numbers, south <= north) and split it at the antimeridian.

    Raises:
        ValueError: the bbox is malformed; the message says how.
    """
    values = [float(v) for v in bbox]
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4:
        raise ValueError(f"bbox must have 4 or 6 numbers, got {len(values)}")
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"bbox {values}: every number must be finite")
    west, south, east, north = values
    if south > north:
        raise ValueError(f"bbox {values}: south ({south}) is above north ({north})")
    if west > east:  # crosses the antimeridian
        return [(west, south, 180.0, north), (-180.0, south, east, north)]
    return [(west, south, east, north)]


def match_rows(
    index: MirrorIndex,
    bbox: Sequence[float] | None = None,
    datetime: DatetimeLike | None = None,
    filter: str | Mapping[str, Any] | None = None,  # noqa: A002 (STAC name)
    text: str | None = None,
) -> np.ndarray:
    """Return the row numbers of ``index`` that match every given constraint (in file order)."""
    n = index.table.num_rows
    mask = np.ones(n, dtype=bool)
    boxes: list[tuple[float, float, float, float]] = []
    if bbox is not None:
        boxes = normalize_bbox(bbox)
        hit = np.zeros(n, dtype=bool)
        b = index.bounds
        crossing = b[:, 0] > b[:, 2]  # item bbox over the antimeridian: [xmin, 180] + [-180, xmax]
        for west, south, east, north in boxes:
            x_plain = (b[:, 0] <= east) & (b[:, 2] >= west)
            x_crossing = (b[:, 0] <= east) | (b[:, 2] >= west)
            x_hit = np.where(crossing, x_crossing, x_plain)
            hit |= x_hit & (b[:, 1] <= north) & (b[:, 3] >= south)
        mask &= hit
    interval = parse_datetime(datetime)
    if interval is not None:
        mask &= (index.start <= interval[1]) & (index.end >= interval[0])
    rows = np.flatnonzero(mask)
    if boxes and rows.size:  # exact footprint test, as the API's ST_Intersects
        import shapely

        geoms = index.geometries(rows)
        shape = shapely.union_all([shapely.box(*box) for box in boxes])
        rows = rows[shapely.intersects(geoms, shape)]
    if text is not None and rows.size:
        needle = text.lower()
        column = index.text if rows.size == n else index.text.take(pa.array(rows))
        found = pc.match_substring(column, needle).to_numpy(zero_copy_only=False)
        rows = rows[np.asarray(found, dtype=bool)]
    if filter is not None and rows.size:
        sub = index.table if rows.size == n else index.table.take(pa.array(rows))
        sub = sub.append_column(
            CAPTION_TEXT, index.text if rows.size == n else index.text.take(pa.array(rows))
        )
        selected = rows
        rows = rows[evaluate_filter(sub, filter, geometry=lambda: index.geometries(selected))]
    return rows


def partition_indexes(
    folder: Path, bbox: Sequence[float] | None, datetime: DatetimeLike | None
) -> Iterator[MirrorIndex]:
    """Indexes of only the partitions and row groups of ``folder`` that may match (lazily).

    Partitions and row groups are skipped from their folder names and statistics
    (:func:`gaia_geo.stac._partitioned.prune_partitions`); nothing is cached, so memory stays
    that of the row groups read, whatever the size of the catalog.
    """
    boxes = normalize_bbox(bbox) if bbox is not None else []
    interval = parse_datetime(datetime)
    for file, groups in prune_partitions(partition_files(folder), boxes, interval):
        try:
            table = pq.ParquetFile(file).read_row_groups(groups)
        except (OSError, pa.ArrowInvalid) as err:
            raise CatalogError(f"{file}: cannot read this partition ({err}); rewrite it") from err
        yield MirrorIndex.from_table(file, table)


def to_frame(table: pa.Table) -> Any:
    """Turn stac-geoparquet rows into a GeoDataFrame shaped like ``read_catalog``'s.

    The conversion is ``read_catalog``'s own (:func:`gaia_geo.stac.table_to_frame`), so cells
    have the same types; ``datetime``, ``start_datetime`` and ``end_datetime`` are always present.
    """
    from ..stac import table_to_frame

    return table_to_frame(table)


def search(
    catalog: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    bbox: Sequence[float] | None = None,
    datetime: DatetimeLike | None = None,
    filter: str | Mapping[str, Any] | None = None,  # noqa: A002 (STAC name)
    text: str | None = None,
    limit: int | None = None,
) -> Any:
    """Search a catalog's items in process, with the semantics of its STAC API (``gaia-geo api``).

    Args:
        catalog: a catalog folder or ``catalog.json``, a ``.parquet`` mirror, or several of these.
            A catalog written with ``layout="geoparquet"`` is read partition by partition:
            only the partitions and row groups whose names and statistics may match the bbox
            and datetime are read, never the whole set.
        bbox: ``[west, south, east, north]`` (or 6 numbers, 3D); items whose footprint intersects
            it match. ``west > east`` crosses the antimeridian.
        datetime: an instant or an interval (``"2020-01-01T00:00:00Z/.."``); an item matches when
            its ``datetime``, or its ``start_datetime``/``end_datetime`` range when ``datetime`` is
            null, overlaps it (bounds inclusive).
        filter: CQL2 text (``"gsd < 30 AND platform = 'landsat-8'"``) or CQL2-JSON over the item
            properties; ``"gaia:caption_text" LIKE '%glacier%'`` reaches the caption text.
        text: a case-insensitive substring of the title, description or any caption.
        limit: return at most this many items (in catalog order).

    Returns:
        A GeoDataFrame (EPSG:4326), one row per matching item, with the columns of
        ``gaia_geo.read_catalog``; ``gaia_geo.to_items`` turns it into pystac Items.

    Example:
        >>> import gaia_geo
        >>> hits = gaia_geo.search(
        ...     "catalogs/demo", bbox=[-30, 55, 30, 80], datetime="2015-01-01T00:00:00Z/..",
        ...     text="glacier")  # doctest: +SKIP
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    if text is not None and not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    sources = [catalog] if isinstance(catalog, str | os.PathLike) else list(catalog)
    mirrors = [m for source in sources for m in find_mirrors(source)]
    pieces: list[pa.Table] = []
    remaining = limit
    for mirror in mirrors:
        indexes = partition_indexes(mirror, bbox, datetime) if mirror.is_dir() else None
        for index in indexes or (load_index(mirror),):
            if remaining is not None and remaining <= 0:
                break
            rows = match_rows(index, bbox=bbox, datetime=datetime, filter=filter, text=text)
            if remaining is not None:
                rows = rows[:remaining]
                remaining -= rows.size
            piece = index.table.take(pa.array(rows, pa.int64()))
            pieces.append(absolutize_assets(piece, index.path.parent))
    if not pieces:
        first = mirrors[0]
        if first.is_dir():
            files = partition_files(first)
            if not files:
                raise CatalogError(f"{first}: the partitioned Items folder holds no .parquet file")
            return to_frame(pq.read_schema(files[0]).empty_table())
        return to_frame(load_index(first).table.slice(0, 0))
    table = pa.concat_tables(pieces, promote_options="permissive")
    return to_frame(table)
