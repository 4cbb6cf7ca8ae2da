"""Sensor and place rules of the eighth round (real-672..real-796), each on a sentence of ours."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.collect._gazetteer_names import latin_country_names, scripted_places
from gaia_geo.sensors import lookup_sensor


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- sensor registry: scatterometer and greenhouse-gas families, POES ----------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("QuikSCAT", "quikscat-seawinds"),
        ("Quick Scatterometer", "quikscat-seawinds"),
        ("SeaWinds", "seawinds"),
        ("Midori-II", "adeos-ii-gli"),
        ("NSCAT", "nscat"),
        ("OCTS", "adeos-octs"),
        ("SCATSAT-1", "scatsat-1"),
        ("OSCAT", "oceansat-2-oscat"),
        ("GOSAT", "gosat-cai"),
        ("Ibuki", "gosat-cai"),
        ("TANSO-FTS", "gosat-fts"),
        ("GOSAT-2", "gosat-2-cai"),
        ("TanSat", "tansat"),
        ("POES", "poes-avhrr"),
    ],
)
def test_registry_families(alias: str, key: str) -> None:
    found = lookup_sensor(alias)
    assert found is not None and found.key == key


def test_scatterometer_and_greenhouse_gas_pictures() -> None:
    meta = extract_metadata("The QuikSCAT satellite captured the winds of the storm on 3 May 2005.")
    assert meta.platforms == ("quikscat",) and meta.instruments == ("seawinds",)
    meta = extract_metadata("Smoke seen by the GOSAT/CAI sensor over Siberia on 2 July 2012.")
    assert meta.platforms == ("gosat",) and meta.instruments == ("cai",)


def test_image_of_a_sensor_band_names_its_source() -> None:
    # "an image of X" is what a picture shows, unless a band or "data" follows X
    meta = extract_metadata("An image of POES AVHRR Infrared data showed the plume on 4 May 2014.")
    assert meta.platforms == ("poes",) and meta.instruments == ("avhrr",)
    meta = extract_metadata("Astronauts took an image of Terra above the clouds on 4 May 2014.")
    assert meta.platforms == ()


# ---- places: a sea or a region in the title, the land in the body -------------------------


def test_region_named_only_in_the_title_yields_to_the_land() -> None:
    text = (
        "Smoke over South America\n\n"
        "Farmers set fires in Paraguay in early May, and the MODIS image shows their smoke."
    )
    assert _country(text) == "PY"


def test_sea_named_again_in_the_body_stays_the_scene() -> None:
    text = (
        "A storm in the Atlantic Ocean\n\n"
        "The storm churned across the Atlantic, far from Portugal, in this MODIS image."
    )
    assert _country(text) is None


# ---- places: country names in the languages articles are written in -----------------------


def test_country_names_in_other_languages() -> None:
    assert _country("Das Radarbild zeigt die Überschwemmungen in Tschechien.") == "CZ"
    assert _country("L'image montre les incendies au nord de la Grèce.") == "GR"
    assert latin_country_names(()).get("Island") is None  # German Iceland, an English word


def test_a_foreign_country_name_inside_a_company_name_is_no_place() -> None:
    text = "The satellite, built by Telespazio Italia S.p.A., imaged the flood in Kenya."
    assert _country(text) == "KE"


def test_country_names_in_japanese_and_greek_script() -> None:
    assert _country("インドネシアの火山を観測した画像です。") == "ID"
    assert _country("Η εικόνα δείχνει πυρκαγιές στην Ελλάδα.") == "GR"
    # "日本時間" is Japan Standard Time, not a place
    assert [place[2] for place in scripted_places("12月6日(日本時間)に観測した")] == []


# ---- places: a launch site is never the scene -----------------------------------------------


def test_launch_site_alone_is_no_place() -> None:
    text = (
        "Der Satellit hat diese Sicht auf Nordeuropa aufgenommen.\n"
        "Er wurde am 25. April vom Kosmodrom Plesezk (Russland) aus gestartet."
    )
    assert extract_metadata(text, dt.date(2018, 5, 9)).places == ()


# ---- places: volcano names romanised with hyphens ------------------------------------------


def test_japanese_volcano_names_written_joined() -> None:
    assert _country("Radar images of Mt. Ontake after the eruption.") == "JP"
    assert _country("Ash from Sakurajima drifted east in this image.") == "JP"


def test_distance_and_bearing_from_a_town_is_a_locus_after_a_region() -> None:
    text = (
        "Fires burned across southern Europe in July. The MODIS image shows a blaze about "
        "40 km west of Seville, Spain."
    )
    assert _country(text) == "ES"


# ---- sensors: every satellite that took one of several pictures -----------------------------


def test_an_acquisition_or_an_image_from_a_satellite_took_the_picture() -> None:
    text = (
        "A Landsat 8 image acquired on 2 May 2019 shows the lake before the flood. A "
        "RADARSAT-2 radar data acquisition of 9 May showed the flooded fields; the last "
        "image is from Sentinel-2B."
    )
    meta = extract_metadata(text)
    assert set(meta.platforms) == {"landsat-8", "radarsat-2", "sentinel-2b"}


def test_each_series_of_numbers_counts() -> None:
    text = (
        "The SPOT 6 and 7 satellites were tasked at once. Images were acquired by SPOT 6 and 7 "
        "on 3 May 2019."
    )
    assert set(extract_metadata(text).platforms) == {"spot-6", "spot-7"}
