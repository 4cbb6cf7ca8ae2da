"""Acquisition-date rules of the ninth round (studied on real-797..real-916).

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
        # two dates and nothing else on one line: the captions of two pictures side by side
        (
            "Floods in the Delta\n\nThe river changed after the storm.\n\n"
            "3 March 2012   9 May 2012\n\nCredit: the agency.",
            None,
            "2012-03-03",
            "2012-05-09",
        ),
        # "Display Date" is when the page shows the picture, not when it was taken
        (
            "This Terra image shows the fires burning on June 3, 2009.\n\nDisplay Date\n\n"
            "June 5, 2009",
            None,
            "2009-06-03",
            "2009-06-03",
        ),
        # a launch's year lends none to a day written without one when the page is dated
        (
            "Launched in May 2017, the satellite watches the ocean. The imagery from "
            "February 9 shows the ash cloud.",
            D(2021, 2, 11),
            "2021-02-09",
            "2021-02-09",
        ),
        # ... but with no publication date it is the only year there is
        (
            "Launched in May 2017, the satellite watches the ocean. The imagery from "
            "July 9 shows the ash cloud.",
            None,
            "2017-07-09",
            "2017-07-09",
        ),
    ],
)
def test_ninth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
