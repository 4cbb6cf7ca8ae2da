"""Crawled image records to STAC Items: metadata from the text, captions, assets."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._atomic import atomic_write_text
from ..errors import GaiaError
from ._extract import ExtractedMetadata, extract_metadata_many
from ._extract_hybrid import ExtractionMethod
from ._extract_llm import LLMExtractor
from ._extract_regions import GLOBAL_KINDS, region_geometry
from ._records import ImageRecord

if TYPE_CHECKING:
    import pystac


@dataclass
class ConversionReport:
    """Which records became Items, and why the others did not.

    Attributes:
        items: Items built.
        skipped: ``(image_url, reason)`` for every record left out.
        warnings: ``(image_url, reason)`` for Items made with something missing (e.g.
            ``unknown-sensor``: the text names no sensor of the registry).
    """

    items: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def reasons(self, *, warnings: bool = False) -> dict[str, int]:
        """Skipped records (or, with ``warnings=True``, warnings) counted by reason."""
        counts: dict[str, int] = {}
        for _, reason in self.warnings if warnings else self.skipped:
            key = reason.split(":")[0]
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


def _thumbnail(image: Path, out: Path) -> Path:
    from PIL import Image

    if not out.exists():
        with Image.open(image) as source:
            small = source.convert("RGB")
        small.thumbnail((256, 256))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp.png")
        small.save(tmp, format="PNG")
        tmp.replace(out)
    return out


def _locate(meta: ExtractedMetadata, countries: dict[str, str]) -> tuple[dict[str, Any], str] | str:
    """The Item's geometry and location name, or why the record gets none.

    A country place gives its point; with none, a sea, ocean, continent or region of several
    countries gives its footprint box. The whole Earth or a hemisphere gives nothing: a
    global box would place the picture everywhere at once (every bbox search would return
    it, and a spatial split would file it under one arbitrary cell).
    """
    if meta.places:
        place = meta.places[0]
        location = (
            place.name
            if place.kind == "country"
            else f"{place.name}, {countries.get(place.country_code, place.country_code)}"
        )
        return {"type": "Point", "coordinates": [place.lon, place.lat]}, location
    if not meta.regions:
        return "place-not-found: no gazetteer place, sea or region in the text"
    region = meta.regions[0]
    if region.kind in GLOBAL_KINDS:
        return f"global-scene: {region.text!r}: the picture shows the whole Earth or half of it"
    return region_geometry(region.bbox), region.name


def records_to_items(
    records: Iterable[ImageRecord],
    crawl_dir: str | Path,
    *,
    created: dt.datetime | None = None,
    method: ExtractionMethod = "rules",
    llm: LLMExtractor | None = None,
) -> tuple[list[pystac.Item], ConversionReport]:
    """Build one Item per stored image: date, sensor and place from the text, offline captions.

    A record becomes an Item only when its image was stored and verified, the text gives an
    acquisition date and a place the gazetteer knows (its point is the geometry) or, failing
    that, a sea, ocean, continent or region of several countries (its footprint box), and the
    sensor (if any) operated then; every other record is listed in the report with its reason
    (a picture of the whole Earth too: ``global-scene``), never turned into a wrong Item.

    Args:
        records: crawl records (:func:`read_records`).
        crawl_dir: the crawl directory (images, and where thumbnails and texts are written).
        created: the time recorded in caption provenance (default: now).
        method: how the metadata is read from the text: ``"rules"``, ``"llm"`` or ``"hybrid"``
            (see :func:`extract_metadata`); the model is asked once for all the records.
        llm: the model for ``"llm"`` and ``"hybrid"``.

    Returns:
        The Items (unsplit; the balance stage makes splits) and the conversion report.
    """
    from .._hashing import text_sha256
    from ..describe.offline import OfflineCaptioner
    from ..sensors import get_sensor
    from ..stac import build_item, make_item_id
    from ._gazetteer import load_gazetteer

    crawl_dir = Path(crawl_dir)
    captioner = OfflineCaptioner()
    countries = load_gazetteer().country_names
    report = ConversionReport()
    items: list[pystac.Item] = []
    seen: set[str] = set()
    records = list(records)
    stored = [r for r in records if r.local_path is not None]
    found = extract_metadata_many(
        [_text_of(r) for r in stored], [_published(r) for r in stored], method=method, llm=llm
    )
    metas = {id(r): meta for r, meta in zip(stored, found, strict=True)}
    for record in records:
        if record.image_url in seen:
            report.skipped.append(
                (record.image_url, "duplicate-image: already used by another article")
            )
            continue
        if record.local_path is None:
            report.skipped.append((record.image_url, "image-not-stored: see the crawl report"))
            continue
        text = _text_of(record)
        meta = metas[id(record)]
        if meta.start_datetime is None or meta.end_datetime is None:
            rejected = [d for d in meta.dates if d.role == "rejected"]
            reason = (
                f"date-in-future: {rejected[0].text!r} is {rejected[0].reason}"
                if rejected
                else "no-acquisition-date: the text gives none"
            )
            report.skipped.append((record.image_url, reason))
            continue
        dropped = [n for n in meta.notes if n.startswith("sensor ")]
        if dropped and not meta.sensors:
            report.skipped.append((record.image_url, f"sensor-not-operating: {dropped[0]}"))
            continue
        located = _locate(meta, countries)
        if isinstance(located, str):
            report.skipped.append((record.image_url, located))
            continue
        geometry, location = located
        sensor = get_sensor(meta.sensor_keys[0]) if meta.sensor_keys else None
        item_id = make_item_id(record.image_url, prefix="web-")
        image = crawl_dir / record.local_path
        digest = record.sha256 or hashlib.sha256(image.read_bytes()).hexdigest()
        thumb = _thumbnail(image, crawl_dir / "thumbnails" / f"{digest}_thumb.png")
        text_file = crawl_dir / "texts" / f"{item_id}.txt"
        atomic_write_text(text_file, text)
        captions = captioner.caption(text, location=location, sensor=sensor, created=created)
        try:
            item = build_item(
                item_id,
                geometry=geometry,
                geometry_kind="place",
                datetime=meta.datetime,
                start_datetime=meta.start_datetime,
                end_datetime=meta.end_datetime,
                sensor=sensor,
                title=record.title or None,
                captions=captions.captions,
                provenance=captions.provenance,
                image=image,
                image_type=record.content_type,
                thumbnail=thumb,
                text=text_file,
                source_url=record.article_url,
                location=location,
                tags=captions.tags,
                credits=record.credits or None,
                image_alt=record.alt or None,
                source_text_sha256=text_sha256(text),
                sensor_names=[m.text for m in meta.sensors] or None,
            )
        except GaiaError as err:
            report.skipped.append((record.image_url, f"invalid-item: {err}"))
            continue
        seen.add(record.image_url)
        items.append(item)
        if sensor is None:
            report.warnings.append(
                (record.image_url, "unknown-sensor: no registry sensor named as taking the image")
            )
    report.items = len(items)
    return items, report


def _text_of(record: ImageRecord) -> str:
    return "\n".join(p for p in (record.title, record.caption, record.article_text) if p)


def _published(record: ImageRecord) -> dt.date | None:
    return dt.date.fromisoformat(record.published) if record.published else None
