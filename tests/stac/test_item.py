import datetime as dt
from pathlib import Path

import numpy as np
import pystac
import pytest
from PIL import Image

from gaia_geo.errors import ItemError, UnknownSensorError
from gaia_geo.stac import (
    CaptionExtension,
    CaptionProvenance,
    build_item,
    make_item_id,
    temporal_range,
    validate_object,
)

PROV = CaptionProvenance("offline", "m", "v1", dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
CAPS = [f"The image showcases: scene {i}." for i in range(5)]
BOX = {"type": "Polygon", "coordinates": [[[10, 45], [11, 45], [11, 46], [10, 46], [10, 45]]]}


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "x.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(path)
    return path


def test_full_item_validates_and_has_every_field(png: Path, shared_schemas: Path) -> None:
    item = build_item(
        "a-1",
        geometry=BOX,
        datetime=dt.datetime(2020, 5, 1, 10, 30),
        sensor="OLI on Landsat 8",
        captions=CAPS,
        provenance=PROV,
        image=png,
        thumbnail=png,
        source_url="https://example.org/article",
        location="Po Delta, Italy",
        tags=["delta", "river", "sediment"],
        credits="NASA",
        image_alt="alt",
        split="train",
        properties={"eo:cloud_cover": 4.0},
    )
    props = item.to_dict()["properties"]
    assert props["datetime"] == "2020-05-01T10:30:00Z"
    assert props["platform"] == "landsat-8" and props["instruments"] == ["oli", "tirs"]
    assert props["gsd"] == 30.0 and props["gaia:resolution_class"] == "Moderate"
    assert props["description"] == CAPS[0]
    assert props["ml-aoi:split"] == "train"
    ext = CaptionExtension.ext(item)
    assert ext.captions == CAPS and ext.provenance == PROV
    assert ext.geometry_kind == "footprint"
    assert item.bbox == [10, 45, 11, 46]
    image = item.assets["image"].to_dict()
    assert image["roles"] == ["data"] and image["type"] == "image/png"
    assert image["file:checksum"].startswith("1220") and image["file:size"] == png.stat().st_size
    assert [link.rel for link in item.links] == ["via"]
    assert validate_object(item.to_dict(), schema_dir=shared_schemas) == []


def test_month_only_date_uses_a_range() -> None:
    start, end = temporal_range(2019, 6)
    item = build_item("m", geometry=BOX, start_datetime=start, end_datetime=end)
    assert item.to_dict()["properties"]["datetime"] is None
    assert item.properties["start_datetime"] == "2019-06-01T00:00:00Z"
    assert item.properties["end_datetime"] == "2019-06-30T23:59:59Z"
    assert temporal_range(2020)[1] == dt.datetime(2020, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    assert temporal_range(2020, 12)[1].month == 12


def test_point_geometry_is_flagged() -> None:
    item = build_item(
        "p", geometry={"type": "Point", "coordinates": [5, 6]}, datetime=dt.date(2010, 1, 2)
    )
    assert item.properties["gaia:geometry_kind"] == "point"
    assert item.bbox == [5, 6, 5, 6]


@pytest.mark.parametrize(
    ("kwargs", "field", "match"),
    [
        ({"geometry": None}, "geometry", "no geometry"),
        ({"geometry": {"type": "Point", "coordinates": [10, 95]}}, "geometry", "latitude 95"),
        ({"geometry": {"type": "Point", "coordinates": [200, 5]}}, "geometry", "longitude 200"),
        ({"datetime": None}, "datetime", "no date"),
        ({"datetime": dt.datetime(2999, 1, 1)}, "datetime", "future"),
        ({"sensor": "landsat-8-oli", "datetime": dt.datetime(2005, 1, 1)}, "datetime", "operated"),
        ({"image": "README-not-there.png"}, "assets.image", "does not exist"),
        ({"split": "holdout"}, "ml-aoi:split", "split must be"),
    ],
)
def test_bad_input_names_item_and_field(kwargs: dict, field: str, match: str) -> None:
    base: dict = {"geometry": BOX, "datetime": dt.datetime(2020, 1, 1)}
    base.update(kwargs)
    with pytest.raises(ItemError, match=match) as info:
        build_item("bad-item", **base)
    assert info.value.item_id == "bad-item" and info.value.field == field
    assert "bad-item" in str(info.value)


def test_non_image_asset_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "page.html"
    text.write_text("<html></html>")
    with pytest.raises(ItemError, match="not an image"):
        build_item("x", geometry=BOX, datetime=dt.date(2020, 1, 1), image=text)


def test_unknown_sensor_names_the_item() -> None:
    with pytest.raises(UnknownSensorError, match="item 'x'.*Hubble"):
        build_item("x", geometry=BOX, datetime=dt.date(2020, 1, 1), sensor="Hubble")


def test_bad_ids_and_stable_ids() -> None:
    with pytest.raises(ItemError, match="ids must be"):
        build_item("a/b", geometry=BOX, datetime=dt.date(2020, 1, 1))
    assert make_item_id("https://x.org/a") == make_item_id("https://x.org/a")
    assert len(make_item_id("u", prefix="nasa-")) == 5 + 16


def test_self_intersecting_polygon_is_repaired() -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    item = build_item("bow", geometry=bowtie, datetime=dt.date(2020, 1, 1))
    assert item.geometry["type"] == "MultiPolygon"


def test_antimeridian_footprint_is_split() -> None:
    crossing = {
        "type": "Polygon",
        "coordinates": [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]],
    }
    item = build_item("am", geometry=crossing, datetime=dt.date(2020, 1, 1))
    assert item.geometry["type"] == "MultiPolygon"
    assert item.bbox == [179.0, -17.0, -179.0, -16.0]  # west > east across 180
    continuous = {
        "type": "Polygon",
        "coordinates": [[[179, -17], [181, -17], [181, -16], [179, -16], [179, -17]]],
    }
    item2 = build_item("am2", geometry=continuous, datetime=dt.date(2020, 1, 1))
    assert item2.bbox == item.bbox


def test_extension_template() -> None:
    item = pystac.Item("e", None, None, dt.datetime(2020, 1, 1), {})
    with pytest.raises(pystac.ExtensionNotImplemented):
        CaptionExtension.ext(item)
    ext = CaptionExtension.ext(item, add_if_missing=True)
    assert CaptionExtension.has_extension(item)
    with pytest.raises(ValueError, match="non-empty"):
        ext.captions = ["ok", " "]
    with pytest.raises(ValueError, match="resolution_class"):
        ext.resolution_class = "Ultra"
    ext.tags = ["a"]
    ext.tags = None
    assert "gaia:tags" not in item.properties
    with pytest.raises(pystac.ExtensionTypeError):
        CaptionExtension.ext(pystac.Catalog("c", "d"))  # type: ignore[type-var]


def test_extension_apply_sets_every_field_like_pystac() -> None:
    item = pystac.Item("e", None, None, dt.datetime(2020, 1, 1), {"gaia:tags": ["old"]})
    ext = CaptionExtension.ext(item, add_if_missing=True)
    with pytest.raises(ValueError, match="captions need a CaptionProvenance"):
        ext.apply(captions=CAPS)
    ext.apply(captions=CAPS, provenance=PROV, geometry_kind="place", location="Rome, Italy")
    assert ext.captions == CAPS
    assert ext.provenance == PROV
    assert ext.location == "Rome, Italy"
    assert "gaia:tags" not in item.properties  # None removes a field, as in pystac's apply()
    ext.apply(geometry_kind="unknown")
    assert list(item.properties) == ["gaia:geometry_kind"]
    with pytest.raises(ValueError, match="geometry_kind must be"):
        ext.apply(geometry_kind="area")  # type: ignore[arg-type]
