"""Acquisition-date rules of the tenth round (studied on real-917..real-1041).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Most rules also have a case they must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # Turkish month names (CLDR), and its acquisition, image and launch words
        (
            "Uydu, barajı 12 Mart 2021 tarihinde kaydedilen görüntüde gösteriyor.",
            None,
            "2021-03-12",
            "2021-03-12",
        ),
        (
            "Uydu 3 Haziran 2019 tarihinde fırlatıldı. Gölün 20 Ağustos 2020 tarihli "
            "görüntüsü kuraklığı gösteriyor.",
            None,
            "2020-08-20",
            "2020-08-20",
        ),
        # Hindi month names, in CLDR's spelling and the common one with a half "म"
        ("उपग्रह ने 5 सितम्बर 2022 को बाढ़ की यह तस्वीर ली।", None, "2022-09-05", "2022-09-05"),
        ("उपग्रह ने 5 सितंबर 2022 को बाढ़ की यह तस्वीर ली।", None, "2022-09-05", "2022-09-05"),
        # Thai: a year of the Buddhist era (543 years ahead), with its mark, or two digits
        ("ดาวเทียมบันทึกภาพน้ำท่วมเมื่อวันที่ 9 ตุลาคม 2565", None, "2022-10-09", "2022-10-09"),
        ("ภาพถ่ายดาวเทียมวันที่ 2 ก.พ. 64 แสดงไฟป่า", None, "2021-02-02", "2021-02-02"),
        ("ภาพนี้ถ่ายในเดือนเมษายน พ.ศ. 2561", None, "2018-04-01", "2018-04-30"),
        # ... or a Gregorian year after a Thai month
        ("ภาพนี้ถ่ายเมื่อ 14 มกราคม 2019", None, "2019-01-14", "2019-01-14"),
        # a CJK date right before an image word names that image ("the image of May 6")
        (
            "JAXAは2019年3月1日に緊急観測を行いました。図2は2019年3月9日の画像です。",
            None,
            "2019-03-01",
            "2019-03-09",
        ),
        # a CJK span of days; a launch's year lends none to a day written without one
        (
            "衛星は2019年12月20日に打ち上げられました。2月1日から3日にかけて取得した画像を"
            "公開します。",
            D(2020, 2, 10),
            "2020-02-01",
            "2020-02-03",
        ),
        # a season with its year gives the season's months (northern, meteorological) ...
        (
            "Das Satellitenbild zeigt die Küste im Frühjahr 2018.",
            None,
            "2018-03-01",
            "2018-05-31",
        ),
        (
            "Mosaics of the images acquired in spring and summer 2012 show the basin.",
            None,
            "2012-03-01",
            "2012-08-31",
        ),
        # ... but without a cue it is history, not the picture's
        ("The reservoir was still full in the summer of 2003.", None, None, None),
        # "took off" is a launch, not "took" a picture
        (
            "The rocket took off on 2 March 2004 and the satellite took its first image on "
            "9 March 2004.",
            None,
            "2004-03-09",
            "2004-03-09",
        ),
        # the page's own date does not narrow the years of its images
        (
            "Images acquired in 1995 and 2009 show the shrinking lake.\n\nMonday, June 8, 2009",
            D(2009, 6, 8),
            "1995-01-01",
            "2009-12-31",
        ),
    ],
)
def test_tenth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
