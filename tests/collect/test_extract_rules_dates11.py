"""Acquisition-date rules of the eleventh round (studied on real-1042..real-1166).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Most rules also have a case they must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span
from gaia_geo.collect._date_months import cldr_months

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # CLDR month names of the national languages, in the genitive a date writes (Polish,
        # Czech, Ukrainian, Greek) and in languages whose names the earlier rounds lacked
        (
            "Zdjęcie wykonane przez satelitę Sentinel-2 3 marca 2021 roku pokazuje powódź.",
            None,
            "2021-03-03",
            "2021-03-03",
        ),
        (
            "Citra satelit Landsat 9 yang diambil pada 14 Agustus 2023 memperlihatkan danau itu.",
            None,
            "2023-08-14",
            "2023-08-14",
        ),
        (
            "Снимок со спутника Sentinel-2 сделан 5 березня 2022 року над містом.",
            None,
            "2022-03-05",
            "2022-03-05",
        ),
        (
            "Η εικόνα του Sentinel-2 τραβήχτηκε στις 9 Αυγούστου 2021 πάνω από την Εύβοια.",
            None,
            "2021-08-09",
            "2021-08-09",
        ),
    ],
)
def test_eleventh_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)


def test_cldr_month_names_cover_the_national_languages_without_homographs() -> None:
    months = cldr_months()
    assert months["października"] == 10  # Polish, genitive
    assert months["październik"] == 10  # and nominative
    assert months["februari"] == 2  # Indonesian, Dutch, Swedish
    assert months["березня"] == 3  # Ukrainian
    assert "listopad" not in months  # November in Polish, October in Croatian
    assert "mata" not in months  # "eye" in Indonesian
    assert "march" not in months  # English is read by its own patterns
