"""extract_metadata on real, hand-labelled article excerpts (tests/data/real/articles.jsonl).

Three checks, on three parts of the file:

- ``dev``: the first 1718 lines, read while writing the rules; floors at the figures measured,
  a regression guard.
- ``heldout``: the file's last lines, batches labelled without looking at the rules and never
  read since (their misses are studied only as counts per kind, ``classify_errors``). Their
  floors are the figures first measured on them, under the issue's targets: they guard how
  the rules hold on unseen prose, the honest measure.
- ``all``: the whole labelled set against the issue's targets (date 90%, platforms 95%,
  instruments 90%, place 85%); where newly added blind batches pull a field under its target,
  the floor is the figure measured, and the docs say the target is missed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gaia_geo import extract_metadata  # noqa: E402
from gaia_geo.collect._extract_score import (  # noqa: E402
    LabelledArticle,
    classify_errors,
    load_labelled_articles,
    score_extraction,
)

ARTICLES = Path(__file__).parents[1] / "data" / "real" / "articles.jsonl"
UTC = dt.UTC


@pytest.fixture(scope="module")
def articles() -> list[LabelledArticle]:
    return load_labelled_articles(ARTICLES)


def test_the_labelled_set_is_real_and_split(articles: list[LabelledArticle]) -> None:
    assert len(articles) >= 150
    assert len({a.url for a in articles}) >= 140
    assert {a.split for a in articles} <= {"dev", "heldout"}
    # a held-out batch is appended after the development lines, never mixed into them
    splits = [a.split for a in articles]
    first_held_out = splits.index("heldout") if "heldout" in splits else len(splits)
    assert set(splits[first_held_out:]) <= {"heldout"}
    assert first_held_out >= 1718
    assert {a.source for a in articles} >= {"nasa", "usgs", "esa-eumetsat", "noaa-cimss"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("split", "floors"),
    [
        # real-1167..real-1411 (blind batches N, M, O and P) joined it at 82/89/88/80%, once
        # read to write rules (the twelfth round: 84/96/95/83% on them after it);
        # real-1412..real-1718 (S, R, Q, T and U) joined it at 79.8/89.9/91.9/78.2% (the
        # thirteenth round on them: date 88.6%, platforms 95.8%, instruments 95.4%, place 87.0%)
        ("dev", {"date": 0.92, "platforms": 0.96, "instruments": 0.96, "place": 0.91}),
        # real-1719..real-1959 (blind batches V: agencies, W: 64 pages in 23 other languages,
        # X: English news, blogs and operators, Y: agencies in 19 languages), first measured
        # with the rules written up to real-1411: 73.0/78.0/81.7/67.6% (V, W, X 76.0/81.4/
        # 85.2/71.6%; W alone 76.6/68.8/71.9/62.5%; Y alone 63.8/67.2/70.7/55.2%)
        # The thirteenth round's registry rows name the cameras of satellites the blind labels
        # could only give without an instrument (the registry lacked them then): instruments
        # 81.7 -> 79.3% on them until these labels follow the registry
        ("heldout", {"date": 0.73, "platforms": 0.78, "instruments": 0.79, "place": 0.67}),
        # the targets are 90/95/90/85%; with V, W, X and Y first measured the whole set was at
        # 88.1/93.7/94.3/86.7%, after the thirteenth round 90.1/95.1/94.5/89.3%
        ("all", {"date": 0.90, "platforms": 0.95, "instruments": 0.90, "place": 0.85}),
    ],
)
def test_accuracy_per_field(
    articles: list[LabelledArticle], split: str, floors: dict[str, float]
) -> None:
    part = [a for a in articles if split in ("all", a.split)]
    if len(part) < 10:
        pytest.skip(f"{len(part)} {split} excerpts: too few to measure accuracy on")
    score = score_extraction(part, extract_metadata)
    for name, floor in floors.items():
        assert score.fields[name].accuracy >= floor, (name, score.errors[name])


def test_phrasings_from_real_articles() -> None:
    # a time of day and two time zones before the date
    meta = extract_metadata(
        "The Geostationary Operational Environmental Satellite 16 (GOES-16) acquired data for "
        "this composite image of Hurricane Dorian at 11 a.m. Atlantic Standard Time (15:00 "
        "Universal Time) on August 29, 2019."
    )
    assert meta.datetime == dt.datetime(2019, 8, 29, tzinfo=UTC)
    assert meta.platforms == ("goes-16",) and meta.instruments == ("abi",)
    # a before/after pair gives the range of both
    pair = extract_metadata(
        "Landsat 5 image of Cape Cod - 1984 (left), and Landsat 8 image - 2020 (right)."
    )
    assert (pair.start_datetime, pair.end_datetime) == (
        dt.datetime(1984, 1, 1, tzinfo=UTC),
        dt.datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC),
    )
    assert pair.platforms == ("landsat-5", "landsat-8")
    # a composite over months
    composite = extract_metadata(
        "These images are based on surface observations collected from June through September "
        "2001 and combined, or composited, every eight days, by MODIS on the Terra satellite."
    )
    assert composite.start_datetime == dt.datetime(2001, 6, 1, tzinfo=UTC)
    assert composite.end_datetime == dt.datetime(2001, 9, 30, 23, 59, 59, tzinfo=UTC)
    # an event date, then "the same day"
    same_day = extract_metadata(
        "A dust storm swept through parts of Iraq and Syria on February 9, 2006. The Moderate "
        "Resolution Imaging Spectroradiometer (MODIS) flying onboard the Aqua satellite took this "
        "picture the same day."
    )
    assert same_day.datetime == dt.datetime(2006, 2, 9, tzinfo=UTC)
    assert same_day.platforms == ("aqua",) and same_day.places[0].country_code == "IQ"


def test_datelines_launches_and_shared_pictures_are_not_acquisitions() -> None:
    dateline = extract_metadata(
        "April 25, 2015 - Western Europe\n\nOn April 21, 2015 NASA's Terra satellite passed over "
        "Western Europe, allowing MODIS aboard to capture a true-color image of the region."
    )
    assert dateline.datetime == dt.datetime(2015, 4, 21, tzinfo=UTC)
    assert [d.reason for d in dateline.dates][0] == "publication"
    launch = extract_metadata(
        "DSCOVR, launched February 11, 2015, reached its final destination. The first color image "
        "of Earth was taken by its Earth Polychromatic Imaging Camera or EPIC on July 6, 2015."
    )
    assert launch.datetime == dt.datetime(2015, 7, 6, tzinfo=UTC)
    assert launch.platforms == ("dscovr",) and launch.instruments == ("epic",)
    shared = extract_metadata(
        "Commander Shane Kimbrough shared this nighttime image of Dublin on March 17, 2017, "
        'writing, "Spectacular #Dublin, Ireland captured by @thom_astro from @Space_Station."'
    )
    assert shared.precision is None and shared.platforms == ("iss",)


def test_constellation_names_are_not_guessed_platforms() -> None:
    both = extract_metadata("This Copernicus Sentinel-2A/B image was acquired on 3 May 2020.")
    assert both.platforms == ("sentinel-2",) and both.instruments == ("msi",)
    one = extract_metadata("This image was captured by Sentinel-2B on 3 May 2020.")
    assert one.platforms == ("sentinel-2b",)
    # MODIS alone does not say whether Terra or Aqua carried it
    modis = extract_metadata("MODIS acquired this image of Lima, Peru, on 3 May 2020.")
    assert modis.platforms == () and modis.instruments == ("modis",)
    # Terra alone does not say which of its instruments took it; ASTER does
    terra = extract_metadata("NASA's Terra satellite captured this image on 3 May 2020.")
    assert terra.platforms == ("terra",) and terra.instruments == ()
    aster = extract_metadata("ASTER on NASA's Terra satellite acquired this image on 3 May 2020.")
    assert aster.sensor_keys == ("terra-aster",) and aster.instruments == ("aster",)


@pytest.mark.parametrize(
    ("text", "platforms", "instruments"),
    [
        # "overflew" says who took it; the satellite overflown did not
        (
            "Controllers sent a last command to Landsat 5. On 22 November 2013, Landsat 8 overflew "
            "the defunct Landsat 5 over Brazil.",
            ("landsat-8",),
            ("oli", "tirs"),
        ),
        # a Shuttle crew's astronaut photograph is the Shuttle's, not the ISS's
        (
            "An astronaut photograph taken by the STS-120 crew on 3 November 2007 shows Egypt.",
            ("space-shuttle",),
            ("handheld-camera",),
        ),
        # "Meteosat-10, 12:00 UTC": a time, not Meteosat-12
        ("Meteosat-10, 12:00 UTC\nDust RGB image of 28 May 2013.", ("meteosat-10",), ("seviri",)),
        # Aqua carries AIRS and AMSR-E too: "Aqua" alone names no instrument
        (
            "NASA's Aqua satellite captured this image of the fires on 29 September 2020.",
            ("aqua",),
            (),
        ),
        # the agent of an image noun took it, beside a second satellite's "similar view"
        (
            "Fog lifted on 5 May 2024, a clear view of the lakes by the VIIRS on NOAA-20. A "
            "similar view was recorded by Suomi NPP an hour later.",
            ("noaa-20", "suomi-npp"),
            ("viirs",),
        ),
        # a role name in brackets after a satellite is that satellite; GOES East in 2025 is 19
        ("GOES-19 (GOES-East) images revealed smoke on 29 May 2025.", ("goes-19",), ("abi",)),
        ("GOES East captured this image on 3 June 2025.", ("goes-19",), ("abi",)),
        # a satellite in brackets after its instrument says which one carried it
        ("MODIS (Aqua) captured this image of the fires on 3 May 2020.", ("aqua",), ("modis",)),
        # "an instrument aboard" a platform: the one instrument of it the text names
        (
            "A NASA instrument aboard the International Space Station collected data for this map "
            "on 19 June 2024. The instrument, called ECOSTRESS, measures heat.",
            ("iss",),
            ("ecostress",),
        ),
        # Sentinel-3A carries OLCI and SLSTR: its name alone says no instrument
        (
            "The Sentinel-3A satellite brings us over the Bering Sea on 26 March 2017.",
            ("sentinel-3a",),
            (),
        ),
        (
            "Deimos-2 captured this image of the flooded road on 30 August 2017.",
            ("deimos-2",),
            ("hirais",),
        ),
        # Landsat 9's "Thermal Infrared Sensor 2" is not Landsat 8's TIRS
        (
            "Landsat 9 carries the Operational Land Imager 2 and the Thermal Infrared Sensor 2; "
            "its first image was acquired on 31 October 2021.",
            ("landsat-9",),
            ("oli", "tirs"),
        ),
        # an instrument's name alone ("Advanced Baseline Imager") is the one the named
        # satellite carries, not the registry row that name belongs to
        (
            "GOES-17 sent back its first pictures from its Advanced Baseline Imager on 3 May 2018.",
            ("goes-17",),
            ("abi",),
        ),
        # a role name in brackets after a satellite of its family is that satellite, whatever
        # it carries, even with no date to say which one held the role
        (
            "GOES-13 (GOES-East) imagery showed the dust plume over Texas.",
            ("goes-13",),
            ("goes-imager",),
        ),
        # "the field of view of" a satellite is what it sees, not what was imaged
        (
            "Clouds drift in the field of view of Meteosat-9 in this image from 4 March 2016.",
            ("meteosat-9",),
            ("seviri",),
        ),
        # ALOS carries AVNIR-2 besides PALSAR: the instrument named says which one
        (
            "The AVNIR-2 instrument on Daichi (ALOS) observed the flooded plain on 8 August 2008.",
            ("alos",),
            ("avnir-2",),
        ),
        # a picture taken "from the ISS" is a camera's
        ("This picture was captured from the ISS in 2012.", ("iss",), ("handheld-camera",)),
    ],
)
def test_sensor_rules_by_error_kind(
    text: str, platforms: tuple[str, ...], instruments: tuple[str, ...]
) -> None:
    meta = extract_metadata(text)
    assert (meta.platforms, meta.instruments) == (platforms, instruments)


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        # "took place" is no picture; a semicolon inside brackets does not end the clause
        ("The launch, which took place on 21 June 2010, went well.", None, None, None),
        (
            "On 22 July 2010, researchers at the German Aerospace Center (Deutsches Zentrum für "
            "Luft- und Raumfahrt; DLR) published the first images.",
            None,
            None,
            None,
        ),
        # an uncued date that is the publication's never stands in for the acquisition
        ("Wednesday, 19 December 2007\n\nLunar Landscape?", dt.date(2007, 12, 19), None, None),
        # an observation is an acquisition: both ends of a radar pair
        (
            "JAXA performed an emergency observation on March 2, 2010 using PALSAR on the ALOS "
            "satellite. It was compared with the data acquired on January 15, 2010.",
            None,
            "2010-01-15",
            "2010-03-02",
        ),
        # a date that names an image ("the October 4 image") is that image's
        (
            "In the summer of 2012 fires burned the savanna. The magenta tone of the August 17 "
            "and September 18 images shows the fires. The October 4 image, acquired after the "
            "burns, shows regrowth.",
            None,
            "2012-08-17",
            "2012-10-04",
        ),
        # days named relative to another date, or to the publication
        (
            "On 12 November 2017 an earthquake struck. Just 5 days later, the Sentinel-1B "
            "satellite imaged the area.",
            None,
            "2017-11-17",
            "2017-11-17",
        ),
        (
            "On 12 November 2017 an earthquake struck. Two days later, Sentinel-1B imaged it.",
            None,
            "2017-11-14",
            "2017-11-14",
        ),
        (
            "A true color image taken from the MODIS Aqua satellite yesterday over Iowa.",
            dt.date(2007, 12, 19),
            "2007-12-18",
            "2007-12-18",
        ),
        (
            "Aug. 19 2015 2:33 PM\n\nThat's Earth, as seen on Wednesday from Himawari-8.",
            None,
            "2015-08-19",
            "2015-08-19",
        ),
        # a weekday written beside a date is part of it, never a day of its own
        (
            "The first image from Landsat 9 was acquired on Monday, March 7.",
            dt.date(2022, 3, 15),
            "2022-03-07",
            "2022-03-07",
        ),
        # a relative weekday needs its own acquisition cue and never widens an explicit date
        (
            "The flood, as seen by Sentinel-2 on 4 May 2021, first reached the town on Saturday.",
            dt.date(2021, 5, 6),
            "2021-05-04",
            "2021-05-04",
        ),
        # observations count with their own date; a presentation is no acquisition
        (
            "The volcano shows a thick plume on 3 June 2019. Researchers presented on 12 October "
            "2019, at a conference, the first observations of the plume.",
            None,
            "2019-06-03",
            "2019-06-03",
        ),
        (
            "Radar observations on 5 March 2018 revealed the crack.",
            None,
            "2018-03-05",
            "2018-03-05",
        ),
        # "this morning" beside an image word is the publication's day; alone it is nothing
        (
            "Weather Blog - Friday, June 9, 2023\n\nThe GOES-18 satellite image from this morning "
            "shows fog along the coast.",
            dt.date(2023, 6, 9),
            "2023-06-09",
            "2023-06-09",
        ),
        ("Today, the town is rebuilt.", dt.date(2023, 6, 9), None, None),
        (
            "Today's image, acquired by Terra on 12 May 2019, shows dust.",
            dt.date(2019, 5, 20),
            "2019-05-12",
            "2019-05-12",
        ),
        # a clock time is no year; a name is no month
        (
            "Images from 2030 UTC on 2 July to 0300 UTC on 3 July 2021 show the fire.",
            None,
            "2021-07-02",
            "2021-07-03",
        ),
        (
            "Terra captured this image of Jan Mayen on 5 March 2015.",
            None,
            "2015-03-05",
            "2015-03-05",
        ),
        # the year of a credit line for a day written without one
        (
            "This first image was acquired on June 30th.\n\nCopyright Copernicus data (2016)/ESA",
            None,
            "2016-06-30",
            "2016-06-30",
        ),
        # an addition date is the page's
        (
            "Addition Date: 2001-05-02\n\nOn April 20, ASTER captured this image of the volcano.",
            None,
            "2001-04-20",
            "2001-04-20",
        ),
        # two dates on lines of their own under a title: the pair of pictures
        (
            "River Delta Grows\n\nMarch 3, 2000\nMarch 9, 2020\n\nLandsat images show the delta.",
            None,
            "2000-03-03",
            "2020-03-09",
        ),
        # the second picture of a pair: "the October 2, 2019, image", "the same area on",
        # "the second image is"
        (
            "Landsat 8 acquired a picture on 3 September 2019. The October 2, 2019, image shows "
            "the flood.",
            None,
            "2019-09-03",
            "2019-10-02",
        ),
        (
            "Landsat 8 acquired the first image on 14 March 2017; the second shows the same area "
            "on 2 March 2018.",
            None,
            "2017-03-14",
            "2018-03-02",
        ),
        (
            "Landsat 8 acquired this image on 2 June 2019. The same area was flooded on 3 May "
            "2019.",
            None,
            "2019-06-02",
            "2019-06-02",
        ),
        (
            "The first image is from 2 May 2019. The river started rising, and the second image "
            "is 20 May 2019.",
            None,
            "2019-05-02",
            "2019-05-20",
        ),
        # a fire breaking out or put out is an event, not the picture
        (
            "A fire broke out on 13 June 2023 near the town. While it was extinguished on 14 June "
            "2023, its scar could still be seen from space.",
            None,
            None,
            None,
        ),
        # a sensor's name between the year and the image word
        ("In this 2018 Sentinel-2 image, the lake is dry.", None, "2018-01-01", "2018-12-31"),
        # a satellite just launched: its first images date from its launch year
        (
            "The recently launched Sentinel-3B satellite acquired this image on 9 May.",
            None,
            "2018-05-09",
            "2018-05-09",
        ),
        # a weakly cued day that is also the publication's is the picture's
        (
            "Fog over the valley on 25 April made a fine view by the VIIRS on NOAA-20.",
            dt.date(2024, 4, 25),
            "2024-04-25",
            "2024-04-25",
        ),
        # ESA's credit line gives the data's year, and any cued day inside it refines it
        (
            "The Copernicus Sentinel-2 mission takes us over Kyiv.\n\n(contains modified "
            "Copernicus Sentinel data (2019), processed by ESA)",
            None,
            "2019-01-01",
            "2019-12-31",
        ),
        (
            "Sentinel-2 acquired this image on 3 May 2019.\n\n(contains modified Copernicus "
            "Sentinel data (2019), processed by ESA)",
            None,
            "2019-05-03",
            "2019-05-03",
        ),
        # the credit line in capitals
        (
            "The ship crosses the bloom.\nCOPERNICUS SENTINEL DATA (2018)/ESA",
            None,
            "2018-01-01",
            "2018-12-31",
        ),
        # a list of days spans its first and last ("one of several images" otherwise)
        (
            "Planet released images of the dunes taken on March 2, 5 and 9, 2021.",
            None,
            "2021-03-02",
            "2021-03-09",
        ),
        (
            "Images acquired on 3, 7 and 12 May 2019 show the flood.",
            None,
            "2019-05-03",
            "2019-05-12",
        ),
        # a span across months
        (
            "A series of images from 28 March to 4 April 2016 shows the ice breaking up.",
            None,
            "2016-03-28",
            "2016-04-04",
        ),
        # two days joined by "and" in either order; a span across the new year
        (
            "The images were taken on September 19 and March 19, 2010.",
            None,
            "2010-03-19",
            "2010-09-19",
        ),
        ("Acquired from December 28 to January 3, 2015.", None, "2014-12-28", "2015-01-03"),
        # a span of days yields to no weakly cued day inside it
        (
            "Dust was observed on 23-24 May 2010. The night images of 24 May show it over land.",
            None,
            "2010-05-23",
            "2010-05-24",
        ),
        # "the first picture in this pair is from": an image's own date, however the clause goes on
        (
            "The first picture in this pair is from 2 July 2020, when the lake was full, and the "
            "second picture is from 9 July 2020.",
            None,
            "2020-07-02",
            "2020-07-09",
        ),
        # a weekday with a part of the day, and "over the weekend", count back from publication
        # (29 June 2018 was a Friday, 3 August 2020 a Monday)
        (
            "The satellite captured the valley fog Thursday morning.",
            dt.date(2018, 6, 29),
            "2018-06-28",
            "2018-06-28",
        ),
        (
            "A weather satellite spotted the two plumes over the weekend.",
            dt.date(2020, 8, 3),
            "2020-08-01",
            "2020-08-02",
        ),
    ],
)
def test_date_rules_by_error_kind(
    text: str, published: dt.date | None, first: str | None, last: str | None
) -> None:
    meta = extract_metadata(text, published)
    got = (meta.start_datetime, meta.end_datetime)
    span = tuple(d.date().isoformat() if d else None for d in got)
    assert span == (first, last), meta.dates


def test_goes_east_is_the_satellite_of_its_time() -> None:
    old = extract_metadata(
        "GOES East captured this visible image at 1845 UTC on September 29, 2016."
    )
    new = extract_metadata("GOES-East captured this image of the storm on September 28, 2022.")
    assert old.platforms == ("goes-13",) and new.platforms == ("goes-16",)


def test_a_sea_is_no_country() -> None:
    meta = extract_metadata(
        "A large phytoplankton bloom was spreading in the Baltic Sea, in this SeaWiFS image taken "
        "July 3, 2001. Many European countries border the Baltic Sea, including Sweden."
    )
    assert meta.places == () and meta.platforms == ("orbview-2",)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a direction inside a country is that country; "north of the border with" points away
        ("In southern China, just north of the border with Nepal, a glacier flows.", "CN"),
        # "the US" and "the U.S." are the United States
        ("The images were acquired over the Mid-Atlantic states of the US by MISR.", "US"),
        # a town named in a facility's name
        ("Landsat 7 imaged the area near the Hanford Nuclear Reservation.", "US"),
        # accents GeoNames spells in ASCII
        ("A solar power plant in Jülich, seen by TerraSAR-X.", "DE"),
        # a demonym before a land word
        ("Images from Landsat 5 show the Indonesian coastline after the tsunami.", "ID"),
        # "Sahara dust": where it came from; the scene is the sea
        ("Sahara dust outbreak across the Western Mediterranean.", None),
        # the container named after a same-named town elsewhere
        (
            "It shows the Coronation Islands along the Kimberly coast in the state of Western "
            "Australia.",
            "AU",
        ),
        # an ocean in an event's name is not the scene
        ("Landsat 5 images of the coast before the 2004 Indian Ocean tsunami, in Indonesia.", "ID"),
        # a sea named first, and land in the same sentence that is not a reference point
        ("The typhoon spun over the western Pacific Ocean moving towards Japan.", "JP"),
        # an organisation named after a place is its seat, not the scene
        ("The U.S. Geological Survey retired it; Landsat 8 overflew northwestern Brazil.", "BR"),
        ("The Japan Aerospace Exploration Agency observed Chile after the earthquake.", "CL"),
        # a continent counts like a sea, unless it is an origin or only ranks something
        ("The cities of Asia and Australia are seen lit up at night.", None),
        ("A dust storm swept out of Africa toward the coast of Morocco.", "MA"),
        ("The Danube Delta, the second largest river delta in Europe, lies in Romania.", "RO"),
        ("The image shows Cape Town, South Africa, at dawn.", "ZA"),
        # a compass word opening a name ("Central Iowa"), a town closing a title line
        ("Snow covers Central Iowa in this image.", "US"),
        ("Palm Jebel Ali, Dubai\n\nThis image was acquired by CHRIS.", "AE"),
        # "the X region of Y": Y is the container, whatever same-named town X is
        ("The first image is of the Kimberly region of Western Australia.", "AU"),
        ("Glaciers retreat in the Patagonia Region of Southern Chile.", "CL"),
        # a name ends at a line break; a feature opening a longer name still counts
        ("Tao-Rusyr Volcano, Kuril Islands\n\nThe Kuril Islands reach Hokkaido, Japan.", "RU"),
        # land that locates a sea, or that an ocean is near, is the scene; a bearing from a
        # continent across an ocean is not
        ("A bloom swirls in the Baltic Sea south of Gotland.", "SE"),
        ("Dust moves out over the Atlantic Ocean near the Cape Verde islands.", "CV"),
        ("A low spins over the Southern Ocean, just west of Australia.", None),
        # a precise locus after a sea or a region of several countries
        (
            "Floods in the Balkans\nThe map shows the village of Balatun in northeastern Bosnia "
            "and Herzegovina.",
            "BA",
        ),
        (
            "An astronaut looked out over the central Pacific Ocean. The station was passing "
            "over the island nation of Kiribati.",
            "KI",
        ),
        # the whole planet has no country
        ("This image of our planet Earth was shown at the Paris Air Show at Le Bourget.", None),
        # a town an event is named after
        ("Landsat's View of the Boston Marathon", "US"),
        # regions the gazetteer now knows
        ("An interferogram of the landscape around the River Taz in Siberia.", "RU"),
        ("These views of the Midwest show the storm.", "US"),
        ("An iceberg calved from Pine Island Glacier in December.", "AQ"),
        # where an iceberg broke off is the scene; a yardstick ("larger than ...") is not
        (
            "The iceberg that calved from the Brunt Ice Shelf is larger than the Spanish island "
            "of Majorca.",
            "AQ",
        ),
        # "as far away as": how far something reached, not the scene
        ("Ash drifted as far away as Chile after the eruption in Argentina.", "AR"),
        # islands, ice shelves and volcanoes the gazetteer now knows
        ("Satellite images show the burnt town on the island of Maui.", "US"),
        ("A radar image of the Fimbul Ice Shelf.", "AQ"),
        ("Ash rises from Sakurajima in this image.", "JP"),
        # a lake two countries share, named a sea: the one most of its shore lies in
        ("Snow surrounds the Aral Sea in this image from Terra.", "KZ"),
        # a sea shared by several countries has no country
        ("Snow surrounds the Caspian Sea in this image from Terra.", None),
        # Japan's volcanoes, islands and towns in kanji in a Japanese text; not "火山" (volcano)
        ("2009年2月2日に、浅間山にて小規模な噴火が発生しました。", "JP"),
        ("昨年10月に伊豆大島で起きた大雨による土砂崩れの痕跡をとらえた。", "JP"),
        ("令和6年能登半島地震の観測結果について", "JP"),
        ("地震後の画像から、多賀城市から相馬市沿岸域を拡大したもの。", "JP"),
        ("海底火山の噴火をとらえた。", None),
        # a sea off a country's coast is that country's; a storm off a coast is at sea
        ("The waters of the Barents Sea off the northeast coast of Norway were bright.", "NO"),
        ("A bloom in the North Sea off the coast of eastern Scotland.", "GB"),
        (
            "The storm formed over the Pacific Ocean. By Wednesday the hurricane was just off "
            "the coast of Baja California.",
            None,
        ),
        # a name two countries share is the one of the country more other names lie in
        (
            "Smoke streamed from fires in Punjab and Haryana towards India's capital. Fires in "
            "Northern Pakistan likely contributed.",
            "IN",
        ),
        # a plural kind word is no region ("Rivers", Nigeria's state)
        ("Channeling Earth: Rivers Seen From Space\n\nThe Rio Negro in Argentina meanders.", "AR"),
        # the place a picture verb names as its object
        (
            "A snowstorm has blanketed parts of Turkey and Greece. These two satellite images, "
            "from the Copernicus Sentinel-2 mission, show Athens.",
            "GR",
        ),
        # a country owning a satellite or an agency with no particle between ("美国陆地卫星"); a
        # country's satellite photo ("台灣衛星照") is a picture of it
        ("美国陆地卫星Landsat 5在2004年12月14日拍下缅甸丹老群岛的照片。", "MM"),
        ("미국 항공우주국(NASA) 지구관측소가 공개한 대만 북동부 해상의 사진.", "TW"),
        ("大陸「吉林一號」衛星日前公布八張台灣衛星照。", "TW"),
        # a satellite's first image of the Earth, a complete global coverage: the whole Earth
        (
            "This is the first image of Earth taken on October 25, 1975, by GOES-1 over the U.S.",
            None,
        ),
        ("This photomosaic depicts complete global coverage from ESSA III over the U.S.", None),
        # an astronaut's picture of Earth shows a part of it
        ("Parmitano shared the picture of Earth, greeted by the Tierra del Fuego.", "AR"),
        # a sentence's first word, then "de" and a town: the town
        ("Incendie de Landiras en Gironde. La situation vue le 17 juillet 2022.", "FR"),
        # countries' CLDR names in Arabic, Persian and Urdu (a one-letter word joined before);
        # a Greek masculine name declined ("του Καναδά")
        ("رصدت صور الأقمار الاصطناعية حجم الدمار الذي خلفه زلزال تركيا القوي", "TR"),
        ("والتقطت الأقمار الاصطناعية صورا للفيضانات بالصين", "CN"),
        ("Μια πυρκαγιά στη Μανιτόμπα του Καναδά, εκπέμπει καπνό.", "CA"),
        # where dust or water came from is no scene: "Mexico's dust", "from the highlands of"
        ("Importing More Of Mexico's Dust Into New Mexico And West Texas Today.", "US"),
        ("Water flowed from the highlands of Angola into northern Namibia.", "NA"),
        # a company's seat is no scene
        (
            "Das Bild ist von der Betreiberfirma RapidEye AG in Brandenburg vorgestellt worden: "
            "eine Aufnahme der Stadt El Bolsón in Argentinien.",
            "AR",
        ),
        # a feature before a German kind word in a hyphenated compound
        ("Santorini-Inseln aus dem Weltall gesehen", "GR"),
        # an article of another language before a country or a feature
        ("El Volcán Mayon, en Las Filipinas, amenaza con una gran erupción.", "PH"),
        # a major city is the place when nothing else is, a place word before it or not
        ("Iceye heeft een afbeelding gepubliceerd van de Nigeriaanse haven Port Harcourt.", "NG"),
        (
            "Ha reso possibile osservare Milano da un punto di vista privilegiato: lo spazio! "
            "Grazie al satellite Sentinel-2A che è stato lanciato il 23 giugno 2015.",
            "IT",
        ),
    ],
)
def test_place_rules_by_error_kind(text: str, country: str | None) -> None:
    places = extract_metadata(text).places
    assert (places[0].country_code if places else None) == country, places


def test_errors_are_named_by_kind(articles: list[LabelledArticle]) -> None:
    article = next(a for a in articles if a.countries == {"JP"})
    wrong = extract_metadata("The Landsat 8 image shows Lima, Peru, on 3 May 2020.")
    kinds = classify_errors(article, wrong)
    assert kinds["place"] in {
        "place: another place taken",
        "place: the place is unknown to the gazetteer",
    }
    assert kinds["platforms"].startswith("platforms: ")
