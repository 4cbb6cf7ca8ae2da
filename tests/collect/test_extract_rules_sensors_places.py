"""Sensor and place rules of the fifth round (real-305..real-424), one sentence of our own each."""

import csv
from importlib import resources

import pytest

from gaia_geo.collect import extract_metadata, load_gazetteer
from gaia_geo.collect._gazetteer import fold_accents
from gaia_geo.sensors import all_sensors, get_sensor, lookup_sensor


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- sensor registry: whole families, with their years ------------------------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("GOES-8", "goes-8-imager"),
        ("GOES-12", "goes-12-imager"),
        ("Meteosat 7", "meteosat-7-mviri"),
        ("Meteosat First Generation", "meteosat-mfg"),
        ("MetOp-B", "metop-b-avhrr"),
        ("Metop Second Generation A1", "metop-sga1-metimage"),
        ("METimage", "metop-sga1-metimage"),
        ("NOAA-19", "noaa-19-avhrr"),
        ("RapidEye", "rapideye"),
        ("Landsat 3", "landsat-3-mss"),
        ("ERS-2", "ers-2-sar"),
        ("CryoSat-2", "cryosat-2"),
        ("Fengyun-4A", "fengyun-4a-agri"),
        ("GK-2A", "geo-kompsat-2a-ami"),
        ("Resourcesat-2", "resourcesat-2"),
        ("Cartosat-3", "cartosat-3"),
        ("CBERS-4A", "cbers-4a"),
        ("SAOCOM-1A", "saocom-1a"),
        ("EnMAP", "enmap"),
        ("Himawari-7", "mtsat-2"),
    ],
)
def test_registry_knows_the_whole_families(alias: str, key: str) -> None:
    sensor = lookup_sensor(alias)
    assert sensor is not None and sensor.key == key


def test_every_new_row_has_sane_years_and_lower_case_values() -> None:
    table = resources.files("gaia_geo.sensors").joinpath("sensors.csv").read_text("utf-8")
    assert [r[0] for r in csv.reader(table.splitlines()) if len(r) != 11] == []
    for sensor in all_sensors():
        assert 1960 <= sensor.start_year <= 2026, sensor.key  # (TIROS-1 flew in 1960)
        assert sensor.end_year is None or sensor.start_year <= sensor.end_year <= 2026
    assert get_sensor("goes-8-imager").operating_in(1999)
    assert not get_sensor("goes-8-imager").operating_in(2010)


def test_a_first_generation_goes_picture() -> None:
    meta = extract_metadata("This 14 May 1998 GOES-8 visible image shows smoke over Mexico.")
    assert meta.platforms == ("goes-8",) and meta.instruments == ("goes-imager",)


def test_goes_east_in_2005_was_goes_12() -> None:
    meta = extract_metadata("GOES-East captured this view of the storm on 3 June 2005.")
    assert meta.platforms == ("goes-12",)


def test_a_named_meteosat_beats_the_generation() -> None:
    text = "Sensor: Meteosat First Generation\nThis Meteosat-5 image from 4 May 1999 shows dust."
    meta = extract_metadata(text)
    assert meta.platforms == ("meteosat-5",) and meta.instruments == ("mviri",)


def test_rapideye_constellation() -> None:
    meta = extract_metadata("RapidEye satellites captured these images of the delta in 2012.")
    assert meta.platforms == ("rapideye",) and meta.instruments == ("reis",)


def test_aerial_photography_names_no_sensor() -> None:
    meta = extract_metadata("The aerial photograph was taken from a plane on 3 May 2019.")
    assert meta.platforms == () and meta.instruments == ()


# ---- sensor rules ------------------------------------------------------------------------


def test_short_acronyms_are_matched_as_texts_spell_them() -> None:
    meta = extract_metadata("SMAP measured the soil moisture of the plains in May 2019.")
    assert meta.platforms == ("smap",)


def test_an_acronym_is_not_a_given_name() -> None:
    meta = extract_metadata("This photo was captured by Chris Lee during a flight over Alaska.")
    assert meta.platforms == ()


def test_a_gallery_field_may_be_lower_case() -> None:
    meta = extract_metadata("Satellite Sensor viirs\nDust over the desert, 2 May 2018.")
    assert meta.instruments == ("viirs",)


def test_accented_names_are_found() -> None:
    meta = extract_metadata("Pléiades 1A acquired this image of the port on 4 July 2012.")
    assert meta.platforms == ("pleiades-1a",)


