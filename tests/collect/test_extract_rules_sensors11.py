"""Eleventh round of sensor rules (platforms and instruments), each on a sentence written for it."""

import datetime as dt

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.sensors import get_sensor, lookup_sensor


def _sensors(text: str, published: dt.date | None = None) -> tuple[set[str], set[str]]:
    meta = extract_metadata(text, published)
    return set(meta.platforms), set(meta.instruments)


# ---- registry: whole families, with their years and instruments ---------------------------


@pytest.mark.parametrize(
    ("alias", "platform", "years"),
    [
        ("TIROS-1", "tiros-1", (1960, 1960)),
        ("TIROS 9", "tiros-9", (1965, 1967)),
        ("ESSA-7", "essa-7", (1968, 1969)),
        ("ITOS-1", "itos-1", (1970, 1971)),
        ("NOAA-3", "noaa-3", (1973, 1976)),
        ("TIROS-N", "tiros-n", (1978, 1981)),
        ("UK-DMC-2", "uk-dmc-2", (2009, 2018)),
        ("NigeriaSat-X", "nigeriasat-x", (2011, None)),
        ("AlSAT-1", "alsat-1", (2002, 2010)),
        ("LAPAN-A2", "lapan-a2", (2015, None)),
        ("LAPAN-IPB", "lapan-a3", (2016, None)),
        ("TOPEX/Poseidon", "topex-poseidon", (1992, 2006)),
        ("Jason-3", "jason-3", (2016, None)),
        ("Poseidon-3C", "swot", (2022, None)),
        ("Landsat V", "landsat-5", (1984, 2013)),
        ("Nimbus 5", "nimbus-5", (1972, 1983)),
        ("Aeolus", "aeolus", (2018, 2023)),
        ("GRACE-FO", "grace-fo", (2018, None)),
        ("SAC-C", "sac-c", (2000, 2013)),
        ("Aquarius/SAC-D", "sac-d", (2011, 2015)),
        ("SDGSAT-1", "sdgsat-1", (2021, None)),
        ("Thaichote", "theos", (2008, None)),
        ("VNREDSat-1", "vnredsat-1", (2013, None)),
        ("KazEOSat-2", "kazeosat-2", (2014, None)),
        ("PerúSAT-1", "perusat-1", (2016, None)),
        ("DubaiSat-2", "dubaisat-2", (2013, None)),
        ("HySIS", "hysis", (2018, None)),
        ("MOS-1b", "mos-1b", (1990, 1996)),
        ("HCMM", "hcmm", (1978, 1980)),
        ("CSG-2", "csg-2", (2022, None)),
        ("ADEOS", "adeos-i", (1996, 1997)),
    ],
)
def test_registry_knows_whole_families(
    alias: str, platform: str, years: tuple[int, int | None]
) -> None:
    sensor = lookup_sensor(alias)
    assert sensor is not None and sensor.platform == platform
    assert (sensor.start_year, sensor.end_year) == years


def test_noaa_2_is_not_noaa_20() -> None:
    assert get_sensor("noaa-2-vhrr").platform == "noaa-2"
    assert _sensors("NOAA-20 captured this image of the fires on 3 May 2020.")[0] == {"noaa-20"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two cameras on board: the satellite named alone says which platform, not which camera
        ("TIROS-3 took this picture of a hurricane over the Atlantic in September 1961.",
         ({"tiros-3"}, set())),
        ("Clouds over the Gulf of Mexico seen by ESSA-9 on 3 June 1970.", ({"essa-9"}, set())),
        ("The first image from LAPAN-A2 shows the port of Surabaya, acquired in 2016.",
         ({"lapan-a2"}, set())),
        ("Nimbus-3 photographed the ice of Hudson Bay in May 1969.", ({"nimbus-3"}, set())),
        ("The Grace of the valley was captured by SDGSAT-1 in March 2022.",
         ({"sdgsat-1"}, set())),
        ("PeruSat-1 captured this image of Lima on 3 March 2017.", ({"perusat-1"}, {"naomi"})),
        # Proba-1 carries CHRIS and a camera: "Proba-1" alone names neither
        ("Proba-1 acquired this image of the Giza plateau on 6 January 2018.",
         ({"proba-1"}, set())),
        # a satellite of one imager implies it
        ("NigeriaSat-X captured this picture of Lagos in September 2011.",
         ({"nigeriasat-x"}, {"slim6"})),
        ("The river as seen by the Poseidon-3C altimeter on SWOT on 20 January 2023.",
         ({"swot"}, {"poseidon-3c"})),
        ("La imagen fue tomada por el satélite Landsat V en marzo de 1993.",
         ({"landsat-5"}, {"tm"})),
    ],
)  # fmt: skip
def test_new_registry_rows_in_articles(text: str, expected: tuple[set[str], set[str]]) -> None:
    assert _sensors(text) == expected


# ---- Metop: IASI, GOME-2 and ASCAT fly beside AVHRR, so "Metop-B" alone names no instrument --


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MetOp-B captured this view of the storm over the Bay of Biscay on 3 March 2017.",
         ({"metop-b"}, set())),
        ("The AVHRR on Metop-B captured this view of the storm on 3 March 2017.",
         ({"metop-b"}, {"avhrr"})),
        ("Winds measured by ASCAT on Metop-C on 3 March 2020 show the storm's eye.",
         ({"metop-c"}, {"ascat"})),
    ],
)  # fmt: skip
def test_metop_carries_several_instruments(text: str, expected: tuple[set[str], set[str]]) -> None:
    assert _sensors(text) == expected


