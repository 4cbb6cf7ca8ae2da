"""Metadata from article text: acquisition date, the sensors that took the image, the places.

Rules, not a model: fast (thousands of articles a second), deterministic and explainable (every
value keeps the span of text it came from). GAIA's own way, asking an LLM, is the alternative
once the describe stage's client is configured.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from ._date_formats import Precision
from ._dates import DateMention, acquisition_dates, find_dates
from ._extract_hybrid import METHODS, ExtractionMethod, apply_llm
from ._extract_llm import LLMExtractor
from ._extract_places import PlaceMention, find_places
from ._extract_regions import RegionMention, find_regions
from ._extract_sensors import SensorMention, find_sensors
from ._sensor_resolve import emitted_platform, resolve_sensors

#: A satellite launched days or weeks before the text was written: its first images.
_JUST_LAUNCHED = re.compile(
    r"\b(?:recently|newly|just) launched\b|\blaunched\b[^.]{0,80}\b(?:days|weeks?) ago\b|"
    r"\b(?:days|weeks?) ago\b[^.]{0,80}\blaunched\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ExtractedMetadata:
    """What :func:`extract_metadata` found.

    Attributes:
        datetime: the acquisition day (00:00 UTC) when one day is known, else None.
        start_datetime: start of the acquisition range (the day, month or year; or the earliest
            of several images).
        end_datetime: its end.
        precision: ``day``, ``month`` or ``year``; None when no acquisition date was found.
        platforms: STAC ``platform`` values of the sensors that took the image (the
            ``constellation`` when the text names only it, e.g. "Sentinel-2A/B"; nothing for an
            instrument family alone, e.g. "MODIS").
        instruments: STAC ``instruments`` of those sensors.
        sensors: the sensor mentions kept, with registry keys and spans.
        places: places found, in text order (the first is the likeliest subject).
        regions: where ``places`` is empty, the seas, oceans, continents or regions of several
            countries named (the first is the likeliest scene), each with its footprint.
        dates: every date found, with its role (acquisition / other / rejected) and span.
        notes: why things were dropped (a sensor not operating then, a date after publication).
    """

    datetime: dt.datetime | None = None
    start_datetime: dt.datetime | None = None
    end_datetime: dt.datetime | None = None
    precision: Precision | None = None
    platforms: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    sensors: tuple[SensorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    regions: tuple[RegionMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sensor_keys(self) -> tuple[str, ...]:
        """Registry keys of the sensors, without repeats."""
        return tuple(dict.fromkeys(m.key for m in self.sensors))


def extract_metadata(
    text: str,
    published: dt.date | None = None,
    *,
    method: ExtractionMethod = "rules",
    llm: LLMExtractor | None = None,
) -> ExtractedMetadata:
    """Extract acquisition date, sensors and places from an article's text.

    Three methods: ``"rules"`` (the default: offline, thousands of articles a second),
    ``"llm"`` (GAIA's way: a model answers, and only what the text supports is kept) and
    ``"hybrid"`` (the rules, and the model only for the fields they are unsure of: none found,
    a date not cued as the picture's or pictures on different days, places in several
    countries). See :class:`~gaia_geo.collect.LLMExtractor`.

    Args:
        text: the article text (title, caption and body together work best).
        published: the article's publication date: gives the year to dates written without
            one ("on the afternoon of August 3") and bounds the acquisition date.
        method: ``"rules"``, ``"llm"`` or ``"hybrid"`` (see above).
        llm: the model to ask (needed by ``"llm"`` and ``"hybrid"``).

    Returns:
        The metadata, each value with the span of text it came from.

    Raises:
        TypeError: if ``text`` is not a string.
        ValueError: for an unknown ``method``, or ``"llm"``/``"hybrid"`` without ``llm``.

    Example:
        >>> meta = extract_metadata(
        ...     "The Operational Land Imager (OLI) on Landsat 8 acquired this image of "
        ...     "Cairo, Egypt, on 15 December 2017."
        ... )
        >>> meta.datetime.date().isoformat(), meta.platforms, meta.places[0].country_code
        ('2017-12-15', ('landsat-8',), 'EG')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    _check_method(method, llm)
    meta = _extract_with_rules(text, published)
    if method == "rules" or llm is None:
        return meta
    published_day = published.date() if isinstance(published, dt.datetime) else published
    return apply_llm([meta], [text], [published_day], method, llm)[0]


def extract_metadata_many(
    texts: Sequence[str],
    published: Sequence[dt.date | None] | None = None,
    *,
    method: ExtractionMethod = "rules",
    llm: LLMExtractor | None = None,
    progress: bool | None = None,
) -> list[ExtractedMetadata]:
    """:func:`extract_metadata` for many articles, asking the model once for all of them.

    The rules run article by article; then, for ``"llm"`` and ``"hybrid"``, the model is asked
    about every article that needs it in one go: concurrently (up to ``llm.concurrency``
    requests in flight), or as one Batch API job when ``llm.batch`` is set. Answers are cached,
    so a rerun asks only about the articles whose answers are missing.

    Args:
        texts: the article texts.
        published: each article's publication date (or None), in the same order.
        method: ``"rules"``, ``"llm"`` or ``"hybrid"`` (see :func:`extract_metadata`).
        llm: the model to ask (needed by ``"llm"`` and ``"hybrid"``).
        progress: show a tqdm bar over the rules (default: when stderr is a terminal).

    Returns:
        One :class:`ExtractedMetadata` per text, in order.

    Raises:
        TypeError: if a text is not a string.
        ValueError: for an unknown ``method``, ``"llm"``/``"hybrid"`` without ``llm``, or
            ``published`` of another length than ``texts``.
    """
    from tqdm import tqdm

    days = list(published) if published is not None else [None] * len(texts)
    if len(days) != len(texts):
        raise ValueError(f"published has {len(days)} dates for {len(texts)} texts")
    _check_method(method, llm)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] must be a str, got {type(text).__name__}")
    days = [d.date() if isinstance(d, dt.datetime) else d for d in days]
    bar = tqdm(
        zip(texts, days, strict=True),
        total=len(texts),
        desc="extract metadata",
        unit="article",
        disable=not (progress or (progress is None and sys.stderr.isatty())),
    )
    metas = [_extract_with_rules(text, day) for text, day in bar]
    if method == "rules" or llm is None:
        return metas
    return apply_llm(metas, texts, days, method, llm)


