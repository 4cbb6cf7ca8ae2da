"""Where an article names a sensor, and whether its sentence says that sensor took the image.

Part of :func:`gaia_geo.collect.extract_metadata`. An alias (found by ``_sensor_aliases``) is
kept only where the sentence says something was imaged (a cue word), never in a launch, a
comparison ("higher resolution than ... MISR") or as what the picture shows ("an image of the
International Space Station"); "Landsats 7 and 8" names two. Which of the mentions count is
``_sensor_resolve``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .._regex import CaselessPattern, finditer, lowered
from ..sensors import Sensor, get_sensor, lookup_sensor, normalize_name
from ._sensor_aliases import FEW, alias_patterns, candidates_at
from ._sensor_aliases import first_token_spans as _first_token_spans
from ._sensor_aliases import first_tokens as _first_tokens  # noqa: F401  (tests read it here)
from ._sensor_context import (
    ACCENTED,
    FOLD,
    describes_launch,
    in_caption_field,
    names_programme,
    photo_numbers,
)
from ._sensor_layers import elevation_keys
from ._sensor_native import has_native_script, native_cues, native_mentions

#: A sentence ends at ".", "!" or "?" before a capital (not after "a.m.", "Mt." or "U.S."), a
#: line break or a ";". It starts with the class of those characters (the branches test which
#: one they follow), so ``re`` jumps from one to the next.
_PERIOD_END = r"(?<=[.!?])(?<!\b[A-Z]\.)(?<![ap]\.m\.)(?<!\bMt\.)(?<!\bSt\.)\s+(?=[A-Z\"'(])"
SENTENCE_END = re.compile(rf"[.!?\n;](?:{_PERIOD_END}|(?<=\n)\n*|(?<=;))")
#: The same, where a line break before a lower-case word only wraps a sentence ("The Advanced
#: Spaceborne Thermal Emission\nand Reflection Radiometer ... acquired"): text copied from a
#: PDF, a feed or a mailing list breaks lines at a width, not at a sentence's end.
_WRAPPED_SENTENCE_END = re.compile(rf"[.!?\n;](?:{_PERIOD_END}|(?<=\n)(?:\n+|(?![a-z]))|(?<=;))")
_POSITIVE = CaselessPattern(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|observed|recorded|images?|"
    r"imagery|photos?|photographs?|data|views?|scenes?|mosaic|composite|shows?|showing|showed|"
    r"pictured|measured|detected|watched|mapped|left|right|seen|satellites?|sensor|pictures?|shots?|"
    r"camera|captures?|crew|observations?|observing|maps?|interferograms?|snapped|spotted|sees|"
    r"saw|overpass|passed over|overflew|flew over|true-colou?r|false-colou?r|natural-colou?r|"
    r"rgb|animation|scan(?:s|ned)?|acquisitions?|radar|figures?)\b"
)
#: The picture and taking words of the other Latin-script languages the articles come in
#: (Spanish, Portuguese, French, Italian, German, Dutch, Scandinavian, Polish, Indonesian),
#: accents folded: "la imagen fue tomada", "Aufnahme", "obraz", "citra ... direkam". Read only
#: in a text with accented letters (an Indonesian one without them is left as it was).
_LATIN_POSITIVE = CaselessPattern(
    r"\b(?:imagen(?:es)?|imagens?|immagin[ei]|fotos?|fotograf\w*|vistas?|vues?|prises?|tomadas?|"
    r"captad[ao]s?|captur\w*|capto|adquirid[ao]s?|registrad[ao]s?|acquises?|acquisit[aeio]|"
    r"ripres[aeio]|scattat[aeio]|aufgenommen|erfasst|beelden?|opnamen?|bildet|tatt|obrazy?|"
    r"zdjeci[ae]|pozyskane|wykonane|citra|gambar|direkam|merekam|diambil)\b"
    r"|bild(?:er|ern)?\b|aufnahmen?\b"  # ("Satellitenbild", "Radaraufnahme")
)
#: The taking words among them: "prise par le satellite SPOT 6", "acquisite dal satellite",
#: "tomada por", "aufgenommen" (accents folded).
_LATIN_TOOK = CaselessPattern(
    r"\b(?:prises?|pris|acquises?|captees?|captad[ao]s?|capturad[ao]s?|tomad[ao]s?|"
    r"adquirid[ao]s?|registrad[ao]s?|acquisit[aeio]|ripres[aeio]|scattat[aeio]|aufgenommen|"
    r"erfasst|zrobion[aey]|wykonane|direkam|diambil|vu(?:e|s|es)? par)\b"
)
#: What "produced" or "provided" must go on with to say a sensor took the picture.
_OF_IMAGE = (
    r"\s+(?:the|this|that|these|an?)\b[^.;]{0,30}?\b(?:images?|imagery|views?|pictures?|photos?)"
)
#: Verbs that say a sensor took the picture, stronger evidence than an image noun.
_TOOK = CaselessPattern(
    r"\b(acquired|captured|collected|took|taken|photographed|imaged|snapped|recorded|observed|"
    r"watched|"
    r"captures?|acquires?|acquisitions?|overflew|flew over"
    # "the third image is from Sentinel-5P", "the images were taken by": the picture's source
    r"|images?\s+(?:is|are|was|were)\s+from"
    # "Typhoon Nangka seen by Himawari-8", "the Aqua instrument provided the left half of the
    # image", "NOAA-20's pass produced a stunner of an image": the sensor as the picture's agent
    r"|seen\s+by|produced"
    + _OF_IMAGE
    + r"|provided?"
    + _OF_IMAGE
    +
    # "a mosaic of data from the MODIS sensors on both Terra and Aqua": each one took part of it
    r"|mosaic|combin(?:es|ed|ing))\b"
)
#: "GOES-13 visible images (below)", "the animation above": one of the page's own pictures
#: (a blog's figures), shown whatever another sentence says took the first one.
_SHOWN = CaselessPattern(
    r"\b(?:images?|imagery|animation|loop|products?|views?)"
    # "... in GOES-18 Visible images from the CSPP GeoSphere site (below)": the bracket ends it
    r"(?:\s+\(?|\s[^.;()]{0,60}?\()(?:above|below)\b"
)
_NEGATIVE_AFTER = CaselessPattern(
    r"(?:[^.;]{0,40}?\b(was launched|launched|will|is planned|is scheduled|successor|carries|"
    r"similar|has completed|commissioning|(?:an? )?(?:earlier|older|previous) generation|"
    r"predecessor|was also capable)|\s+launch(?:es)?)\b"  # "ahead of the Sentinel-2C launch"
)
#: A sensor named in a comparison, or as what the picture shows, did not take it.
_NEGATIVE_BEFORE = CaselessPattern(
    r"\b(?:(?:resolution|detailed|sharper|better|higher|finer|coarser) than|compared (?:to|with)|"
    r"(?:identical|equivalent|comparable) (?:to|with)|the same as|unlike|predecessor|"
    r"earlier generation|instead of|similar to|launch(?:es|ed)? of|"
    r"decommission(?:ed|ing)?|retire(?:d|ment of)?|de-?orbit(?:ed)?)"
    r"\b[^.;]{0,100}$"
    # ("the field of view of Meteosat-8" is what the satellite sees, not what was imaged)
    r"|\b(?:image|photo|photograph|picture|(?<!field of )view|shows?|showing|overflew|spotted)"
    r"\s+(?:of\s+)?"
    r"(?:the\s+)?(?:defunct\s+)?$"
)
#: "an image of GOES-15 Visible data", "an image of POES AVHRR Infrared": a band or the data
#: after the sensor says it is the source of the picture, not what the picture shows.
_BAND_AFTER = re.compile(
    r"\s+(?:Visible|(?:Near-|Shortwave |Longwave )?Infrared|IR|Water Vapou?r|True[- ]Colou?r|"
    # "Suomi NPP VIIRS Day/Night Band images", "GOES-16 Band 13", "GOES-15 Brightness
    # Temperature Difference fields": a band or a quantity the sensor measured
    r"Day/Night Band|DNB|(?:Band|Channel) \d+|Brightness Temperature|"
    r"RGB|data|imagery)\b"
)
#: The openings of the picture words of ``_NEGATIVE_BEFORE`` ("image of", "photo of", "shows
#: the"), whose band after the name makes it the picture's source (not "identical to").
_PICTURE_OF = ("ima", "pho", "pic", "sho")
#: "a view of the lakes by the VIIRS instruments on NOAA-20": the agent of an image noun took it.
_IMAGE_NOUN = re.compile(
    r"\b(?:images?|imagery|views?|photos?|photographs?|pictures?|scenes?)\b", re.IGNORECASE
)
#: "and" in the languages the articles come in ("Landsat 7 y 8", "Sentinel-1 et 2", "und", "e").
_AND = r"(?:and|y|et|und|e|en|og|och)"
#: "Landsats 7 and 8", "GOES-16 and -17": one family name, several numbers; "Sentinel 2 A y B",
#: "Sentinel-1A and B": one number, several letters (not after "/": "Sentinel-2A/B" is the pair).
_SERIES = re.compile(
    r"\b(?P<family>Landsat|Sentinel|GOES|Meteosat|SPOT|WorldView|NOAA|Himawari)s?[- ]"
    r"(?P<first>\d{1,2}(?:\s?[A-D])?)"
    rf"(?P<rest>(?:(?:\s*,\s*(?:{_AND}\s+)?|\s+{_AND}\s+|\s*&\s*|\s*/\s*)-?\d{{1,2}}[A-C]?"
    rf"|(?:\s*,\s*(?:{_AND}\s+)?|\s+{_AND}\s+)[A-D](?![\w-]))+)\b"
    r"(?![:.]\d)"  # "Meteosat-10, 12:00 UTC": a time, not Meteosat-12
)
#: "Metop-B/C", "MetOp-A and -B": satellites of one family told apart by a letter.
_LETTER_SERIES = re.compile(
    r"\b(?P<family>Metop|MetOp|METOP)-(?P<first>[A-C])"
    r"(?P<rest>(?:(?:\s*/\s*|\s*,\s*|\s+and\s+)-?[A-C])+)\b"
)


def _series_tokens() -> frozenset[str]:
    """The family names a series opens with, lowercased ("landsats" too), read from ``_SERIES``.

    A series starts at one as a first token (after a non-word character, "+" aside), nowhere
    else. Empty where a family is not such a token (then the text is scanned).
    """
    group = re.search(r"\(\?P<family>([^()]+)\)", _SERIES.pattern)
    families = group[1].lower().split("|") if group else []
    if not families or not all(re.fullmatch("[a-z0-9]+", f) for f in families):
        return frozenset()
    return frozenset(word for family in families for word in (family, family + "s"))


_SERIES_TOKENS = _series_tokens()
_SERIES_WORDS = frozenset(word.encode() for word in _SERIES_TOKENS)
_NUMBER = re.compile(r"\d{1,2}[A-C]?|(?<![\w-])[A-D](?![\w-])")
_LETTER = re.compile(r"[A-C]")


@dataclass(frozen=True)
class SensorMention:
    """A sensor that took the image: registry key, the words as written, their span."""

    key: str
    text: str
    span: tuple[int, int]
    weak: bool = False  #: named where no word says it took an image (kept only as a hint)
    took: bool = False  #: named in a sentence with an acquisition verb ("acquired", "captured")
    field: bool = False  #: the value of a caption's field line ("Satellite: Aqua", "Source: ...")
    shown: bool = False  #: named with one of the page's pictures ("GOES-13 images (below)")


def _sentence_bounds(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans in text order, found only as far as they are read."""
    start = 0
    for match in _WRAPPED_SENTENCE_END.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def find_sensors(text: str) -> list[tuple[SensorMention, Sensor]]:
    written = text
    accented = not text.isascii() and ACCENTED.search(text) is not None
    if accented:
        text = text.translate(FOLD)  # "Pléiades 1A" is found as "Pleiades 1A", same offsets
    patterns = alias_patterns()
    colon = ":" in text or "\uff1a" in text  # a caption field needs one
    layers = elevation_keys()
    native = has_native_script(text)  # (its sentences may say "imaged" in their own script)
    sentences = _sentence_bounds(text)
    ahead: tuple[int, int] | None = (0, -1)  # the sentence read last; None after the last one
    mentions: list[tuple[SensorMention, Sensor]] = []
    next_free = 0
    cued: tuple[tuple[int, int], bool, bool, bool] = ((-1, -1), False, False, False)
    spans = _first_token_spans(text, _SERIES_WORDS, matchable=True)
    for token_start, token_end, token in spans:
        if token_start < next_free:
            continue
        if token_end - token_start == 1 and text[token_end : token_end + 1] != "-":
            continue  # the "s" of "NASA's" (only "S-NPP" starts with a one-letter token)
        candidates = patterns.get(token)
        if not candidates:
            continue
        if len(candidates) > FEW:  # ("Sentinel-2A" is none of the 38 other Sentinels)
            candidates = candidates_at(text, token, token_end)
        best: tuple[re.Match[str], Sensor] | None = None
        for pattern, sensor, _ in candidates:
            match = pattern.match(text, token_start)
            if match and (best is None or match.end() > best[0].end()):
                best = (match, sensor)
        if best is None:
            continue
        match, sensor = best
        begin, finish = match.span()
        if token == "terra" and _EARTH_BEFORE.search(text, max(0, begin - 7), begin):
            continue  # "osservazione della Terra", "imagem da Terra": the Earth, not the satellite
        if token == "goes" and names_programme(text, match):
            continue  # "GOES-R Aerosol Optical Depth": the GOES-R Series' product, not GOES-16
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
        negative = _NEGATIVE_BEFORE.search(text, max(sentence[0], begin - 200), begin)
        if negative and not (
            negative.group(0)[:3].lower() in _PICTURE_OF and _BAND_AFTER.match(text, finish)
        ):
            continue
        after = _NEGATIVE_AFTER.match(text, finish, sentence[1])
        if after and not (
            # (what ``describes_launch`` needs first, a comma before its word: its verb search
            # only then)
            "," in text[max(0, after.start(1) - 8) : after.start(1)]
            and describes_launch(text, after, _TOOK.search(text, sentence[0], begin))
        ):
            continue
        if sentence != cued[0]:  # the sentence's cue words, read once for all its mentions
            # (after the tests that drop a mention: a launch sentence's are never needed)
            context = text[sentence[0] : sentence[1]]
            shown = ("above" in context or "below" in context) and (
                _SHOWN.search(context) is not None
            )
            cued = (
                sentence,
                shown
                or _POSITIVE.search(context) is not None
                # (a text in those languages has accented letters; English ones mostly none)
                or (accented and _LATIN_POSITIVE.search(context) is not None),
                _TOOK.search(context) is not None
                or (accented and _LATIN_TOOK.search(context) is not None),
                shown,
            )
            if native and not cued[2]:
                imaged, took = native_cues(context)
                cued = (sentence, cued[1] or imaged, took, cued[3])
        field = colon and in_caption_field(text, begin)
        weak = not field and not cued[1]
        took = field or cued[2] or _by_agent(text, sentence[0], begin)
        took = took and sensor.key not in layers  # (an elevation model took no picture)
        words = written[begin:finish]
        mention = SensorMention(sensor.key, words, (begin, finish), weak, took, field, cued[3])
        mentions.append((mention, sensor))
    if not _SERIES_TOKENS or "+" in text or lowered(text) is None:  # ("+Landsat")
        series_found = [(s, _NUMBER) for s in finditer(_SERIES, text)]
    else:  # (tried only where a family name stands: no scan of the whole text)
        series_found = [
            (s, _NUMBER)
            for start, _, token in spans
            if token in _SERIES_TOKENS and (s := _SERIES.match(text, start)) is not None
        ]
    if "etop" in (lowered(text) or text.lower()):  # ("etop", "etOp", "ETOP": one test)
        series_found += [(s, _LETTER) for s in finditer(_LETTER_SERIES, text)]
    for series, number_pattern in series_found:
        family = series.group("family")
        first_unit = series.group("first").replace(" ", "")
        numbers = [first_unit, *number_pattern.findall(series.group("rest"))]
        if number_pattern is _NUMBER:  # "Sentinel-1A and B": B is Sentinel-1B
            digits = first_unit.rstrip("ABCD")
            letter = digits != first_unit
            numbers = [
                n if n[0].isdigit() else digits + n for n in numbers if letter or n[0].isdigit()
            ]
        span = series.span()
        # the series says of every number what its sentence says of the first ("acquired")
        first = next((m for m, _ in mentions if span[0] <= m.span[0] < span[1]), None)
        for number in numbers:
            found = lookup_sensor(f"{family}-{number}")
            # (each series counts: "SPOT 6 and 7 were tasked ... acquired by SPOT 6 and 7")
            if found is not None and all(
                m.key != found.key or not span[0] <= m.span[0] < span[1] for m, _ in mentions
            ):
                mention = SensorMention(found.key, written[slice(*span)], span)
                if first is not None:
                    mention = replace(first, key=found.key, text=mention.text, span=span)
                mentions.append((mention, found))
    for sensor, span, weak, took in native_mentions(written) if native else ():
        if all(m.span[1] <= span[0] or span[1] <= m.span[0] for m, _ in mentions):
            mention = SensorMention(sensor.key, written[slice(*span)], span, weak, took)
            mentions.append((mention, sensor))
    for key, span in photo_numbers(text):
        if all(m.key != key for m, _ in mentions):
            mention = SensorMention(key, written[slice(*span)], span, took=True)
            mentions.append((mention, get_sensor(key)))
    mentions.sort(key=lambda m: m[0].span)
    if colon:
        _listed_fields(text, mentions)
    if len(mentions) > 1:
        _shared_instrument(written, mentions)
    return mentions


