import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pystac
import pytest

import gaia_geo
from gaia_geo.errors import CatalogError
from gaia_geo.stac import read_catalog, to_items, validate, write_catalog

STRUCTURAL = {"root", "parent", "collection", "self"}


def _items_from_json(root: Path) -> dict[str, dict]:
    catalog = pystac.Catalog.from_file(str(root / "catalog.json"))
    out = {}
    for item in catalog.get_items(recursive=True):
        item.make_asset_hrefs_absolute()
        data = item.to_dict(include_self_link=False)
        data["links"] = [link for link in data["links"] if link["rel"] not in STRUCTURAL]
        out[item.id] = data
    return out


def test_layout_and_collections(demo_catalog: Path) -> None:
    root = json.loads((demo_catalog / "catalog.json").read_text())
    assert root["type"] == "Catalog" and root["title"]
    children = [link["href"] for link in root["links"] if link["rel"] == "child"]
    assert children == [
        "./train/collection.json",
        "./validate/collection.json",
        "./test/collection.json",
    ]
    coll = json.loads((demo_catalog / "train" / "collection.json").read_text())
    assert coll["license"] == "CC0-1.0" and coll["providers"] and coll["keywords"]
    assert coll["summaries"]["ml-aoi:split"] == ["train"]
    assert set(coll["item_assets"]) == {"article", "image", "thumbnail"}
    assert coll["assets"]["geoparquet"]["roles"] == ["collection-mirror"]
    assert (demo_catalog / "train" / coll["assets"]["graphic"]["href"]).is_file()
    for link in coll["links"]:
        assert not link["href"].startswith(("/", "http")) or link["rel"] == "license"


def test_read_catalog_frame_and_exact_round_trip(demo_catalog: Path) -> None:
    frame = read_catalog(demo_catalog)
    assert len(frame) == 24 and frame.crs.to_epsg() == 4326
    for column in ("id", "geometry", "datetime", "start_datetime", "end_datetime", "platform",
                   "gsd", "gaia:captions", "ml-aoi:split", "assets"):  # fmt: skip
        assert column in frame.columns
    assert all(len(c) == 5 for c in frame["gaia:captions"])
    expected = _items_from_json(demo_catalog)
    got = {item.id: item.to_dict(include_self_link=False) for item in to_items(frame)}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == value, key
    # The JSON path gives the same frame as the GeoParquet path.
    slow = read_catalog(demo_catalog, prefer_geoparquet=False)
    assert sorted(slow.columns) == sorted(frame.columns)
    assert list(slow.sort_values("id")["id"]) == list(frame.sort_values("id")["id"])
    # A filtered subset converts too.
    subset = to_items(frame[frame["ml-aoi:split"] == "test"])
    assert {i.properties["ml-aoi:split"] for i in subset} == {"test"}


@pytest.mark.slow
def test_rewrite_round_trip_and_public_api(demo_catalog: Path, tmp_path: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    out = gaia_geo.write_catalog(gaia_geo.to_items(frame), tmp_path / "copy", title="Copy")
    again = read_catalog(out)
    assert sorted(again["id"]) == sorted(frame["id"])
    assert validate(out).valid
    first = again.sort_values("id").iloc[0]
    assert Path(first["assets"]["image"]["href"]).is_file()
    assert str(tmp_path / "copy") in first["assets"]["image"]["href"]


@pytest.mark.slow
def test_sub_catalogs_when_a_split_is_large(
    demo_catalog: Path, tmp_path: Path, shared_schemas: Path
) -> None:
    items = to_items(read_catalog(demo_catalog))
    out = write_catalog(items, tmp_path / "chunked", max_items_per_catalog=5)
    coll = json.loads((out / "train" / "collection.json").read_text())
    parts = [link for link in coll["links"] if link["rel"] == "child"]
    assert len(parts) == 4 and not [link for link in coll["links"] if link["rel"] == "item"]
    part = json.loads((out / "train" / "part-0001" / "catalog.json").read_text())
    assert len([link for link in part["links"] if link["rel"] == "item"]) == 5
    report = validate(out, schema_dir=shared_schemas)
    assert report.valid, report.problems
    assert len(read_catalog(out, prefer_geoparquet=False)) == 24


def test_errors_name_the_problem(tmp_path: Path, demo_catalog: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        read_catalog(tmp_path / "nothing")
    with pytest.raises(CatalogError, match="no items"):
        write_catalog([], tmp_path / "empty")
    items = to_items(read_catalog(demo_catalog))
    with pytest.raises(CatalogError, match="duplicate item id"):
        write_catalog([items[0], items[0]], tmp_path / "dup")
    items[0].assets["image"].href = str(tmp_path / "gone.png")
    with pytest.raises(CatalogError, match=f"item {items[0].id!r}, asset 'image'"):
        write_catalog(items, tmp_path / "missing")
    assert not (tmp_path / "missing").exists()


@pytest.mark.slow
def test_interrupted_write_keeps_the_previous_catalog(demo_catalog: Path, tmp_path: Path) -> None:
    target = tmp_path / "cat"
    shutil.copytree(demo_catalog, target)
    before = sorted(read_catalog(target)["id"])
    script = f"""
import os, signal, gaia_geo
from gaia_geo.stac import _write
items = gaia_geo.to_items(gaia_geo.read_catalog({str(target)!r}))
original = _write._dump
count = 0
def dying_dump(path, obj):
    global count
    count += 1
    if count == 10:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(path, obj)
_write._dump = dying_dump
gaia_geo.write_catalog(items, {str(target)!r})
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert sorted(read_catalog(target)["id"]) == before
    assert validate(target).valid
    leftovers = [p for p in os.listdir(tmp_path) if p.startswith(".cat.tmp")]
    assert leftovers  # the half-written tree is beside the catalog, never in it
    # the next write cleans up after itself
    write_catalog(to_items(read_catalog(target)), target)
    assert sorted(read_catalog(target)["id"]) == before
