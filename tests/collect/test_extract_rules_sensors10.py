"""Tenth round of sensor rules (platforms and instruments), each on a sentence written for it."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata


def _sensors(text: str, published: dt.date | None = None) -> tuple[set[str], set[str]]:
    meta = extract_metadata(text, published)
    return set(meta.platforms), set(meta.instruments)


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        (
            "A crew member of the Skylab 4 mission photographed the Nile delta with a hand-held "
            "camera in January 1974.",
            "skylab",
        ),
        (
            "Cosmonauts aboard the Mir space station photographed the Aral Sea in August 1997.",
            "mir",
        ),
        # an orbiter's name is the Shuttle's
        (
            "An astronaut on the shuttle Atlantis snapped this photo of the Andes in May 1991.",
            "space-shuttle",
        ),
    ],
)
def test_crewed_spacecraft_photographs(text: str, platform: str) -> None:
    assert _sensors(text) == ({platform}, {"handheld-camera"})


def test_a_shuttle_radar_took_the_picture_not_the_crew() -> None:
    text = (
        "This radar view of the Amazon was acquired on 12 April 1994 by the Spaceborne Imaging "
        "Radar-C/X-band Synthetic Aperture Radar (SIR-C/X-SAR) flying on the space shuttle "
        "Endeavour."
    )
    assert _sensors(text) == ({"space-shuttle"}, {"sir-c", "x-sar"})


def test_a_crew_photograph_number_outranks_the_shuttle_radar_named_as_past_work() -> None:
    text = (
        "STS073-712-40 Lake Chad, October 1995. Radar images taken by SIR-C on the Space "
        "Shuttle Endeavour in 1994 showed old shorelines around the lake."
    )
    assert _sensors(text) == ({"space-shuttle"}, {"handheld-camera"})


def test_the_shuttle_named_alone_is_still_its_crew_camera() -> None:
    text = "STS-41 astronauts photographed the Gulf Stream from the Space Shuttle in October 1990."
    assert _sensors(text) == ({"space-shuttle"}, {"handheld-camera"})


@pytest.mark.parametrize(
    ("text", "platforms", "instruments"),
    [
        # Hindi: "The Suomi NPP satellite's VIIRS took this picture of the smoke on 5 Nov 2020."
        (
            "5 नवंबर 2020 को सुओमी एनपीपी उपग्रह के VIIRS ने धुएं की यह तस्वीर ली।",
            {"suomi-npp"},
            {"viirs"},
        ),
        # Russian: "The satellite Meteor-M No. 2-2 took this image of the cyclone."
        (
            "Спутник «Метеор-М № 2-2» сделал этот снимок циклона над Камчаткой.",
            {"meteor-m-2-2"},
            {"msu-mr"},
        ),
        # Japanese: "An astronaut aboard the International Space Station photographed Tokyo."
        (
            "国際宇宙ステーションに滞在中の宇宙飛行士が東京の夜景を撮影した。",
            {"iss"},
            {"handheld-camera"},
        ),
        # Japanese: ALOS's AVNIR-2 by its Japanese name observed the island
        (
            "「だいち」搭載の高性能可視近赤外放射計2型(アブニール・ツー)が2009年5月3日に島を観測した。",
            {"alos"},
            {"avnir-2"},
        ),
    ],
)
def test_names_in_cyrillic_devanagari_and_japanese(
    text: str, platforms: set[str], instruments: set[str]
) -> None:
    assert _sensors(text) == (platforms, instruments)


def test_a_cyrillic_name_starts_a_word() -> None:
    # "МКС" inside a longer word is not the ISS
    assert _sensors("Снимок из архива ОМКС показал озеро.")[0] == set()


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        (
            "Spring floods on the Danube, seen by #Sentinel2 on 3 April 2023 #Copernicus",
            "sentinel-2",
        ),
        ("#Landsat9 captured the burn scar on 9 August 2022.", "landsat-9"),
    ],
)
def test_a_hashtag_fuses_the_family_name_and_its_number(text: str, platform: str) -> None:
    assert _sensors(text)[0] == {platform}


@pytest.mark.parametrize(
    "text",
    [
        "The RADARSAT Constellation Mission imaged the sea ice of Hudson Bay on 2 March 2024.",
        # French word order; a trademark line naming RADARSAT does not make it RADARSAT-1
        "La mission de la Constellation RADARSAT a capté cette image de la baie d'Hudson le "
        "2 mars 2024. RADARSAT est une marque officielle de l'Agence spatiale canadienne.",
    ],
)
def test_the_radarsat_constellation_is_its_own_platform(text: str) -> None:
    assert _sensors(text) == ({"radarsat-constellation"}, {"sar"})


def test_two_platforms_share_the_instrument_named_after_the_second() -> None:
    text = (
        "Fires in the Sahel tripled during the day, from the Terra MODIS overpass in the morning "
        "to the Aqua MODIS overpass after noon. These images were acquired by the Terra and Aqua "
        "MODIS instruments on 16 December 2002."
    )
    assert _sensors(text) == ({"terra", "aqua"}, {"modis"})


@pytest.mark.parametrize(
    "text",
    [
        # Italian: "the Sentinel-2 satellite of Copernicus, the Earth observation programme"
        "Il satellite Sentinel-2 di Copernicus, il programma di osservazione della Terra, ha "
        "ripreso il lago il 3 marzo 2023.",
        # Portuguese: "an image of the Earth taken by Sentinel-2"
        "Uma imagem da Terra captada pelo Sentinel-2 em 3 de março de 2023 mostra o lago.",
    ],
)
def test_terra_after_an_italian_or_portuguese_article_is_the_earth(text: str) -> None:
    assert _sensors(text)[0] == {"sentinel-2"}


def test_the_terra_satellite_in_italian_is_still_terra() -> None:
    text = "Il satellite Terra della NASA ha ripreso il fumo il 3 marzo 2023 con MODIS."
    assert _sensors(text) == ({"terra"}, {"modis"})


def test_the_first_satellite_of_a_family_is_its_number_one() -> None:
    text = (
        "The glacier in 1972, when the first Landsat satellite imaged the fjord, and on "
        "12 August 2019 in a Landsat 8 image."
    )
    assert _sensors(text)[0] == {"landsat-1", "landsat-8"}
