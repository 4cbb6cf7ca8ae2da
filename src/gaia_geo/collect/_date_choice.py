"""Which dates stand in when none is cued as the picture's, and which chosen dates yield.

Part of :func:`gaia_geo.collect._dates.acquisition_dates`, once the cued acquisition dates are
chosen: with none, an uncued date (an event the picture shows), else an event the picture's
clause shows, else the day of an event of the day the article is about stands in; a month
named without its year ("The April image") yields to the picture days that already date it.
"""

from __future__ import annotations

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
