"""What the words around a place name say about it: an owner, a launch site, a heading.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_places``). Each test
reads only a few dozen characters before or after the name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .._regex import finditer

if TYPE_CHECKING:
    from ._gazetteer import Gazetteer, Place

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
#: "vom Kosmodrom Plesezk (Russland) aus gestartet", "lancé depuis Kourou": a launch in German,
#: French, Spanish or Italian, whose verb may come after the site; the whole sentence is read.
_FOREIGN_LAUNCH = re.compile(
    r"\b(?:gestartet|ins All gebracht|lancée?s?|lanzad[oa]s?|lanciat[oa])\b", re.IGNORECASE
)
#: Parts of words one of which any match of ``_FOREIGN_LAUNCH`` in an ASCII text holds.
_FOREIGN_LAUNCH_WORDS = re.compile(r"gestartet|gebracht|lan[cz]")
_FOREIGN_IMAGE_WORDS = re.compile(r"aufgenommen|Aufnahme|Bild|prise|tomad|ripres", re.IGNORECASE)
#: Words that say the clause is about the picture after all ("launched in 2015, captured ...").
_IMAGE_WORDS = re.compile(r"imag|captur|acquir|\btook\b|\bshows?\b|\bview|photo", re.IGNORECASE)
#: "Cyclone Nargis", "Hurricane Ida": a storm's given name, which is also some town's.
_STORM_NAME = re.compile(
    # a capital first, the word boundary tested after it ("(?<!\w.)"), then which capital it
    # was: re jumps from capital to capital (4x faster than a leading \b, tried everywhere)
    r"[HTCWS](?<!\w.)(?:(?<=H)urricane|(?<=T)yphoon|(?<=C)yclone|"
    r"(?:(?<=T)ropical|(?<=W)inter|(?<=S)ubtropical)\s+(?:Storm|Depression))"
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
    return (
        "aunch" in text
        or "ocket" in text
        or ("ift" in text and "off" in text)
        or (
            ("estartet" in text or "ebracht" in text or "lanc" in text or "lanz" in text)
            and _FOREIGN_LAUNCH.search(text) is not None
        )
    )


def launch_site(text: str, start: int) -> bool:
    """Whether the name starting at ``start`` is where a launch took place."""
    window = max(0, start - 120)
    # (the pattern needs one of these words: three finds cost ~10x less than its search)
    if (
        text.find("aunch", window, start) >= 0
        or text.find("ift", window, start) >= 0
        or text.find("rocket", window, start) >= 0
    ):
        found = _LAUNCH_BEFORE.search(text, window, start)
        if found is not None:
            return _IMAGE_WORDS.search(found.group("between")) is None
    # its sentence, read whole: the verb may follow the site in German ("... aus gestartet")
    # ("osservare Milano da un punto di vista privilegiato: lo spazio! Grazie al satellite ...
    # che è stato lanciato": an exclamation ends a sentence too; looked for within the sentence
    # the other ends bound, not across the whole text)
    begin = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    begin = max(begin, text.rfind("! ", begin, start) + 1)
    stops = [i for i in (text.find(". ", start), text.find("\n", start)) if i >= 0]
    end = min(stops) if stops else len(text)
    exclaimed = text.find("! ", start, end)
    sentence = text[begin : end if exclaimed < 0 else exclaimed]
    if sentence.isascii() and not _FOREIGN_LAUNCH_WORDS.search(sentence.lower()):
        return False  # (what the caseless pattern needs, looked for ~5x faster)
    return (
        _FOREIGN_LAUNCH.search(sentence) is not None
        and _IMAGE_WORDS.search(sentence) is None
        and _FOREIGN_IMAGE_WORDS.search(sentence) is None
    )


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


#: A river's word before its bare name ("the Po", "il fiume Po", "el río Ebro", "le fleuve
#: Sénégal"), in a text that speaks of rivers at all.
_RIVER_BEFORE = re.compile(r"(?:\b(?:the|fiume|del|r[ií]o|rivière|fleuve|Fluss))\s+$")
_RIVER_WORDS = ("river", "River", "fiume", "río", "rio ", "fleuve", "rivière", "Fluss")


def names_river(text: str, start: int, mentions_rivers: list[bool]) -> bool:
    """Whether the bare name at ``start`` is a river's ("the Po from space", "il fiume Po").

    Args:
        text: the article.
        start: where the name starts.
        mentions_rivers: a one-item cache, per text, of whether it speaks of rivers (empty:
            not yet known).
    """
    if _RIVER_BEFORE.search(text, max(0, start - 8), start) is None:
        return False
    if not mentions_rivers:
        mentions_rivers.append(any(w in text for w in _RIVER_WORDS))
    return mentions_rivers[0]


#: A glacier's or an ice shelf's kind after its name in lower case, with the letter of one of
#: its parts ("the Larsen C ice shelf", "the Mertz glacier", "the Brunt ice shelf").
_ICE_AFTER = re.compile(r"(?:[ \t]+([A-Z]))?[ \t]+(glacier|ice shelf|ice stream)\b")


def ice_named(text: str, end: int, name: str, gazetteer: Gazetteer) -> tuple[Place, ...]:
    """The glacier or ice shelf a name ending at ``end`` is, its kind written in lower case.

    Returns:
        The gazetteer's entries for "Name Glacier" (or "Name C Ice Shelf", else "Name Ice
        Shelf"), none when no such kind follows or the gazetteer has no such feature.
    """
    after = _ICE_AFTER.match(text, end)
    if after is None:
        return ()
    kind = after.group(2).title()
    part = after.group(1)
    found = gazetteer.lookup(f"{name} {part} {kind}") if part else ()
    return found or gazetteer.lookup(f"{name} {kind}")


_STEMS: tuple[object, frozenset[str]] = (None, frozenset())


def kind_stems(gazetteer: Gazetteer) -> frozenset[str]:
    """Names that with a kind after them are a river, a glacier or an ice shelf of the gazetteer.

    "Po" ("Po River"), "Larsen" ("Larsen C Ice Shelf", "Larsen Ice Shelf"): what such a name
    alone is depends on the words around it.
    """
    global _STEMS
    if _STEMS[0] is not gazetteer:
        stems = set()
        for name in gazetteer.by_name:
            for kind in (" River", " Glacier", " Ice Shelf", " Ice Stream"):
                if name.endswith(kind):
                    stem = name[: -len(kind)]
                    stems.add(stem)
                    if re.search(r" [A-Z]$", stem):
                        stems.add(stem[:-2])
        _STEMS = (gazetteer, frozenset(stems))
    return _STEMS[1]


#: Facilities and events named after a town ("Hanford Nuclear Reservation", "the Boston
#: Marathon"): the town is the place.
_FACILITY = re.compile(
    r"(?:Reservation|Airport|Dam|Reservoir|National Park|National Forest|Air Force Base|"
    r"Naval Air Station|Power Plant|Power Station|Nuclear Plant|Harbou?r|Port|Marathon|"
    r"Olympics|Olympic Games|Grand Prix)$"
)
#: Organisations named after a place ("U.S. Geological Survey", "Japan Aerospace Exploration
#: Agency", "Alaska Satellite Facility"): their seat or owner, not what the picture shows.
_ORGANISATION_AFTER = re.compile(
    r"(?:[ \t]+(?:[A-Z][\w'-]*|of|and|for)){0,5}?[ \t]+"
    r"(?:Survey|Agency|Administration|Cent(?:er|re)|Institute|University|College|Laboratory|"
    r"Service|Department|Ministry|Office|Facility|Team|Programme|Program|Society|Corporation|"
    r"Company|Foundation|Association|Council|Commission|Authority|Observatory|Museum|"
    # newspapers named after their city ("the Washington Post", "the Los Angeles Times")
    r"Post|Times|Journal|Herald|Tribune|Chronicle|Gazette)\b"
)
#: An organisation two places share, joined by a slash ("U.S./Japan ASTER Science Team").
_JOINT_AFTER = re.compile(r"/[A-Z][\w.'-]*" + _ORGANISATION_AFTER.pattern)
