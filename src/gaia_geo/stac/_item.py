"""Build one STAC Item for one image with its captions (the data model of docs/data-model.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import pystac
from shapely.geometry.base import BaseGeometry

from .._hashing import file_sha256 as sha256_file
from ..errors import ItemError, UnknownSensorError
from ..sensors import Sensor, get_sensor, lookup_sensor
from ._extension import (
    SCHEMA_URI as CAPTIONS_SCHEMA_URI,
)
from ._extension import (
    CaptionExtension,
    CaptionProvenance,
    GeometryKind,
    format_datetime,
)
from ._geometry import normalize_geometry

Split = Literal["train", "validate", "test"]
SPLITS: tuple[Split, ...] = ("train", "validate", "test")

FILE_SCHEMA_URI = "https://stac-extensions.github.io/file/v2.1.0/schema.json"
ML_AOI_SCHEMA_URI = "https://stac-extensions.github.io/ml-aoi/v0.2.0/schema.json"
PROJ_SCHEMA_URI = "https://stac-extensions.github.io/projection/v2.0.0/schema.json"
EO_SCHEMA_URI = "https://stac-extensions.github.io/eo/v2.0.0/schema.json"

COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff; application=geotiff",
    ".tiff": "image/tiff; application=geotiff",
    ".webp": "image/webp",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff; application=geotiff"),
    (b"MM\x00*", "image/tiff; application=geotiff"),
    (b"II+\x00", "image/tiff; application=geotiff"),
    (b"RIFF", "image/webp"),
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def make_item_id(source: str, prefix: str = "") -> str:
    """A stable item id from a canonical source URL or id: ``prefix`` + 16 hex of its sha256."""
    return f"{prefix}{hashlib.sha256(source.encode('utf-8')).hexdigest()[:16]}"


def multihash_sha256(hexdigest: str) -> str:
    """The ``file:checksum`` multihash (sha2-256, code 0x12, 32 bytes) of a sha256 hex digest."""
    return "1220" + hexdigest


def is_remote(href: str) -> bool:
    """Whether an href is a URL (http, https, s3, gs...) rather than a local path."""
    scheme = urlparse(href).scheme
    return len(scheme) > 1 and scheme != "file"


def local_asset(
    item_id: str | None, field: str, href: str | Path, media_type: str | None = None
) -> dict[str, Any]:
    """Describe a local image file as an asset dict, with ``file:checksum`` and ``file:size``.

    Raises:
        ItemError: if the file is missing or is not an image.
    """
    path = Path(href).resolve()
    if not path.is_file():
        raise ItemError(item_id, field, f"file {str(path)!r} does not exist")
    with open(path, "rb") as handle:
        head = handle.read(16)
    sniffed = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if sniffed is None:
        raise ItemError(
            item_id,
            field,
            f"{str(path)!r} is not an image (PNG, JPEG, WebP or GeoTIFF expected)",
        )
    asset: dict[str, Any] = {
        "href": str(path),
        "type": media_type or sniffed,
        "file:checksum": multihash_sha256(sha256_file(path)),
        "file:size": path.stat().st_size,
    }
    return asset


def remote_asset(href: str, media_type: str | None = None) -> dict[str, Any]:
    """Describe a remote image (not yet downloaded) as an asset dict."""
    suffix = Path(urlparse(href).path).suffix.lower()
    guessed = _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(href)[0]
    asset: dict[str, Any] = {"href": href}
    if media_type or guessed:
        asset["type"] = media_type or guessed
    return asset


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


def _resolve_sensor(item_id: str, sensor: str | Sensor) -> Sensor:
    if isinstance(sensor, Sensor):
        return sensor
    try:
        return get_sensor(sensor)
    except UnknownSensorError:
        found = lookup_sensor(sensor)
        if found is None:
            raise UnknownSensorError(
                f"item {item_id!r}, field 'sensor': {sensor!r} is not in the sensor registry; "
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
    if not isinstance(id, str) or not _ID.match(id):
        raise ItemError(
            str(id),
            "id",
            "ids must be 1-200 characters of letters, digits, '.', '_' or '-' and start with a "
            "letter or digit; use gaia_geo.stac.make_item_id(url) for a stable one",
        )
    geojson: dict[str, Any] | None
    bbox: list[float] | None
    if geometry is None and geometry_kind == "unknown":
        geojson, bbox = None, None  # valid STAC: a benchmark image whose place is not published
    else:
        geojson, bbox = normalize_geometry(id, geometry)
    if geometry_kind == "footprint" and geojson is not None and geojson["type"] == "Point":
        geometry_kind = "point"

    props: dict[str, Any] = {}
    if datetime is not None:
        when = _utc(id, "datetime", datetime)
        if start_datetime is not None or end_datetime is not None:
            start = _utc(id, "start_datetime", start_datetime or when)
            end = _utc(id, "end_datetime", end_datetime or when)
            props["start_datetime"] = format_datetime(start)
            props["end_datetime"] = format_datetime(end)
    elif start_datetime is not None and end_datetime is not None:
        when = None
        start = _utc(id, "start_datetime", start_datetime)
        end = _utc(id, "end_datetime", end_datetime)
        if start > end:
            raise ItemError(id, "start_datetime", "start_datetime is after end_datetime")
        props["start_datetime"] = format_datetime(start)
        props["end_datetime"] = format_datetime(end)
    else:
        raise ItemError(
            id,
            "datetime",
            "no date: pass datetime, or start_datetime and end_datetime when only a day, "
            "month or year is known (gaia_geo.stac.temporal_range(year, month) makes one)",
        )

    found: Sensor | None = None
    if sensor is not None:
        found = _resolve_sensor(id, sensor)
        props.update(found.stac_properties())
        first = when or _utc(id, "start_datetime", start_datetime)  # type: ignore[arg-type]
        last = when or _utc(id, "end_datetime", end_datetime)  # type: ignore[arg-type]
        if last.year < found.start_year or (
            found.end_year is not None and first.year > found.end_year
        ):
            raise ItemError(
                id,
                "datetime",
                f"{found.name} operated {found.start_year}-{found.end_year or 'today'}, which "
                f"does not cover {first.date()}..{last.date()}; check the date or the sensor",
            )
    if gsd is not None:
        if not gsd > 0:
            raise ItemError(id, "gsd", f"gsd must be a positive number of metres, got {gsd!r}")
        props["gsd"] = float(gsd)
    if title or location:
        props["title"] = title or location
    caps = list(captions) if captions else None
    if description or caps:
        props["description"] = description or (caps[0] if caps else None)
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
    ext = CaptionExtension.ext(item, add_if_missing=True)
    if caps is not None:
        if provenance is None:
            raise ItemError(id, "gaia:caption_provenance", "captions need a CaptionProvenance")
        ext.captions = caps
        ext.provenance = provenance
    ext.geometry_kind = geometry_kind
    ext.location = location
    ext.tags = list(tags) if tags else None
    if resolution_class is None and "gsd" in props:
        from ..sensors import resolution_class as _class

        resolution_class = found.resolution_class if found and gsd is None else _class(props["gsd"])
    ext.resolution_class = resolution_class
    ext.modalities = list(modalities) if modalities else (list(found.modalities) if found else None)
    ext.credits = credits
    ext.source_url = source_url
    ext.image_alt = image_alt
    ext.source_text_sha256 = source_text_sha256
    ext.sensor_names = list(sensor_names) if sensor_names else None

    extensions = item.stac_extensions
    if split is not None:
        if split not in SPLITS:
            raise ItemError(id, "ml-aoi:split", f"split must be one of {SPLITS}, got {split!r}")
        item.properties["ml-aoi:split"] = split
        extensions.append(ML_AOI_SCHEMA_URI)
    if any(k.startswith("proj:") for k in item.properties):
        extensions.append(PROJ_SCHEMA_URI)
    if any(k.startswith("eo:") for k in item.properties):
        extensions.append(EO_SCHEMA_URI)

    if image is not None:
        href = str(image)
        if is_remote(href):
            asset = remote_asset(href, image_type)
        else:
            asset = local_asset(id, "assets.image", href, image_type)
        item.assets["image"] = _asset(asset, "Image", ["data"])
    if thumbnail is not None:
        asset = local_asset(id, "assets.thumbnail", thumbnail)
        item.assets["thumbnail"] = _asset(asset, "Thumbnail", ["thumbnail"])
    if text is not None:
        path = Path(text).resolve()
        if not path.is_file():
            raise ItemError(id, "assets.article", f"file {str(path)!r} does not exist")
        item.assets["article"] = pystac.Asset(
            href=str(path),
            media_type="text/plain",
            title="Source text",
            roles=["metadata"],
            extra_fields={
                "file:checksum": multihash_sha256(sha256_file(path)),
                "file:size": path.stat().st_size,
            },
        )
    if any("file:checksum" in a.extra_fields for a in item.assets.values()):
        extensions.append(FILE_SCHEMA_URI)
    if source_url:
        item.add_link(pystac.Link("via", source_url, media_type="text/html", title="Source page"))
    for link in links:
        item.add_link(link)
    item.stac_extensions = sorted(set(extensions), key=_extension_order)
    return item


def _asset(data: dict[str, Any], title: str, roles: list[str]) -> pystac.Asset:
    extra = {k: v for k, v in data.items() if k not in ("href", "type")}
    return pystac.Asset(
        href=data["href"], media_type=data.get("type"), title=title, roles=roles, extra_fields=extra
    )


def _extension_order(uri: str) -> tuple[int, str]:
    return (0 if uri == CAPTIONS_SCHEMA_URI else 1, uri)
