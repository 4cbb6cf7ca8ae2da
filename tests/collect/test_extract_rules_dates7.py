"""Acquisition-date rules of the seventh round (studied on real-550..real-671).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Most rules also have a case they must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span
from gaia_geo.collect._date_languages import MONTHS

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # the next items of a list of picture dates, across semicolons, have no cue of their own
        (
            "Pictures captured by the constellation on 3 May 2012; 9 May 2013; and 11 May 2014 "
            "follow the delta as it grows.",
            None,
            "2012-05-03",
            "2014-05-11",
        ),
        # the end of a span written with clock times: "from 1800 UTC on ... to 0600 UTC on ..."
        # (here on a line of its own, so without the cue of the start's clause)
        (
            "Infrared images captured the storm from 1800 UTC on 4 March\nto 0600 UTC on 5 March "
            "as it deepened.",
            D(2021, 3, 8),
            "2021-03-04",
            "2021-03-05",
        ),
        # "By <date>," goes on with a later picture of a series
        (
            "The March 2015 image shows the lake brimming. By August 2016, the shoreline had "
            "retreated two kilometres.",
            None,
            "2015-03-01",
            "2016-08-31",
        ),
        # ... a year on when written without one and earlier in the year than the first picture
        (
            "The November 30th, 2016 image shows the ice shelf whole. By February 3, the "
            "crack had cut it in two.",
            None,
            "2016-11-30",
            "2017-02-03",
        ),
        # ... but a year ("By 2010") inside a list of picture years is one of them
        (
            "These images from 1990, 2000 and 2010 show the town spreading. By 2010, it filled "
            "the valley.",
            None,
            "1990-01-01",
            "2010-12-31",
        ),
        # ... but not a state told before any picture
        (
            "By 12 June the fire had burned 500 hectares. The satellite captured this image on "
            "14 June 2019.",
            None,
            "2019-06-14",
            "2019-06-14",
        ),
        # ... nor a news story's next step after a picture not named by its date
        (
            "The satellite captured this image on 3 May 2019. By 10 May, officials had evacuated "
            "2,000 people.",
            None,
            "2019-05-03",
            "2019-05-03",
        ),
        # with no date cued as a picture's, the day of the event the article is about stands in
        (
            "An eruption of the volcano occurred on 14 March 2018. Infrared images (above) showed "
            "the plume drifting east.",
            None,
            "2018-03-14",
            "2018-03-14",
        ),
        # ... not when the pictures are timed by the event
        (
            "A flood occurred on 2 June 2016. Radar images taken after the flood show the damage.",
            None,
            None,
            None,
        ),
        # "(lower image)" dates a picture like "(bottom)"
        (
            "The sensor captured the flooded river on 9 May 2011. A month earlier, on 3 April 2011 "
            "(lower image), it ran in its bed.",
            None,
            "2011-04-03",
            "2011-05-09",
        ),
        # a "Posting Date" is the publication's
        (
            "Flooding in the delta\n\nSensor\nTerra/MODIS\nStart Date\n2012-06-01\nPosting Date\n"
            "2012-06-04\n",
            None,
            "2012-06-01",
            "2012-06-01",
        ),
        # spans of days alone on their lines, the year given above them, date the maps
        (
            "Sea ice maps, winter and summer 2009\n\nMarch 3-5\nSeptember 10-12\n\nEach map "
            "averages three days.",
            None,
            "2009-03-03",
            "2009-09-12",
        ),
        # two dates alone on their lines, blank lines between, date a before/after pair
        (
            "Lake Chad from orbit\n\nJanuary 5, 2001\n\nJanuary 9, 2021\n\nThe lake has shrunk.",
            None,
            "2001-01-05",
            "2021-01-09",
        ),
        # a yearless list of days written day first
        (
            "The plume was clear in the imagery on 3, 4 and 5 June.",
            D(2019, 6, 10),
            "2019-06-03",
            "2019-06-05",
        ),
        # a weekday that is the publication's day is the news (a release), not one more picture
        (
            "The agency released the first pictures captured by its new satellite on Monday. One "
            "taken on Oct. 2 shows the desert.",
            D(2023, 10, 9),
            "2023-10-02",
            "2023-10-02",
        ),
        # a month naming a picture, its year the text's
        (
            "Hurricane Zeta made landfall on October 28, 2020. The September image shows the "
            "marsh green; in the November image it is brown.",
            None,
            "2020-09-01",
            "2020-11-30",
        ),
        # ... yielding to the picture days it overlaps
        (
            "The satellite imaged the volcano on April 1 and May 20, 2001. The April image shows "
            "a small hot spot.",
            None,
            "2001-04-01",
            "2001-05-20",
        ),
        # dates and acquisition words of other languages
        (
            "Der Satellit hat am 3. Juni 2019 dieses Bild aufgenommen.",
            None,
            "2019-06-03",
            "2019-06-03",
        ),
        (
            "Cette image a été acquise le 14 juillet 2018 par le satellite.",
            None,
            "2018-07-14",
            "2018-07-14",
        ),
        ("La imagen fue tomada el 19 de marzo de 2021.", None, "2021-03-19", "2021-03-19"),
        (
            "L'immagine è stata acquisita il 2 settembre 2017 dal satellite.",
            None,
            "2017-09-02",
            "2017-09-02",
        ),
        # ... a launch among them is no picture's date
        ("Der Satellit wurde am 3. April 2014 gestartet.", None, None, None),
    ],
)
def test_seventh_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)


def test_foreign_month_names_cover_the_year() -> None:
    """Each language names twelve months, numbered from January."""
    assert MONTHS["januar"] == MONTHS["gennaio"] == MONTHS["janeiro"] == 1
    assert MONTHS["dezember"] == MONTHS["décembre"] == MONTHS["diciembre"] == 12
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
