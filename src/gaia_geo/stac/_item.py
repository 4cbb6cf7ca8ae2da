"""Build one STAC Item for one image with its captions (the data model of docs/data-model.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pystac
from shapely.geometry.base import BaseGeometry

from ..errors import ItemError, UnknownSensorError
from ..sensors import Sensor, get_sensor, lookup_sensor
from ..sensors import resolution_class as gsd_resolution_class
from ._assets import FILE_SCHEMA_URI, add_assets
from ._assets import is_remote as is_remote  # stac._discover, stac._write import it from here
from ._extension import SCHEMA_URI as CAPTIONS_SCHEMA_URI
from ._extension import (
    CaptionExtension,
    CaptionProvenance,
    GeometryKind,
    format_datetime,
)
from ._geometry import normalize_geometry

Split = Literal["train", "validate", "test"]
SPLITS: tuple[Split, ...] = ("train", "validate", "test")

ML_AOI_SCHEMA_URI = "https://stac-extensions.github.io/ml-aoi/v0.2.0/schema.json"
PROJ_SCHEMA_URI = "https://stac-extensions.github.io/projection/v2.0.0/schema.json"
EO_SCHEMA_URI = "https://stac-extensions.github.io/eo/v2.0.0/schema.json"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def make_item_id(source: str, prefix: str = "") -> str:
    """A stable item id from a canonical source URL or id: ``prefix`` + 16 hex of its sha256."""
    return f"{prefix}{hashlib.sha256(source.encode('utf-8')).hexdigest()[:16]}"


def temporal_range(
    year: int, month: int | None = None, day: int | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC range covering a year, a month or a day (for items whose exact time is unknown)."""
    if month is None:
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    elif day is None:
        start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    else:
        start = dt.datetime(year, month, day, tzinfo=dt.UTC)
        end = start + dt.timedelta(days=1)
    return start, end - dt.timedelta(seconds=1)


