"""What the words around a place name say about it: an owner, a launch site, a heading.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_places``). Each test
reads only a few dozen characters before or after the name.
"""

from __future__ import annotations

import re

from .._regex import finditer

#: "the University of the Basque Country", "the Institute of Geography", "the National Space
#: Development Agency of Japan", "the Geological Survey of India": a place that names an
#: organisation, the organisation's seat, not what the picture shows.
_ORGANISATION_BEFORE = re.compile(
    r"\b(?:University|Institute|College|Academy|Museum|Ministry|Department|Bank|School|Agency|"
    r"Administration|Government|Govt\.|Survey|Organi[sz]ation|Bureau|Authority|Society|Council|"
    r"Commission|Corporation)"
    r"\s+of\s+(?:the\s+)?$"
)
#: "launched aboard a Vega-C rocket from Europe's Spaceport in French Guiana": where the
#: satellite was launched from, not what it imaged.
_LAUNCH_BEFORE = re.compile(
    r"\b(?:[Ll]aunch(?:ed|es|ing)?|[Ll]ift(?:ed)?[- ]?off|rockets?)\b"
    r"(?P<between>[^.;:\n]{0,90}?)\b(?:from|at|in)\s+(?:the\s+)?$"
)
#: Words that say the clause is about the picture after all ("launched in 2015, captured ...").
_IMAGE_WORDS = re.compile(r"imag|captur|acquir|\btook\b|\bshows?\b|\bview|photo", re.IGNORECASE)
#: "Cyclone Nargis", "Hurricane Ida": a storm's given name, which is also some town's.
_STORM_NAME = re.compile(
    r"\b(?:Hurricane|Typhoon|Cyclone|(?:Tropical|Winter|Subtropical)\s+(?:Storm|Depression))"
    r"\s+([A-Z][a-z]+)\b"
)
#: "Berlin: The elevation model on the left shows ...": a caption headed by its place.
_HEADING_AFTER = re.compile(r":[ \t]")


def names_organisation(text: str, start: int) -> bool:
    """Whether the name starting at ``start`` ends an organisation's name ("University of X")."""
    if not text.endswith(("of ", "of the "), 0, start):
        return False  # (a test 10x cheaper than the pattern, which needs one of them)
    return _ORGANISATION_BEFORE.search(text, max(0, start - 40), start) is not None


def mentions_launch(text: str) -> bool:
    """Whether ``text`` has a word :func:`launch_site` needs (substring tests, far cheaper)."""
    return "aunch" in text or "ocket" in text or "ift" in text and "off" in text


def launch_site(text: str, start: int) -> bool:
    """Whether the name starting at ``start`` is where a launch took place."""
    found = _LAUNCH_BEFORE.search(text, max(0, start - 120), start)
    return found is not None and _IMAGE_WORDS.search(found.group("between")) is None


def heads_caption(text: str, start: int, end: int) -> bool:
    """Whether the name opens a line and a colon follows it ("Berlin: The elevation model")."""
    return (start == 0 or text[start - 1] == "\n") and _HEADING_AFTER.match(text, end) is not None


def storm_names(text: str) -> frozenset[str]:
    """The given names of the storms ``text`` names ("Cyclone Nargis" -> "Nargis").

    Once a storm is named, its bare name later in the text ("this image of Nargis") is the
    storm, not a town of that name.
    """
    if (
        "urricane" not in text
        and "yphoon" not in text
        and "yclone" not in text
        and ("Storm" not in text and "Depression" not in text)
    ):
        return frozenset()
    return frozenset(m.group(1) for m in finditer(_STORM_NAME, text))
