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
        # a month and year in German, French, Spanish, Italian, Portuguese (read in texts
        # that write an accent somewhere, as those languages' pages do)
        (
            "Die Satellitenbilder zeigen den See südlich der Stadt im August 2019 und im "
            "Oktober 2020.",
            None,
            "2019-08-01",
            "2020-10-31",
        ),
        (
            "Les images montrent le glacier en juillet 2016, après la fonte.",
            None,
            "2016-07-01",
            "2016-07-31",
        ),
        ("Las imágenes muestran el lago en febrero de 2014.", None, "2014-02-01", "2014-02-28"),
        (
            "Le immagini mostrano il delta a settembre 2015, più a sud.",
            None,
            "2015-09-01",
            "2015-09-30",
        ),
        ("As imagens mostram o rio em março de 2013.", None, "2013-03-01", "2013-03-31"),
        # ... never the planet and its rover mission
        ("The rover of the Mars 2020 mission landed in a crater.", None, None, None),
        # acquisition verbs in each language win over an image word alone
        *(
            (text, None, "2018-05-03", "2018-05-03")
            for text in (
                "Le satellite a photographié le port le 3 mai 2018. Une image du 9 mai 2018 "
                "montre le même port.",
                "Der Satellit hat den Hafen am 3. Mai 2018 fotografiert. Ein Bild vom 9. Mai "
                "2018 zeigt ihn auch.",
                "El satélite ha fotografiado el puerto el 3 de mayo de 2018. Una imagen del 9 "
                "de mayo de 2018 lo muestra.",
                "Il porto è stato osservato il 3 maggio 2018. Una immagine del 9 maggio 2018 "
                "lo mostra.",
                "O porto foi registrado em 3 de maio de 2018. Uma imagem de 9 de maio de 2018 "
                "o mostra.",
            )
        ),
        # the events pictures show and publications, in each language, are no picture's date
        *(
            (text, None, None, None)
            for text in (
                "L'image montre la côte. Le cyclone a frappé la côte le 2 avril 2019.",
                "Das Bild zeigt die Küste. Der Sturm traf die Küste am 2. April 2019.",
                "La imagen muestra la costa. El huracán azotó la costa el 2 de abril de 2019.",
                "L'immagine mostra la costa. L'uragano ha colpito la costa il 2 aprile 2019.",
                "A imagem mostra a costa. O furacão atingiu a costa em 2 de abril de 2019.",
                "L'image montre la ville. Elle a été publiée le 2 avril 2019.",
                "Das Bild zeigt die Stadt. Es wurde am 2. April 2019 veröffentlicht.",
            )
        ),
        # ... nor a launch ("the tomb" is no Spanish verb)
        (
            "Der Satellit wurde am 7. März 2017 gestartet. Er hat am 10. Juli 2017 die "
            "Stadt aufgenommen.",
            None,
            "2017-07-10",
            "2017-07-10",
        ),
        ("The tomb was shown in a picture on 4 June 2015.", None, "2015-06-04", "2015-06-04"),
        # a date naming an event ("le séisme du ..."), and "the next day" in other languages
        (
            "Les dégâts du séisme du 6 février 2023 sur une image prise le lendemain.",
            None,
            "2023-02-07",
            "2023-02-07",
        ),
        (
            "Die Schäden nach dem Erdbeben vom 6. Februar 2023 sind auf einem am nächsten "
            "Tag aufgenommenen Bild zu sehen.",
            None,
            "2023-02-07",
            "2023-02-07",
        ),
        # Japanese, Chinese, Korean: an acquisition verb in the clause a date ends
        (
            "2019年5月3日と、同じ軌道で観測した4月5日のデータを比較した。",
            None,
            "2019-04-05",
            "2019-05-03",
        ),
        # ... never a ground station's observation, nor a request for one
        (
            "2018年7月6日に観測所で水位の上昇が記録された。2018年7月9日に撮影した画像です。",
            None,
            "2018-07-09",
            "2018-07-09",
        ),
        (
            "2018年7月7日に緊急観測の依頼があり、2018年7月9日に撮影した。",
            None,
            "2018-07-09",
            "2018-07-09",
        ),
        # ... and the landfalls, updates and data words of the three languages
        (
            "台风于2019年8月10日登陆，2019年8月11日拍摄的影像显示了洪水。",
            None,
            "2019-08-11",
            "2019-08-11",
        ),
        (
            "태풍은 2019년 8월 10일 상륙했다. 2019년 8월 11일 촬영한 영상이다.",
            None,
            "2019-08-11",
            "2019-08-11",
        ),
        ("2020年3月2日更新\n2020年2月27日に撮影した画像。", None, "2020-02-27", "2020-02-27"),
        ("아리랑 3호의 2020년 8월 5일 데이터를 분석했다.", None, "2020-08-05", "2020-08-05"),
        # a request for pictures, or a charter activated, is no picture's date
        (
            "The image shows the delta. The agency requested satellite support on 3 May 2019.",
            None,
            None,
            None,
        ),
        # "Today's Image of the Day" names a daily feature, not the day of its picture
        (
            "Today's Image of the Day compares two images of the lake acquired on "
            "March 2, 2021, and on May 30.",
            D(2021, 6, 4),
            "2021-03-02",
            "2021-05-30",
        ),
        # ... while "today's image" alone is the publication's day
        ("Today's image shows the storm over the gulf.", D(2021, 6, 4), "2021-06-04", "2021-06-04"),
        # "the one on the right is from": the other picture of a pair
        (
            "The image on the left is from June 3, 2008, and the one on the right is from "
            "June 9, 2011.",
            None,
            "2008-06-03",
            "2011-06-09",
        ),
        # a data credit's span of years is the credit's, not a span of another role
        (
            "A radar mosaic of the basin.\n\nContains modified Copernicus Sentinel-1 data "
            "(2018-2019)",
            None,
            "2018-01-01",
            "2019-12-31",
        ),
        # "Imaging" inside an instrument's name is no acquisition verb
        (
            "The Multi-angle Imaging SpectroRadiometer shows the scar of the fire that "
            "burned in June 2012.\nData acquired July 4, 2012",
            None,
            "2012-07-04",
            "2012-07-04",
        ),
        # abbreviated foreign months, "del" before the year, and the nouns of acquisition labels
        (
            "Das Bild vom 9. Okt. 2018 zeigt den Hafen. Aufnahmedatum: 3. Okt. 2018",
            None,
            "2018-10-03",
            "2018-10-03",
        ),
        (
            "Une image du 9 déc. 2018 montre le port; elle a été acquise le 4 déc. 2018.",
            None,
            "2018-12-04",
            "2018-12-04",
        ),
        (
            "Una imagen del 9 de abr. de 2020 muestra el puerto. Fecha de adquisición: 5 de "
            "abril del 2020",
            None,
            "2020-04-05",
            "2020-04-05",
        ),
        (
            "Un'immagine del 9 ott. 2021 mostra il porto. Data di acquisizione: 6 ott. 2021",
            None,
            "2021-10-06",
            "2021-10-06",
        ),
        (
            "Uma imagem de 9 de out. de 2021 mostra o porto. Data de aquisição: 7 de out. de 2021",
            None,
            "2021-10-07",
            "2021-10-07",
        ),
        # ... never an abbreviation alone before a year
        ("It happened two years ago. 2018 was calmer.", None, None, None),
    ],
)
def test_ninth_round_date_rules(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    assert _span(text, published) == (first, last)
