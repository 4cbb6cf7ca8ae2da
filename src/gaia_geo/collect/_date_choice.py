"""Which dates stand in when none is cued as the picture's, and which chosen dates yield.

Part of :func:`gaia_geo.collect._dates.acquisition_dates`, once the cued acquisition dates are
chosen: with none, an uncued date (an event the picture shows), else an event the picture's
clause shows, else the day of an event of the day the article is about stands in; a month
named without its year ("The April image") yields to the picture days that already date it;
beside the surely cued dates, a day a picture "shows" is one more picture's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._date_cues import EVENTS_OF_THE_DAY, PICTURES_AROUND_EVENT, SHOWN_EVENT

if TYPE_CHECKING:
    from ._dates import DateMention


def stand_ins(dates: list[DateMention], text: str) -> list[DateMention]:
    """The dates that stand in for a picture date when the text cues none.

    Args:
        dates: every date of the text.
        text: the article text.

    Returns:
        An uncued date (an event the picture shows, never the publication date nor a bare
        year); else an event the picture's clause shows; else the day of an event of the day
        ("An eruption ... occurred on 4 June 2011. Images showed the ash cloud"), unless the
        text times its pictures by the event ("images before and after the fire", "observations
        since the earthquake"); else none.
    """
    uncued = [
        d
        for d in dates
        if d.role == "other"
        and d.strength == "none"
        and d.reason != "publication"
        and d.precision != "year"  # "lava covered the tip of the island in 2018": history
    ] or [d for d in dates if d.reason == SHOWN_EVENT]
    if uncued:
        return uncued
    events = [d for d in dates if d.reason in EVENTS_OF_THE_DAY and d.precision == "day"]
    return [] if events and PICTURES_AROUND_EVENT.search(text) else events


def months_yield_to_days(chosen: list[DateMention]) -> list[DateMention]:
    """Drop a month written without its year that overlaps a chosen day.

    "on April 1 and May 20, 2001 ... The April image shows": the month names a picture the days
    already date.
    """
    days = [d for d in chosen if d.precision == "day"]
    if not days or len(days) == len(chosen):
        return chosen
    return [
        d
        for d in chosen
        if d.precision != "month"
        or any(c.isdigit() for c in d.text)
        or not any(o.start <= d.end and d.start <= o.end for o in days)
    ]


#: The weak cue words of a picture that shows its day: "Figure 2 shows the storm on 28 April".
_SHOWS = frozenset({"shows", "show"})


#: The weak cue words of a picture named with its maker, the verb left out: "the middle image by
#: Landsat-4 on 14 December 1987", French "l'image du milieu par Landsat-4 le 14 décembre 1987".
_IMAGE_WORDS = frozenset({"image", "images", "picture", "photo", "scene"})
_TAKEN_BY = re.compile(
    r"\b(?:images?|pictures?|photos?|scenes?)\b[^.;:\n]{0,40}?\b(?:by|par)\s+"
    r"[^.;:\n]{1,30}?\b(?:on|le)\s+$",
    re.I,
)


def with_shown_days(
    strong: list[DateMention], candidates: list[DateMention], text: str = ""
) -> list[DateMention]:
    """The surely cued picture dates, and the days other pictures show.

    "The first image shows Kuwait on 6 January 1991 ... The final image, taken at the end of
    October", "Figure 2 shows Fani on 28 April" beside "the image ... acquired on 3 May": an
    article with several pictures cues some dates with an acquisition verb and others with
    what the picture shows; all are the pictures' dates. Only a day apart from the surely cued
    dates ("shows the burn scar of August 2002" beside "acquired September 1" is the event's
    month; "shows ... in early February" within "acquired from 10 February to 4 March").

    Args:
        strong: the strongly cued acquisition dates (not empty).
        candidates: all acquisition dates, the weakly cued ones with them.
        text: the article text.
    """
    shown = [
        d
        for d in candidates
        if d.strength == "weak"
        and (
            d.reason in _SHOWS
            or (
                d.reason in _IMAGE_WORDS
                and _TAKEN_BY.search(text, max(0, d.span[0] - 80), d.span[0]) is not None
            )
        )
        and d.precision == "day"
        and not any(o.start <= d.end and d.start <= o.end for o in strong)
    ]
    return strong + shown if shown else strong
