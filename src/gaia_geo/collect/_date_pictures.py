"""Which picture a date belongs to, from the words around it rather than from its form.

Part of :func:`gaia_geo.collect._dates.find_dates`. Whatever the date's own format, articles
tie it to a picture, or to history, in a few general ways:

- a relative clause after the date names the picture: "in 1975, when the picture on the left
  was taken", "between August 21, when the lower image was taken, and ...", "in December
  2006, as the top image reveals": the date is that picture's, whatever event words ("since",
  "according to") the sentence holds besides;
- a year after "first seen", "first photographed" tells history (when something was first
  observed from space, decades before the picture at hand), not the picture.
"""

from __future__ import annotations

import re

from ._date_cues import NAMES_IMAGE_AFTER, SIDE

#: ", when the picture on the left was taken", ", as the top satellite image reveals".
WHEN_PICTURE_AFTER = re.compile(
    r",?\s+(?:when|as)\s+(?:the|this|that|these|both|our)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:images?|pictures?|photos?|photographs?|scenes?|views?)\b",
    re.I,
)
#: ``SIDE``, ``WHEN_PICTURE_AFTER`` or ``NAMES_IMAGE_AFTER`` at a date's end, the first of them
#: that matches there named by ``lastgroup``: one match where most dates have none of them.
AFTER_DATE = re.compile(
    rf"(?P<side>(?i:{SIDE.pattern}))|(?P<when>(?i:{WHEN_PICTURE_AFTER.pattern}))"
    rf"|(?P<names>{NAMES_IMAGE_AFTER.pattern})"
)
#: The reason of a date a picture's relative clause names.
WHEN_PICTURE = "a picture named by the clause after it"

#: "was first photographed from space in", "were first seen in": a first in history.
_FIRST_BEFORE = re.compile(
    r"\bfirst\s+(?:seen|photographed|observed|imaged|detected|spotted|recorded|captured|"
    r"noticed|discovered|mapped|identified)\b[^.;:\n]{0,60}$",
    re.I,
)
#: The reason of a year a "first seen" clause dates.
FIRST_IN_HISTORY = "when it was first observed (history)"


def first_in_history(text: str, begin: int) -> bool:
    """Whether "first seen", "first photographed"... governs the year at ``begin``.

    "Lake Chad was first photographed from space in 1965", "the trails were a mystery when
    they were first seen in 1965": a first observation in history, not the picture's year.
    """
    return _FIRST_BEFORE.search(text, max(0, begin - 80), begin) is not None
