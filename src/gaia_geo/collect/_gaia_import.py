"""Import the published GAIA release (JSON split files) into a gaia_geo STAC catalog.

Each record (``id, image_src, image_alt, captions, credits, location, lat, lon, tag, resolution,
satellite, sensor, modalities``) becomes one Item: a Point flagged ``gaia:geometry_kind: point``
(GAIA's coordinates are LLM guesses), the resolution class kept, platform/instruments/gsd from the
sensor registry when the names match, captions with provenance ``gaia-release``, the split from the
file name, and the image left remote (``href = image_src``) until ``gaia-geo download`` fetches it.

The release has no acquisition date. Every Item gets the range of the GAIA collection,
1998-01-01 to 2024-12-31, narrowed to the operating years of the sensor when it is known.

Example:
    >>> from gaia_geo.collect import import_gaia
    >>> files = ["GAIA_train.json", "GAIA_test.json"]
    >>> report = import_gaia(files, "catalogs/gaia")  # doctest: +SKIP
    >>> report.items, report.unmatched_names  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pystac

from .._atomic import atomic_write_text
from .._paths import check_output_folder
from ..errors import CatalogError, ItemError
from ..sensors import Sensor, all_sensors, lookup_sensor

if TYPE_CHECKING:
    from ..stac._partitioned import PartitionBy

log = logging.getLogger(__name__)

#: The time span of the GAIA collection: the range given to Items of unknown date.
GAIA_START = dt.datetime(1998, 1, 1, tzinfo=dt.UTC)
GAIA_END = dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
#: The captions' provenance: GAIA made them with GPT-4o; the release appeared in February 2025.
GAIA_MODEL = "gpt-4o-2024-08-06"
GAIA_PROMPT_VERSION = "gaia-release"
GAIA_RELEASE_DATE = dt.datetime(2025, 2, 13, tzinfo=dt.UTC)
REPORT_NAME = "import-report.json"

_CLASSES = {
    "low": "Low",
    "moderate": "Moderate",
    "medium": "Moderate",
    "high": "High",
    "very high": "Very High",
    "veryhigh": "Very High",
    "vhr": "Very High",
}
_EMPTY = {"", "n/a", "na", "none", "unknown", "not specified", "null", "-"}
# Agency prefixes that articles put before a satellite name ("NASA Terra", "ESA's Sentinel-2").
_PREFIX = re.compile(r"^(?:nasa|esa|usgs|noaa|jaxa|copernicus|the|eu|european)(?:'s)?\s+", re.I)
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ImportReport:
    """What :func:`import_gaia` did; written as ``import-report.json`` beside the catalog.

    Attributes:
        out: the catalog folder.
        files: file name -> number of records read.
        splits: split (``train``/``validate``/``test``/``unsplit``) -> Items written.
        items: Items written.
        rejected: records not imported, each ``{"file", "index", "id", "field", "reason"}``.
        rejected_fields: field that made records fail (``captions``, ``lat/lon``...) -> count.
        duplicates: ids seen more than once (the first record is kept).
        unmatched_names: satellite/sensor names the registry does not know -> count; they stay
            verbatim in ``gaia:sensor_names``.
        without_sensor: Items for which no name matched the registry (no platform, no gsd).
        multi_sensor: Items whose names matched more than one registry sensor.
        bad_resolution: resolution values that are not a GAIA class -> count (dropped).
    """

    out: str
    files: dict[str, int] = field(default_factory=dict)
    splits: dict[str, int] = field(default_factory=dict)
    items: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_fields: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    unmatched_names: dict[str, int] = field(default_factory=dict)
    without_sensor: int = 0
    multi_sensor: int = 0
    bad_resolution: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report."""
        return asdict(self)


