"""What the words around a sensor's name say: a caption field, a carrier, a photo number.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_sensors`` and
``_sensor_resolve``): small tests on the text around an alias, and the tables they need.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._regex import finditer

if TYPE_CHECKING:
    from ..sensors import Sensor
    from ._extract_sensors import SensorMention

#: A caption's field names what took the picture ("Source: Landsat 7", "Satellite Data (2):
#: Pleiades", "Sensor: MODIS"), as image galleries and disaster maps write it.
_FIELD_LINE = re.compile(
    r"(?<![^\s])(?:[A-Z][a-z]+[ \t]+)?(?:Satellites?|Sensors?|Sources?|Platforms?|Instruments?|"
    r"Missions?|Spacecraft|Data|Imagery)(?:[ \t]*\(\d+\))?[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
#: Between an instrument and the platform that carries it: "(MODIS) instrument onboard Terra".
_ON_PLATFORM = re.compile(
    r"\s*(?:instruments?\s+|sensors?\s+)?(?:on|onboard|on board|on-board|aboard)\s+(?:the\s+)?"
    r"(?:[A-Z]\w*['\u2019]s\s+)?",
    re.IGNORECASE,
)
#: NASA's astronaut photograph numbers ("STS51A-45-0044", "ISS045-E-12345"): the roll or
#: mission names the Space Shuttle or the ISS crew that took the picture.
_PHOTO_ID = re.compile(r"\b(?:STS-?\d{1,3}[A-J]?-\d{1,3}-\d{1,5}|ISS\d{3}-E-\d{1,7})\b")
#: Names of a role that several satellites held in turn (NOAA's operational GOES positions).
_GOES_EAST = (
    (1994, 2002, "goes-8-imager"),
    (2003, 2009, "goes-12-imager"),
    (2010, 2017, "goes-13-imager"),
    (2018, 2024, "goes-16-abi"),
    (2025, 9999, "goes-19-abi"),
)
ROLE_NAMES: dict[str, tuple[tuple[int, int, str], ...]] = {
    # "the NASA GOES Project", no satellite named: the series' imager of the picture's years
    "goes": ((1994, 2016, "goes-imager"), (2017, 9999, "goes-abi")),
    "goes east": _GOES_EAST,
    "goeseast": _GOES_EAST,
    "goes west": (
        (1998, 2005, "goes-10-imager"),
        (2006, 2010, "goes-11-imager"),
        (2011, 2018, "goes-15-imager"),
        (2019, 2022, "goes-17-abi"),
        (2023, 9999, "goes-18-abi"),
    ),
}
#: "GOES-R" named GOES-16 before its launch, and names the GOES-R Series programme since: the
#: programme where a product, a programme word or another name follows ("GOES-R Aerosol
#: Optical Depth", "GOES-R Proving Ground", "GOES-R program scientist", "GOES-R data"); the
#: satellite where "satellite", a verb or a clause's end does ("the GOES-R satellite",
#: "formerly known as GOES-R, GOES-16 ...").
_PROGRAMME = re.compile(r"goes\W*r$", re.IGNORECASE)
_PROGRAMME_AFTER = re.compile(
    r"\s+(?:(?!Satellite|Spacecraft)[A-Z]|(?:program(?:me)?|series|data|products?|algorithms?)\b)"
)


def names_programme(text: str, match: re.Match[str]) -> bool:
    """Whether an alias match is a series' programme name ("GOES-R"), used for the programme."""
    return (
        _PROGRAMME.match(match.group(0)) is not None
        and _PROGRAMME_AFTER.match(text, match.end()) is not None
    )


#: Accented Latin letters to their base letter, one character for one ("é" -> "e"): aliases
#: are matched without accents, as the registry normalises them.
ACCENTED = re.compile("[\u00c0-\u017f]")
FOLD = {
    code: base
    for code in range(0xC0, 0x180)
    if (base := unicodedata.normalize("NFKD", chr(code))[0]).isascii() and base.isalpha()
}


