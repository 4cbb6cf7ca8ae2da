"""Whether a picture shows the whole Earth ("this image of our planet Earth", "full disk").

Part of :func:`gaia_geo.collect.extract_metadata` (``_place_order`` gives no place then, and
``_extract_regions`` the whole Earth's footprint).
"""

from __future__ import annotations

import re

#: The whole planet ("this image of our planet Earth", "a full-disk view"): no one country.
_WHOLE_EARTH = re.compile(
    # one picture: "hundreds of photographs of our home planet" is a collection, not the scene
    r"\b(?:(?:image|view|picture|photo(?:graph)?|mosaic|portrait|map)\s+of\s+(?:our|the)\s+"
    r"(?:home\s+)?planet(?:\s+Earth)?|(?:whole|entire)\s+(?:Earth|globe|planet)|full[- ]dis[ck]|"
    # "This is the first image of Earth taken on October 25, 1975", "complete global coverage"
    # (an astronaut's "picture of Earth" shows a part of it)
    r"(?:this|its|the)\s+(?:first\s+)?(?:\w+\s+)?image\s+of\s+"
    r"(?:the\s+)?Earth(?!['\u2019])|complete\s+global\s+coverage|"
    # "the first global, 10-daily synthesis": a product of the whole land surface
    r"global,?\s+(?:[\w-]+\s+)?(?:mosaic|map|view|image|composite|synthesis)|"
    # "the pictures feature every continent", "the sea ice covers of both polar regions"
    r"(?:every|each)\s+continent|all\s+(?:the\s+|seven\s+)?continents|"
    r"both\s+(?:polar\s+regions|poles|hemispheres))\b(?!['\u2019])",
    re.IGNORECASE,
)
#: Words one of which any match of ``_WHOLE_EARTH`` holds (a scan ~8x cheaper, tried first).
_WHOLE_EARTH_HINT = re.compile(
    "lanet|LANET|lobe|LOBE|Earth|EARTH|dis[ck]|DIS[CK]|lobal|LOBAL|ontinent|ONTINENT|"
    "oth [php]|OTH [PHP]"
)
#: How far a match of ``_WHOLE_EARTH`` reaches before and after its hint word.
_HINT_BEFORE, _HINT_AFTER = 60, 40


def whole_earth(text: str, end: int) -> bool:
    """Whether ``text`` says, before ``end``, that the picture shows the whole Earth.

    The full pattern is tried only around each hint word: scanning the text with it would cost
    several times more than the rest of the ordering.
    """
    for hint in _WHOLE_EARTH_HINT.finditer(text, 0, end):
        start = max(0, hint.start() - _HINT_BEFORE)
        if _WHOLE_EARTH.search(text, start, min(end, hint.end() + _HINT_AFTER)):
            return True
    return False
