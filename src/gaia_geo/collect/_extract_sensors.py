"""Which sensors took the image: registry aliases found in article text, and the ones that count.

Part of :func:`gaia_geo.collect.extract_metadata`. An alias is matched only where the sentence
says something was imaged (a cue word), never in a launch, a comparison ("higher resolution than
... MISR") or as what the picture shows ("an image of the International Space Station"). A
platform named alone ("NASA's Terra satellite") sets the platform but not an instrument when it
carries several; a constellation name ("Sentinel-2A/B") stays the constellation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .._regex import CaselessPattern, finditer, lowered, trie_pattern
from ..sensors import Sensor, all_sensors, get_sensor, lookup_sensor, normalize_name
from ..sensors._registry import alias_table
from ._sensor_context import (
    ACCENTED,
    FOLD,
    ROLE_NAMES,
    carried_instruments,
    describes_launch,
    in_caption_field,
    photo_numbers,
)

#: A sentence ends at ".", "!" or "?" before a capital (not after "a.m.", "Mt." or "U.S."), a
#: line break or a ";". It starts with the class of those characters (the branches test which
#: one they follow), so ``re`` jumps from one to the next.
SENTENCE_END = re.compile(
    r"[.!?\n;](?:(?<=[.!?])(?<!\b[A-Z]\.)(?<![ap]\.m\.)(?<!\bMt\.)(?<!\bSt\.)\s+(?=[A-Z\"'(])"
    r"|(?<=\n)\n*|(?<=;))"
)
#: Words that make the ISS a camera platform rather than an instrument carrier.
_ASTRONAUT = re.compile(
    r"astronaut|crew|photograph|Expedition|camera|cosmonaut"
    # "captured from the ISS": a picture taken from the station, not by an instrument on it
    r"|\bfrom\s+(?:aboard\s+)?(?:the\s+)?(?:ISS|International Space Station|space station)\b",
    re.IGNORECASE,
)
_POSITIVE = CaselessPattern(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|observed|recorded|images?|"
    r"imagery|photos?|photographs?|data|views?|scenes?|mosaic|composite|shows?|showing|"
    r"pictured|measured|detected|mapped|left|right|seen|satellites?|sensor|pictures?|shots?|"
    r"camera|captures?|crew|observations?|observing|maps?|interferograms?|snapped|spotted|sees|"
    r"saw|overpass|passed over|overflew|flew over|true-colou?r|false-colou?r|natural-colou?r|"
    r"rgb|animation|scan(?:s|ned)?|acquisitions?|radar)\b"
)
#: Verbs that say a sensor took the picture, stronger evidence than an image noun.
_TOOK = CaselessPattern(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|snapped|recorded|observed|"
    r"captures?|acquires?|overflew|flew over"
    # "a mosaic of data from the MODIS sensors on both Terra and Aqua": each one took part of it
    r"|mosaic|combin(?:es|ed|ing))\b"
)
_NEGATIVE_AFTER = CaselessPattern(
    r"(?:[^.;]{0,40}?\b(was launched|launched|will|is planned|is scheduled|successor|carries|"
    r"similar|has completed|commissioning|(?:an? )?(?:earlier|older|previous) generation|"
    r"predecessor|was also capable)|\s+launch(?:es)?)\b"  # "ahead of the Sentinel-2C launch"
)
#: A sensor named in a comparison, or as what the picture shows, did not take it.
_NEGATIVE_BEFORE = CaselessPattern(
    r"\b(?:(?:resolution|detailed|sharper|better|higher|finer|coarser) than|compared (?:to|with)|"
    r"unlike|predecessor|earlier generation|instead of|similar to|launch(?:es|ed)? of|"
    r"decommission(?:ed|ing)?|retire(?:d|ment of)?|de-?orbit(?:ed)?)"
    r"\b[^.;]{0,100}$"
    # ("the field of view of Meteosat-8" is what the satellite sees, not what was imaged)
    r"|\b(?:image|photo|photograph|picture|(?<!field of )view|shows?|showing|overflew|spotted)"
    r"\s+(?:of\s+)?"
    r"(?:the\s+)?(?:defunct\s+)?$"
)
#: "a view of the lakes by the VIIRS instruments on NOAA-20": the agent of an image noun took it.
_IMAGE_NOUN = re.compile(
    r"\b(?:images?|imagery|views?|photos?|photographs?|pictures?|scenes?)\b", re.IGNORECASE
)
#: "A NASA instrument aboard the International Space Station collected data": an instrument of
#: that platform, named elsewhere ("The instrument, called ECOSTRESS"), took the picture.
_INSTRUMENT_ABOARD = re.compile(
    r"\binstrument\s+(?:aboard|on board|onboard|on)\s+(?:the\s+)?(?:\w+['\u2019]s\s+)?$",
    re.IGNORECASE,
)
#: "Landsats 7 and 8", "GOES-16 and -17": one family name, several numbers.
_SERIES = re.compile(
    r"\b(?P<family>Landsat|Sentinel|GOES|Meteosat|SPOT|WorldView|NOAA|Himawari)s?[- ]"
    r"(?P<first>\d{1,2}[A-C]?)(?P<rest>(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*)-?\d{1,2}[A-C]?)+)\b"
    r"(?![:.]\d)"  # "Meteosat-10, 12:00 UTC": a time, not Meteosat-12
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
    "umbra",
}


@dataclass(frozen=True)
class SensorMention:
    """A sensor that took the image: registry key, the words as written, their span."""

    key: str
    text: str
    span: tuple[int, int]
    weak: bool = False  #: named where no word says it took an image (kept only as a hint)
    took: bool = False  #: named in a sentence with an acquisition verb ("acquired", "captured")
    field: bool = False  #: the value of a caption's field line ("Satellite: Aqua", "Source: ...")


#: An alias token as far as it goes (ASCII; the next character tells whether that is all).
_TOKEN = re.compile(r"[A-Za-z0-9+]*")


@functools.cache
def _alias_patterns() -> dict[str, list[tuple[re.Pattern[str], Sensor, str]]]:
    """Alias regexes grouped by their first normalised token, longest alias first.

    Each comes with its second token, lowercased (``""`` for one of one token): the pattern
    can match only where the text goes on with it (see :func:`_next_words`).
    """
    groups: dict[str, list[tuple[int, re.Pattern[str], Sensor, str]]] = {}
    for alias, sensor in alias_table().items():
        tokens = alias.split()
        if not tokens:
            continue
        body = r"[\s\-_/.()'\u2019]*".join(re.escape(t) + r"(?:['\u2019]s)?" for t in tokens)
        second = tokens[1] if len(tokens) > 1 and _TOKEN.fullmatch(tokens[1]) else ""
        # the spellings texts use: the key ("smap", "trmm") is an identifier, not one of them
        originals = [a for a in (sensor.name, *sensor.aliases) if normalize_name(a) == alias]
        # an acronym only ever spelled in capitals ("CHRIS", "ATLAS"): "Chris Larsen", the "Atlas
        # fire" are not it, a gallery's lower-case field value ("Satellite Sensor viirs") is
        acronym = len(tokens) == 1 and bool(originals) and all(a.isupper() for a in originals)
        exact = len(alias) <= 4 or alias in _CASE_SENSITIVE_WORDS or acronym
        if exact and originals:
            spelled = sorted(originals, key=len)[0]
            parts = [re.escape(t) for t in re.findall(r"[A-Za-z0-9+]+", spelled)]
            body = r"[\s\-_/.()]*".join(parts)
            # (a spelling split otherwise than the alias is tried everywhere)
            same_split = len(parts) > 1 and parts[0].lower() == tokens[0]
            second = parts[1].lower() if same_split else ""
            if acronym and len(alias) > 4:
                body = rf"{body}|{body.lower()}"
        flags = 0 if exact else re.IGNORECASE
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+])", flags)
        groups.setdefault(tokens[0], []).append((len(alias), pattern, sensor, second))
    return {
        k: [(p, s, second) for _, p, s, second in sorted(v, key=lambda x: -x[0])]
        for k, v in groups.items()
    }


@functools.cache
def _first_tokens() -> re.Pattern[str]:
    """Where an alias may start: any alias's first token, as a word, in any case."""
    body = trie_pattern(sorted(_alias_patterns()))
    return re.compile(rf"(?<![A-Za-z0-9+])(?:{body})(?![A-Za-z0-9+])", re.IGNORECASE)


