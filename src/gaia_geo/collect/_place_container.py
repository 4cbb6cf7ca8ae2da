"""A region or a feature that the words right after it put in another country.

Part of :func:`gaia_geo.collect.extract_metadata`. The gazetteer files a region or a natural
feature under one country, by its name; an article that names the country right after it says
where this one lies: "the Blue Nile River in Ethiopia" (not Sudan's Blue Nile state), "the
Atacama Desert of coastal Peru" (not Chile's), "Blue Nile, Ethiopia" heading a list of keywords.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._extract_places import PlaceMention

#: The words between a name and the country that contains it: its kind's word ("River"), then
#: "in" or "of", an article and a compass or coast word ("of coastal Peru", "in northern Chad").
_CONTAINED_IN = re.compile(
    r"(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?:in|of)[ \t]+(?:the[ \t]+)?"
    r"(?:(?:north|south|east|west|central|coastal)\w*[ \t]+)?"
)
#: "Blue Nile, Ethiopia": a comma and the country, the end of the name (no list going on).
_COMMA = re.compile(r",[ \t]*")
_LIST_AFTER = re.compile(r"[ \t]*(?:,|and\b|or\b|&)")


def contained_first(text: str, ordered: list[PlaceMention]) -> list[PlaceMention]:
    """Put first the country or region that the first place, a region or feature, is said to be in.

    Only a country or a region of another country, named right after the first place, counts:
    "the Nile River near Khartoum" or "Florida and Cuba" say nothing of where the first lies.
    """
    if not ordered or ordered[0].kind not in ("region", "feature"):
        return ordered
    first = ordered[0]
    for place in ordered[1:]:
        if place.span[0] <= first.span[1] or place.span[0] - first.span[1] > 30:
            continue
        if place.kind not in ("country", "region") or place.country_code == first.country_code:
            continue
        if _CONTAINED_IN.fullmatch(text, first.span[1], place.span[0]) or (
            _COMMA.fullmatch(text, first.span[1], place.span[0])
            and not _LIST_AFTER.match(text, place.span[1])
        ):
            return [place] + [p for p in ordered if p is not place]
    return ordered