def split_from_filename(path: str | os.PathLike[str]) -> str | None:
    """The split a release file holds, from its name: train, validate (validation/val) or test.

    Returns:
        ``"train"``, ``"validate"``, ``"test"`` or ``None`` when the name says none of them.
    """
    stem = Path(path).stem.lower()
    words = set(re.split(r"[^a-z]+", stem))
    if words & {"train", "training"}:
        return "train"
    if words & {"val", "valid", "validate", "validation", "dev"}:
        return "validate"
    if words & {"test", "testing"}:
        return "test"
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = [value]
    elif isinstance(value, Iterable):
        parts = [str(v) for v in value if v is not None]
    else:
        parts = [str(value)]
    return [p.strip() for p in parts if p.strip() and p.strip().lower() not in _EMPTY]


def _captions(item_id: str, value: Any) -> list[str]:
    """The record's captions: a JSON list of strings, never a number, object or nested list."""
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        shown = json.dumps(value, ensure_ascii=False, default=str)
        raise ItemError(
            item_id,
            "captions",
            f"expected a list of strings, got {shown[:80]}; fix the record or leave it out",
        )
    return [c.strip() for c in value if c.strip() and c.strip().lower() not in _EMPTY]


@functools.lru_cache(maxsize=4096)
def _match_cached(name: str) -> tuple[Sensor, ...]:
    return tuple(match_sensor_name(name))


def match_sensor_name(name: str) -> list[Sensor]:
    """Registry sensors a messy release name stands for (empty when none).

    Tries the name as written, then without a parenthesis or agency prefix, the parenthesis
    alone, and finally each part of a ``/``, ``,``, ``&`` or ``and`` list ("Terra/Aqua").
    """
    found = lookup_sensor(name)
    if found is not None:
        return [found]
    bare = _PAREN.sub(" ", name).strip()
    inner = [m.group(1) for m in _PAREN.finditer(name)]
    for candidate in (bare, _PREFIX.sub("", bare), *inner):
        if candidate and (found := lookup_sensor(candidate)) is not None:
            return [found]
    parts = [p for p in re.split(r"\s*(?:/|,|&|\band\b|\+)\s*", _PREFIX.sub("", bare)) if p]
    matched: list[Sensor] = []
    if len(parts) > 1:
        for part in parts:
            sub = lookup_sensor(part) or lookup_sensor(_PREFIX.sub("", part))
            if sub is not None and sub not in matched:
                matched.append(sub)
    return matched


def resolve_sensors(
    satellites: Sequence[str], sensors: Sequence[str]
) -> tuple[Sensor | None, list[Sensor], list[str]]:
    """Pick the registry sensor of a record from its ``satellite`` and ``sensor`` names.

    Returns:
        (primary sensor or None, every matched sensor, the names that matched nothing). The primary
        is the registry entry on a named satellite carrying a named instrument ("Terra" + "ASTER"
        -> Terra ASTER), else the first satellite match, else the first instrument match.
    """
    unmatched: list[str] = []
    by_sat: list[Sensor] = []
    by_inst: list[Sensor] = []
    for names, bucket in ((satellites, by_sat), (sensors, by_inst)):
        for name in names:
            found = _match_cached(name)  # release files repeat a few hundred names
            if not found:
                unmatched.append(name)
            bucket.extend(s for s in found if s not in bucket)
    matched = by_sat + [s for s in by_inst if s not in by_sat]
    if not matched:
        return None, [], unmatched
    instruments = {i for s in by_inst for i in s.instruments}
    for sat in by_sat:
        if sat.platform is None or not instruments:
            continue
        for entry in all_sensors():
            if entry.platform == sat.platform and instruments & set(entry.instruments):
                if entry not in matched:
                    matched.insert(0, entry)
                return entry, matched, unmatched
    with_platform = [s for s in matched if s.platform]
    primary = (by_sat or with_platform or matched)[0]
    return primary, matched, unmatched