#: Bytes that cannot be part of an alias token ([a-z0-9+]), as spaces.
_SEPARATE = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789+" else 32 for c in range(256))


@functools.cache
def _first_token_words() -> frozenset[bytes]:
    """The first token of every alias, as ASCII bytes."""
    return frozenset(token.encode() for token in _alias_patterns())


def _first_token_spans(text: str) -> list[tuple[int, int, str]]:
    """Each match of :func:`_first_tokens` in ``text``: its span and its lowercased words.

    Alias tokens are ASCII [a-z0-9+] words: in the lowercased text, every other character made
    a space, a token matches where it stands as a whole word. Splitting that and looking the
    words up is 2x faster than ``re`` trying the tokens' trie after every separator.
    """
    low = lowered(text)
    if low is None:
        return [(t.start(), t.end(), t.group(0).lower()) for t in _first_tokens().finditer(text)]
    words = low.encode("ascii", "replace").translate(_SEPARATE)  # one byte a character
    padded = b" " + words + b" "
    spans: list[tuple[int, int, str]] = []
    for word in _first_token_words().intersection(words.split()):
        needle = b" " + word + b" "
        found = padded.find(needle)
        while found >= 0:  # the word starts at found + 1 in padded: at found in the text
            spans.append((found, found + len(word), word.decode()))
            found = padded.find(needle, found + len(word) + 1)
    return sorted(spans)


