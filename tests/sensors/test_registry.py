import csv
from importlib import resources

import pytest

from gaia_geo.errors import UnknownSensorError
from gaia_geo.sensors import (
    all_sensors,
    get_sensor,
    lookup_sensor,
    normalize_name,
    resolution_class,
)


def test_registry_has_the_sensors_rs_articles_name() -> None:
    sensors = all_sensors()
    assert len(sensors) >= 80
    keys = {s.key for s in sensors}
    for key in (
        "landsat-5-tm", "landsat-7-etm", "landsat-8-oli", "landsat-9-oli", "sentinel-1-csar",
        "sentinel-2-msi", "sentinel-3-olci", "sentinel-3-slstr", "sentinel-5p-tropomi",
        "terra-modis", "aqua-modis", "terra-aster", "suomi-npp-viirs", "noaa-20-viirs",
        "noaa-21-viirs", "iss-astronaut", "iss-ecostress", "goes-16-abi", "goes-17-abi",
        "goes-18-abi", "himawari-8-ahi", "himawari-9-ahi", "meteosat-seviri", "gpm",
        "icesat-2-atlas", "smap", "planetscope", "skysat", "worldview-2", "worldview-3",
        "geoeye-1", "pleiades", "spot-6", "spot-7", "eo-1-ali", "eo-1-hyperion", "alos-palsar",
        "radarsat-2", "terrasar-x", "aerial-naip",
        # very-high-resolution commercial
        "worldview-1", "worldview-4", "quickbird", "ikonos", "pleiades-1a", "pleiades-1b",
        "pleiades-neo", "spot-1", "spot-2", "spot-3", "spot-4", "spot-5", "kompsat-3",
        "kompsat-3a", "kompsat-5", "gaofen-1", "gaofen-2", "gaofen-3", "jilin-1", "cosmo-skymed",
        "iceye", "capella", "radarsat-1", "radarsat-constellation",
        # science missions
        "dscovr-epic", "proba-1-chris", "proba-v", "terra-misr", "terra-mopitt", "ceres",
        "oco-2", "iss-gedi", "iss-emit", "swot-karin", "nisar", "pace-oci", "envisat-meris",
        "envisat-asar", "orbview-2-seawifs", "meteosat-12-fci", "goes-13-imager",
        # more instruments on Aqua: "Aqua" alone does not say which one took a picture
        "aqua-airs", "aqua-amsr-e", "gcom-w-amsr2", "kompsat-2",
    ):  # fmt: skip
        assert key in keys, key
    for sensor in sensors:
        assert sensor.gsd > 0
        # a series whose members carried different cameras ("Cartosat-2 series") or an elevation
        # mission's radars (SRTM) leave `instruments` empty: the row still names a platform
        assert sensor.instruments or sensor.platform or sensor.constellation
        assert all(i == i.lower() for i in sensor.instruments)
        assert sensor.platform is None or sensor.platform == sensor.platform.lower()
        assert sensor.end_year is None or sensor.end_year >= sensor.start_year


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("OLI on Landsat 8", "landsat-8-oli"),
        ("MODIS on NASA's Aqua satellite", "aqua-modis"),
        ("modis on nasa’s aqua satellite", "aqua-modis"),
        ("Sentinel-2A/B", "sentinel-2-msi"),
        ("sentinel 2a b", "sentinel-2-msi"),
        ("EOS-Terra", "terra-modis"),
        ("NASA Terra", "terra-modis"),
        ("International Space Station (ISS)", "iss-astronaut"),
        ("STS-97 Space Shuttle", "space-shuttle"),
        ("Pléiades-1A", "pleiades-1a"),
        ("Pleiades Neo", "pleiades-neo"),
        ("Sentinel-2A", "sentinel-2a-msi"),
        ("Sentinel-2A/B", "sentinel-2-msi"),
        ("Multi-angle Imaging SpectroRadiometer", "terra-misr"),
        ("Earth Polychromatic Imaging Camera (EPIC)", "dscovr-epic"),
        ("Compact High Resolution Imaging Spectrometer", "proba-1-chris"),
        ("QuickBird-2", "quickbird"),
        ("FUYO (JERS-1)", "jers-1-sar"),
        ("Met-8", "meteosat-8-seviri"),
        ("TERRASAR-X", "terrasar-x"),
        # spellings real articles use
        ("Ocean Color Instrument (OCI)", "pace-oci"),
        ("Plankton, Aerosol, Cloud, ocean Ecosystem", "pace-oci"),
        ("Himawari AHI", "himawari-9-ahi"),
        ("Atmospheric Infrared Sounder", "aqua-airs"),
        ("AMSR-E", "aqua-amsr-e"),
        ("AMSR2", "gcom-w-amsr2"),
        ("Arirang-2", "kompsat-2"),
        ("Thermal Infrared Sensor 2", "landsat-9-oli"),
        ("SkySats", "skysat"),
        ("Doves", "planetscope"),
        ("Advanced Visible and Near Infrared Radiometer type 2", "alos-avnir-2"),
        ("AVNIR-2", "alos-avnir-2"),
        ("PRISM on ALOS", "alos-prism"),
    ],
)
def test_lookup_by_alias_ignores_case_and_punctuation(alias: str, key: str) -> None:
    sensor = lookup_sensor(alias)
    assert sensor is not None and sensor.key == key


def test_every_row_of_the_table_has_its_eleven_columns() -> None:
    # an unquoted comma inside the aliases once cut a row's aliases short
    table = resources.files("gaia_geo.sensors").joinpath("sensors.csv").read_text("utf-8")
    rows = list(csv.reader(table.splitlines()))
    assert [r[0] for r in rows if len(r) != 11] == []
    assert "OCI" in get_sensor("pace-oci").aliases


def test_unknown_names() -> None:
    assert lookup_sensor("Hubble Space Telescope") is None
    with pytest.raises(UnknownSensorError, match="sensors.csv"):
        get_sensor("hubble")


def test_resolution_class_thresholds() -> None:
    assert resolution_class(0.31) == "Very High"
    assert resolution_class(1.0) == "Very High"
    assert resolution_class(3) == "High"
    assert resolution_class(10) == "High"
    assert resolution_class(30) == "Moderate"
    assert resolution_class(500) == "Moderate"
    assert resolution_class(1000) == "Low"
    assert get_sensor("worldview-3").resolution_class == "Very High"
    assert get_sensor("goes-16-abi").resolution_class == "Low"
    with pytest.raises(ValueError, match="positive"):
        resolution_class(0)


def test_stac_properties_and_years() -> None:
    s = get_sensor("landsat-8-oli")
    assert s.stac_properties() == {
        "platform": "landsat-8", "constellation": "landsat", "instruments": ["oli", "tirs"],
        "mission": "Landsat 8", "gsd": 30.0,
    }  # fmt: skip
    assert s.operating_in(2020) and not s.operating_in(2010)
    assert normalize_name("  Sentinel_2A--B ") == "sentinel 2a b"
