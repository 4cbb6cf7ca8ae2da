"""Acquisition-date rules of the fourth round (studied on real-305..real-424).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Each rule also has a case it must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span
from gaia_geo.collect import extract_metadata
from gaia_geo.collect._date_formats import written_year


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # range too narrow: several pictures
        # a span of years, and an ESA credit line with two years
        ("Data acquired 1990 - 2020", None, "1990-01-01", "2020-12-31"),
        (
            "Landsat images acquired between 1984 and 2020 show the city growing.",
            None,
            "1984-01-01",
            "2020-12-31",
        ),
        ("The mission operated 1999-2013. Its camera took pictures of clouds.", None, None, None),
        (
            "Contains modified Copernicus Sentinel data (2017/2020), processed by ESA",
            None,
            "2017-01-01",
            "2020-12-31",
        ),
        (
            "Contains modified Copernicus Sentinel data (2018-19), processed by ESA",
            None,
            "2018-01-01",
            "2019-12-31",
        ),
        # a list of days keeps all its days when one of them is named again
        (
            "These images were taken by Sentinel-2 on 3 March and 9 March 2021. In the 9 March "
            "image, the river has flooded.",
            None,
            "2021-03-03",
            "2021-03-09",
        ),
        # "today's image" compared with an older one is a picture of its own ...
        (
            "By comparing today's image with one acquired on 2 June 2020, the damage is clear.",
            dt.date(2020, 6, 10),
            "2020-06-02",
            "2020-06-10",
        ),
        # ... but the featured picture when the clause gives its date
        (
            "Today's image, acquired by Aqua on 2 June 2020, shows smoke.",
            dt.date(2020, 6, 10),
            "2020-06-02",
            "2020-06-02",
        ),
        # a date taken where the text gives none
        # an uncued bare year is history, not the picture's year
        (
            "Lava flows covered the tip of the island in 2018. Landsat 8 imagery reveals a lava "
            "lake.",
            None,
            None,
            None,
        ),
        # what pictures show happened then
        (
            "Satellite data reveal that the lake shrank between March 2001 and May 2014.",
            None,
            None,
            None,
        ),
        (
            "Landsat 8 captured this view on 3 May 2019. Later radar images showed that the dam "
            "had failed by 9 June 2019.",
            None,
            "2019-05-03",
            "2019-05-03",
        ),
        # a page's update stamp gives no year to a date written without one
        (
            "Last updated: 4 March 2022\nTerra captured this image of the fire on July 3.",
            None,
            None,
            None,
        ),
        # ... but a news story's own "Updated:" stamp does
        (
            "Updated: May 9, 2021\nTerra captured this image of the fire on May 3.",
            None,
            "2021-05-03",
            "2021-05-03",
        ),
        # a verb after "and the" is that other noun's
        (
            "Comparing the elevation model from 2000 and the data acquired by TanDEM-X shows the "
            "mine.",
            None,
            None,
            None,
        ),
        # acquisition date missed
        # a weekday without "on", as news stories write it; not a named day
        (
            "Captured Tuesday by the Aqua satellite, the image shows smoke over the bay.",
            dt.date(2021, 7, 15),
            "2021-07-13",
            "2021-07-13",
        ),
        (
            "The image was captured near the coast, officials said Good Friday.",
            dt.date(2021, 7, 15),
            None,
            None,
        ),
        # numeric dates with a two-digit year
        ("Envisat/MERIS (21/06/05).\nA bloom in the Baltic Sea.", None, "2005-06-21", "2005-06-21"),
        ("Date acquired: 04/11/09", None, "2009-04-11", "2009-04-11"),
        # European pages: the day first, with dots (two digits each, not a version number)
        ("Sentinel-2 image (06.10.2018) of the lagoon.", None, "2018-10-06", "2018-10-06"),
        ("Version 1.2.2019 of the software draws the image.", None, None, None),
        ("Landsat 7 acquired this image in June of 2000.", None, "2000-06-01", "2000-06-30"),
        # "displayed" is "showed", even after a "created with" aside
        (
            "GOES-16 images — created with Geo2Grid — displayed fog over the valley on 4 May 2023.",
            None,
            "2023-05-04",
            "2023-05-04",
        ),
        # range too wide
        # a line wrapped inside "image from"; a download date, and "that day" after it
        (
            "This Landsat 9 image\nfrom June 3rd, 2022 shows the delta. The scene was downloaded on"
            "\nMay 1st, 2023, one of 10,000 scenes downloaded that day.",
            None,
            "2022-06-03",
            "2022-06-03",
        ),
        # "that same day" after a verb of taking still points back; after "downloaded" not
        (
            "Terra captured the smoke on 4 June 2021. NASA released an image taken that same day "
            "by Aqua.",
            None,
            "2021-06-04",
            "2021-06-04",
        ),
        (
            "Landsat 8 imaged the coast on 2 May 2019. The scene was downloaded on 9 March 2020, "
            "one of 20,000 downloaded that day.",
            None,
            "2019-05-02",
            "2019-05-02",
        ),
        # "after" an event: the event's date, not the picture's ...
        (
            "Envisat captured these images of the slick spreading after a tanker sank off the "
            "coast on 12 May 2003.",
            None,
            None,
            None,
        ),
        # ... but "taken after the storm on" a date is the picture's, and so is a pass
        (
            "The second image was taken after the storm on 28 March 2023.",
            None,
            "2023-03-28",
            "2023-03-28",
        ),
        (
            "Aqua acquired the image shortly after it passed over the bay on 5 May 2019.",
            None,
            "2019-05-05",
            "2019-05-05",
        ),
        # another date taken: days and weeks counted from the day after "after"
        (
            "Terra captured this image one week after the 3 May 2019 eruption of the volcano.",
            None,
            "2019-05-10",
            "2019-05-10",
        ),
        (
            "Sentinel-2 imaged the coast on 1 May 2020. Two weeks later, it imaged the area again.",
            None,
            "2020-05-01",
            "2020-05-15",
        ),
        # the start of a period ("since") lends no year
        (
            "The image was captured on May 2, the largest flood since the dam opened in June 2008.",
            dt.date(2010, 5, 20),
            "2010-05-02",
            "2010-05-02",
        ),
    ],
)
def test_date_rules_round_four(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)


@pytest.mark.parametrize(
    ("groups", "year"),
    [({"y": "2004"}, 2004), ({"yy": "04"}, 2004), ({"yy": "98"}, 1998), ({"d": "3"}, None)],
)
def test_written_year_reads_two_digit_years(
    groups: dict[str, str | None], year: int | None
) -> None:
    assert written_year(groups) == year


def test_reversed_year_ranges_are_no_dates() -> None:
    meta = extract_metadata("Landsat acquired these images 2020 - 1990.")
    assert meta.start_datetime is None
    assert not any(d.text.startswith("2020") for d in meta.dates)
