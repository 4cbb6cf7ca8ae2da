"""Twelfth round of sensor rules (platforms and instruments), each on a sentence written for it."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.sensors import lookup_sensor


def _sensors(text: str, published: dt.date | None = None) -> tuple[set[str], set[str]]:
    meta = extract_metadata(text, published)
    return set(meta.platforms), set(meta.instruments)


# ---- registry: whole classes, with their years and instruments ----------------------------


@pytest.mark.parametrize(
    ("alias", "platform", "instruments", "years"),
    [
        ("Gemini IV", "gemini-4", ("handheld-camera",), (1965, 1965)),
        ("Gemini 9A", "gemini-9", ("handheld-camera",), (1966, 1966)),
        ("GT-3", "gemini-3", ("handheld-camera",), (1965, 1965)),
        ("Apollo XVII", "apollo-17", ("handheld-camera",), (1972, 1972)),
        ("Apollo-Soyuz Test Project", "apollo-soyuz", ("handheld-camera",), (1975, 1975)),
        ("Friendship 7", "mercury-atlas-6", ("handheld-camera",), (1962, 1962)),
        ("ATS-III", "ats-3", ("mssc",), (1967, 2001)),
        ("SMS-1", "sms-1", ("vissr",), (1974, 1981)),
        ("Synchronous Meteorological Satellite 2", "sms-2", ("vissr",), (1975, 1982)),
        ("Copernicus Sentinel-4", "mtg-s1", ("sentinel-4",), (2025, None)),
        ("Sentinel-5", "metop-sga1", ("sentinel-5",), (2025, None)),
        ("SMMR", "nimbus-7", ("smmr",), (1978, 1987)),
    ],
)
def test_registry_knows_whole_classes(
    alias: str, platform: str, instruments: tuple[str, ...], years: tuple[int, int | None]
) -> None:
    sensor = lookup_sensor(alias)
    assert sensor is not None and sensor.platform == platform
    assert sensor.instruments == instruments
    assert (sensor.start_year, sensor.end_year) == years


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("Gemini 3", None),  # (also a language model of 2025: "Gemini III", "GT-3" name it)
        ("Gemini 4", None),
        ("Gemini 11", "gemini-11-crew"),
        ("Sentinel-5 Precursor", "sentinel-5p-tropomi"),
        ("Copernicus Sentinel-5 Precursor", "sentinel-5p-tropomi"),
        ("SSM/I", "dmsp-ssmi"),
        ("Special Sensor Microwave Imager/Sounder", "dmsp-ssmis"),
        ("FY-4", "fengyun-4-agri"),
        ("Fengyun-4A", "fengyun-4a-agri"),
        ("风云二号", "fengyun-2-vissr"),
        ("SNPP", "suomi-npp-viirs"),
    ],
)
def test_registry_aliases_of_the_round(alias: str, key: str | None) -> None:
    sensor = lookup_sensor(alias)
    assert (sensor.key if sensor else None) == key


def test_a_crewed_flight_of_the_sixties_took_the_photograph() -> None:
    text = "Astronauts aboard Gemini XII took this photograph of the Nile delta in November 1966."
    assert _sensors(text) == ({"gemini-12"}, {"handheld-camera"})


def test_an_early_geostationary_satellite_took_the_image() -> None:
    text = "This visible image of a squall line was taken by SMS-2 on 3 May 1979."
    assert _sensors(text) == ({"sms-2"}, {"vissr"})


def test_the_copernicus_geostationary_spectrometer() -> None:
    text = "The Copernicus Sentinel-4 mission acquired this map of nitrogen dioxide over Europe."
    assert _sensors(text) == ({"mtg-s1"}, {"sentinel-4"})


def test_a_family_named_without_its_letter_is_its_only_member_of_the_years() -> None:
    text = "The Fengyun-4 satellite captured this image of a dust storm on 12 March 2018."
    assert _sensors(text) == ({"fengyun-4a"}, {"agri"})


def test_snpp_is_suomi_npp() -> None:
    text = "The animation shows VIIRS overpasses from SNPP and NOAA-20 on 3 June 2023."
    assert _sensors(text) == ({"suomi-npp", "noaa-20"}, {"viirs"})


# ---- the press writes a pronounceable acronym in title case -------------------------------


def test_a_pronounceable_acronym_in_title_case() -> None:
    text = "A radar image of the flooded delta was captured by one of Iceye's satellites."
    assert _sensors(text) == ({"iceye"}, {"x-sar"})


def test_an_acronym_that_is_a_name_in_title_case_is_not_a_sensor() -> None:
    text = "Chris took this image of the Atlas mountains from a plane."
    assert _sensors(text) == (set(), set())


# ---- a page's own figure: "(below)" at the end of the clause -------------------------------


def test_images_shown_below_with_words_between() -> None:
    text = (
        "Suomi NPP VIIRS True Color images captured the plume on 4 May 2021. The plume was "
        "also evident in Himawari-8 Infrared images from the regional archive (below)."
    )
    assert _sensors(text) == ({"suomi-npp", "himawari-8"}, {"viirs", "ahi"})


# ---- a sensor named in a comparison did not take the picture -------------------------------


def test_a_sensor_named_as_identical_to_another_did_not_take_it() -> None:
    text = (
        "Himawari-9 AHI imagery of the typhoon, 2 September 2023. Its bands are nearly "
        "identical to the GOES-18 ABI imagery bands."
    )
    assert _sensors(text) == ({"himawari-9"}, {"ahi"})


# ---- a series named without its number: its satellite of the picture's years ---------------


@pytest.mark.parametrize(
    ("year", "platform"), [(2017, "himawari-8"), (2024, "himawari-9"), (2022, "himawari")]
)
def test_himawari_named_alone(year: int, platform: str) -> None:
    text = f"The Himawari satellite captured this image of the typhoon on 12 August {year}."
    assert _sensors(text) == ({platform}, {"ahi"})


def test_himawari_named_alone_beside_its_satellite() -> None:
    text = "Himawari data of the typhoon: Himawari-8 AHI infrared images show the eye."
    assert _sensors(text) == ({"himawari-8"}, {"ahi"})


# ---- a sentence that says a sensor's picture showed something ------------------------------


def test_showed_is_a_picture_word() -> None:
    text = (
        "Sentinel-1 radar images of the flood, 2 May 2022. Overlays of Metop-B ASCAT winds "
        "showed the storm's circulation."
    )
    assert _sensors(text) == ({"sentinel-1", "metop-b"}, {"c-sar", "ascat"})


# ---- a band after the sensor: the picture's source, not what it shows ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "This composite image of Suomi NPP VIIRS Day/Night Band data shows the aurora.",
        "The comparison below shows the NOAA-20 Brightness Temperature Difference product.",
        "An image of GOES-16 Band 13 shows the eye of the hurricane.",
    ],
)
def test_a_band_after_the_sensor_names_the_source(text: str) -> None:
    platforms, _ = _sensors(text)
    assert platforms & {"suomi-npp", "noaa-20", "goes-16"}


# ---- a relative clause on the launch of the sensor that took the picture -------------------


def test_which_launched_describes_the_sensor_that_took_the_picture() -> None:
    text = (
        "The animation was captured by NOAA's GOES-19, which launched from Florida in 2024, "
        "on 3 May 2025."
    )
    assert _sensors(text) == ({"goes-19"}, {"abi"})


def test_a_launch_without_an_acquisition_verb_before_is_still_a_launch() -> None:
    text = "Landsat 9, which was launched in 2021, will image the glacier next year."
    assert _sensors(text) == (set(), set())


# ---- a weather satellite named alone is its imager, not its sounder -----------------------


def test_a_weather_satellite_named_alone_is_its_imager() -> None:
    text = "Rapid-scan images from INSAT-3DS captured the cyclone's eye on 4 June 2025."
    assert _sensors(text) == ({"insat-3ds"}, {"insat-imager"})


def test_a_sounder_named_as_such_still_counts() -> None:
    text = "The INSAT-3DR Sounder acquired these moisture profiles on 4 June 2020."
    assert _sensors(text) == ({"insat-3dr"}, {"insat-sounder"})


# ---- "GOES-R": GOES-16 before its launch, the series' programme since ----------------------


def test_goes_r_before_a_product_names_the_programme() -> None:
    text = (
        "GOES-15 Visible images (below) showed the fog on 9 January 2017, with the GOES-R "
        "Cloud Thickness product overlaid."
    )
    assert _sensors(text) == ({"goes-15"}, {"goes-imager"})


def test_goes_r_the_satellite() -> None:
    text = "The GOES-R satellite captured this image of the storm on 15 January 2017."
    assert _sensors(text) == ({"goes-16"}, {"abi"})


# ---- the picture's years would drop every sensor named: the date is the likelier mistake ---


def test_years_that_drop_every_named_sensor_are_not_trusted() -> None:
    text = (
        "Lake Chad was first photographed from space in 1965. This photograph of the lake "
        "was taken by the crew of Space Shuttle Discovery."
    )
    assert _sensors(text) == ({"space-shuttle"}, {"handheld-camera"})


def test_years_still_drop_a_sensor_named_beside_one_of_them() -> None:
    text = "Sentinel-2A acquired this image on 20 August 2016; Sentinel-2B joins it next year."
    assert _sensors(text)[0] == {"sentinel-2a"}


def test_apollo_in_spanish() -> None:
    text = "Esta fotografía de la Tierra fue tomada por la tripulación del Apolo 17 en 1972."
    assert _sensors(text) == ({"apollo-17"}, {"handheld-camera"})


def test_years_written_beside_the_sensor_still_drop_it() -> None:
    meta = extract_metadata("Landsat 9 acquired this image of Quito on 2 March 2012.")
    assert meta.sensor_keys == () and any("landsat-9" in note for note in meta.notes)