def _date_range(sensor: Sensor | None) -> tuple[dt.datetime, dt.datetime]:
    if sensor is None:
        return GAIA_START, GAIA_END
    start = max(GAIA_START, dt.datetime(sensor.start_year, 1, 1, tzinfo=dt.UTC))
    end = GAIA_END
    if sensor.end_year is not None:
        end = min(end, dt.datetime(sensor.end_year, 12, 31, 23, 59, 59, tzinfo=dt.UTC))
    if start > end:  # a sensor outside the GAIA span: trust the registry's years
        start = dt.datetime(sensor.start_year, 1, 1, tzinfo=dt.UTC)
        end = dt.datetime(sensor.end_year or GAIA_END.year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    return start, end


def _item_id(record: dict[str, Any]) -> str:
    from ..stac import make_item_id

    raw = record.get("id")
    text = _ID_BAD.sub("-", str(raw)).strip("-._") if raw is not None else ""
    return text[:200] if text else make_item_id(str(record.get("image_src", "")), "gaia-")


def _coordinate(record: dict[str, Any], key: str, limit: float) -> float:
    value = record.get(key)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{key} {value!r} is not a number") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(f"{key} {value!r} is outside [-{limit:g}, {limit:g}]")
    return number


def record_to_item(record: dict[str, Any], split: str | None, report: ImportReport) -> pystac.Item:
    """Turn one release record into an Item (counting unmatched names in ``report``).

    Raises:
        ItemError: naming the record and field, when the record cannot make a correct Item.
    """
    from ..stac import CaptionProvenance, build_item

    if not isinstance(record, dict):
        raise ItemError(None, "record", f"expected a JSON object, got {type(record).__name__}")
    item_id = _item_id(record)
    try:
        lat = _coordinate(record, "lat", 90.0)
        lon = _coordinate(record, "lon", 180.0)
    except ValueError as err:
        raise ItemError(item_id, "lat/lon", str(err)) from None
    captions = _captions(item_id, record.get("captions"))
    if not captions:
        raise ItemError(item_id, "captions", "the record has no captions")
    image_src = str(record.get("image_src") or "").strip()
    if not image_src.startswith(("http://", "https://")):
        raise ItemError(item_id, "image_src", f"{image_src!r} is not an http(s) URL")

    satellites, sensor_fields = _as_list(record.get("satellite")), _as_list(record.get("sensor"))
    primary, matched, unmatched = resolve_sensors(satellites, sensor_fields)
    for name in unmatched:
        report.unmatched_names[name] = report.unmatched_names.get(name, 0) + 1
    if primary is None:
        report.without_sensor += 1
    if len({s.key for s in matched}) > 1:
        report.multi_sensor += 1

    resolution = record.get("resolution")
    res_class = None
    if isinstance(resolution, str) and resolution.strip():
        res_class = _CLASSES.get(re.sub(r"[\s_-]+", " ", resolution.strip().lower()))
        if res_class is None:
            report.bad_resolution[resolution] = report.bad_resolution.get(resolution, 0) + 1

    extra: dict[str, Any] = {}
    if len(matched) > 1:  # every named instrument, not only the primary sensor's
        instruments = list(dict.fromkeys(i for s in matched for i in s.instruments))
        if primary is not None and instruments != list(primary.instruments):
            extra["instruments"] = instruments
    start, end = _date_range(primary)
    return build_item(
        item_id,
        geometry={"type": "Point", "coordinates": [lon, lat]},
        geometry_kind="point",
        start_datetime=start,
        end_datetime=end,
        sensor=primary,
        captions=captions,
        provenance=CaptionProvenance(
            generator="gaia-release",
            model=GAIA_MODEL,
            prompt_version=GAIA_PROMPT_VERSION,
            created=GAIA_RELEASE_DATE,
        ),
        image=image_src,
        location=str(record["location"]).strip() if record.get("location") else None,
        tags=_as_list(record.get("tag") or record.get("tags")) or None,
        resolution_class=res_class,
        modalities=[m.lower() for m in _as_list(record.get("modalities"))] or None,
        credits=str(record["credits"]).strip() if record.get("credits") else None,
        image_alt=str(record["image_alt"]).strip() if record.get("image_alt") else None,
        sensor_names=(satellites + sensor_fields) or None,
        split=split,  # type: ignore[arg-type]
        properties=extra or None,
    )


def _read_records(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"GAIA release file {str(path)!r} does not exist") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CatalogError(
            f"GAIA release file {str(path)!r} is not valid JSON ({err}); pass the split files "
            "of the release (a JSON list of records)"
        ) from None
    if isinstance(data, dict):  # some copies wrap the list: {"data": [...]} or {"images": [...]}
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise CatalogError(
            f"GAIA release file {str(path)!r} holds no list of records; expected a JSON list of "
            "objects with id, image_src, captions, lat, lon, ..."
        )
    return data


def import_gaia(
    files: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    split: str | None = None,
    title: str = "GAIA (imported release)",
    limit: int | None = None,
    layout: Literal["static", "geoparquet"] = "static",
    partition_by: PartitionBy = "year",
) -> ImportReport:
    """Import GAIA release split files into a STAC catalog at ``out``.

    Args:
        files: the release's JSON files (e.g. ``GAIA_train.json``); the split of each comes from
            its name (train / validation -> validate / test) unless ``split`` is given.
        out: the catalog folder to write (replaced if it exists).
        split: force this split (``train``, ``validate``, ``test``) for every file.
        title: the catalog's title.
        limit: import at most this many records per file (for a quick look).
        layout: ``write_catalog``'s layout: ``"static"`` (one JSON file per Item) or
            ``"geoparquet"`` (hive-partitioned stac-geoparquet and a small static root).
        partition_by: with ``layout="geoparquet"``, ``"year"`` or ``"h3"``.

    Returns:
        The :class:`ImportReport`, also written to ``out/import-report.json``.

    Raises:
        ValueError: for no files, a bad split or limit.
        CatalogError: for a file that is missing or not a JSON list.
    """
    from ..stac import write_catalog

    if not files:
        raise ValueError("pass at least one GAIA release file")
    if split is not None and split not in ("train", "validate", "test"):
        raise ValueError(f"split must be train, validate or test, got {split!r}")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    target = check_output_folder(out, inputs=files)  # absolute: `--out .` is replaced too
    report = ImportReport(out=str(out))
    items: list[pystac.Item] = []
    seen: set[str] = set()
    for name in files:
        path = Path(name)
        file_split = split or split_from_filename(path)
        records = _read_records(path)[:limit]
        report.files[path.name] = len(records)
        for index, record in enumerate(records):
            try:
                if not isinstance(record, dict):
                    raise ItemError(None, "record", f"not a JSON object: {str(record)[:60]!r}")
                item = record_to_item(record, file_split, report)
            except ItemError as err:
                report.rejected.append(
                    {
                        "file": path.name,
                        "index": index,
                        "id": err.item_id,
                        "field": err.field,
                        "reason": str(err),
                    }
                )
                report.rejected_fields[err.field] = report.rejected_fields.get(err.field, 0) + 1
                continue
            if item.id in seen:
                report.duplicates.append(item.id)
                report.rejected.append(
                    {
                        "file": path.name,
                        "index": index,
                        "id": item.id,
                        "field": "id",
                        "reason": f"duplicate id {item.id!r}; the first record is kept",
                    }
                )
                report.rejected_fields["id"] = report.rejected_fields.get("id", 0) + 1
                continue
            seen.add(item.id)
            items.append(item)
            key = file_split or "unsplit"
            report.splits[key] = report.splits.get(key, 0) + 1
    if not items:
        raise CatalogError(
            f"no record of {', '.join(Path(f).name for f in files)} made a valid Item; "
            f"first reasons: {[r['reason'] for r in report.rejected[:3]]}"
        )
    report.items = len(items)
    report.unmatched_names = dict(Counter(report.unmatched_names).most_common())
    write_catalog(items, target, title=title, layout=layout, partition_by=partition_by)
    atomic_write_text(target / REPORT_NAME, json.dumps(report.to_dict(), indent=2))
    log.info(
        "imported %d items (%s) into %s; %d rejected, %d unmatched sensor names",
        report.items,
        report.splits,
        out,
        len(report.rejected),
        len(report.unmatched_names),
    )
    return report
