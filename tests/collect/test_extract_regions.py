"""Seas, oceans, continents and regions: found in text, with footprints that make Items."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import shapely.geometry

from gaia_geo.collect import ImageRecord, extract_metadata, records_to_items
from gaia_geo.collect._extract_regions import find_regions, load_regions, region_geometry
from gaia_geo.collect._region_build import circular_bbox
from gaia_geo.collect.sample_site import make_image
from gaia_geo.stac import validate_object

HURRICANE = (
    "Hurricane Larry churned over the open Atlantic Ocean on 7 September 2021, when the VIIRS "
    "on NOAA-20 passed overhead. The storm was expected to stay far from land."
)
BLOOM = (
    "Swirls of cyanobacteria filled the Baltic Sea in mid-July 2018, as seen by the OLCI on "
    "Sentinel-3A. Such blooms are the largest in Europe."
)
AMERICAS = (
    "City Lights of the Americas\nThis view of North and South America at night combines "
    "data acquired by the VIIRS on Suomi NPP in April and October 2012."
)
BERING = "Sea ice spread across the Bering Sea on 2 March 2019 in this MODIS image from Aqua."
CAIRO = (
    "The OLI on Landsat 8 acquired this image of Cairo, Egypt, on 15 December 2017, far south "
    "of the Mediterranean Sea."
)
GLOBE = (
    "This global mosaic of the planet was assembled from MODIS data on Terra acquired in "
    "June 2004; the Pacific Ocean fills the left half."
)


def _first(text: str) -> str:
    meta = extract_metadata(text)
    assert not meta.places, meta.places
    return meta.regions[0].name


def test_a_hurricane_over_the_atlantic_is_in_the_atlantic() -> None:
    meta = extract_metadata(HURRICANE)
    assert meta.places == () and meta.platforms == ("noaa-20",)
    atlantic = meta.regions[0]
    assert (atlantic.name, atlantic.kind, atlantic.text) == (
        "Atlantic Ocean",
        "ocean",
        "Atlantic Ocean",
    )
    assert HURRICANE[slice(*atlantic.span)] == "Atlantic Ocean"
    west, south, east, north = atlantic.bbox
    assert west < -60 < east and south < 0 < north  # the Atlantic's box, not a point


def test_a_bloom_in_the_baltic_is_in_the_baltic_not_in_europe() -> None:
    meta = extract_metadata(BLOOM)
    assert [r.name for r in meta.regions] == ["Baltic Sea", "Europe"]
    shape = shapely.geometry.shape(region_geometry(meta.regions[0].bbox))
    assert shape.contains(shapely.geometry.Point(19.0, 57.5))  # east of Gotland


def test_north_and_south_america_at_night_is_the_americas() -> None:
    meta = extract_metadata(AMERICAS)
    assert meta.start_datetime is not None and meta.start_datetime.date() == dt.date(2012, 4, 1)
    americas = meta.regions[0]
    assert americas.name == "Americas" and americas.kind == "region"
    shape = shapely.geometry.shape(region_geometry(americas.bbox))
    for lon, lat in ((-99.1, 19.4), (-68.3, -54.8), (-74.0, 40.7), (-47.9, -15.8)):
        assert shape.contains(shapely.geometry.Point(lon, lat))
    assert not shape.contains(shapely.geometry.Point(2.35, 48.86))


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Dust from the Sahara drifted over the Mediterranean on 3 May 2021.", "Mediterranean Sea"),
        ("Snow blanketed Western Europe on 8 February 2021.", "Western Europe"),
        ("A haze of smoke hung over the Middle East on 1 June 2020.", "Middle East"),
        ("Clear skies over Scandinavia on 2 March 2019.", "Scandinavia"),
        ("Clear skies over Northern Europe on 2 May 2018.", "Northern Europe"),
        ("Drought gripped the Horn of Africa in 2022.", "Horn of Africa"),
        ("Smoke drifted over the Caribbean on 4 May 2020.", "Caribbean"),
        ("Storms crossed Central America on 5 November 2020.", "Central America"),
        ("Haze covered much of Southeast Asia in September 2019.", "Southeast Asia"),
        ("Snow covered the Balkans on 9 January 2017.", "Balkans"),
        ("Dust swept out of Africa and over the Atlantic Ocean in June 2020.", "Atlantic Ocean"),
        ("Over Africa, a dust storm raced across West Africa on 6 March 2004.", "West Africa"),
        ("Fires burned across southern Africa in August 2019.", "Southern Africa"),
        ("A bloom tinted the Gulf of Mexico in May 2021.", "Gulf of Mexico"),
        ("Ice floes drifted in the Arctic Ocean on 3 June 2018.", "Arctic Ocean"),
    ],
)
def test_seas_continents_and_regions_of_several_countries(text: str, region: str) -> None:
    assert _first(text) == region


def test_names_that_are_land_or_a_part_of_a_country_are_not_the_sea() -> None:
    assert find_regions("Rain fell on the Pacific Northwest and the Atlantic coast.") == []
    assert find_regions("Snow fell across the Mid-Atlantic on 3 January.") == []
    assert find_regions("Floods in South Africa on 3 April.") == []


def test_an_ocean_across_the_antimeridian_keeps_a_valid_stac_footprint() -> None:
    bering = extract_metadata(BERING).regions[0]
    assert bering.name == "Bering Sea" and bering.bbox[0] > bering.bbox[2]  # west > east
    geometry = region_geometry(bering.bbox)
    assert geometry["type"] == "MultiPolygon"
    shape = shapely.geometry.shape(geometry)
    assert shape.contains(shapely.geometry.Point(178.0, 60.0))
    assert shape.contains(shapely.geometry.Point(-170.0, 60.0))
    assert not shape.contains(shapely.geometry.Point(0.0, 60.0))
    # a sea named inside an ocean that crosses 180 degrees is the scene
    text = "Clouds streamed over the South Pacific Ocean; a bloom lit the Tasman Sea."
    assert find_regions(text)[0].name == "Tasman Sea"


def test_a_country_scene_keeps_its_country_and_no_region() -> None:
    meta = extract_metadata(CAIRO)
    assert meta.places[0].country_code == "EG" and meta.regions == ()


def test_the_whole_earth_is_a_global_region() -> None:
    meta = extract_metadata(GLOBE)
    assert meta.places == ()
    assert [(r.name, r.kind) for r in meta.regions][:2] == [
        ("Earth", "global"),
        ("Pacific Ocean", "ocean"),
    ]
    assert _first("The Northern Hemisphere at the summer solstice: ice in the Barents Sea.") == (
        "Barents Sea"
    )


def test_the_region_table_is_well_formed() -> None:
    regions = load_regions()
    rows = {r.name: r for r in regions.values()}
    assert len(rows) > 150 and regions["Baltic"] is regions["Baltic Sea"]
    for region in rows.values():
        west, south, east, north = region.bbox
        assert -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south < north <= 90
        assert west != east, region
    crossing = {r.name for r in rows.values() if r.bbox[0] > r.bbox[2]}
    assert {"Pacific Ocean", "Bering Sea", "Ross Sea", "Oceania", "Asia"} <= crossing
    assert rows["Earth"].bbox == (-180.0, -90.0, 180.0, 90.0)


def test_boxes_are_joined_across_the_antimeridian() -> None:
    box = shapely.geometry.box
    assert circular_bbox([box(170, 50, 180, 60), box(-180, 55, -170, 65)]) == (170, 50, -170, 65)
    assert circular_bbox([box(-10, 0, 10, 5), box(20, 1, 30, 6)]) == (-10, 0, 30, 6)
    assert circular_bbox([box(-180, -90, 180, -60)]) == (-180, -90, 180, -60)


def test_records_without_a_country_become_items_with_the_region_footprint(tmp_path: Path) -> None:
    image = tmp_path / "images" / "a.png"
    image.parent.mkdir()
    image.write_bytes(make_image(np.random.default_rng(0), 16))

    def record(n: int, text: str) -> ImageRecord:
        return ImageRecord(
            image_url=f"http://h/{n}.png", article_url="http://h/a", title="T", alt="",
            caption="", article_text=text, credits="", published="2021-12-01",
            parser="generic", local_path="images/a.png", content_type="image/png",
        )  # fmt: skip

    texts = [HURRICANE, BERING, CAIRO, GLOBE, "Acquired on 5 May 2020 over the ocean."]
    items, report = records_to_items([record(n, t) for n, t in enumerate(texts)], tmp_path)
    assert report.reasons() == {"global-scene": 1, "place-not-found": 1}
    atlantic, bering, cairo = (item.to_dict() for item in items)
    assert atlantic["properties"]["gaia:location"] == "Atlantic Ocean"
    assert atlantic["geometry"]["type"] == "Polygon"
    assert atlantic["properties"]["gaia:geometry_kind"] == "place"
    assert bering["geometry"]["type"] == "MultiPolygon"
    assert bering["bbox"][0] > bering["bbox"][2]  # STAC's bbox across the antimeridian
    assert cairo["geometry"]["type"] == "Point"  # a country place: unchanged
    assert cairo["properties"]["gaia:location"] == "Cairo, Egypt"
    for item in (atlantic, bering, cairo):
        assert validate_object(json.loads(json.dumps(item))) == []
    assert "global-scene: 'global mosaic'" in report.skipped[0][1]
