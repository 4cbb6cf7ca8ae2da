"""Acquisition-date rules of the thirteenth round's second pass (from the whole development set).

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
        # "the following morning" counts from the last day a picture showed, not from a
        # heading's day or an aside's
        (
            "GOES-16 images showed blowing dust over Texas on 22 February 2023.\n"
            "===== 23 February Update =====\n"
            "On the following morning, the hazy dust was evident in True Color RGB images.",
            None,
            "2023-02-22",
            "2023-02-23",
        ),
        (
            "GOES-16 images showed smoke over Colorado on 30 September 2020. The plume came from "
            "a fire which produced a pyroCb cloud on 19 September.On the following morning, the "
            "smoke was evident in Natural Color RGB images.",
            None,
            "2020-09-30",
            "2020-10-01",
        ),
        # (left alone: an uncued "next day" names no picture)
        (
            "MODIS images showed the storm on 4 May 2021. The river flooded the next day.",
            None,
            "2021-05-04",
            "2021-05-04",
        ),
        # a span across the new year, its first day written without the year
        (
            "Des images Pléiades ont été acquises entre le 11 décembre et le 3 février 2022.",
            None,
            "2021-12-11",
            "2022-02-03",
        ),
        (
            "Landsat images were acquired between December 11 and February 3, 2022.",
            None,
            "2021-12-11",
            "2022-02-03",
        ),
        # (left alone: a span within one year)
        (
            "Landsat images were acquired between February 3 and December 11, 2022.",
            None,
            "2022-02-03",
            "2022-12-11",
        ),
        # French "obtenue" is an acquisition word; a picture named with its maker, the verb left
        # out, is one of the pictures
        (
            "L'image de gauche a été obtenue par le satellite Landsat-1 le 8 décembre 1972; "
            "l'image de droite par Landsat-7 le 18 décembre 2002.",
            None,
            "1972-12-08",
            "2002-12-18",
        ),
        (
            "The left image was acquired by Landsat-1 on 8 December 1972; the right image by "
            "Landsat-7 on 18 December 2002.",
            None,
            "1972-12-08",
            "2002-12-18",
        ),
        # a news dateline after a town, before a colon, is the story's day
        (
            "Lagos. February 5, 2013: A photograph of the new district has been captured by a "
            "satellite. The image shows the coastline in early January, 2013.",
            None,
            "2013-01-01",
            "2013-01-31",
        ),
        # (left alone: a caption's date before a colon, with nothing before it)
        (
            "December 23, 2017: An astronaut aboard the International Space Station focused a "
            "camera on the delta.",
            None,
            "2017-12-23",
            "2017-12-23",
        ),
        # pictures taken "hours ago" are the publication's day
        (
            "A blast hit the port on Tuesday 4th August 2020.\nSatellite images captured only "
            "hours ago with WorldView-2 highlight the damage.",
            dt.date(2020, 8, 5),
            "2020-08-05",
            "2020-08-05",
        ),
    ],
)
def test_thirteenth_round_second_pass_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
