"""Dates that name an event rather than a picture: "the storm of January 22", "the March 11 quake".

Part of :func:`gaia_geo.collect._dates.find_dates`. Articles name a disaster by its date,
before the event word or after it: "the epic snowstorm of January 22-23", "le tsunami du 11
mars 2011", and, in English, the date as the event's adjective: "before and after the March 11
earthquake", "a month after its September 19, 1994, eruption". The pictures are of its
aftermath, or before it: the date is the event's, not theirs.
"""

from __future__ import annotations

import re

from . import _date_languages as _lang
from ._date_cues import EVENT_OF

#: "the March 11 earthquake", "its September 19, 1994, eruption", "the February 7, 2023
#: earthquake": a determiner before the date, an event word (after at most two others) after it.
_EVENT_AFTER = re.compile(
    r",?\s+(?:[\w-]+\s+){0,2}?(?:earthquakes?|quakes?|eruptions?|tsunamis?|explosions?|"
    r"blasts?|landfall|tornado(?:e?s)?|attacks?|invasion)\b",
    re.I,
)
#: A day's number (an event's month, "the April 1982 eruption", is often its pictures' too).
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
#: How the words before a date end when it may be an event's adjective.
_DETERMINER_ENDS = ("the ", "The ", "its ", "Its ", "their ", "Their ")


def names_event(text: str, before: str, begin: int, finish: int) -> bool:
    """Whether the date at ``begin:finish`` names an event, not a picture.

    Args:
        text: the article text.
        before: the 40 characters before the date.
        begin: where the date starts.
        finish: where it ends.
    """
    if before.endswith(_DETERMINER_ENDS):  # (a day: see ``_DAY_NUMBER``)
        return (
            _EVENT_AFTER.match(text, finish) is not None
            and _DAY_NUMBER.search(text, begin, finish) is not None
        )
    return (before.endswith("of ") and EVENT_OF.search(before) is not None) or (
        before.endswith(_lang.EVENT_OF_ENDS) and _lang.EVENT_OF.search(before) is not None
    )