def test_an_instrument_s_full_name_is_not_its_platform_alone() -> None:
    text = "Envisat acquired the image with its Advanced Synthetic Aperture Radar in May 2004."
    assert extract_metadata(text).instruments == ("asar",)


def test_launched_describing_the_taker_is_no_negative() -> None:
    text = (
        "The image was acquired by the MERIS sensor aboard Envisat, launched in 2002, in June 2005."
    )
    assert extract_metadata(text).instruments == ("meris",)


def test_an_instrument_carried_by_the_platform_counts() -> None:
    text = (
        "NASA's Aqua satellite captured an image of the fires on 3 July 2015. The MODIS "
        "instrument aboard Aqua has bands that sense heat."
    )
    assert extract_metadata(text).instruments == ("modis",)


def test_a_mosaic_names_each_taker() -> None:
    text = (
        "MODIS on Terra captured this view on 2 May 2010. The picture is a mosaic of data from "
        "both Terra and Aqua."
    )
    assert set(extract_metadata(text).platforms) == {"terra", "aqua"}


def test_series_with_a_final_and() -> None:
    text = "The animation uses data from Landsat 5, 7, and 8 acquired between 1990 and 2020."
    assert {"landsat-5", "landsat-7", "landsat-8"} <= set(extract_metadata(text).platforms)


def test_a_constellation_beside_image_nouns_gives_way_to_the_taker() -> None:
    text = (
        "The Copernicus Sentinel-2B satellite captured this image on 3 May 2019. Images from the "
        "Sentinel-1 radar mission showed the flood a week later."
    )
    assert extract_metadata(text).platforms == ("sentinel-2b",)


def test_a_caption_field_outranks_a_collection() -> None:
    text = (
        "Image date: 2 May 2001\nSource: Landsat 7\nPart of a collection of images taken by the "
        "Landsat 5 and Landsat 7 satellites."
    )
    assert extract_metadata(text).platforms == ("landsat-7",)


def test_an_astronaut_photo_number_names_the_shuttle() -> None:
    meta = extract_metadata("STS41G-34-81 Lake Chad, Chad October 1984\nThe lake appears small.")
    assert meta.platforms == ("space-shuttle",)


# ---- place rules -------------------------------------------------------------------------


def test_a_state_beats_a_same_named_small_town() -> None:
    assert _country("Wildfires burned through California's hills in 2018.") == "US"


def test_an_owner_is_on_the_owner_s_line() -> None:
    assert _country("Iceland's Hekla Volcano\n\nThis natural-color satellite image") == "IS"


def test_st_and_mt_are_words_of_a_name() -> None:
    assert _country("An ASTER view of Mount St. Helens, taken in 2004.") == "US"


def test_an_organisation_named_after_a_place_is_not_the_scene() -> None:
    text = (
        "Researchers at the University of Oxford mapped burned areas in Angola with "
        "Sentinel-2 images from 2016."
    )
    assert _country(text) == "AO"


def test_a_newspaper_named_after_a_city_is_not_the_scene() -> None:
    text = "Seen in a Washington Post story: lava at Bardarbunga volcano on 3 Jan. 2015."
    assert _country(text) == "IS"


def test_a_launch_site_is_not_the_scene() -> None:
    text = (
        "Launched on a Soyuz rocket from Kourou in French Guiana, the satellite returned its "
        "first image: the coast of Norway."
    )
    assert _country(text) == "NO"


def test_a_nation_of_contains_the_feature() -> None:
    text = "The picture shows dunes in the Sahara, near an oasis in the African nation of Niger."
    assert _country(text) == "NE"


def test_a_major_city_heading_a_caption() -> None:
    assert _country("Paris: The elevation model shows the Seine valley.") == "FR"


def test_a_demonym_side() -> None:
    assert _country("The glacier lies on the Chilean side of the ice field.") == "CL"


def test_a_region_of_several_countries_is_no_one_country() -> None:
    assert _country("Dust storms swept across the Sahel on 3 March 2004.") is None


def test_volcanoes_by_name() -> None:
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("Sarychev Peak")[0].country_code == "RU"
    assert gazetteer.lookup("Mount Michael")[0].country_code == "GS"
    assert gazetteer.lookup("Ruby") == ()  # an ordinary name keeps no volcano
    assert _country("Astronauts photographed Sarychev Peak erupting, northeast of Japan.") == "RU"


def test_fold_accents_handles_letters_without_decomposition() -> None:
    assert fold_accents("Bárðarbunga") == "Bardarbunga"
    assert fold_accents("Þórsmörk") == "Thorsmork"