#: What the alias patterns allow between two tokens, then the next token as far as it goes.
_NEXT_TOKEN = re.compile(r"[\s\-_/.()'\u2019]*([A-Za-z0-9+]*)")


def _next_words(text: str, token_end: int) -> tuple[str | None, ...]:
    """The words an alias's second token must open, its first one ending at ``token_end``.

    The word past the characters the patterns allow between tokens, and past a possessive
    "'s" and them (a superset of where any pattern can go on), lowercased; None for one that
    runs into a non-ASCII character (which ``re.IGNORECASE`` may match to an ASCII one).
    """
    starts = (
        (token_end, token_end + 2) if text[token_end : token_end + 1] in ("'", "\u2019") else ()
    )
    words: list[str | None] = []
    for start in starts or (token_end,):
        found = _NEXT_TOKEN.match(text, start)
        assert found is not None  # (it matches the empty string)
        after = text[found.end() : found.end() + 1]
        words.append(None if after > "\x7f" else found.group(1).lower())
    return tuple(words)


#: Aliases of one first token tried one by one without looking at the next word first.
_FEW = 4


@functools.lru_cache(maxsize=4096)
def _candidates(
    token: str, words: tuple[str | None, ...]
) -> list[tuple[re.Pattern[str], Sensor, str]]:
    """The patterns of ``token``'s aliases whose second token may open one of ``words``."""
    return [
        (pattern, sensor, second)
        for pattern, sensor, second in _alias_patterns()[token]
        if not second or any(w is None or w.startswith(second) for w in words)
    ]


