"""Acquisition-date rules of the eleventh round (studied on real-1042..real-1166).

Each case is a sentence written for the rule, not copied from an excerpt: what the text says
about when the picture was taken, and the first and last day the extractor must give (None where
the text gives no acquisition date). Most rules also have a case they must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import acquisition_span as _span
from gaia_geo.collect._date_names import cldr_months, cldr_weekdays

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
        # a day and month without their year on a page not in English, in any language of
        # the month names: the year is the page's (here its dateline's)
        (
            "12 février 2019\n\nLe satellite Pléiades a survolé le volcan le 8 février dernier.",
            None,
            "2019-02-08",
            "2019-02-08",
        ),
        (
            "Rapport 2021. Satelliten Sentinel-2 tog bilderna den 3 och 9 augusti över sjön.",
            None,
            "2021-08-03",
            "2021-08-09",
        ),
        # ... and never on an English page, where "on 3 mars" is no French date
        (
            "The rover photographed the crater. The team met on 3 mars in 2020 to plan the drive.",
            None,
            None,
            None,
        ),
        # numeric dates: a page not in English writes the day first ("12/10/2022": 12 October)
        (
            "Satelit Sentinel-2 menangkap citra gunung itu pada 05/10/2022 pagi.",
            None,
            "2022-10-05",
            "2022-10-05",
        ),
        # ... an English page the month first, unless one of its dates cannot be month first
        (
            "Sentinel-2 captured the flood on 05/10/2022, and again on 21/10/2022.",
            None,
            "2022-10-05",
            "2022-10-21",
        ),
        (
            "Sentinel-2 captured the flood on 05/10/2022.",
            None,
            "2022-05-10",
            "2022-05-10",
        ),
        # day, month and year with hyphens, read as the slashed ones
        (
            "The images were acquired by Sentinel-2 between 3-5-2023 and 18-5-2023.",
            None,
            "2023-05-03",
            "2023-05-18",
        ),
        # the year first with slashes, as Japanese and Chinese pages write it
        ("ひまわり9号が撮影した画像 2023/04/11 12:00 から", None, "2023-04-11", "2023-04-11"),
        # a month in lowercase after an English ordinal
        (
            "NOAA-19 pass received and processed on 14th march 2009.",
            None,
            "2009-03-14",
            "2009-03-14",
        ),
        # Hindi launch words: the launch's day is no picture's
        (
            "इसरो ने 15 फ़रवरी को 104 उपग्रह लॉन्च किए थे।",
            dt.date(2017, 2, 20),
            None,
            None,
        ),
        (
            "उपग्रह द्वारा 15 फ़रवरी को ली गई तस्वीर जारी की।",
            dt.date(2017, 2, 20),
            "2017-02-15",
            "2017-02-15",
        ),
        # a page not in English and not dated lends its latest year to a day written without
        # one ("last October"), even one written after it
        (
            "Satelit Sentinel-2 menangkap gambar banjir pada 4 Maret lalu. Jakarta, Senin "
            "(7/3/2022).",
            None,
            "2022-03-04",
            "2022-03-04",
        ),
        # ... never an English page's: its days without a year wait for a year before them
        (
            "The satellite captured the flood on 4 March. The agency was founded on 1 May 1990.",
            None,
            None,
            None,
        ),
        # a number after "more than" is a count, not the year of a day without one
        (
            "Satelitten tok bilder av brannen 5. mars. Mer enn 2000 mennesker ble evakuert.",
            None,
            None,
            None,
        ),
        # role words of Swedish, Dutch, Polish, Indonesian: the picture's day, not a launch's
        (
            "Satelliten sköts upp den 2 maj 2021. Bilden togs den 14 juni 2022 över sjön.",
            None,
            "2022-06-14",
            "2022-06-14",
        ),
        (
            "De satelliet werd gelanceerd op 3 mei 2019. Het beeld is genomen op 8 juli 2021.",
            None,
            "2021-07-08",
            "2021-07-08",
        ),
        (
            "Satelita został wystrzelony 5 marca 2017. Zdjęcie wykonane 9 maja 2020 pokazuje "
            "rzekę.",
            None,
            "2020-05-09",
            "2020-05-09",
        ),
        # a launch's year lends none to a day without one when the page writes another year,
        # publication date or not
        (
            "高分六号卫星于2018年6月2日发射。高分六号卫星拍摄于7月20日。截至2021年7月22日,已成像3次。",
            None,
            "2021-07-20",
            "2021-07-20",
        ),
        # a line of a date and an image word: the caption of the picture ("... lake image")
        (
            "2017年1月22日洞庭湖影像\n\n2017年7月2日洞庭湖影像\n\n2017年6月28日的数据显示水位上涨。",
            None,
            "2017-01-22",
            "2017-07-02",
        ),
        # "made available on" is a publication, not the picture's day
        (
            "A photo made available by the company on June 5 shows the spill taken on June 4.",
            dt.date(2020, 6, 10),
            "2020-06-04",
            "2020-06-04",
        ),
        # a weekday before a day without its year, in any national language (CLDR): the year
        # near the page's that puts the day on it
        (
            "El satélite Sentinel-2 captó la imagen el jueves, 22 de julio.",
            dt.date(2026, 1, 10),
            "2021-07-22",
            "2021-07-22",
        ),
        (
            "Satelit Landsat 9 mengambil gambar itu pada Kamis 3 Februari.",
            dt.date(2026, 1, 10),
            "2022-02-03",
            "2022-02-03",
        ),
        (
            "Zdjęcie wykonane przez satelitę w czwartek 14 maja pokazuje rzekę.",
            dt.date(2025, 1, 10),
            "2020-05-14",
            "2020-05-14",
        ),
        # a dateline opened by its weekday, or followed by its time and a place in brackets,
        # is the page's date, not a picture's
        (
            "Martes, 4 de marzo 2025, 09:40 - Imágenes del satélite muestran el río crecido el "
            "2 de marzo.",
            None,
            "2025-03-02",
            "2025-03-02",
        ),
        (
            "12 mars 2021 : 15h (Réunion) - Les images satellites des 8 et 10 mars 2021 montrent "
            "la crue.",
            None,
            "2021-03-08",
            "2021-03-10",
        ),
        # ... a word before its comma that is no weekday keeps the date the picture's
        (
            "Satellitenbild, 03.09.2006\n\nDas Bild zeigt den Taifun.",
            None,
            "2006-09-03",
            "2006-09-03",
        ),
        # "the snapshot" (Spanish, Portuguese, Italian) words a picture
        (
            "La instantánea del satélite corresponde al 14 de mayo de 2024.",
            dt.date(2024, 5, 14),
            "2024-05-14",
            "2024-05-14",
        ),
    ],
)
def test_eleventh_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)


def test_cldr_names_cover_the_national_languages_without_homographs() -> None:
    months = cldr_months()
    assert months["października"] == 10  # Polish, genitive
    assert months["październik"] == 10  # and nominative
    assert months["februari"] == 2  # Indonesian, Dutch, Swedish
    assert months["березня"] == 3  # Ukrainian
    assert "listopad" not in months  # November in Polish, October in Croatian
    assert "mata" not in months  # "eye" in Indonesian
    assert "march" not in months  # English is read by its own patterns
    weekdays = cldr_weekdays()
    assert weekdays["jueves"] == 3  # Spanish Thursday (Monday is 0)
    assert weekdays["czwartek"] == 3  # Polish
    assert weekdays["kamis"] == 3  # Indonesian