def _check_method(method: str, llm: LLMExtractor | None) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method != "rules" and llm is None:
        raise ValueError(f"method={method!r} needs llm=LLMExtractor(model=..., base_url=...)")


def _extract_with_rules(text: str, published: dt.date | None) -> ExtractedMetadata:
    if isinstance(published, dt.datetime):
        published = published.date()
    notes: list[str] = []
    dates = find_dates(text, published)
    acquisition = acquisition_dates(dates, text)
    if not acquisition and published is None and "aunch" in text and _JUST_LAUNCHED.search(text):
        launch_years = {s.start_year for _, s in find_sensors(text) if s.platform}
        if len(launch_years) == 1:  # "the recently launched Sentinel-3A ... acquired on 9 May"
            dates = find_dates(text, published, year=launch_years.pop())
            acquisition = acquisition_dates(dates, text)
    notes.extend(f"date {d.text!r} rejected: {d.reason}" for d in dates if d.role == "rejected")
    when = start = end = None
    precision: Precision | None = None
    if acquisition:
        start = min(d.start for d in acquisition)
        end = max(d.end for d in acquisition)
        coarsest = max(acquisition, key=lambda d: ("day", "month", "year").index(d.precision))
        precision = coarsest.precision
        if len(acquisition) == 1 and precision == "day":
            when = start
    years = (start.year, end.year) if start and end else None
    sensors = resolve_sensors(
        text, find_sensors(text), years, notes, published.year if published else None
    )
    platforms = tuple(
        dict.fromkeys(p for _, s, _ in sensors if (p := emitted_platform(s)) is not None)
    )
    instruments = tuple(
        dict.fromkeys(i for _, s, counts in sensors if counts for i in s.instruments)
    )
    excluded = [m.span for m, _, _ in sensors] + [d.span for d in dates]
    places = find_places(text, excluded)
    regions = () if places else tuple(find_regions(text, excluded))
    return ExtractedMetadata(
        datetime=when,
        start_datetime=start,
        end_datetime=end,
        precision=precision,
        platforms=platforms,
        instruments=instruments,
        sensors=tuple(m for m, _, _ in sensors),
        places=tuple(places),
        regions=regions,
        dates=tuple(dates),
        notes=tuple(notes),
    )
