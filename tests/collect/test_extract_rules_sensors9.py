"""Ninth round of sensor rules (platforms and instruments), each on a sentence written for it."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.sensors import get_sensor, lookup_sensor, normalize_name


def _sensors(text: str, published: dt.date | None = None) -> tuple[set[str], set[str]]:
    meta = extract_metadata(text, published)
    return set(meta.platforms), set(meta.instruments)


def test_every_name_of_a_caption_field_list_took_the_picture() -> None:
    text = (
        "Shrinking Glacier\n\nThe ice front retreated 3 km between the two summers.\n\n"
        "Satellites: Landsat 7, Landsat 9"
    )
    assert _sensors(text)[0] == {"landsat-7", "landsat-9"}


@pytest.mark.parametrize(
    "text",
    [
        # "seen by" names the picture's agent as "acquired" does
        "Dust over the Atlantic seen by NOAA-20. Landsat 8 acquired a closer view on 3 June 2021.",
        # so does a sensor that "produced" or "provided" the image
        "On 4 May 2022 Landsat 8 captured the delta. That night a pass of NOAA-20 produced "
        "a wide image of the storm.",
    ],
)
def test_seen_by_and_produced_the_image_say_who_took_it(text: str) -> None:
    assert _sensors(text)[0] == {"noaa-20", "landsat-8"}


def test_a_role_name_is_the_holder_the_text_names_by_number() -> None:
    # (by the picture's year alone, GOES-West of 2018 would be GOES-15)
    text = "The GOES West satellite, also known as GOES-17, watched the storm on 3 December 2018."
    assert _sensors(text)[0] == {"goes-17"}


def test_a_role_name_without_a_picture_date_is_the_holder_of_the_page_year() -> None:
    text = "Areas of smoke are analysed using GOES-EAST visible satellite imagery."
    assert _sensors(text, dt.date(2005, 6, 1)) == ({"goes-12"}, {"goes-imager"})


def test_a_constellation_of_several_instruments_named_alone_names_none() -> None:
    text = "The Copernicus Sentinel-3 satellite captured this view of snow on 2 February 2023."
    assert _sensors(text) == ({"sentinel-3"}, set())
    named = "Sentinel-3's OLCI captured this view of snow on 2 February 2023."
    assert _sensors(named) == ({"sentinel-3"}, {"olci"})


@pytest.mark.parametrize(
    "text",
    [
        "A radar image from ESA's Envisat shows the sea ice on 5 March 2008.",
        "The left image of 5 March 2008 is from Envisat's radar, the right one from MERIS.",
    ],
)
def test_a_platform_named_beside_radar_is_its_imaging_radar(text: str) -> None:
    platforms, instruments = _sensors(text)
    assert platforms == {"envisat"}
    assert "asar" in instruments


def test_a_satellite_letter_apart_from_its_number() -> None:
    assert _sensors("A radar image taken by the SENTINEL 1-B satellite on 3 May 2017.")[0] == {
        "sentinel-1b"
    }
    # a lower-case "a" after the number is a word, not a letter
    assert _sensors("Sentinel-2 a week later acquired this image of the fields.")[0] == {
        "sentinel-2"
    }
    assert lookup_sensor("CBERS-4 A") is get_sensor("cbers-4a")


def test_french_sentinelle() -> None:
    assert _sensors("L'image a été acquise par Sentinelle-2 le 3 mai 2020.")[0] == {"sentinel-2"}


def test_metop_and_noaa_polar_orbiters_named_without_a_number() -> None:
    metop = "Captured by the AVHRR instrument aboard EUMETSAT's Metop satellite on 3 March 2015."
    assert _sensors(metop) == ({"metop"}, {"avhrr"})
    noaa = (
        "The data were collected by the AVHRR, an instrument on a National Oceanic and "
        "Atmospheric Administration (NOAA) polar-orbiting satellite."
    )
    assert _sensors(noaa) == ({"poes"}, {"avhrr"})


def test_geoeye_alone_is_the_company() -> None:
    text = "GeoEye's satellite IKONOS captured this image of the port on 4 April 2010."
    assert _sensors(text)[0] == {"ikonos"}


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("HY-1C", "haiyang-1c"),
        ("HaiYang-2B", "haiyang-2b"),
        ("ZY-1 02D", "ziyuan-1-02d"),
        ("CBERS-2B", "cbers-2b"),
        ("GF-5", "gaofen-5"),
        ("Gaofen-3 02", "gaofen-3-02"),
        ("HJ-1A", "huanjing-1a"),
        ("TripleSat", "beijing-2"),
        ("SuperView Neo-1", "superview-neo"),
        ("Kanopus-V-IK", "kanopus-v"),
        ("Resurs-P No.2", "resurs-p"),
        ("Resurs-DK1", "resurs-dk1"),
        ("Arktika-M No 2", "arktika-m-2"),
        ("Kondor-FKA", "kondor-fka"),
        ("ASNARO-2", "asnaro-2"),
        ("StriX", "strix"),
        ("QPS-SAR", "qps-sar"),
        ("GOSAT-GW", "gosat-gw"),
        ("EarthCARE", "earthcare-cpr"),
        ("Arirang-1", "kompsat-1"),
        ("CAS500-1", "cas500-1"),
        ("VGT-2", "spot-5-vegetation"),
        ("Tanager-1", "tanager-1"),
        ("MethaneSAT", "methanesat"),
    ],
)
def test_families_from_the_oscar_list(alias: str, key: str) -> None:
    assert lookup_sensor(alias) is get_sensor(key)


def test_a_secondary_payload_leaves_the_platform_its_main_imager() -> None:
    assert _sensors("SPOT-4 acquired this image of Paris on 3 May 2000.") == (
        {"spot-4"},
        {"hrvir"},
    )
    assert _sensors("SPOT-1 acquired this image of the lake on 16 January 2001.")[0] == {"spot-1"}


def test_native_names_normalise_without_spaces() -> None:
    assert normalize_name("아리랑 3A호") == normalize_name("아리랑3A호") == "아리랑3a호"
    assert lookup_sensor("风云四号 B星") is get_sensor("fengyun-4b-agri")


@pytest.mark.parametrize(
    ("text", "platforms", "instruments"),
    [
        ("아리랑 3호가 촬영한 서울의 모습을 공개하였다.", {"kompsat-3"}, {"aeiss"}),
        ("だいち2号が観測した画像です。", {"alos-2"}, {"palsar-2"}),
        ("高分三号卫星拍摄的图像显示了洪水。", {"gaofen-3"}, {"c-sar"}),
        ("福衛五號拍攝的影像。", {"formosat-5"}, {"rsi"}),
        # a Latin-script name in a sentence that says "observed" in its own script took it (an
        # inset's Landsat 8 "image" is not what took the picture)
        (
            "ALOS-2が観測した画像です。\nThe inset shows a Landsat 8 image of 2015.",
            {"alos-2"},
            {"palsar-2"},
        ),
        # (a guard) a launch says nothing of a picture
        ("だいち4号は2024年に打ち上げられました。", set(), set()),
    ],
)
def test_names_in_kana_cjk_and_hangul(
    text: str, platforms: set[str], instruments: set[str]
) -> None:
    assert _sensors(text) == (platforms, instruments)
