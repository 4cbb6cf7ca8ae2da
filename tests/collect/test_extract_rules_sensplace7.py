"""Sensor and place rules of the seventh round (real-550..real-671), each on a sentence of ours."""

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.sensors import lookup_sensor


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- sensor registry: whole families, with their years ------------------------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("GOES-7", "goes-7-vas"),
        ("GMS-5", "gms-5-vissr"),
        ("Himawari-5", "gms-5-vissr"),
        ("FY-2E", "fengyun-2e-vissr"),
        ("Fengyun-1D", "fengyun-1d-mvisr"),
        ("FY-3C", "fengyun-3c-mersi"),
        ("IRS-1D", "irs-1d"),
        ("IRS-P4", "oceansat-1"),
        ("EOS-06", "oceansat-3"),
        ("Cartosat-2E", "cartosat-2e"),
        ("RISAT-1A", "eos-04"),
        ("Meteor-M N2-2", "meteor-m-2-2-msu-mr"),
        ("Elektro-L No. 2", "elektro-l-2-msu-gs"),
        ("GK-2B", "geo-kompsat-2b-goci-ii"),
        ("Sentinel-6 Michael Freilich", "sentinel-6-poseidon-4"),
        ("Visible and Infrared Scanner", "trmm-virs"),
        ("Geostationary Lightning Mapper", "glm"),
        ("AATSR", "envisat-aatsr"),
    ],
)
def test_registry_families(alias: str, key: str) -> None:
    found = lookup_sensor(alias)
    assert found is not None and found.key == key


def test_a_zero_padded_satellite_number() -> None:
    meta = extract_metadata("GOES-09 visible imagery captured the squall line on 3 May 1999.")
    assert meta.platforms == ("goes-9",)
    assert meta.instruments == ("goes-imager",)


def test_each_instrument_of_a_platform_is_known() -> None:
    text = (
        "The radar on TRMM measured the rain rates, and the Visible and Infrared Scanner "
        "captured the cloud tops around them."
    )
    meta = extract_metadata(text)
    assert meta.platforms == ("trmm",)
    assert "virs" in meta.instruments


def test_an_instrument_named_for_a_platform_of_its_constellation() -> None:
    text = "The OMPS aerosol index from NOAA-20 was captured beside the VIIRS true-colour image."
    meta = extract_metadata(text)
    assert meta.platforms == ("noaa-20",)
    assert set(meta.instruments) == {"viirs", "omps"}


def test_a_lightning_imager_names_its_satellite() -> None:
    text = "This animation was made from a week of data from the MTG Lightning Imager."
    meta = extract_metadata(text)
    assert meta.platforms == ("meteosat-12",)
    assert meta.instruments == ("li",)


def test_a_geostationary_satellite_named_alone_is_its_imager() -> None:
    meta = extract_metadata("Meteosat-12 captured this view of the squall line on 3 May 2024.")
    assert meta.platforms == ("meteosat-12",)
    assert meta.instruments == ("fci",)


@pytest.mark.parametrize(("year", "instrument"), [(2009, "goes-imager"), (2021, "abi")])
def test_the_goes_series_named_without_a_number(year: int, instrument: str) -> None:
    meta = extract_metadata(f"GOES imagery showed the squall line on 3 May {year}.")
    assert meta.platforms == ("goes",)
    assert meta.instruments == (instrument,)


def test_a_satellite_images_from_its_launch_year() -> None:
    text = "MTSAT-2 captured this rapid-scan image of the typhoon on 15 May 2006, in its tests."
    assert extract_metadata(text).platforms == ("mtsat-2",)


def test_satellites_of_one_family_told_apart_by_letters() -> None:
    meta = extract_metadata("The AVHRR swaths from MetOp-A and -B captured the smoke at dawn.")
    assert meta.platforms == ("metop-a", "metop-b")


def test_a_figure_caption_says_what_took_the_picture() -> None:
    text = (
        "Smoke spread over the north.\n"
        "Figure 1: Metop-B/C GOME-2 absorbing aerosol index, 3 May.\n"
        "Figure 2: Sentinel-3 OLCI true colour, 3 May."
    )
    meta = extract_metadata(text)
    assert set(meta.platforms) == {"metop-b", "metop-c", "sentinel-3"}
    assert "gome-2" in meta.instruments


# ---- places: what makes a place the picture's subject --------------------------------------


def test_a_country_that_names_a_strait_is_no_scene() -> None:
    text = "The cyclone crossed the Mozambique Channel on its way to Madagascar."
    assert _country(text) == "MG"


def test_a_holiday_is_no_town() -> None:
    text = "This radar image, taken at Christmas, shows frozen lakes near Rosenheim, Germany."
    assert _country(text) == "DE"


def test_a_country_that_names_an_organisation_is_its_seat() -> None:
    text = "Scientists at the Geological Survey of India mapped the landslide in western Nepal."
    assert _country(text) == "NP"


@pytest.mark.parametrize(
    "text",
    [
        "The new mosaic covers every continent; Brazil stands out in deep green.",
        "The radiometer mapped the sea ice of both polar regions, and Norway's coast is clear.",
    ],
)
def test_every_continent_is_the_whole_earth(text: str) -> None:
    assert _country(text) is None


def test_a_location_field_names_the_scene() -> None:
    text = (
        "Wetlands spread along the river north of the capital of Paraguay.\n"
        "Location: Argentina\nSensor: Landsat 7 ETM+"
    )
    assert _country(text) == "AR"


def test_a_long_title_keeps_a_two_word_state() -> None:
    assert _country("NASA Satellite Spots Smoke Over New Mexico Forest Fire") == "US"


def test_a_country_name_beats_a_town_named_after_it() -> None:
    text = "A bloom tinted the sea off Denmark; it covers about the area of Maine."
    assert _country(text) == "DK"


def test_a_country_name_qualified_as_a_town() -> None:
    assert _country("Snow fell on Lebanon, Pennsylvania and Harrisburg.") == "US"


def test_an_umlaut_spelled_with_two_letters() -> None:
    assert _country("Ash rose from the Grimsvoetn volcano under the ice cap.") == "IS"


def test_the_sentence_that_says_what_the_picture_shows() -> None:
    text = (
        "Last year a storm left Cuba without power for a week.\n\n"
        "This night-lights image shows the storm a day after it drifted away from Haiti; the "
        "dark outline of Jamaica lies beneath it."
    )
    assert _country(text) == "JM"
