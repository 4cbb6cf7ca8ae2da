"""Metadata from article text: acquisition date, the sensors that took the image, the places.

Rules, not a model: fast (thousands of articles a second), deterministic and explainable (every
value keeps the span of text it came from). GAIA's own way, asking an LLM, is the alternative
once the describe stage's client is configured.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from ..sensors import Sensor, normalize_name
from ..sensors._registry import alias_table
from ._dates import DateMention, Precision, find_dates
from ._gazetteer import Place, load_gazetteer

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|\n+|;")
_POSITIVE = re.compile(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|observed|recorded|images?|"
    r"imagery|photos?|photographs?|data|views?|scenes?|mosaic|composite|shows?|showing|"
    r"pictured|measured|detected|mapped|left|right)\b",
    re.IGNORECASE,
)
_NEGATIVE_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(was launched|launched|will|is planned|is scheduled|successor|carries|"
    r"similar)\b",
    re.IGNORECASE,
)
#: Aliases that are ordinary words or short acronyms: matched only with their exact case.
_CASE_SENSITIVE_WORDS = {
    "terra",
    "aqua",
    "dove",
    "aster",
    "hyperion",
    "daichi",
    "himawari",
    "meteosat",
    "aura",
    "pace",
    "emit",
    "karin",
    "capella",
    "ceres",
    "proba",
}
_PLACE_CUE = re.compile(
    r"\b(in|near|of|over|around|across|outside|from|at|off|along|above|to|toward|towards|"
    r"north|south|east|west|northern|southern|eastern|western|central)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_CANDIDATE = re.compile(
    r"\b[A-Z][a-zA-Z\u00C0-\u017F'\-]+(?:\s+(?:(?:de|da|do|del|la|le|al|el|of)\s+)?"
    r"[A-Z][a-zA-Z\u00C0-\u017F'\-]+){0,3}"
)
_FUNCTION_WORDS = frozenset(
    "In On At From Near Over Around Across Along Outside Inside Off Above Below Beyond Toward "
    "Towards Into Of To By With For As And But Or This These That Those A An The Here There "
    "When While After Before During Since Until".split()
)
_NOT_PLACES = frozenset(
    "Earth NASA ESA USGS NOAA JAXA Copernicus Sentinel Landsat Terra Aqua Space Station "
    "International Observatory Image Images Photo January February March April May June July "
    "August September October November December Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday The This These Local Together Smoke Dust Snow Hurricane Typhoon Cyclone "
    "Storm Tropical".split()
)


@dataclass(frozen=True)
class SensorMention:
    """A sensor that took the image: registry key, the words as written, their span."""

    key: str
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class PlaceMention:
    """A place the text names, resolved in the offline gazetteer.

    Attributes:
        name: the gazetteer's name.
        lon: longitude.
        lat: latitude.
        country_code: ISO 3166-1 alpha-2.
        kind: ``city``, ``region`` or ``country``.
        text: the words as written (with their qualifier, e.g. ``"Cairo, Egypt"``).
        span: character offsets.
    """

    name: str
    lon: float
    lat: float
    country_code: str
    kind: str
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class ExtractedMetadata:
    """What :func:`extract_metadata` found.

    Attributes:
        datetime: the acquisition day (00:00 UTC) when one day is known, else None.
        start_datetime: start of the acquisition range (the day, month or year; or the earliest
            of several images).
        end_datetime: its end.
        precision: ``day``, ``month`` or ``year``; None when no acquisition date was found.
        platforms: STAC ``platform`` values (or ``constellation`` where the registry has no single
            platform) of the sensors that took the image.
        instruments: STAC ``instruments`` of those sensors.
        sensors: the sensor mentions kept, with registry keys and spans.
        places: places found, in text order (the first is the likeliest subject).
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
    dates: tuple[DateMention, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sensor_keys(self) -> tuple[str, ...]:
        """Registry keys of the sensors, without repeats."""
        return tuple(dict.fromkeys(m.key for m in self.sensors))


@functools.cache
def _alias_patterns() -> dict[str, list[tuple[re.Pattern[str], Sensor]]]:
    """Alias regexes grouped by their first normalised token, longest alias first."""
    groups: dict[str, list[tuple[int, re.Pattern[str], Sensor]]] = {}
    for alias, sensor in alias_table().items():
        tokens = alias.split()
        if not tokens:
            continue
        body = r"[\s\-_/.()'\u2019]*".join(re.escape(t) + r"(?:['\u2019]s)?" for t in tokens)
        exact = len(alias) <= 4 or alias in _CASE_SENSITIVE_WORDS
        originals = [
            a for a in (sensor.key, sensor.name, *sensor.aliases) if normalize_name(a) == alias
        ]
        if exact and originals:
            spelled = sorted(originals, key=len)[0]
            parts = [re.escape(t) for t in re.findall(r"[A-Za-z0-9+]+", spelled)]
            body = r"[\s\-_/.()]*".join(parts)
        flags = 0 if exact else re.IGNORECASE
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+])", flags)
        groups.setdefault(tokens[0], []).append((len(alias), pattern, sensor))
    return {k: [(p, s) for _, p, s in sorted(v, key=lambda x: -x[0])] for k, v in groups.items()}


