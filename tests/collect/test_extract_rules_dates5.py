"""Acquisition-date rules of the fifth round (studied on real-425..real-549).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Each rule also has a case it must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # an event's date stands in when the clause's picture shows it and nothing else is dated
        (
            "Infrared images showed the ash cloud spreading after an eruption of the volcano "
            "on 3 March 2019.",
            None,
            "2019-03-03",
            "2019-03-03",
        ),
        (
            "A thermal view captured by the satellite shows the fire front two hours after it "
            "started on June 9, 2021.",
            None,
            "2021-06-09",
            "2021-06-09",
        ),
        # ... but not an event told with no picture in its clause
        (
            "The fires started in early 2014 and burned for weeks. Satellites watched the smoke.",
            None,
            None,
            None,
        ),
        # ... nor one dated a picture already gives its date
        (
            "The satellite captured this image on 5 May 2018, a day after the eruption "
            "began on 4 May 2018.",
            None,
            "2018-05-05",
            "2018-05-05",
        ),
        # a relative day of an event the picture shows, counted from the publication
        (
            "The radar satellite imaged the harbour just as the storm hit the coast yesterday.",
            D(2016, 3, 10),
            "2016-03-09",
            "2016-03-09",
        ),
        # an uncued "yesterday" stands in for a picture posted the next day
        (
            "Still more smoke yesterday over the plains (VIIRS, left).",
            D(2021, 9, 2),
            "2021-09-01",
            "2021-09-01",
        ),
        # the dates of publication labels and embedded posts
        (
            "Data Date: March 3, 2015\nVisualization Date: March 20, 2015\nA lake in spring.",
            None,
            "2015-03-03",
            "2015-03-03",
        ),
        (
            "Smoke covers the valley. pic.example/abc\n— Space Agency (@agency) May 4, 2019\n"
            "The image was taken by an imager on a satellite.",
            None,
            None,
            None,
        ),
        (
            "Satellite eye: June 2012 – in pictures\n\nThe images were captured last month.\n\n"
            'This article titled "June 2012 – in pictures" was written by A. Writer, for '
            "example.com on Monday 2nd July 2012 10.00 UTC",
            D(2012, 7, 2),
            "2012-06-01",
            "2012-06-30",
        ),
        # "ever recorded" is record-keeping, not a picture being recorded
        (
            "Rain fell on 3 April 2011, the wettest day ever recorded there. The radiometer "
            "acquired this image on 5 April 2011.",
            None,
            "2011-04-05",
            "2011-04-05",
        ),
        # a span of days alone on its line dates a montage or a pair (a dateline is one day)
        ("Storm track montage\n4-9 October 2005\n", None, "2005-10-04", "2005-10-09"),
        (
            "Glacier, before and after\n\nMay 2, 2001 - May 30, 2011\n",
            None,
            "2001-05-02",
            "2011-05-30",
        ),
        ("October 12, 2005\n\nA storm crossed the bay (image above).", None, None, None),
        # the second date of a written span continues the first's label
        (
            "Date: Feb. 2, 2023 (06:00 UTC) - Feb. 3, 2023 (18:00 UTC)\nA storm crosses the sea.",
            None,
            "2023-02-02",
            "2023-02-03",
        ),
        # several spaces, or a line break after an ordinal, between a day and its month
        (
            "The images span the whole cycle, from 2  March – 30 March 2017.",
            None,
            "2017-03-02",
            "2017-03-30",
        ),
        (
            "The scene was acquired on 14th\nJune 2003 by the sensor.",
            None,
            "2003-06-14",
            "2003-06-14",
        ),
        # ... but a figure's number above a month line is not a day
        (
            "Figure 3\nJanuary 2014 scenes were acquired by the sensor.",
            None,
            "2014-01-01",
            "2014-01-31",
        ),
        # "before/during/after the eruption," times the date before it, not the next one
        (
            "Radar images were made in early May 2004 before the eruption, in late May 2004 "
            "during the eruption, and in mid-June 2004 after the eruption.",
            None,
            "2004-05-01",
            "2004-06-30",
        ),
        # ... while "before the eruption on DATE" dates the eruption
        (
            "The radar image was acquired on 2 June 2011, before the eruption on 9 June 2011.",
            None,
            "2011-06-02",
            "2011-06-02",
        ),
        # a list of years spans its images
        (
            "These four satellite images from 1990, 2000, 2010, and 2020 show the lake shrinking.",
            None,
            "1990-01-01",
            "2020-12-31",
        ),
        # "in early January" without a year: the publication's
        (
            "Satellite imagery captured of the airport after the attack in early March shows "
            "craters.",
            D(2019, 11, 30),
            "2019-03-01",
            "2019-03-31",
        ),
        # only the finest of the dates inside a chosen one replace it
        (
            "Scene 20150716\nThis 2015 image shows the snow line, low because of the sun in "
            "July (the photo was taken at noon).",
            None,
            "2015-07-16",
            "2015-07-16",
        ),
        # with no year written in any date and no publication date, a bare year lends its own
        (
            "The 2009 flood season was long. On March 3 (left) the river was low; the March 30 "
            "image (right) shows it flooded.",
            None,
            "2009-03-03",
            "2009-03-30",
        ),
        # ... but a clock time is no year
        ("Loop of images from 1800 UTC on 4 June (left).", None, None, None),
        # ... and without any year the date is not usable
        ("On March 3 (left) the river was low.", None, None, None),
        # a page box that repeats the dateline as "Date Acquired" yields to the prose
        (
            "May 20, 2014 - Dust over the sea\n\nThe spectroradiometer acquired this image on "
            "May 12, 2014.\n\nImage Facts\nDate Acquired: 5/20/2014\n",
            D(2014, 5, 20),
            "2014-05-12",
            "2014-05-12",
        ),
        # ... but a box date alone stays
        (
            "May 20, 2014 - Dust over the sea\n\nImage Facts\nDate Acquired: 5/20/2014\n",
            D(2014, 5, 20),
            "2014-05-20",
            "2014-05-20",
        ),
        # "the snowstorm of January 22-23" names an event, not the picture
        (
            "The imager provided clear views yesterday of the snow left by the blizzard of "
            "February 5-6, 2010.",
            D(2010, 2, 9),
            "2010-02-08",
            "2010-02-08",
        ),
        # "February in 2003" is a month
        (
            "An early case was the snowy February in 2003, seen in the first images.",
            None,
            "2003-02-01",
            "2003-02-28",
        ),
    ],
)
def test_fifth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
