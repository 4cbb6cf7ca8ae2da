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
        # the year first, in Hungarian and Lithuanian
        (
            "A Sentinel-2A műhold képe Budapestről 2019. augusztus 14-én készült.",
            None,
            "2019-08-14",
            "2019-08-14",
        ),
        # (left alone: an English sentence that ends with a year, the next opening with a month)
        (
            "The lake near Orléans was dry in 2017. May 8 was the day Landsat 8 imaged it again "
            "in 2018.",
            None,
            "2018-05-08",
            "2018-05-08",
        ),
        # a publication in the past tense of Spanish, Italian, Portuguese: the page's day
        (
            "En marzo de 2019 la ESA publicó esta imagen, captada por Sentinel-2 el 4 de enero "
            "de 2019.",
            None,
            "2019-01-04",
            "2019-01-04",
        ),
        # "(issued ...)": a handout's release, not its picture
        (
            "An image acquired by Sentinel-2 of smoke over the coast, 3 January 2020 (issued 9 "
            "January 2020).",
            None,
            "2020-01-03",
            "2020-01-03",
        ),
        # "(Sept.20)": no space after an abbreviation's dot
        (
            "The volcano erupted on Sunday (Sept.19). Sentinel-2 captured the lava flows on "
            "Monday (Sept.20).",
            dt.date(2021, 9, 21),
            "2021-09-20",
            "2021-09-20",
        ),
        # "a scene of <date>": the scene's own date, as sure as the other picture's
        (
            "A Landsat TM scene of 11 May 1993 was merged with an ERS-1 SAR scene acquired on "
            "25/12/93 during the flood.",
            None,
            "1993-05-11",
            "1993-12-25",
        ),
        # "Date of Pass:" labels a pre-flood picture beside the post-flood one
        (
            "Based on the analysis of Radarsat-2 SAR Image of 13-September-2018. Pre Flood: "
            "Satellite: ResourceSat-2 Date of Pass: 07-March-2018.",
            None,
            "2018-03-07",
            "2018-09-13",
        ),
        # "before (<date>) and after (<date>)": the labels of a pair of pictures
        (
            "Here is the harbour of Beirut before (July 31, 2020) and after (August 5, 2020).",
            None,
            "2020-07-31",
            "2020-08-05",
        ),
        # "imagery from <date>": the imagery's own date
        (
            "Satellite imagery from 26 February 2011 and 12 March 2011. Despite the clouds in "
            "the 12 March photo, the flooded plain shows.",
            None,
            "2011-02-26",
            "2011-03-12",
        ),
        # the brackets after an image word list its dates, whatever verb governs them
        (
            "This image was created by combining three radar acquisitions (14 January 2010, "
            "18 February 2010 and 25 March 2010) over the delta.",
            None,
            "2010-01-14",
            "2010-03-25",
        ),
        # (left alone: words in the brackets, not a list of dates)
        (
            "Smoke is obvious in the imagery (for example on 2 August). Imagery from Suomi NPP "
            "was acquired daily from 9 July through 12 August 2021.",
            None,
            "2021-07-09",
            "2021-08-12",
        ),
        # "took flight": a launch
        (
            "Landsat 9 took flight on September 27, 2021, carrying two sensors.",
            None,
            None,
            None,
        ),
        # a relative clause after the picture's verb tells an event of what it shows
        (
            "Landsat 8 captured a new image of the iceberg that split off from the ice shelf on "
            "July 10-12. The composite was taken as it passed on July 14 and July 21.",
            dt.date(2017, 7, 27),
            "2017-07-14",
            "2017-07-21",
        ),
        # (its day stands in where no other is the picture's)
        (
            "An orbiting satellite captured images of the storms that tore through Colorado on "
            "May 8, 2017.",
            None,
            "2017-05-08",
            "2017-05-08",
        ),
        # (left alone: a relative clause of the pass itself)
        (
            "The image was taken by Landsat 8, which passed over the fires on 5 May 2019.",
            None,
            "2019-05-05",
            "2019-05-05",
        ),
        # "orbit no. 19", "Fig. 2": abbreviations, not sentence ends
        (
            "This photograph was taken during the mission during orbit no. 19, on 4 June 1965, "
            "with a Hasselblad camera. The crew went on with their experiments after the "
            "spacewalk on 3 June.",
            None,
            "1965-06-04",
            "1965-06-04",
        ),
        # the Portuguese preterite of an acquisition ("capturou", "registrou", "obteve")
        (
            "O satélite GOES-16 capturou esta imagem do furacão às 8h00 de 8 de setembro de "
            "2017. O olho deve passar perto das Bahamas no sábado, 9 de setembro.",
            None,
            "2017-09-08",
            "2017-09-08",
        ),
        # the image's year after it, in the Romance languages and German
        (
            "Confrontando un'immagine Landsat-5 del 1990 con un'immagine Sentinel-2 del 2018, "
            "vediamo dove la foresta è stata rimossa.",
            None,
            "1990-01-01",
            "2018-12-31",
        ),
        (
            "Ao comparar uma imagem Landsat-5 de 1990 com uma imagem Copernicus Sentinel-2 de "
            "2018, vemos onde a vegetação foi removida.",
            None,
            "1990-01-01",
            "2018-12-31",
        ),
        # a holiday of fixed date and its year
        (
            "This colour image, taken on Christmas Eve 2012, shows the alpine upland.",
            dt.date(2013, 12, 20),
            "2012-12-24",
            "2012-12-24",
        ),
        (
            "In diesem Farbbild vom Heiligabend 2012 treten Städte und Wälder hervor.",
            dt.date(2013, 12, 20),
            "2012-12-24",
            "2012-12-24",
        ),
    ],
)
def test_thirteenth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
