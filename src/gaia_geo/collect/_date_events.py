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
from ._date_cues import AFTER_EVENT, EVENT_OF, SHOWN_EVENT
from ._date_words import _CUE

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


#: "the iceberg that split off ... on July 10-12", "the ship ... that ran aground ... in late
#: July": a relative clause whose verb in the past tells an event (not a pass over: "Landsat
#: 8, which passed over on 5 May").
_RELATIVE_EVENT = re.compile(
    r"\b(?:that|which)\s+(?:had\s+)?(?P<verb>(?!passed|orbited|overflew)[a-z]+ed|split|ran|"
    r"sank|hit|struck|fell|broke|began|blew|swept|tore|shook|rose|burst|spread|came|went|froze|"
    r"grew|caught)\b[^.;]*$"
)
#: The reason of an event the picture follows.
FOLLOWED = "the event it follows"


def event_between(text: str, cue_end: int, begin: int) -> str | None:
    """The event a clause tells between the picture's cue and the date at ``begin``, else None.

    "captured one week after the March 8 eruption", "captures the oil spilling after a rig
    exploded ... on 22 April": the event the picture follows; "captured a new snap of the
    iceberg that split off from the ice shelf on July 10-12": an event of the thing it shows
    (``SHOWN_EVENT``: its day stands in where no other is the picture's, "captured images of
    the storms that tore through Colorado on Monday").
    """
    if text.find("after", cue_end, begin) >= 0 and AFTER_EVENT.search(text, cue_end, begin):
        return FOLLOWED
    if text.find("that", cue_end, begin) < 0 and text.find("which", cue_end, begin) < 0:
        return None
    told = _RELATIVE_EVENT.search(text, cue_end, begin)
    if told is None:
        return None
    verb = _CUE.search_lowered(told.group("verb"))  # "that was imaged", "which acquired"
    return SHOWN_EVENT if verb is None or verb.group("neg") else None
