"""Bring your own rasters: STAC Items from local GeoTIFF / COG / JP2 files and a captions file.

The raster's own metadata decides the geometry: the footprint is the raster's bounds reprojected to
WGS84 (``rasterio.warp.transform_geom``), with ``proj:*`` (projection extension v2.0.0), the
ground sample distance, ``raster:bands`` and ``file:*`` read from the file. Reading is done by
`rio-stac <https://github.com/stac-utils/rio-stac>`_, the stac-utils library for exactly this job;
gaia_geo adds the captions, the sensor and date, a thumbnail, and refuses what rio-stac would
silently guess (a whole-world footprint for a raster without a CRS, ``now()`` for a missing date).

Example:
    >>> from gaia_geo import import_rasters
    >>> import_rasters("chips/*.tif", "catalogs/mine", captions="captions.csv")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import json
import math
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pystac

from .._warnings import filtered_warnings
from ..errors import (
    RasterError as RasterError,
)

RASTER_SCHEMA_URI = "https://stac-extensions.github.io/raster/v1.1.0/schema.json"
RASTER_SUFFIXES = (".tif", ".tiff", ".jp2", ".vrt", ".img")
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_PATH_KEYS = ("path", "filename", "file", "image")
_CAPTION_KEYS = ("captions", "caption", "title", "text")


@dataclass
class RasterRecord:
    """What a captions file says about one raster (all optional)."""

    captions: list[str] = field(default_factory=list)
    datetime: str | None = None
    start_datetime: str | None = None
    end_datetime: str | None = None
    sensor: str | None = None
    location: str | None = None
    split: str | None = None


def find_rasters(sources: str | Path | Iterable[str | Path]) -> list[Path]:
    """The raster files named by a folder, a glob pattern, a file, or a list of them, sorted.

    Raises:
        RasterError: when a source matches no raster file.
    """
    items = [sources] if isinstance(sources, str | Path) else list(sources)
    found: list[Path] = []
    for source in items:
        path = Path(source)
        if path.is_dir():
            matches = sorted(p for p in path.rglob("*") if p.suffix.lower() in RASTER_SUFFIXES)
        elif path.is_file():
            matches = [path]
        else:
            matches = sorted(Path(p) for p in glob.glob(str(source), recursive=True))
            matches = [p for p in matches if p.is_file()]
        if not matches:
            raise RasterError(
                f"{str(source)!r} names no raster file: give a folder, a glob such as "
                f"'chips/*.tif', or files ending in {', '.join(RASTER_SUFFIXES)}"
            )
        found.extend(matches)
    return sorted({p.resolve() for p in found})


def read_captions_file(path: str | Path) -> dict[str, RasterRecord]:
    """Read a captions file: CSV (one row per caption, or per image) or JSON Lines.

    Each row or line names its raster in a ``path`` (or ``filename``, ``file``, ``image``) column,
    matched by the relative path or the file name, and may give ``captions`` (a list, JSON Lines
    only) or ``caption`` (one per row, rows of one image are gathered in order, as GeoRSCLIP's
    ``filename,title`` CSV), ``datetime`` (or ``start_datetime`` and ``end_datetime``),
    ``sensor``, ``location`` and ``split``.

    Raises:
        RasterError: naming the file and line of a malformed row.
    """
    path = Path(path)
    if not path.is_file():
        raise RasterError(f"captions file {str(path)!r} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows = list(_jsonl_rows(path))
    elif suffix in (".csv", ".tsv"):
        with open(path, newline="", encoding="utf-8-sig") as handle:
            dialect = "excel-tab" if suffix == ".tsv" else "excel"
            rows = [(n + 2, row) for n, row in enumerate(csv.DictReader(handle, dialect=dialect))]
    else:
        raise RasterError(f"captions file {str(path)!r}: use a .csv, .tsv or .jsonl file")
    records: dict[str, RasterRecord] = {}
    for line, row in rows:
        key = next((str(row[k]) for k in _PATH_KEYS if row.get(k)), None)
        if key is None:
            raise RasterError(
                f"{path}:{line}: no raster named; add a 'path' (or 'filename') column"
            )
        record = records.setdefault(key.replace("\\", "/"), RasterRecord())
        for name in _CAPTION_KEYS:
            value = row.get(name)
            if value is None or value == "":
                continue
            if isinstance(value, str):
                record.captions.append(value.strip())
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                record.captions.extend(v.strip() for v in value)
            else:
                raise RasterError(
                    f"{path}:{line}: field {name!r} must be a string or a list of strings, "
                    f"got {type(value).__name__}"
                )
            break
        for name in ("datetime", "start_datetime", "end_datetime", "sensor", "location", "split"):
            value = row.get(name)
            if value not in (None, ""):
                setattr(record, name, str(value))
    return records


def _jsonl_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as err:
                raise RasterError(f"{path}:{line}: not JSON ({err.msg})") from None
            if not isinstance(row, dict):
                raise RasterError(f"{path}:{line}: each line must be a JSON object")
            yield line, row


def _record_for(raster: Path, records: Mapping[str, RasterRecord]) -> RasterRecord | None:
    posix = raster.as_posix()
    for key, record in records.items():
        if posix == key or posix.endswith("/" + key.lstrip("./")):
            return record
    return records.get(raster.name)


def _parse_time(raster: Path, field_name: str, value: str | dt.datetime | None) -> Any:
    if value is None or isinstance(value, dt.datetime):
        return value
    text = value.strip()
    if re.fullmatch(r"\d{4}:\d\d:\d\d \d\d:\d\d:\d\d", text):  # the TIFF tag's own format
        text = text.replace(":", "-", 2)
    try:
        return pystac.utils.str_to_datetime(text)
    except ValueError:
        raise RasterError(
            f"{raster}: {field_name} {value!r} is not a date; use ISO 8601 (2021-06-30 or "
            "2021-06-30T10:20:00Z)"
        ) from None


def _footprint(raster: Path, src: Any) -> tuple[dict[str, Any], list[float]]:
    from rio_stac.stac import get_dataset_geom

    if src.crs is None:
        raise RasterError(
            f"{raster} has no coordinate reference system, so it has no footprint; "
            "georeference it first (e.g. gdal_translate -a_srs EPSG:XXXX -a_ullr ...)"
        )
    try:
        with filtered_warnings("ignore", RuntimeWarning):
            geom = get_dataset_geom(src, densify_pts=21 if not src.crs.is_geographic else 0)
        coords = [c for ring in geom["footprint"]["coordinates"] for c in ring]
    except Exception:  # GDAL's CPLE errors (not public in rasterio) for points off the Earth
        coords = []
    if not coords or not all(math.isfinite(v) for c in coords for v in c):
        raise RasterError(
            f"{raster}: its corners do not map to longitude/latitude (a geostationary full disk "
            "or a projection's edge), so no footprint can be drawn; clip it to the Earth first"
        )
    return dict(geom["footprint"]), [float(v) for v in geom["bbox"]]


def _projection(src: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "proj:shape": [int(src.height), int(src.width)],
        "proj:transform": [float(v) for v in list(src.transform)[:6]],
    }
    if src.crs is None:
        return props
    props["proj:bbox"] = [float(v) for v in src.bounds]
    epsg = src.crs.to_epsg() if src.crs.is_epsg_code else None
    if epsg:
        props["proj:code"] = f"EPSG:{epsg}"
    else:
        authority = src.crs.to_authority()
        if authority:
            props["proj:code"] = f"{authority[0]}:{authority[1]}"
        props["proj:wkt2"] = src.crs.to_wkt()
    return props


def _gsd(src: Any) -> float | None:
    if src.crs is None or not src.crs.is_projected:
        return None
    if src.crs.linear_units not in ("metre", "m", "meter"):
        return None
    return float(abs(src.transform.a))


def _thumbnail(src: Any, target: Path, px: int) -> Path:
    from .._atomic import atomic_write_bytes
    from ._src_raster import thumbnail_png

    scale = max(src.width, src.height) / px
    shape = (max(1, round(src.height / max(scale, 1))), max(1, round(src.width / max(scale, 1))))
    bands = list(range(1, min(src.count, 3) + 1)) if src.count >= 3 else [1]
    data = src.read(bands, out_shape=(len(bands), *shape), masked=False)
    atomic_write_bytes(target, thumbnail_png(data, px))
    return target


def _item_id(raster: Path, taken: dict[str, Path]) -> str:
    base = _ID_BAD.sub("-", raster.stem).strip("-._")[:180] or "raster"
    item_id = base
    if item_id in taken:
        from ..stac import make_item_id

        item_id = f"{base}-{make_item_id(str(raster))[:8]}"
    taken[item_id] = raster
    return item_id


def items_from_rasters(
    sources: str | Path | Iterable[str | Path],
    *,
    captions: str | Path | Mapping[str, RasterRecord] | None = None,
    datetime: str | dt.datetime | None = None,
    sensor: str | None = None,
    split: str | None = None,
    provenance_model: str = "human",
    thumbnails: str | Path | None = None,
    thumbnail_px: int = 256,
) -> list[pystac.Item]:
    """STAC Items for local raster files, with footprint, ``proj:*``, gsd, bands and ``file:*``.

    Args:
        sources: a folder (searched recursively), a glob pattern, a file, or a list of them.
        captions: a captions file (see :func:`read_captions_file`) or its parsed records.
        datetime: the acquisition time of rasters whose captions row gives none (else the
            GeoTIFF's ``TIFFTAG_DATETIME`` or ``ACQUISITIONDATETIME`` is used).
        sensor: a sensor registry key or alias for rasters whose row names none.
        split: ``train``, ``validate`` or ``test`` for rasters whose row gives none.
        provenance_model: who wrote the captions (recorded as their provenance).
        thumbnails: a folder for PNG thumbnails (none are made when ``None``).
        thumbnail_px: the thumbnails' longest side.

    Returns:
        One Item per raster, with absolute local hrefs (``write_catalog`` copies the files).

    Raises:
        RasterError: naming the raster, for a file that is not a raster, has no CRS (unless
            allowed), no date, or whose corners do not map to longitude/latitude.
        gaia_geo.errors.ItemError: naming the Item and field, for a bad date or sensor.
    """
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
    from rio_stac.stac import get_raster_info

    from ..stac import CaptionProvenance, build_item

    records = read_captions_file(captions) if isinstance(captions, str | Path) else captions
    # when the captions were written: the captions file's time keeps reruns byte-identical
    stamp = Path(captions).stat().st_mtime if isinstance(captions, str | Path) else 0.0
    written = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    rasters = find_rasters(sources)
    thumbs = Path(thumbnails) if thumbnails is not None else None
    if thumbs is not None:
        thumbs.mkdir(parents=True, exist_ok=True)
    taken: dict[str, Path] = {}
    items: list[pystac.Item] = []
    for raster in rasters:
        record = (_record_for(raster, records) if records else None) or RasterRecord()
        try:
            with filtered_warnings("ignore", NotGeoreferencedWarning), rasterio.open(raster) as src:
                geometry, _ = _footprint(raster, src)
                tag = src.get_tag_item("ACQUISITIONDATETIME", "IMAGERY") or src.get_tag_item(
                    "TIFFTAG_DATETIME"
                )
                props = _projection(src)
                gsd = _gsd(src)
                bands = get_raster_info(src, max_size=256)
                item_id = _item_id(raster, taken)
                thumb = _thumbnail(src, thumbs / f"{item_id}.png", thumbnail_px) if thumbs else None
                driver = src.driver
        except RasterioIOError as err:
            raise RasterError(f"{raster} is not a readable raster: {err}") from None
        when = _parse_time(raster, "datetime", record.datetime or datetime)
        start = _parse_time(raster, "start_datetime", record.start_datetime)
        end = _parse_time(raster, "end_datetime", record.end_datetime)
        if when is None and not (start and end):
            when = _parse_time(raster, "TIFFTAG_DATETIME", tag)
        if when is None and not (start and end):
            raise RasterError(
                f"{raster}: no acquisition date; add a 'datetime' column to the captions file "
                "or pass datetime= (--datetime 2021-06-30)"
            )
        caps = record.captions or None
        item = build_item(
            item_id,
            geometry=geometry,
            geometry_kind="footprint",
            datetime=when,
            start_datetime=start,
            end_datetime=end,
            sensor=record.sensor or sensor,
            gsd=gsd,
            title=record.location or raster.stem,
            captions=caps,
            provenance=CaptionProvenance(
                generator="human",
                model=provenance_model,
                prompt_version="none",
                created=written,
            )
            if caps
            else None,
            image=raster,
            image_type=_media_type(driver, raster),
            thumbnail=thumb,
            location=record.location,
            split=(record.split or split),  # type: ignore[arg-type]
            properties=props,
        )
        item.assets["image"].extra_fields["raster:bands"] = bands
        item.stac_extensions = sorted({*item.stac_extensions, RASTER_SCHEMA_URI})
        items.append(item)
    return items


def _media_type(driver: str, raster: Path) -> str:
    if driver == "JP2OpenJPEG" or raster.suffix.lower() == ".jp2":
        return "image/jp2"
    if driver == "GTiff":
        from ._src_raster import COG_MEDIA_TYPE, GEOTIFF_MEDIA_TYPE

        with open(raster, "rb") as handle:
            head = handle.read(1024)
        return COG_MEDIA_TYPE if b"LAYOUT=COG" in head else GEOTIFF_MEDIA_TYPE
    return "application/octet-stream"


def import_rasters(
    sources: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    captions: str | Path | None = None,
    datetime: str | dt.datetime | None = None,
    sensor: str | None = None,
    split: str | None = None,
    title: str = "Imported rasters",
    thumbnail_px: int = 256,
) -> list[pystac.Item]:
    """Make Items from local rasters (:func:`items_from_rasters`) and write them as a catalog.

    The raster files and their thumbnails are copied (hard-linked when possible) beside each Item.

    Returns:
        The Items written.
    """
    from .._paths import check_output_folder
    from ..stac import write_catalog

    named = [sources] if isinstance(sources, str | Path) else list(sources)
    check_output_folder(out, inputs=[*named, *([captions] if captions else [])])
    with tempfile.TemporaryDirectory(prefix="gaia-rasters-") as staging:
        items = items_from_rasters(
            sources,
            captions=captions,
            datetime=datetime,
            sensor=sensor,
            split=split,
            thumbnails=staging,
            thumbnail_px=thumbnail_px,
        )
        write_catalog(items, out, title=title)
    return items
