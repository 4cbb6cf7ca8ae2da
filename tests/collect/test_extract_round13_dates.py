"""Acquisition-date rules of the thirteenth round (studied on real-1412..real-1718).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Each rule also has a case it must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # a day whose year only later text writes (no publication date, no credit) takes it
        (
            "The two glaciers were photographed when imaged on March 8.\n\nIn mid-February "
            "2011, the tongue of the glacier broke off.",
            None,
            "2011-03-08",
            "2011-03-08",
        ),
        # (left alone: an uncued day told before its year is history, no stand-in)
        (
            "But on June 15th,\n1991, the volcano blew its top. This series of Landsat images "
            "shows the mountain a few months after the eruption.",
            None,
            None,
            None,
        ),
        # the date as an event's adjective names the event, not a picture
        (
            "Satellite photos from before and after the March 11 earthquake show the coast.\n"
            "Sendai on March 12, 2011. Satellite image courtesy of GeoEye.\n"
            "Sendai on April 4, 2010. Satellite image courtesy of GeoEye.",
            None,
            "2010-04-04",
            "2011-03-12",
        ),
        (
            "The radar image was taken a month after its September 19, 1994, eruption. It was "
            "acquired by the shuttle radar on October 11, 1994.",
            None,
            "1994-10-11",
            "1994-10-11",
        ),
        # (left alone: an event's month is often its pictures' too)
        (
            "Here we see AVHRR data for the April 1982 eruption of El Chichon.",
            None,
            "1982-04-01",
            "1982-04-30",
        ),
    ],
)
def test_thirteenth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
