"""Bring your own rasters: real GeoTIFFs from rasterio's test data become exact STAC Items."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rasterio
from rasterio.warp import transform, transform_bounds

from gaia_geo.collect import RasterError, import_rasters, items_from_rasters

REAL = Path(__file__).parents[1] / "data" / "real" / "rasters"
GEOREFERENCED = ["byte.tif", "rgb-byte-tenth.tif", "test_esri_wkt.tif", "cogeo.tif"]


@pytest.mark.parametrize("name", GEOREFERENCED)
def test_footprint_is_the_rasters_bounds_in_wgs84(name: str) -> None:
    item = items_from_rasters(REAL / name, datetime="2020-05-01")[0]
    ring = item.geometry["coordinates"][0]
    with rasterio.open(REAL / name) as src:
        left, bottom, right, top = src.bounds
        lons, lats = transform(
            src.crs, "EPSG:4326", [left, right, right, left], [top, top, bottom, bottom]
        )
        expected_bbox = transform_bounds(
            src.crs, "EPSG:4326", left, bottom, right, top, densify_pts=21
        )
        shape = [src.height, src.width]
        affine = list(src.transform)[:6]
    for lon, lat in zip(lons, lats, strict=True):
        assert min(abs(x - lon) + abs(y - lat) for x, y in ring) < 1e-9
    assert item.bbox == pytest.approx(list(expected_bbox), abs=1e-6)
    assert item.properties["proj:shape"] == shape
    assert item.properties["proj:transform"] == pytest.approx(affine)
    assert item.properties["gaia:geometry_kind"] == "footprint"
    assert item.assets["image"].extra_fields["file:size"] == (REAL / name).stat().st_size
    assert len(item.assets["image"].extra_fields["raster:bands"]) >= 1


def test_projection_gsd_and_crs_without_epsg() -> None:
    byte = items_from_rasters(REAL / "byte.tif", datetime="2020-05-01")[0]
    assert byte.properties["proj:code"] == "EPSG:26711"
    assert byte.properties["gsd"] == 60.0
    assert "https://stac-extensions.github.io/projection/v2.0.0/schema.json" in byte.stac_extensions
    landsat = items_from_rasters(REAL / "rgb-byte-tenth.tif", datetime="2020-05-01")[0]
    assert "proj:code" not in landsat.properties  # a UTM zone on an unnamed datum: no code
    assert "UTM" in landsat.properties["proj:wkt2"]
    esri = items_from_rasters(REAL / "test_esri_wkt.tif", datetime="2020-05-01")[0]
    assert esri.properties["proj:code"] == "ESRI:102039"


def test_a_global_raster_spans_the_world_instead_of_crossing_the_antimeridian() -> None:
    item = items_from_rasters(REAL / "world.byte.tif", datetime="2020-05-01")[0]
    assert item.bbox == [-180.0, -75.0, 180.0, 75.0]
    assert item.geometry["type"] == "Polygon"


def test_rasters_without_a_footprint_are_refused_by_name() -> None:
    with pytest.raises(RasterError, match=r"float\.tif has no coordinate reference system"):
        items_from_rasters(REAL / "float.tif", datetime="2020-05-01")
    with pytest.raises(RasterError, match=r"goes\.tif: its corners do not map"):
        items_from_rasters(REAL / "goes.tif", datetime="2020-05-01")


def test_a_raster_without_a_date_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RasterError, match=r"byte\.tif: no acquisition date; add a 'datetime'"):
        items_from_rasters(REAL / "byte.tif")
    with pytest.raises(RasterError, match="is not a date"):
        items_from_rasters(REAL / "byte.tif", datetime="yesterday")


def test_sources_that_name_no_raster(tmp_path: Path) -> None:
    with pytest.raises(RasterError, match="names no raster file"):
        items_from_rasters(tmp_path / "*.tif", datetime="2020-05-01")
    (tmp_path / "notes.tif").write_text("not a raster")
    with pytest.raises(RasterError, match=r"notes\.tif is not a readable raster"):
        items_from_rasters(tmp_path / "notes.tif", datetime="2020-05-01")


def _captions_csv(path: Path) -> Path:
    path.write_text(
        "filename,caption,datetime,sensor,split\n"
        "byte.tif,Farmland and roads in a grid.,2019-06-30,landsat-8-oli,train\n"
        "byte.tif,A grid of fields crossed by a road.,,,\n"
        "rgb-byte-tenth.tif,Shallow banks around islands in clear water.,1999-08-01,,test\n",
        encoding="utf-8",
    )
    return path


def test_captions_csv_rows_are_gathered_per_raster(tmp_path: Path) -> None:
    items = items_from_rasters(
        [REAL / "byte.tif", REAL / "rgb-byte-tenth.tif"], captions=_captions_csv(tmp_path / "c.csv")
    )
    byte, landsat = sorted(items, key=lambda i: i.id)
    assert byte.properties["gaia:captions"] == [
        "Farmland and roads in a grid.",
        "A grid of fields crossed by a road.",
    ]
    assert byte.properties["gaia:caption_provenance"]["generator"] == "human"
    assert byte.properties["platform"] == "landsat-8"
    assert byte.properties["gsd"] == 60.0  # the raster's own pixel size, not the sensor's 30 m
    assert byte.properties["ml-aoi:split"] == "train"
    assert landsat.datetime is not None and landsat.datetime.date().isoformat() == "1999-08-01"
    assert landsat.properties["ml-aoi:split"] == "test"


def test_captions_jsonl_and_bad_rows(tmp_path: Path) -> None:
    good = tmp_path / "c.jsonl"
    good.write_text(
        json.dumps({"path": "byte.tif", "captions": ["One.", "Two."], "datetime": "2018-01-02"})
        + "\n",
        encoding="utf-8",
    )
    item = items_from_rasters(REAL / "byte.tif", captions=good)[0]
    assert item.properties["gaia:captions"] == ["One.", "Two."]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "\n" + json.dumps({"path": "byte.tif", "captions": {"a": "b"}}) + "\n", encoding="utf-8"
    )
    with pytest.raises(RasterError, match=r"bad\.jsonl:2: field 'captions' must be a string"):
        items_from_rasters(REAL / "byte.tif", captions=bad, datetime="2020-01-01")
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("caption\nA caption.\n", encoding="utf-8")
    with pytest.raises(RasterError, match=r"nameless\.csv:2: no raster named"):
        items_from_rasters(REAL / "byte.tif", captions=nameless, datetime="2020-01-01")


@pytest.mark.slow
def test_import_rasters_writes_a_valid_catalog(tmp_path: Path) -> None:
    from gaia_geo import read_catalog, validate

    rasters = tmp_path / "rasters"
    rasters.mkdir()
    for name in ("byte.tif", "rgb-byte-tenth.tif", "cogeo.tif"):
        shutil.copy(REAL / name, rasters / name)
    items = import_rasters(
        rasters, tmp_path / "cat", captions=_captions_csv(tmp_path / "c.csv"), datetime="2021-03-04"
    )
    assert len(items) == 3
    report = validate(tmp_path / "cat")
    assert report.valid, report.problems
    frame = read_catalog(tmp_path / "cat")
    assert sorted(frame["id"]) == ["byte", "cogeo", "rgb-byte-tenth"]
    thumbs = sorted((tmp_path / "cat").rglob("*.png"))
    assert len(thumbs) == 3


@pytest.mark.slow
def test_cli_import_rasters(tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("gaia-geo")
    ok = subprocess.run(
        [
            str(cli),
            "import-rasters",
            str(REAL / "byte.tif"),
            "--datetime",
            "2020-02-03",
            "--out",
            str(tmp_path / "cat"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "1 Items (0 with captions)" in ok.stdout
    bad = subprocess.run(
        [
            str(cli),
            "import-rasters",
            str(REAL / "goes.tif"),
            "--datetime",
            "2020-02-03",
            "--out",
            str(tmp_path / "goes"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    assert not (tmp_path / "goes").exists()