def _trie_regex(words: list[str]) -> str:
    """One regex matching any of ``words``, factored by common prefixes (fast in ``re``)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


@functools.cache
def _first_tokens() -> re.Pattern[str]:
    """Where an alias may start: any alias's first token, as a word, in any case."""
    body = _trie_regex(sorted(_alias_patterns()))
    return re.compile(rf"(?<![A-Za-z0-9+])(?:{body})(?![A-Za-z0-9+])", re.IGNORECASE)


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def _find_sensors(text: str) -> list[tuple[SensorMention, Sensor]]:
    patterns = _alias_patterns()
    sentences: list[tuple[int, int]] | None = None
    mentions: list[tuple[SensorMention, Sensor]] = []
    next_free = 0
    for token in _first_tokens().finditer(text):
        if token.start() < next_free:
            continue
        candidates = patterns.get(token.group(0).lower())
        if not candidates:
            continue
        best: tuple[re.Match[str], Sensor] | None = None
        for pattern, sensor in candidates:
            match = pattern.match(text, token.start())
            if match and (best is None or match.end() > best[0].end()):
                best = (match, sensor)
        if best is None:
            continue
        match, sensor = best
        begin, finish = match.span()
        if (
            match.group(0).count("(") > match.group(0).count(")")
            and text[finish : finish + 1] == ")"
        ):
            finish += 1  # "Operational Land Imager (OLI" -> "... (OLI)"
        next_free = finish
        if sentences is None:
            sentences = _sentence_bounds(text)
        sentence = next((s for s in sentences if s[0] <= match.start() < s[1] + 1), (0, len(text)))
        context = text[sentence[0] : sentence[1]]
        if not _POSITIVE.search(context) or _NEGATIVE_AFTER.search(text, finish, sentence[1]):
            continue
        mentions.append((SensorMention(sensor.key, text[begin:finish], (begin, finish)), sensor))
    return mentions


def _resolve_sensors(
    found: list[tuple[SensorMention, Sensor]], years: tuple[int, int] | None, notes: list[str]
) -> list[tuple[SensorMention, Sensor]]:
    keys = {s.key for _, s in found}
    kept = []
    for mention, sensor in found:
        # a generic entry (MODIS, VIIRS) gives way to a specific one on a named platform
        if sensor.platform is None and any(
            s.key != sensor.key and s.instruments == sensor.instruments and s.platform
            for _, s in found
        ):
            continue
        if sensor.key == "iss-astronaut" and "iss-ecostress" in keys:
            continue
        if years is not None and not (
            sensor.start_year <= years[1]
            and (sensor.end_year is None or years[0] <= sensor.end_year)
        ):
            notes.append(
                f"sensor {sensor.key} ({mention.text!r}) dropped: it operated "
                f"{sensor.start_year}-{sensor.end_year or 'today'}, not {years[0]}-{years[1]}"
            )
            continue
        kept.append((mention, sensor))
    return kept


