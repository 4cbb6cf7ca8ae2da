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
        # a CJK news story writes the days of its week without their month: the publication's
        (
            "同衛星は10日に初の衛星写真を伝送した。",
            dt.date(2015, 10, 12),
            "2015-10-10",
            "2015-10-10",
        ),
        (
            "지난달 31일 오전 우주인이 촬영한 사진과 위성이 4일 오후 촬영한 영상.",
            dt.date(2022, 9, 5),
            "2022-08-31",
            "2022-09-04",
        ),
        # (left alone: a count of days)
        (
            "衛星は3日間かけて観測した。",
            dt.date(2015, 10, 12),
            None,
            None,
        ),
        # a CJK span whose first day leaves its unit to the last; last year's day ("昨年")
        (
            "「だいち2号」による2024年1月1~15日の観測範囲を示します。",
            None,
            "2024-01-01",
            "2024-01-15",
        ),
        (
            "左が2009年2月7日の観測、右が噴火前の画像として昨年3月8日に観測されたものです。",
            None,
            "2008-03-08",
            "2009-02-07",
        ),
        # two CJK dates, each with a note in brackets, share the verb after the second
        (
            "図2は、2022年4月6日（地震前）と2023年2月8日（地震後）の観測データを用いた画像です。",
            None,
            "2022-04-06",
            "2023-02-08",
        ),
    ],
)
def test_thirteenth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