# ---- a satellite's row of several instruments, named by one of them ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rain rates measured by DPR on 10 October 2019 show the eyewall of the typhoon.",
         ({"gpm-core"}, {"dpr"})),
        ("The GPM Core Observatory passed over the typhoon on 10 October 2019 and captured "
         "this view of its rain.", ({"gpm-core"}, {"gmi", "dpr"})),
        # OLI named, by its letters or its words, beside the satellite: the picture is OLI's
        ("Landsat 8 OLI captured this image of the delta on 3 May 2015.",
         ({"landsat-8"}, {"oli"})),
        ("The Operational Land Imager on Landsat 8 acquired this image of the delta on 3 May "
         "2015.", ({"landsat-8"}, {"oli"})),
        ("The Thermal Infrared Sensor on Landsat 8 acquired this image of the delta on 3 May "
         "2015.", ({"landsat-8"}, {"tirs"})),
        # Landsat 8 named alone: both, as its Level-1 scenes carry OLI and TIRS bands
        ("Landsat 8 captured this image of the delta on 3 May 2015.",
         ({"landsat-8"}, {"oli", "tirs"})),
    ],
)  # fmt: skip
def test_one_instrument_of_a_row_named(text: str, expected: tuple[set[str], set[str]]) -> None:
    assert _sensors(text) == expected


# ---- one family, several units: other languages' "and", letters after one number ---------


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("La imagen del incendio fue tomada por el satélite Sentinel 2 A y B en julio de 2019.",
         {"sentinel-2a", "sentinel-2b"}),
        ("Radar images acquired by Sentinel-1A and B on 3 May 2018 show the flood.",
         {"sentinel-1a", "sentinel-1b"}),
        ("Les satellites Landsat 7 et 8 ont pris ces images du delta en 2015.",
         {"landsat-7", "landsat-8"}),
        # "Sentinel-2A/B" is the pair, the constellation's name
        ("This mosaic was made from Sentinel-2A/B images acquired in 2019.", {"sentinel-2"}),
    ],
)  # fmt: skip
def test_series_in_other_languages_and_letters(text: str, platforms: set[str]) -> None:
    assert _sensors(text)[0] == platforms


# ---- a blog's figures: "images (above)", "product (below)" are the page's own pictures ------


def test_a_picture_shown_above_counts_beside_the_one_another_sentence_says_took() -> None:
    text = (
        "GOES-16 visible images (above) showed the fog lifting from the valley on 14 August "
        "2019. Later that morning the Operational Land Imager on Landsat 8 acquired a "
        "true-color view of the same valley."
    )
    assert _sensors(text)[0] == {"goes-16", "landsat-8"}


def test_a_product_shown_below_is_a_picture_word() -> None:
    text = (
        "The MODIS instrument on Terra captured this image of the fog on 7 October 2008. "
        "A NOAA-18 AVHRR fog/stratus product (below) from a few hours later revealed more fog."
    )
    assert _sensors(text) == ({"terra", "noaa-18"}, {"modis", "avhrr"})


def test_a_picture_named_elsewhere_on_the_page_without_above_still_gives_way() -> None:
    text = (
        "Images from the Sentinel-1 mission showed the same river in 2017. On 3 May 2019 the "
        "Operational Land Imager on Landsat 8 acquired this view of the flood."
    )
    assert _sensors(text)[0] == {"landsat-8"}


def test_a_line_break_before_a_lower_case_word_only_wraps_the_sentence() -> None:
    text = (
        "The Advanced Spaceborne Thermal Emission and Reflection Radiometer (ASTER) on\n"
        "the Terra satellite\n"
        "acquired this false-color image of the lake on 1 June 2010."
    )
    assert _sensors(text) == ({"terra"}, {"aster"})


@pytest.mark.parametrize(
    "text",
    [
        "The eruption plume seen by Himawari – 8 on 10 April 2020 spread to the west.",
        "The eruption plume seen by Himawari\u20118 on 10 April 2020 spread to the west.",
    ],
)
def test_a_typographic_dash_joins_a_family_and_its_number(text: str) -> None:
    assert _sensors(text) == ({"himawari-8"}, {"ahi"})


def test_picture_words_of_other_latin_script_languages() -> None:
    text = (
        "El radar del satélite Sentinel-1 midió la inundación del río. "
        "La imagen del satélite Sentinel-2 muestra el río el 3 de mayo de 2019."
    )
    assert _sensors(text)[0] == {"sentinel-1", "sentinel-2"}


def test_a_satellite_named_a_year_after_its_service_ended_still_took_it() -> None:
    # Himawari-8 handed over to Himawari-9 in December 2022 and stayed in orbit as a back-up
    text = "This image taken by Himawari-8 shows the cyclone approaching the coast, March 2, 2023."
    assert _sensors(text) == ({"himawari-8"}, {"ahi"})


def test_a_satellite_named_years_after_its_end_is_still_dropped() -> None:
    text = "The PALSAR instrument on ALOS captured this radar image on 3 May 2016."
    assert _sensors(text) == (set(), set())


def test_a_family_named_alone_when_one_of_it_flew_is_that_one() -> None:
    text = "Three weeks after its launch, Meteosat took its first image on 9 December 1977."
    assert _sensors(text) == ({"meteosat-1"}, {"mviri"})


def test_a_family_named_alone_when_several_flew_is_none_of_them() -> None:
    text = "Meteosat took this image of the storm over Spain on 9 December 1996."
    assert _sensors(text)[0] == set()
