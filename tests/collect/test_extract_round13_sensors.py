"""Thirteenth round of sensor rules (platforms and instruments), on real articles' phrasings."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.sensors import lookup_sensor


def _sensors(text: str, published: dt.date | None = None) -> tuple[set[str], set[str]]:
    meta = extract_metadata(text, published)
    return set(meta.platforms), set(meta.instruments)


# ---- registry: families articles name, in their languages ---------------------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("EROS-B", "eros-b"),
        ("VENuS", "venus"),
        ("KhalifaSat", "khalifasat"),
        ("Göktürk-1", "gokturk-1"),
        ("FASat-Charlie", "fasat-charlie"),
        ("Mohammed VI-A", "mohammed-vi-a"),
        ("GHGSat", "ghgsat"),
        ("GEMS", "geo-kompsat-2b-gems"),
        ("Tiangong space station", "tiangong"),
        ("中国空间站", "tiangong"),
        ("KH-9 Hexagon", "hexagon"),
        ("KH-4B", "corona"),
        ("Biomass satellite", "biomass"),
        ("SAOCOM", "saocom"),
        ("Landsat Thematic Mapper", "thematic-mapper"),
        ("Shuttle Radar Topography Mission", "srtm"),
        ("CBERS-04A", "cbers-4a"),
        ("Ландсат-8", "landsat-8-oli"),
        ("Estación Espacial Internacional", "iss-astronaut"),
        ("Internationale Raumstation", "iss-astronaut"),
        ("navette spatiale", "space-shuttle"),
        ("ESSA III", "essa-3-camera"),
        ("Geostationary Operational Environmental Satellite", "goes-imager"),
    ],
)
def test_registry_knows_the_names_articles_write(alias: str, key: str) -> None:
    sensor = lookup_sensor(alias)
    assert sensor is not None and sensor.key == key


def test_an_elevation_mission_has_no_instrument_of_its_own() -> None:
    sensor = lookup_sensor("SRTM")
    assert sensor is not None and sensor.platform == "space-shuttle" and not sensor.instruments


# ---- which sensor took the picture ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "platforms", "instruments"),
    [
        # a German genitive, an English plural of a name of several words
        (
            "Diese Aufnahme des Advanced Land Imagers an Bord des NASA-Satelliten EO-1 zeigt New "
            "Orleans am 6. September 2005.",
            None,
            {"eo-1"},
            {"ali"},
        ),
        (
            "Satellite images released by NASA Thursday allow researchers to watch the storms. "
            "The images came from one of two Geostationary Operational Environmental Satellites "
            "in orbit over the United States.",
            dt.date(1997, 5, 29),
            {"goes"},
            {"goes-imager"},
        ),
        # a family named beside one of its satellites: the satellite
        (
            "The image was captured by the Geostationary Operational Environmental Satellite "
            "(GOES-16) on 12 March 2019.",
            None,
            {"goes-16"},
            {"abi"},
        ),
        (
            "La dernière image du satellite européen Meteosat-7, acquise le 31 mars 2017. "
            "C'est le 4 avril qu'Eumetsat a démarré les opérations de retrait du satellite "
            "Meteosat, le dernier exemplaire de la première génération.",
            None,
            {"meteosat-7"},
            {"mviri"},
        ),
        # an instrument's shared name, after its first satellite retired
        (
            "The Japan Meteorological Agency's Advanced Himawari Imager (AHI) captured the fires "
            "between 6-11 January 2026.",
            None,
            {"himawari-9"},
            {"ahi"},
        ),
        # Landsat's Thematic Mapper with no satellite named: no guessed satellite
        (
            "The graphic below shows images of the Tri-River area taken by the Landsat Thematic "
            "Mapper satellite before, during, and after the flood of 1993.",
            None,
            set(),
            {"tm"},
        ),
        (
            "Landsat satellite images of Lake Mead taken between 1990 and 2009 show the dropping "
            "lake level. These false-color images use TM bands 7,4,2.",
            None,
            set(),
            {"tm"},
        ),
        # French "vus par" (seen by) and "acquise par" take the picture
        (
            "Les dégâts de l'incendie vus par le satellite européen Sentinel-2B. Comparaison entre "
            "une image acquise le 15 août 2023 et une image acquise par Sentinel-2A le 10 août.",
            None,
            {"sentinel-2a", "sentinel-2b"},
            {"msi"},
        ),
        # an elevation model under a picture, and beside a radar that measured the terrain
        (
            "This 3-D perspective view was generated using topographic data from the Shuttle "
            "Radar Topography Mission (SRTM), a Landsat 7 satellite image, and a false sky.",
            None,
            {"space-shuttle", "landsat-7"},
            {"etm+"},
        ),
        (
            "Comparing the Shuttle Radar Topography Mission (SRTM) elevation model from 2000 and "
            "the data acquired by TanDEM-X over the opencast lignite mine at Hambach, the improved "
            "accuracy is impressively demonstrated.",
            None,
            {"tandem-x"},
            {"sar-x"},
        ),
        # "watched" takes the picture as "observed" does
        (
            "GOES-17 watched smoke billowing over the region. NOAA-20 and Suomi NPP captured "
            "daytime and nighttime images of the fires.",
            None,
            {"goes-17", "noaa-20", "suomi-npp"},
            {"abi", "viirs"},
        ),
        # ISRO's name for Cartosat-2C..2F: the constellation, no guessed satellite
        (
            "The Cartosat-2S satellite captured the satellite images. The NRSC has released "
            "satellite images of sinking areas.",
            None,
            {"cartosat"},
            set(),
        ),
        # the space station in Polish
        (
            "Amerykański astronauta Jeff Williams pracuje w stacji kosmicznej orbitującej wokół "
            "Ziemi. Na co dzień wykonuje zdjęcia niesamowitych miejsc widzianych z kosmosu.",
            None,
            {"iss"},
            {"handheld-camera"},
        ),
    ],
)
def test_which_sensor_took_the_picture(
    text: str, published: dt.date | None, platforms: set[str], instruments: set[str]
) -> None:
    assert _sensors(text, published) == (platforms, instruments)


def test_lower_case_words_of_a_name_in_the_plural_name_nothing() -> None:
    text = "Landsat 7 acquired this image on 5 June 2001; its thermal infrared sensors saw heat."
    assert _sensors(text) == ({"landsat-7"}, {"etm+"})


# ---- names in Japanese, Chinese and Korean ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("吉林1号卫星拍摄的图像。", {"jilin-1"}),  # a digit for the ideograph of 吉林一号
        ("高分二號衛星拍攝的影像。", {"gaofen-2"}),  # the traditional 號
        # the counter 호 left out, and a satellite only compared with ("compared to Chollian-1")
        (
            "새로운 기상위성인 ‘천리안위성 2A’(이하 ‘2A’)호가 촬영한 영상. 천리안2A호는 "
            "천리안1호에 비해 공간 해상도가 4배 향상된 영상을 촬영할 수 있다.",
            {"geo-kompsat-2a"},
        ),
        ("아쿠아위성이 '모디스(MODIS)'라는 센서를 활용해 이달 1일 촬영한 것이다.", {"aqua"}),
        ("哨兵二号卫星拍摄的图像显示了洪水。", {"sentinel-2"}),
    ],
)
def test_native_script_names(text: str, platforms: set[str]) -> None:
    assert _sensors(text)[0] == platforms


def test_a_japanese_caption_field_names_the_sensor() -> None:
    text = (
        "観測場所:静岡県、山梨県\n衛星名/センサ名:ERS-1/AMI\n\n"
        "この画像は、ERS-1に搭載してある合成開口レーダ(AMI)のデータです。\n\n"
        "観測日:1992年(平成4年)4月23日\n衛星名/センサ名:JERS-1/SAR\n\n"
        "観測日:1992年(平成4年)4月23日\n衛星名/センサ名:LANDSAT-5/TM\n\n"
        " 画像1及び画像2は、1992年4月23日のほぼ同時刻に、違う衛星で観測したものです。"
    )
    assert _sensors(text) == ({"ers-1", "jers-1", "landsat-5"}, {"sar", "tm"})