def _find_places(text: str, excluded: list[tuple[int, int]]) -> list[PlaceMention]:
    gazetteer = load_gazetteer()
    raw: list[tuple[int, int, str, tuple[Place, ...]]] = []
    for match in _PLACE_CANDIDATE.finditer(text):
        words = match.group(0).split()
        base = match.start()
        lead = 0
        while lead < len(words) and words[lead] in _FUNCTION_WORDS:
            lead += 1  # "In Cairo" -> "Cairo"
        i = lead
        while i < len(words):
            hit = None
            for j in range(len(words), i, -1):
                name = " ".join(words[i:j])
                if name in _NOT_PLACES:
                    continue
                places = gazetteer.lookup(name)
                if places:
                    start = (
                        base + match.group(0).index(words[i])
                        if i == 0
                        else text.index(words[i], base)
                    )
                    hit = (start, start + len(name), name, places, j)
                    break
            if hit is None:
                i += 1
                continue
            start, end, name, places, j = hit
            if not (i == lead and j == len(words)):
                # part of a longer name ("Hurricane Ida", "Goddard Space Flight Center"): a town
                # of that name is a coincidence; a country or region inside it still counts
                keep = ("country", "region") if i == lead else ("country",)
                places = tuple(p for p in places if p.kind in keep)
            if places and not any(s < end and start < e for s, e in excluded):
                raw.append((start, end, name, places))
            base, i = end, j
    mentioned_cc = {p[0].country_code for _, _, _, p in raw if p[0].kind == "country"}
    used_as_qualifier: set[int] = set()
    resolved: list[PlaceMention] = []
    for index, (start, end, _name, places) in enumerate(raw):
        if index in used_as_qualifier:
            continue
        qualifier = None
        if index + 1 < len(raw) and re.fullmatch(r",\s*", text[end : raw[index + 1][0]]):
            qualifier = raw[index + 1]
        best, best_score, span_end = None, -1.0, end
        for place in places:
            score = place.weight / 1e8 if place.kind != "city" else place.weight / 1e4
            if qualifier is not None and any(
                q.kind != "city"
                and (
                    q.country_code == place.country_code
                    and (q.kind == "country" or q.name == place.admin1)
                )
                for q in qualifier[3]
            ):
                score += 100.0
            if place.country_code in mentioned_cc:
                score += 10.0
            if score > best_score:
                best, best_score = place, score
        if best is None:
            continue
        if best.kind == "region":  # "Khartoum", "Lima", "Tokyo": the city, not its province
            region = best
            best = next(
                (
                    p
                    for p in places
                    if p.kind == "city"
                    and p.country_code == region.country_code
                    and p.admin1 == region.name
                ),
                region,
            )
        if qualifier is not None and best_score >= 100.0:
            used_as_qualifier.add(index + 1)
            span_end = qualifier[1]
        cue = _PLACE_CUE.search(text, max(0, start - 25), start)
        if best.kind == "city" and cue is None and span_end == end:
            continue  # a capitalised word that is also some town's name: not enough evidence
        resolved.append(
            PlaceMention(
                best.name,
                best.lon,
                best.lat,
                best.country_code,
                best.kind,
                text[start:span_end],
                (start, span_end),
            )
        )
    return resolved


def extract_metadata(text: str, published: dt.date | None = None) -> ExtractedMetadata:
    """Extract acquisition date, sensors and places from an article's text.

    Args:
        text: the article text (title, caption and body together work best).
        published: the article's publication date: gives the year to dates written without
            one ("on the afternoon of August 3") and bounds the acquisition date.

    Returns:
        The metadata, each value with the span of text it came from.

    Raises:
        TypeError: if ``text`` is not a string.

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
    if isinstance(published, dt.datetime):
        published = published.date()
    notes: list[str] = []
    dates = find_dates(text, published)
    acquisition = [d for d in dates if d.role == "acquisition"]
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
    sensors = _resolve_sensors(_find_sensors(text), years, notes)
    platforms = tuple(dict.fromkeys(s.platform or s.constellation or s.key for _, s in sensors))
    instruments = tuple(dict.fromkeys(i for _, s in sensors for i in s.instruments))
    excluded = [m.span for m, _ in sensors] + [d.span for d in dates]
    places = _find_places(text, excluded)
    return ExtractedMetadata(
        datetime=when,
        start_datetime=start,
        end_datetime=end,
        precision=precision,
        platforms=platforms,
        instruments=instruments,
        sensors=tuple(m for m, _ in sensors),
        places=tuple(places),
        dates=tuple(dates),
        notes=tuple(notes),
    )
