"""Acquisition-date rules of the twelfth round (studied on real-1167..real-1411).

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
        # a relative clause after the date names the picture, whatever event words ("since",
        # "according to") the sentence holds: a pair of pictures spans both dates
        (
            "The pair shows how far the farms have spread since 1988, when the image on the "
            "left was acquired. The right-hand image was taken in 2016.",
            None,
            "1988-01-01",
            "2016-12-31",
        ),
        (
            "According to the survey the lake grew between 3 May, when the upper picture was "
            "taken, and 19 June, bottom.\nLandsat 8 acquired both of these scenes.",
            dt.date(2023, 7, 1),
            "2023-05-03",
            "2023-06-19",
        ),
        # (left alone: a clause about an event, not a picture)
        (
            "The reservoir has shrunk since 1988, when the dam was finished. Landsat 8 acquired "
            "this image on 2 July 2016.",
            None,
            "2016-07-02",
            "2016-07-02",
        ),
        # a year after "first seen", "first photographed" is history, not the picture's
        (
            "Such wave clouds were first photographed from orbit in 1962. They show up well in "
            "satellite imagery of the coast on 12 March 2019.",
            None,
            "2019-03-12",
            "2019-03-12",
        ),
        (
            "The island was first imaged from space in 1972, and scientists have tracked its "
            "beaches ever since.",
            None,
            None,
            None,
        ),
        # (left alone: the picture's own year, acquired once)
        (
            "The astronauts photographed the delta in 1994 from the shuttle.",
            None,
            "1994-01-01",
            "1994-12-31",
        ),
        # several pictures: a day one of them "shows" joins the days the others were taken
        (
            "Figure 1 shows the glacier front on 2 March 2020. Sentinel-2 acquired the second "
            "image on 14 April 2020, after the calving.",
            None,
            "2020-03-02",
            "2020-04-14",
        ),
        # (left alone: a month the picture shows, around the day it was taken)
        (
            "The image shows the flooded fields of May 2021. Landsat 8 acquired it on 28 May 2021.",
            None,
            "2021-05-28",
            "2021-05-28",
        ),
    ],
)
def test_twelfth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