def _sentence_bounds(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans in text order, found only as far as they are read."""
    start = 0
    for match in SENTENCE_END.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def find_sensors(text: str) -> list[tuple[SensorMention, Sensor]]:
    written = text
    if not text.isascii() and ACCENTED.search(text):
        text = text.translate(FOLD)  # "Pléiades 1A" is found as "Pleiades 1A", same offsets
    patterns = _alias_patterns()
    colon = ":" in text  # a caption field needs one
    sentences = _sentence_bounds(text)
    ahead: tuple[int, int] | None = (0, -1)  # the sentence read last; None after the last one
    mentions: list[tuple[SensorMention, Sensor]] = []
    next_free = 0
    cued: tuple[tuple[int, int], bool, bool] = ((-1, -1), False, False)
    for token_start, token_end, token in _first_token_spans(text):
        if token_start < next_free:
            continue
        if token_end - token_start == 1 and text[token_end : token_end + 1] != "-":
            continue  # the "s" of "NASA's" (only "S-NPP" starts with a one-letter token)
        candidates = patterns.get(token)
        if not candidates:
            continue
        if len(candidates) > _FEW:  # ("Sentinel-2A" is none of the 38 other Sentinels)
            candidates = _candidates(token, _next_words(text, token_end))
        best: tuple[re.Match[str], Sensor] | None = None
        for pattern, sensor, _ in candidates:
            match = pattern.match(text, token_start)
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
        # mentions come in text order: the sentence is the first one that ends at or after it
        while ahead is not None and ahead[1] < begin:
            ahead = next(sentences, None)
        sentence = ahead if ahead is not None and ahead[0] <= begin else (0, len(text))
        if sentence != cued[0]:  # the sentence's cue words, read once for all its mentions
            context = text[sentence[0] : sentence[1]]
            cued = (
                sentence,
                _POSITIVE.search(context) is not None,
                _TOOK.search(context) is not None,
            )
        if _NEGATIVE_BEFORE.search(text, max(sentence[0], begin - 200), begin):
            continue
        after = _NEGATIVE_AFTER.match(text, finish, sentence[1])
        if after and not describes_launch(text, after, _TOOK.search(text, sentence[0], begin)):
            continue
        field = colon and in_caption_field(text, begin)
        weak = not field and not cued[1]
        took = field or cued[2] or _by_agent(text, sentence[0], begin)
        words = written[begin:finish]
        mention = SensorMention(sensor.key, words, (begin, finish), weak, took, field)
        mentions.append((mention, sensor))
    for series in finditer(_SERIES, text):
        family = series.group("family")
        numbers = [series.group("first"), *re.findall(r"\d{1,2}[A-C]?", series.group("rest"))]
        span = series.span()
        # the series says of every number what its sentence says of the first ("acquired")
        first = next((m for m, _ in mentions if span[0] <= m.span[0] < span[1]), None)
        for number in numbers:
            found = lookup_sensor(f"{family}-{number}")
            if found is not None and all(m.key != found.key for m, _ in mentions):
                mention = SensorMention(found.key, written[slice(*span)], span)
                if first is not None:
                    mention = replace(first, key=found.key, text=mention.text, span=span)
                mentions.append((mention, found))
    for key, span in photo_numbers(text):
        if all(m.key != key for m, _ in mentions):
            mention = SensorMention(key, written[slice(*span)], span, took=True)
            mentions.append((mention, get_sensor(key)))
    mentions.sort(key=lambda m: m[0].span)
    return mentions


@functools.cache
def _multi_instrument_platforms() -> frozenset[str]:
    """Platforms with several registry instruments (Terra, Aqua, Envisat, the ISS...)."""
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
    if words & _INSTRUMENT_WORDS:
        return False  # "Advanced Synthetic Aperture Radar": an instrument's full name
    names = {normalize_name(i) for i in sensor.instruments} | {sensor.key.split("-")[-1]}
    return not words & names


#: Words of an instrument's name ("Advanced Baseline Imager", "Thematic Mapper").
_INSTRUMENT_WORDS = frozenset(
    "imager radiometer spectroradiometer spectrometer mapper scanner camera instrument radar "
    "sounder altimeter interferometer".split()
)


def _instrument_only(mention: SensorMention, sensor: Sensor) -> bool:
    """Whether the words name only an instrument ("ABI"), not which platform carried it."""
    if not sensor.platform:
        return False
    words = set(normalize_name(mention.text).split())
    if words & set(normalize_name(sensor.platform).split()):
        return False
    return bool(words & _INSTRUMENT_WORDS) or normalize_name(mention.text) in {
        normalize_name(i) for i in sensor.instruments
    }


def emitted_platform(sensor: Sensor) -> str | None:
    """STAC platform, or the constellation when the text names the constellation itself."""
    if sensor.platform:
        return sensor.platform
    if sensor.constellation and sensor.key.startswith(sensor.constellation):
        return sensor.constellation  # "Sentinel-2A/B", "SkySat": not a guessed satellite
    return None  # "MODIS", "VIIRS": an instrument flown on several satellites


def resolve_sensors(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    years: tuple[int, int] | None,
    notes: list[str],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Keep the sensors that took the image; the flag says whether its instruments count."""
    if years is not None:
        swapped = []
        for mention, sensor in found:
            for first, last, key in ROLE_NAMES.get(normalize_name(mention.text), ()):
                if first <= years[0] <= last:
                    sensor = get_sensor(key)
            swapped.append((mention, sensor))
        found = swapped
    found = [
        (m, s)
        for i, (m, s) in enumerate(found)
        if not (i and _in_brackets_after(text, found[i - 1], (m, s)))
    ]
    strong = [(m, s) for m, s in found if not m.weak]
    if not strong:
        # no sentence says what imaged the picture: the sensors the article names are the best
        # evidence there is ("Image of the Week - Landsat 8's view of ...")
        found = [(replace(m, weak=False), s) for m, s in found]
        strong = found
    generic = {i for _, s in strong if s.platform is None for i in s.instruments}
    generic |= carried_instruments(text, found)
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
        if (
            sensor.platform
            and any(
                s.platform not in (None, sensor.platform)
                and set(s.instruments) & set(sensor.instruments)
                and not _instrument_only(m, s)
                for m, s in strong
            )
            and _instrument_only(mention, sensor)
        ):
            continue  # "GOES-18 ... its Advanced Baseline Imager": not the GOES-16 entry's ABI
        if sensor.key == "iss-astronaut" and any(
            (s.platform == "iss" and s.key != sensor.key) or s.key == "space-shuttle"
            for _, s in strong
        ):
            continue  # "astronaut photograph ... by the STS-118 crew": the Shuttle's, not the ISS's
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
    kept.extend(_instruments_aboard(text, found, kept))
    platforms = {p for m, s, _ in kept if m.took and (p := emitted_platform(s))}
    if platforms:
        # a platform or a constellation named only beside image nouns ("Landsat 9 joins Landsat 8
        # in orbit", "images from the Sentinel-1 mission showed") gives way to the ones a
        # sentence says took the picture
        kept = [
            k
            for k in kept
            if k[0].took
            or not emitted_platform(k[1])
            or emitted_platform(k[1]) in platforms
            or any(m.key == k[0].key and m.took for m, _, _ in kept)
        ]
    fields = {p for m, s, _ in kept if m.field and (p := emitted_platform(s))}
    if fields:
        # a caption's field line ("Source: Landsat 7") outranks prose about a collection ("images
        # taken by the Landsat 5 and Landsat 7 satellites")
        kept = [k for k in kept if k[0].field or emitted_platform(k[1]) in (None, *fields)]
    return kept


def _in_brackets_after(
    text: str, previous: tuple[SensorMention, Sensor], mention: tuple[SensorMention, Sensor]
) -> bool:
    """Whether a name in brackets right after a satellite ("GOES-19 (GOES-East)") is that one.

    Only a satellite of the same family: "MODIS (Aqua)" says which satellite carried MODIS.
    """
    (before, first), (after, second) = previous, mention
    return (
        text[before.span[1] : after.span[0]].strip() == "("
        and first.key != second.key
        and first.platform is not None
        and second.platform is not None
        and (
            set(first.instruments) == set(second.instruments)
            # "GOES-15 (GOES-West)": a role name of the same family, whatever it carries
            or (first.constellation is not None and first.constellation == second.constellation)
        )
    )


def _instruments_aboard(
    text: str,
    found: list[tuple[SensorMention, Sensor]],
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """The one instrument named of a platform that "an instrument aboard" it took the image with."""
    added: list[tuple[SensorMention, Sensor, bool]] = []
    for mention, sensor, counts in kept:
        if counts or not sensor.platform:
            continue
        if not _INSTRUMENT_ABOARD.search(text, max(0, mention.span[0] - 60), mention.span[0]):
            continue
        named = {
            s.key: (m, s)
            for m, s in found
            if s.platform == sensor.platform and s.key != sensor.key and s.instruments
        }
        if len(named) == 1 and all(k[1].key not in named for k in kept):
            m, s = next(iter(named.values()))
            added.append((m, s, True))
    return added


def _by_agent(text: str, sentence_start: int, begin: int) -> bool:
    """Whether the mention is the agent ("by ...") of an image noun before it in its sentence."""
    by = text.rfind(" by ", max(sentence_start, begin - 45), begin)
    if by < 0 or any(c in text[by:begin] for c in ".;,"):
        return False
    return _IMAGE_NOUN.search(text, max(sentence_start, by - 100), by) is not None
