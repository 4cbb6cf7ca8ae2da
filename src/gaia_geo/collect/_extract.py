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

from ..sensors import Sensor, get_sensor, lookup_sensor, normalize_name
from ..sensors._registry import alias_table
from ._dates import DateMention, Precision, acquisition_dates, find_dates
from ._gazetteer import Place, load_gazetteer

_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<![ap]\.m\.)(?<!\bMt\.)(?<!\bSt\.)\s+(?=[A-Z\"'(])|\n+|;"
)
#: Words that make the ISS a camera platform rather than an instrument carrier.
_ASTRONAUT = re.compile(r"astronaut|crew|photograph|Expedition|camera|cosmonaut", re.IGNORECASE)
_POSITIVE = re.compile(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|observed|recorded|images?|"
    r"imagery|photos?|photographs?|data|views?|scenes?|mosaic|composite|shows?|showing|"
    r"pictured|measured|detected|mapped|left|right|seen|satellites?|sensor|pictures?|shots?|"
    r"camera|captures?|crew)\b",
    re.IGNORECASE,
)
_NEGATIVE_AFTER = re.compile(
    r"[^.;]{0,40}?\b(was launched|launched|will|is planned|is scheduled|successor|carries|"
    r"similar|has completed|commissioning)\b",
    re.IGNORECASE,
)
#: A sensor named in a comparison, or as what the picture shows, did not take it.
_NEGATIVE_BEFORE = re.compile(
    r"\b(?:(?:resolution|detailed|sharper|better|higher|finer|coarser) than|compared (?:to|with)|"
    r"unlike|predecessor|earlier generation|instead of|similar to|launch(?:es|ed)? of)"
    r"\b[^.;]{0,100}$"
    r"|\b(?:image|photo|photograph|picture|view|shows?|showing|overflew|spotted)\s+(?:of\s+)?"
    r"(?:the\s+)?(?:defunct\s+)?$",
    re.IGNORECASE,
)
#: "Landsats 7 and 8", "GOES-16 and -17": one family name, several numbers.
_SERIES = re.compile(
    r"\b(?P<family>Landsat|Sentinel|GOES|Meteosat|SPOT|WorldView|NOAA|Himawari)s?[- ]"
    r"(?P<first>\d{1,2}[A-C]?)(?P<rest>(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s*/\s*)-?\d{1,2}[A-C]?)+)\b"
)
#: Names of a role that several satellites held in turn (NOAA's operational GOES positions).
_ROLE_NAMES: dict[str, tuple[tuple[int, int, str], ...]] = {
    "goes east": ((2010, 2017, "goes-13-imager"), (2018, 9999, "goes-16-abi")),
    "goeseast": ((2010, 2017, "goes-13-imager"), (2018, 9999, "goes-16-abi")),
    "goes west": (
        (2011, 2018, "goes-15-imager"),
        (2019, 2022, "goes-17-abi"),
        (2023, 9999, "goes-18-abi"),
    ),
}
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
    "Storm Tropical West Western East Eastern North Northern South Southern Northeast Northwest "
    "Southeast Southwest Central Mid Atlantic Pacific Indian Arctic Baltic Bay America Gulf Sea "
    "Ocean River Lake Mount Island Islands Coast Valley Delta Desert Ice".split()
)
#: A sea or ocean named before any land: the picture shows water, no country.
_WATER = re.compile(
    r"\b(?:(?:[A-Z][a-z]+\s+){1,2}(?:Sea|Ocean)|(?:Gulf|Bay|Sea) of [A-Z][a-z]+|"
    r"(?:Western |Eastern )?Mediterranean|Atlantic|Pacific)\b"
)
#: "just west of Australia": a reference point, not the subject.
_REFERENCE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:east|west)?(?:ern)?|near|off|beyond)\s+(?:of\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SensorMention:
    """A sensor that took the image: registry key, the words as written, their span."""

    key: str
    text: str
    span: tuple[int, int]
    weak: bool = False  #: named where no word says it took an image (kept only as a hint)


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
        if _NEGATIVE_AFTER.match(text, finish, sentence[1]) or _NEGATIVE_BEFORE.search(
            text, max(sentence[0], begin - 200), begin
        ):
            continue
        weak = not _POSITIVE.search(context)
        mentions.append(
            (SensorMention(sensor.key, text[begin:finish], (begin, finish), weak=weak), sensor)
        )
    for series in _SERIES.finditer(text):
        family = series.group("family")
        numbers = [series.group("first"), *re.findall(r"\d{1,2}[A-C]?", series.group("rest"))]
        for number in numbers:
            found = lookup_sensor(f"{family}-{number}")
            if found is not None and all(m.key != found.key for m, _ in mentions):
                span = series.span()
                mentions.append((SensorMention(found.key, series.group(0), span), found))
    mentions.sort(key=lambda m: m[0].span)
    return mentions


@functools.cache
def _multi_instrument_platforms() -> frozenset[str]:
    """Platforms with several registry instruments (Terra, Aqua, Envisat, the ISS...)."""
    from ..sensors import all_sensors

    counts: dict[str, int] = {}
    for sensor in all_sensors():
        if sensor.platform:
            counts[sensor.platform] = counts.get(sensor.platform, 0) + 1
    return frozenset(p for p, n in counts.items() if n > 1)


def _platform_only(mention: SensorMention, sensor: Sensor) -> bool:
    """Whether the words name only a platform ("NASA's Terra"), not which instrument."""
    if sensor.platform not in _multi_instrument_platforms():
        return False
    words = set(normalize_name(mention.text).split())
    names = {normalize_name(i) for i in sensor.instruments} | {sensor.key.split("-")[-1]}
    return not words & names


def _emitted_platform(sensor: Sensor) -> str | None:
    """STAC platform, or the constellation when the text names the constellation itself."""
    if sensor.platform:
        return sensor.platform
    if sensor.constellation and sensor.key.startswith(sensor.constellation):
        return sensor.constellation  # "Sentinel-2A/B", "SkySat": not a guessed satellite
    return None  # "MODIS", "VIIRS": an instrument flown on several satellites


def _resolve_sensors(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    years: tuple[int, int] | None,
    notes: list[str],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Keep the sensors that took the image; the flag says whether its instruments count."""
    if years is not None:
        swapped = []
        for mention, sensor in found:
            for first, last, key in _ROLE_NAMES.get(normalize_name(mention.text), ()):
                if first <= years[0] <= last:
                    sensor = get_sensor(key)
            swapped.append((mention, sensor))
        found = swapped
    strong = [(m, s) for m, s in found if not m.weak]
    generic = {i for _, s in strong if s.platform is None for i in s.instruments}
    kept: list[tuple[SensorMention, Sensor, bool]] = []
    for mention, sensor in found:
        if mention.weak:
            # a platform named without image words still tells which one carried an instrument
            # named elsewhere ("Satellite: Aqua ... MODIS Image of the Day")
            if not (generic & set(sensor.instruments)) or sensor.platform is None:
                continue
        # a generic entry (MODIS, VIIRS) gives way to a specific one on a named platform
        if sensor.platform is None and any(
            s.key != sensor.key and set(s.instruments) & set(sensor.instruments) and s.platform
            for m, s in found
            if not m.weak or generic & set(s.instruments)
        ):
            continue
        if sensor.key == "iss-astronaut" and any(
            s.platform == "iss" and s.key != sensor.key for _, s in strong
        ):
            continue
        only = _platform_only(mention, sensor)
        if only and any(
            s.platform == sensor.platform and not _platform_only(m, s) for m, s in strong
        ):
            continue  # "ASTER ... on NASA's Terra satellite": ASTER says it all
        if years is not None and not (
            sensor.start_year <= years[1]
            and (sensor.end_year is None or years[0] <= sensor.end_year)
        ):
            notes.append(
                f"sensor {sensor.key} ({mention.text!r}) dropped: it operated "
                f"{sensor.start_year}-{sensor.end_year or 'today'}, not {years[0]}-{years[1]}"
            )
            continue
        counts = (
            not only
            or bool(generic & set(sensor.instruments))
            or (sensor.key == "iss-astronaut" and _ASTRONAUT.search(text) is not None)
        )
        kept.append((mention, sensor, counts))
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
    return _order_places(text, resolved)


def _order_places(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Put the likeliest subject first; none when the text is about a sea or an ocean."""
    if not places:
        return places
    references = [p for p in places if _REFERENCE.search(text, max(0, p.span[0] - 25), p.span[0])]
    ordered = [p for p in places if p not in references] + references
    first = ordered[0]
    if first.kind == "city" and len(ordered) > 1:
        # "the Kimberly coast in the state of Western Australia": a same-named town elsewhere
        # loses to the region or country the same sentence names
        end = _SENTENCE_END.search(text, first.span[1])
        limit = end.start() if end else len(text)
        if any(
            p.kind != "city" and p.country_code != first.country_code and p.span[0] < limit
            for p in ordered[1:]
        ) and not _PLACE_CUE.search(text, max(0, first.span[0] - 25), first.span[0]):
            ordered = ordered[1:] + [first]
    first = ordered[0]
    if first.kind == "feature":
        # "the Nile River near Khartoum, Sudan": a qualified place beats a long river or range
        end = _SENTENCE_END.search(text, first.span[1])
        limit = end.start() if end else len(text)
        qualified = [p for p in ordered[1:] if "," in p.text and p.span[0] < limit]
        if qualified:
            ordered = [qualified[0]] + [p for p in ordered if p is not qualified[0]]
    water = _WATER.search(text)
    if water and water.start() < ordered[0].span[0]:
        follows = re.match(r",\s*", text[water.end() : ordered[0].span[0]])
        if not (follows and follows.end() == ordered[0].span[0] - water.end()):
            return []  # "the Baltic Sea ... Sweden and Finland to the north"
    return ordered


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
    acquisition = acquisition_dates(dates)
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
    sensors = _resolve_sensors(text, _find_sensors(text), years, notes)
    platforms = tuple(
        dict.fromkeys(p for _, s, _ in sensors if (p := _emitted_platform(s)) is not None)
    )
    instruments = tuple(
        dict.fromkeys(i for _, s, counts in sensors if counts for i in s.instruments)
    )
    excluded = [m.span for m, _, _ in sensors] + [d.span for d in dates]
    places = _find_places(text, excluded)
    return ExtractedMetadata(
        datetime=when,
        start_datetime=start,
        end_datetime=end,
        precision=precision,
        platforms=platforms,
        instruments=instruments,
        sensors=tuple(m for m, _, _ in sensors),
        places=tuple(places),
        dates=tuple(dates),
        notes=tuple(notes),
    )
