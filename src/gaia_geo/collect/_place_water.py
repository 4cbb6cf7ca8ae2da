"""Seas and continents named beside the scene, not as it: bearings, boundaries, vantage points.

Part of :func:`gaia_geo.collect.extract_metadata`. ``_place_order`` drops the country when a sea,
an ocean or a continent is named before the subject; these names do not count there:

- a sea given a bearing from the scene: "the Black Sea to the north, ... the Marmara Sea to
  the south" (the picture lies between them);
- the sides of a boundary: "the Bosporus separating Europe and Asia", "the strait between
  Europe and Africa";
- where the satellite or the astronaut was: "locked in orbit 400 miles above the eastern
  Pacific Ocean", "from 700 kilometers (435 miles) over the Pacific Ocean".

And the land a sea's scene lies off: "the Barents Sea off the northeast coast of Norway", "a
bloom in the North Sea off the coast of eastern Scotland" (:func:`coast_locus`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._extract_places import PlaceMention

#: "the Black Sea to the north", "the Marmara Sea to the south-east": a bearing from the scene.
_BEARING_AFTER = re.compile(
    r"[ \t]+(?:to|in|on)[ \t]+the[ \t]+(?:north|south|east|west)(?:-?(?:east|west))?\b"
    r"(?![ \t]+of\b)"
)
#: "separating Europe and Asia", "between the Mediterranean and the Red Sea": two sides.
_SIDES_BEFORE = re.compile(
    r"\b(?:between|separat(?:es?|ing)|divid(?:es?|ing)|link(?:s|ing)|connect(?:s|ing))[ \t]+"
    r"(?:the[ \t]+)?(?:[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)*[ \t]+and[ \t]+(?:the[ \t]+)?)?$"
)
#: "400 miles above the eastern", "700 kilometers (435 miles) over the": a vantage point.
_VANTAGE_BEFORE = re.compile(
    r"\d[ \t]*(?:km|kilomet(?:er|re)s|miles|mi)\)?[ \t]+(?:above|over)[ \t]+(?:the[ \t]+)?"
    r"(?:[a-z]+[ \t]+)?$"
)


def beside_scene(text: str, start: int, end: int) -> bool:
    """Whether the sea or continent at ``text[start:end]`` is named beside the scene."""
    if _BEARING_AFTER.match(text, end):
        return True
    window = max(0, start - 60)
    return bool(
        _SIDES_BEFORE.search(text, window, start) or _VANTAGE_BEFORE.search(text, window, start)
    )


#: "off the northeast coast of", "off the coast of eastern": what lies off a coast is in that
#: country's waters ("west off the coast of Morocco" is a bearing from the scene, not it).
_OFF_COAST = re.compile(
    r"(?<!west )(?<!east )(?<!north )(?<!south )\boff[ \t]+(?:the[ \t]+)?"
    r"(?:(?:north|south|east|west)\w*[ \t]+)?coast[ \t]+of[ \t]+(?:the[ \t]+)?"
    r"(?:(?:north|south|east|west|central)\w*[ \t]+)?$"
)
#: "the hurricane was just off the coast of Baja California": a storm off a coast is at sea.
_STORM_BEFORE = re.compile(r"\b(?:hurricane|typhoon|cyclone|storm)\b", re.IGNORECASE)


def coast_locus(
    text: str, ordered: list[PlaceMention], references: list[PlaceMention]
) -> PlaceMention | None:
    """The land a sea scene lies off ("the Barents Sea off the northeast coast of Norway")."""
    for place in ordered:
        window = max(0, place.span[0] - 60)
        if (
            place not in references
            and _OFF_COAST.search(text, window, place.span[0]) is not None
            and _STORM_BEFORE.search(text, window, place.span[0]) is None
        ):
            return place
    return None