#: Italian, Portuguese and Catalan words before "Terra" the Earth ("della Terra", "na Terra"),
#: where the satellite takes a masculine article ("il satellite Terra", "o satélite Terra").
_EARTH_BEFORE = re.compile(r"(?<![^\W\d_])(?:della|dalla|sulla|alla|nella|la|da|na|pela|à)\s+$")


#: Between two platforms that share the instrument named after the second ("Terra and Aqua MODIS").
_PAIR_GAP = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b)\s*")


def _shared_instrument(text: str, mentions: list[tuple[SensorMention, Sensor]]) -> None:
    """A platform named before another and its instrument names that instrument too.

    "Terra and Aqua MODIS images", "NOAA-20 and Suomi NPP VIIRS": the words of the first
    mention run to the instrument's name, so it says which instrument as the second does.
    """
    for i in range(len(mentions) - 1):
        (first, sensor), (second, other) = mentions[i], mentions[i + 1]
        shared = set(sensor.instruments) & set(other.instruments)
        if (
            not shared
            or sensor.platform == other.platform
            or not _PAIR_GAP.fullmatch(text, first.span[1], second.span[0])
        ):
            continue
        names = {normalize_name(n) for n in shared}
        last = normalize_name(second.text).split()[-1:]
        if last and last[0] in names and not names & set(normalize_name(first.text).split()):
            mentions[i] = (replace(first, text=text[first.span[0] : second.span[1]]), sensor)


#: Between two names of one caption field's list ("Sources: Landsat 5, Landsat 7, Landsat 8").
_LIST_GAP = re.compile(r"[ \t]*(?:,|&|/|\band\b)[ \t]*(?:and[ \t]+)?")


def _listed_fields(text: str, mentions: list[tuple[SensorMention, Sensor]]) -> None:
    """Mark every name of a caption field's list as a field value, as its first one is."""
    for i in range(1, len(mentions)):
        before, (mention, sensor) = mentions[i - 1][0], mentions[i]
        if (
            before.field
            and not mention.field
            and _LIST_GAP.fullmatch(text, before.span[1], mention.span[0])
        ):
            mentions[i] = (replace(mention, field=True, took=True, weak=False), sensor)


def _by_agent(text: str, sentence_start: int, begin: int) -> bool:
    """Whether the mention is the agent ("by ...") of an image noun before it in its sentence."""
    by = text.rfind(" by ", max(sentence_start, begin - 45), begin)
    if by < 0 or any(c in text[by:begin] for c in ".;,"):
        return False
    return _IMAGE_NOUN.search(text, max(sentence_start, by - 100), by) is not None
