"""extract_metadata on the phrasings the issue lists, on distractors, and on the sample site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gaia_geo import extract_metadata  # noqa: E402
from gaia_geo.collect import parse_page  # noqa: E402
from gaia_geo.collect.sample_site import generate_site  # noqa: E402

UTC = dt.UTC


def _day(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=UTC)


def test_day_with_oli_on_landsat_8_and_an_event_date() -> None:
    text = (
        "The Operational Land Imager (OLI) on Landsat 8 acquired this image of the delta near "
        "Cairo, Egypt, on 15 December 2017. The fire began on 4 December 2017."
    )
    meta = extract_metadata(text)
    assert meta.datetime == _day(2017, 12, 15) and meta.precision == "day"
    assert meta.end_datetime == dt.datetime(2017, 12, 15, 23, 59, 59, tzinfo=UTC)
    # the picture is the Operational Land Imager's, not the Thermal Infrared Sensor's
    assert meta.platforms == ("landsat-8",) and meta.instruments == ("oli",)
    assert meta.sensor_keys == ("landsat-8-oli",)
    assert [m.text for m in meta.sensors] == ["Operational Land Imager (OLI)", "Landsat 8"]
    assert [(d.text, d.role) for d in meta.dates] == [
        ("15 December 2017", "acquisition"),
        ("4 December 2017", "other"),
    ]
    (place,) = meta.places
    assert (place.name, place.country_code, place.text) == ("Cairo", "EG", "Cairo, Egypt")
    assert 31.0 < place.lon < 31.5 and 29.9 < place.lat < 30.2
    for mention in (*meta.sensors, *meta.dates, *meta.places):
        assert text[mention.span[0] : mention.span[1]] == mention.text


def test_month_with_modis_on_terra_and_a_launch_date() -> None:
    text = (
        "The Moderate Resolution Imaging Spectroradiometer (MODIS) on NASA's Terra satellite "
        "captured this natural-color image of smoke over Paris in June 2019. Terra was launched "
        "in December 1999, and Landsat 9 will follow."
    )
    meta = extract_metadata(text, published=dt.date(2019, 7, 2))
    assert meta.datetime is None and meta.precision == "month"
    assert (meta.start_datetime, meta.end_datetime) == (
        _day(2019, 6, 1),
        dt.datetime(2019, 6, 30, 23, 59, 59, tzinfo=UTC),
    )
    assert meta.platforms == ("terra",) and meta.instruments == ("modis",)
    assert meta.places[0].country_code == "FR"  # the major city, not Paris, Maine


def test_major_cities_win_over_same_named_towns() -> None:
    houston = extract_metadata("Floods in Houston, in this image.").places[0]
    assert houston.country_code == "US" and 29.5 < houston.lat < 30.0  # Texas, not Pennsylvania
    cairo = extract_metadata("In Cairo, the Nile splits in this image.").places[0]
    assert cairo.country_code == "EG"
    milan = extract_metadata("Smog over Milan, in this image.").places[0]
    assert (milan.name, milan.country_code) == ("Milan", "IT")  # GeoNames spells it Milano


def test_afternoon_of_takes_the_year_from_publication() -> None:
    text = (
        "An astronaut on the International Space Station (ISS) took this photograph of Houston, "
        "Texas, on the afternoon of August 3."
    )
    meta = extract_metadata(text, published=dt.date(2019, 8, 20))
    assert meta.datetime == _day(2019, 8, 3)
    assert meta.platforms == ("iss",) and meta.sensor_keys == ("iss-astronaut",)
    place = meta.places[0]
    assert (place.name, place.country_code, place.text) == ("Houston", "US", "Houston, Texas")
    # published early in the year: "December 28" is last December, never in the future
    late = extract_metadata("The image was acquired on December 28.", dt.date(2020, 1, 5))
    assert late.datetime == _day(2019, 12, 28)
    # no publication date, no year: no date rather than a guessed one
    assert extract_metadata("The image was acquired on December 28.").precision is None


def test_sentinel_1_radar_and_place_qualifier() -> None:
    text = "Copernicus Sentinel-1 radar data show flooding near Paris, Texas, on 3 July 2020."
    meta = extract_metadata(text)
    assert meta.platforms == ("sentinel-1",) and meta.instruments == ("c-sar",)
    assert (meta.places[0].country_code, meta.places[0].text) == ("US", "Paris, Texas")
    assert 33.0 < meta.places[0].lat < 34.0  # Paris, Texas, not Paris, France


def test_astronaut_photograph_and_a_city_named_like_its_region() -> None:
    text = (
        "Astronaut photograph ISS056-E-6582 was acquired on July 19, 2018, with a Nikon D5 "
        "digital camera and is provided by the ISS Crew Earth Observations Facility. It shows "
        "the Nile River near Khartoum, Sudan."
    )
    meta = extract_metadata(text, published=dt.date(2018, 8, 30))
    assert meta.sensor_keys == ("iss-astronaut",) and meta.datetime == _day(2018, 7, 19)
    place = meta.places[0]
    assert (place.name, place.kind, place.country_code) == ("Khartoum", "city", "SD")


def test_words_that_are_also_town_names_are_not_places() -> None:
    text = (
        "In Hurricane Ida, winds reached 150 mph. Scientists at Goddard Space Flight Center "
        "processed the image, acquired over Louisiana on August 29, 2021."
    )
    meta = extract_metadata(text)
    assert [(p.name, p.kind) for p in meta.places] == [("Louisiana", "region")]
    assert meta.places[0].country_code == "US"


def test_two_sensors_compared() -> None:
    text = (
        "The left image was acquired by the Thematic Mapper on Landsat 5 on 10 July 1990; the "
        "right image was acquired by OLI on Landsat 8 on 12 July 2020."
    )
    meta = extract_metadata(text)
    assert meta.sensor_keys == ("landsat-5-tm", "landsat-8-oli")
    assert meta.platforms == ("landsat-5", "landsat-8")
    assert meta.datetime is None and meta.precision == "day"
    assert meta.start_datetime == _day(1990, 7, 10)
    assert meta.end_datetime == dt.datetime(2020, 7, 12, 23, 59, 59, tzinfo=UTC)


def test_sensors_that_did_not_take_the_image_are_left_out() -> None:
    text = (
        "MODIS on NASA's Aqua satellite acquired this image of Dhaka, Bangladesh, on 2 May 2020. "
        "Sentinel-2B, launched in 2017, carries a similar instrument. Landsat 9 will join later."
    )
    meta = extract_metadata(text)
    assert meta.sensor_keys == ("aqua-modis",)
    assert [d.role for d in meta.dates] == ["acquisition", "other"]


def test_sensor_not_operating_then_is_dropped_with_a_note() -> None:
    meta = extract_metadata("Landsat 8 acquired this image of Lisbon on 5 May 2005.")
    assert meta.sensor_keys == () and meta.datetime == _day(2005, 5, 5)
    assert any("landsat-8-oli" in note and "operated 2013" in note for note in meta.notes)


def test_future_dates_are_rejected() -> None:
    meta = extract_metadata(
        "The satellite acquired this image of Lima, Peru, on 3 March 2021.",
        published=dt.date(2020, 1, 1),
    )
    assert meta.precision is None and meta.dates[0].role == "rejected"
    assert "after the publication date" in meta.notes[0]


def test_unknown_sensors_and_places_give_nothing() -> None:
    meta = extract_metadata(
        "The ZetaSat-9 imager captured this image of Xyzzyville on 1 June 2022."
    )
    assert meta.sensors == () and meta.platforms == () and meta.places == ()
    assert meta.datetime == _day(2022, 6, 1)
    assert extract_metadata("") == type(meta)()


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        extract_metadata(b"bytes")  # type: ignore[arg-type]


def test_sample_site_truth_is_recovered(tmp_path: Path) -> None:
    truth = generate_site(tmp_path, n_nasa=30, n_esa=15, seed=7, image_size=8)
    for article in truth:
        html = (tmp_path / article["path"].strip("/") / "index.html").read_bytes()
        page = parse_page(html, "http://127.0.0.1:1" + article["path"])
        meta = extract_metadata(f"{page.title}\n{page.text}", page.published)
        acquired = [dt.date.fromisoformat(d) for d in article["acquired"]]
        assert meta.precision == article["precision"], article
        assert meta.start_datetime is not None and meta.end_datetime is not None
        assert meta.start_datetime.date() <= min(acquired) <= meta.end_datetime.date()
        assert meta.start_datetime.date() <= max(acquired) <= meta.end_datetime.date()
        assert set(meta.sensor_keys) == set(article["sensors"]), article
        assert meta.places[0].name == article["place"], article