#: The same in Japanese, Chinese and Korean: "衛星名/センサ名:ERS-1/AMI" (satellite name/sensor
#: name), "卫星:", "위성:", a full-width colon as often as an ASCII one.
_NATIVE_FIELD = re.compile(
    r"(?:^|\n)[^\n:\uff1a]{0,12}(?:衛星|センサ|卫星|传感器|위성|센서)"
    r"[^\n:\uff1a]{0,8}[:\uff1a][ \t]*$"
)


def in_caption_field(text: str, begin: int) -> bool:
    """Whether the name at ``begin`` is a caption field's value ("Source: Landsat 7")."""
    start = text.rfind("\n", 0, begin) + 1
    line = max(start, begin - 40)
    if text.find(":", line, begin) >= 0 and _FIELD_LINE.search(text, line, begin) is not None:
        return True
    return not text.isascii() and _NATIVE_FIELD.search(text, max(0, start - 1), begin) is not None


def photo_numbers(text: str) -> Iterator[tuple[str, tuple[int, int]]]:
    """``(registry key, span)`` of each astronaut photograph number in ``text``."""
    if "STS" not in text and "ISS" not in text:
        return  # (two substring tests, much cheaper than the pattern's scan)
    for photo in finditer(_PHOTO_ID, text):
        yield (
            ("space-shuttle" if photo.group(0).startswith("STS") else "iss-astronaut"),
            photo.span(),
        )


def carried_instruments(text: str, found: list[tuple[SensorMention, Sensor]]) -> set[str]:
    """Instruments named as carried by the platform named next ("MODIS instrument onboard Terra").

    Such a sentence may say nothing of images ("... has infrared capabilities"), yet it tells
    which instrument of a platform that took the picture did.
    """
    carried: set[str] = set()
    for (mention, sensor), (after, platform) in itertools.pairwise(found):
        if (
            sensor.platform is None
            and platform.platform is not None
            and set(sensor.instruments) & set(platform.instruments)
            and _ON_PLATFORM.fullmatch(text, mention.span[1], after.span[0])
        ):
            carried.update(sensor.instruments)
    return carried


def describes_launch(text: str, after: re.Match[str], took_before: object) -> bool:
    """Whether "launched" after a sensor's name only describes the sensor that took the picture.

    "The image was captured by the ASAR onboard the Envisat spacecraft, launched by ESA last
    March", "captured by GOES-18, which launched in 2022": a clause after a comma, in a sentence
    whose verb before the name (``took_before``, a match or ``None``) says it took the picture.

    Args:
        text: the article.
        after: the negative-context match after the name; its group 1 is the negative word.
        took_before: an acquisition verb found before the name in its sentence, or ``None``.
    """
    return (
        after.group(1) in ("launched", "was launched")
        and _CLAUSE_OPENING.search(text, max(0, after.start(1) - 8), after.start(1)) is not None
        and took_before is not None
    )


#: What opens a clause on the sensor before "launched": ", launched", ", which (was) launched".
_CLAUSE_OPENING = re.compile(r",\s(?:which\s)?$")


def outside_years(sensor: Sensor, years: tuple[int, int]) -> bool:
    """Whether a sensor did not fly in ``years`` (allowing a year past its last).

    A retired satellite stays a back-up a while, and credit lines keep its name ("Himawari-8"
    on NICT's pictures after Himawari-9 took over).
    """
    return not (
        sensor.start_year <= years[1]
        and (sensor.end_year is None or years[0] <= sensor.end_year + 1)
    )


#: A sentence's end, and a year in it.
_SENTENCE_END = re.compile(r"[.!?\n\u3002]")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def named_apart(
    text: str, found: list[tuple[SensorMention, Sensor]], years: tuple[int, int]
) -> bool:
    """Whether a sensor outside ``years`` is named in a sentence that writes none of them."""
    for mention, sensor in found:
        if not outside_years(sensor, years):
            continue
        begin, end = mention.span
        starts = [m.end() for m in _SENTENCE_END.finditer(text, max(0, begin - 300), begin)]
        stop = _SENTENCE_END.search(text, end)
        sentence = text[
            starts[-1] if starts else max(0, begin - 300) : stop.start() if stop else None
        ]
        if not any(years[0] <= int(y) <= years[1] for y in _YEAR.findall(sentence)):
            return True
    return False
