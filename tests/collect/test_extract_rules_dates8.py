"""Acquisition-date rules of the eighth round (studied on real-672..real-796).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Most rules also have a case they must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span
from gaia_geo.collect._date_cjk import era_year
from gaia_geo.collect._dates import find_dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # a comma after the month, or no space after its abbreviation
        (
            "The satellite captured the harbour on March, 4th, 2016.",
            None,
            "2016-03-04",
            "2016-03-04",
        ),
        ("This scene was acquired on Nov.9, 2015 at noon.", None, "2015-11-09", "2015-11-09"),
        # ... never a month and a count of things
        ("The satellite captured the harbour in May, 12 ships in all.", D(2016, 6, 1), None, None),
        # a list of days written "the 5th and 9th of <month>"
        (
            "The radar imaged the delta on the 5th and 9th of Oct 2013.",
            None,
            "2013-10-05",
            "2013-10-09",
        ),
        # a span or list of days in other languages
        (
            "Die Karte kombiniert zwei Aufnahmen vom 4. und 16. August 2020.",
            None,
            "2020-08-04",
            "2020-08-16",
        ),
        ("Images acquises du 2 au 11 mars 2019 sur le delta.", None, "2019-03-02", "2019-03-11"),
        # band numbers of an RGB composite are no date
        (
            "An RGB image (bands 07/05/02) showed the smoke over the valley on 3 June 2012.",
            None,
            "2012-06-03",
            "2012-06-03",
        ),
        # a year labelled "(before)" or "(after)" is one picture of a pair
        (
            "The dune field in 2004 (before) and 2019 (after) in Landsat images.",
            None,
            "2004-01-01",
            "2019-12-31",
        ),
        # a caption's "image of <a name> on <date>" is a picture's date beside another
        (
            "A satellite image of Lake Chad on Feb. 2, 2020. An earlier image was taken on "
            "November 30, 2019.",
            None,
            "2019-11-30",
            "2020-02-02",
        ),
        # ... unless a verb of sharing governs it
        (
            "The agency shared this photo of Lisbon on June 13, 2018, from its archive.",
            D(2018, 6, 13),
            None,
            None,
        ),
        # the same day written in full later gives the earlier mention its year
        (
            "The mission started on October 2, 2016. On its birthday the satellite captured the "
            "city on Oct. 3. This photo, taken on Oct. 3, 2017, shows its port.",
            D(2017, 10, 9),
            "2017-10-03",
            "2017-10-03",
        ),
        # a weekday picks the year that puts the day on it
        (
            "The satellite was launched on 4 May, 2009. Pictures captured on Tuesday, 12 June "
            "show the flooded district.",
            D(2012, 6, 20),
            "2012-06-12",
            "2012-06-12",
        ),
        # a date in parentheses after a UTC time restates it in local time
        (
            "The imager captured the storm on Sept. 2 at 0200 UTC (Sept. 1 at 10 p.m. EDT).",
            D(2021, 9, 3),
            "2021-09-02",
            "2021-09-02",
        ),
        # two days each with its month are one list of picture days
        (
            "Radar images from 8 March and 11 March show the ice breaking up.",
            D(2022, 3, 20),
            "2022-03-08",
            "2022-03-11",
        ),
        (
            "Photos from June 4 and June 19 show how far the glacier retreated.",
            D(2018, 7, 1),
            "2018-06-04",
            "2018-06-19",
        ),
        # a comparison slider's labels: a date alone on its line under "... Before" / "... After"
        (
            "May 2, 2016 - Alberta fires\n\nFort McMurray Before\nLandsat 8\nApril 12, 2016\n"
            "Fort McMurray After\nLandsat 8\nMay 1, 2016\n\nThe fire burned through the town.",
            D(2016, 5, 2),
            "2016-04-12",
            "2016-05-01",
        ),
        # a picture that shows an event "as it" happens is dated by the event
        (
            "Radar captured the coast on 2 August 2019. The infrared image shows the typhoon as "
            "it made landfall on 8 August 2019.",
            None,
            "2019-08-02",
            "2019-08-08",
        ),
        # ... but not an event told without the picture
        (
            "Radar captured the coast on 2 August 2019. The typhoon made landfall on 8 August "
            "2019.",
            None,
            "2019-08-02",
            "2019-08-02",
        ),
        # Japanese, Chinese and Korean dates: the verb after the date says what happened then
        (
            "2016年4月14日に発生した地震について、だいち2号が2016年4月16日に観測した画像です。",
            None,
            "2016-04-16",
            "2016-04-16",
        ),
        ("観測日: 2015年9月11日\n鬼怒川の浸水域", None, "2015-09-11", "2015-09-11"),
        (
            "図1は2017年3月2日と2017年5月9日の観測画像の比較です。",
            None,
            "2017-03-02",
            "2017-05-09",
        ),
        ("该图像由高分一号卫星于2019年7月20日拍摄。", None, "2019-07-20", "2019-07-20"),
        ("아리랑 3호가 2020년 8월 5일 촬영한 영상이다.", None, "2020-08-05", "2020-08-05"),
        ("平成28年4月16日に観測した画像。", None, "2016-04-16", "2016-04-16"),
        # ... a day without its year takes the text's; a launch is no picture's date
        (
            "2014年5月24日に打ち上げられた衛星は、2022年の噴火の後、1月17日に観測を行った。",
            None,
            "2022-01-17",
            "2022-01-17",
        ),
    ],
)
def test_eighth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)


def test_era_years() -> None:
    """An era's first year is written "元" (1); Heisei 23 is 2011, Reiwa 1 is 2019."""
    assert era_year({"era": "平成", "ey": "23"}) == 2011
    assert era_year({"era": "令和", "ey": "元"}) == 2019
    assert era_year({"era": None}) is None


def test_cjk_dates_need_a_cjk_month() -> None:
    """Latin text pays nothing for the CJK patterns; a CJK month alone gives a month."""
    dates = find_dates("The data from 2019 and 2020 show it.")
    assert all("年" not in d.text for d in dates)
    (month,) = find_dates("2019年7月の画像")
    assert (month.precision, month.start.month) == ("month", 7)