def _utc(item_id: str, field: str, value: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        if isinstance(value, dt.date):
            value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        else:
            raise ItemError(item_id, field, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    if value > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        raise ItemError(item_id, field, f"{value.isoformat()} is in the future")
    return value


def _resolve_sensor(
    item_id: str, sensor: str | Sensor, span: tuple[dt.datetime, dt.datetime]
) -> Sensor:
    """The registry's sensor, checked to have operated in ``span`` (first, last)."""
    found = sensor if isinstance(sensor, Sensor) else _lookup_sensor(item_id, sensor)
    first, last = span
    if last.year < found.start_year or (found.end_year is not None and first.year > found.end_year):
        raise ItemError(
            item_id,
            "datetime",
            f"{found.name} operated {found.start_year}-{found.end_year or 'today'}, which "
            f"does not cover {first.date()}..{last.date()}; check the date or the sensor",
        )
    return found


def _lookup_sensor(item_id: str, name: str) -> Sensor:
    try:
        return get_sensor(name)
    except UnknownSensorError:
        found = lookup_sensor(name)
        if found is None:
            raise UnknownSensorError(
                f"item {item_id!r}, field 'sensor': {name!r} is not in the sensor registry; "
                "pass a registry key or alias (gaia_geo.sensors.all_sensors()), add a row to "
                "gaia_geo/sensors/sensors.csv, or leave sensor=None and keep the name in "
                "sensor_names"
            ) from None
        return found


def build_item(
    id: str,
    *,
    geometry: Mapping[str, Any] | BaseGeometry | None,
    geometry_kind: GeometryKind = "footprint",
    datetime: dt.datetime | dt.date | None = None,
    start_datetime: dt.datetime | dt.date | None = None,
    end_datetime: dt.datetime | dt.date | None = None,
    sensor: str | Sensor | None = None,
    gsd: float | None = None,
    title: str | None = None,
    description: str | None = None,
    captions: Sequence[str] | None = None,
    provenance: CaptionProvenance | None = None,
    image: str | Path | None = None,
    image_type: str | None = None,
    thumbnail: str | Path | None = None,
    text: str | Path | None = None,
    source_url: str | None = None,
    location: str | None = None,
    tags: Sequence[str] | None = None,
    resolution_class: str | None = None,
    modalities: Sequence[str] | None = None,
    credits: str | None = None,
    image_alt: str | None = None,
    source_text_sha256: str | None = None,
    sensor_names: Sequence[str] | None = None,
    split: Split | None = None,
    properties: Mapping[str, Any] | None = None,
    links: Sequence[pystac.Link] = (),
) -> pystac.Item:
    """Build the STAC Item of one image and its captions.

    Args:
        id: stable id (letters, digits, ``.``, ``_``, ``-``); see :func:`make_item_id`.
        geometry: footprint polygon, point or place extent in WGS84 (GeoJSON or shapely).
        geometry_kind: what ``geometry`` is: ``footprint``, ``point`` or ``place``; ``unknown``
            with ``geometry=None`` for an image whose location is not known (``geometry: null``).
        datetime: acquisition time; or give ``start_datetime`` and ``end_datetime``.
        start_datetime: start of the range when only a day, month or year is known.
        end_datetime: end of that range.
        sensor: a registry key or alias (``"landsat-8-oli"``, ``"MODIS on Aqua"``); sets platform,
            constellation, instruments, mission, gsd, resolution class and modalities.
        gsd: exact ground sample distance in metres (overrides the sensor's nominal one).
        title: a title (default: the location, else the id).
        description: a description (default: the first caption).
        captions: the captions (five for a complete item).
        provenance: where the captions came from (required with captions).
        image: the image: a local file (checksummed) or a URL (kept remote).
        image_type: the image's media type, when it cannot be guessed (e.g. a COG).
        thumbnail: a local PNG/JPEG thumbnail.
        text: a local UTF-8 text file with the source article text (asset ``article``, role
            ``metadata``), so later stages can caption from it again.
        source_url: the article or release page (also written as a ``via`` link).
        location: place name.
        tags: topic tags.
        resolution_class: GAIA's class; default from the sensor or ``gsd``.
        modalities: e.g. ``["optical"]``; default from the sensor.
        credits: image credits.
        image_alt: the image's alt text.
        source_text_sha256: sha256 of the source text.
        sensor_names: sensor names as the source wrote them.
        split: ``train``, ``validate`` or ``test``.
        properties: further properties (``proj:*``, ``eo:cloud_cover``...), written as given.
        links: further links (e.g. ``derived_from``).

    Returns:
        The Item, with absolute local asset hrefs (``write_catalog`` makes them relative).

    Raises:
        ItemError: naming the item and field, for bad ids, geometries, dates or assets.
        UnknownSensorError: for a sensor that is not in the registry.
    """
    _check_id(id)
    geojson, bbox, geometry_kind = _geometry(id, geometry, geometry_kind)
    when, span, props = _time_properties(id, datetime, start_datetime, end_datetime)
    found = _resolve_sensor(id, sensor, span) if sensor is not None else None
    if found is not None:
        props.update(found.stac_properties())
    if gsd is not None:
        props["gsd"] = _check_gsd(id, gsd)
    caps = list(captions) if captions else None
    if caps is not None and provenance is None:
        raise ItemError(id, "gaia:caption_provenance", "captions need a CaptionProvenance")
    props.update(_text_properties(title, description, location, caps))
    if properties:
        props.update(properties)

    item = pystac.Item(
        id=id,
        geometry=geojson,
        bbox=bbox,
        datetime=when,
        properties=props,
        start_datetime=None,
        end_datetime=None,
    )
    CaptionExtension.ext(item, add_if_missing=True).apply(
        captions=caps,
        provenance=provenance if caps is not None else None,
        geometry_kind=geometry_kind,
        location=location,
        tags=list(tags) if tags else None,
        resolution_class=_resolution_class(resolution_class, found, gsd, props.get("gsd")),
        modalities=list(modalities) if modalities else (list(found.modalities) if found else None),
        credits=credits,
        source_url=source_url,
        image_alt=image_alt,
        source_text_sha256=source_text_sha256,
        sensor_names=list(sensor_names) if sensor_names else None,
    )
    if split is not None:
        _set_split(item, split)
    add_assets(item, image=image, image_type=image_type, thumbnail=thumbnail, text=text)
    _add_links(item, source_url, links)
    item.stac_extensions = _stac_extensions(item)
    return item


def _check_id(id: str) -> None:
    if not isinstance(id, str) or not _ID.match(id):
        raise ItemError(
            str(id),
            "id",
            "ids must be 1-200 characters of letters, digits, '.', '_' or '-' and start with a "
            "letter or digit; use gaia_geo.stac.make_item_id(url) for a stable one",
        )


def _geometry(
    item_id: str, geometry: Mapping[str, Any] | BaseGeometry | None, kind: GeometryKind
) -> tuple[dict[str, Any] | None, list[float] | None, GeometryKind]:
    """The GeoJSON geometry, its bbox and its kind (a footprint that is a point is a ``point``)."""
    if geometry is None and kind == "unknown":
        return None, None, kind  # valid STAC: a benchmark image whose place is not published
    geojson, bbox = normalize_geometry(item_id, geometry)
    if kind == "footprint" and geojson["type"] == "Point":
        kind = "point"
    return geojson, bbox, kind


def _time_properties(
    item_id: str,
    datetime: dt.datetime | dt.date | None,
    start_datetime: dt.datetime | dt.date | None,
    end_datetime: dt.datetime | dt.date | None,
) -> tuple[dt.datetime | None, tuple[dt.datetime, dt.datetime], dict[str, Any]]:
    """The Item's ``datetime``, the span the image was taken in and the range properties."""
    props: dict[str, Any] = {}
    if datetime is not None:
        when = _utc(item_id, "datetime", datetime)
        if start_datetime is not None or end_datetime is not None:
            start = _utc(item_id, "start_datetime", start_datetime or when)
            end = _utc(item_id, "end_datetime", end_datetime or when)
            props["start_datetime"] = format_datetime(start)
            props["end_datetime"] = format_datetime(end)
        return when, (when, when), props
    if start_datetime is not None and end_datetime is not None:
        start = _utc(item_id, "start_datetime", start_datetime)
        end = _utc(item_id, "end_datetime", end_datetime)
        if start > end:
            raise ItemError(item_id, "start_datetime", "start_datetime is after end_datetime")
        props["start_datetime"] = format_datetime(start)
        props["end_datetime"] = format_datetime(end)
        return None, (start, end), props
    raise ItemError(
        item_id,
        "datetime",
        "no date: pass datetime, or start_datetime and end_datetime when only a day, "
        "month or year is known (gaia_geo.stac.temporal_range(year, month) makes one)",
    )


def _check_gsd(item_id: str, gsd: float) -> float:
    if not gsd > 0:
        raise ItemError(item_id, "gsd", f"gsd must be a positive number of metres, got {gsd!r}")
    return float(gsd)


def _text_properties(
    title: str | None, description: str | None, location: str | None, captions: list[str] | None
) -> dict[str, Any]:
    """``title`` (default: the location) and ``description`` (default: the first caption)."""
    props: dict[str, Any] = {}
    if title or location:
        props["title"] = title or location
    if description or captions:
        props["description"] = description or (captions[0] if captions else None)
    return props


def _resolution_class(
    given: str | None, found: Sensor | None, gsd: float | None, item_gsd: float | None
) -> str | None:
    """The given class, else the sensor's (unless ``gsd`` is exact), else ``item_gsd``'s class."""
    if given is not None or item_gsd is None:
        return given
    if found is not None and gsd is None:
        return found.resolution_class
    return gsd_resolution_class(item_gsd)


def _set_split(item: pystac.Item, split: Split) -> None:
    if split not in SPLITS:
        raise ItemError(item.id, "ml-aoi:split", f"split must be one of {SPLITS}, got {split!r}")
    item.properties["ml-aoi:split"] = split
    item.stac_extensions.append(ML_AOI_SCHEMA_URI)


def _add_links(item: pystac.Item, source_url: str | None, links: Sequence[pystac.Link]) -> None:
    if source_url:
        item.add_link(pystac.Link("via", source_url, media_type="text/html", title="Source page"))
    for link in links:
        item.add_link(link)


def _stac_extensions(item: pystac.Item) -> list[str]:
    """The schema URIs the Item's fields need, the captions schema first."""
    extensions = set(item.stac_extensions)
    if any(k.startswith("proj:") for k in item.properties):
        extensions.add(PROJ_SCHEMA_URI)
    if any(k.startswith("eo:") for k in item.properties):
        extensions.add(EO_SCHEMA_URI)
    if any("file:checksum" in a.extra_fields for a in item.assets.values()):
        extensions.add(FILE_SCHEMA_URI)
    return sorted(extensions, key=_extension_order)


def _extension_order(uri: str) -> tuple[int, str]:
    return (0 if uri == CAPTIONS_SCHEMA_URI else 1, uri)
