"""read_catalog and write_catalog on real third-party STAC: catalogs, ItemCollections, parquet."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pystac
import pytest

from gaia_geo import read_catalog, to_items, write_catalog
from gaia_geo.errors import CatalogError
from gaia_geo.stac import SCHEMA_URI as CAPTIONS_SCHEMA_URI
from gaia_geo.stac._discover import discover
from gaia_geo.stac._read import frame_to_dicts

CORPUS = Path(__file__).parents[1] / "data" / "real" / "stac-corpus"

#: Each real input, and how pystac (or the file itself) counts its Items.
JSON_CASES = {
    "stac-spec 1.0.0 catalog (an Item under a Catalog)": "../stac/stac-spec-1.0.0/catalog.json",
    "stac-spec 1.0.0 collection": "../stac/stac-spec-1.0.0/collection.json",
    "stac-spec 1.1.0 catalog (proj:geometry on one Item)": ("../stac/stac-spec-1.1.0/catalog.json"),
    "stac-spec 1.1.0 collection": "../stac/stac-spec-1.1.0/collection.json",
    "stac-spec 1.1.0 single Item": "../stac/stac-spec-1.1.0/extended-item.json",
    "pystac nested catalogs": "../stac/pystac-test-case-1/catalog.json",
    "pystac CBERS catalog": "pystac/test-case-5/catalog.json",
    "pystac STAC 1.0.0-beta.2": "pystac/planet-example-v1.0.0-beta.2/collection.json",
    "pystac STAC 0.8.1 label catalog": "pystac/label_catalog-v0.8.1/catalog.json",
    "pystac ItemCollection": "pystac/sample-item-collection.json",
    "Planetary Computer Sentinel-2 (JSON array)": "stac-geoparquet/sentinel-2-l2a-pc.json",
    "Planetary Computer Landsat (JSON array)": "stac-geoparquet/landsat-c2-l2-pc.json",
    "Planetary Computer Sentinel-1 RTC (microseconds)": "stac-geoparquet/sentinel-1-rtc-pc.json",
    "Umbra SAR": "stac-geoparquet/umbra-sar.json",
    "rustac ItemCollection": "rustac/item-collection.json",
    "rustac ndjson (null geometry)": "rustac/items.ndjson",
}
PARQUET_CASES = {
    "GeoParquet 0.4 written by geopandas": "stac-geoparquet/naip.parquet",
    "stac-geoparquet written by rustac": "rustac/extended-item.parquet",
}


def _pystac_items(path: Path) -> list[dict[str, Any]]:
    """The Items as pystac reads them (or as the file lists them, where pystac has no reader)."""
    if path.suffix == ".ndjson":
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    data = json.loads(path.read_text())
    if isinstance(data, list):
        return data
    if data.get("type") == "FeatureCollection":
        return list(data["features"])
    if data.get("type") == "Feature":
        return [data]
    root = pystac.read_file(str(path))
    assert isinstance(root, pystac.Catalog)
    return [i.to_dict(transform_hrefs=False) for i in root.get_items(recursive=True)]


def _normalised(item: dict[str, Any]) -> dict[str, Any]:
    """What a round trip may change: datetime spelling (same instant), a geometry's own bbox."""
    out = json.loads(json.dumps(item))
    for key in ("datetime", "start_datetime", "end_datetime"):
        value = out["properties"].get(key)
        if isinstance(value, str):
            out["properties"][key] = pystac.utils.str_to_datetime(value).isoformat()
    if isinstance(out.get("geometry"), dict):
        out["geometry"].pop("bbox", None)
    return out


@pytest.mark.parametrize("name", JSON_CASES)
def test_row_counts_equal_pystacs(name: str) -> None:
    path = CORPUS / JSON_CASES[name]
    assert len(read_catalog(path)) == len(_pystac_items(path))


@pytest.mark.parametrize("name", PARQUET_CASES)
def test_stac_geoparquet_from_other_writers(name: str) -> None:
    path = CORPUS / PARQUET_CASES[name]
    frame = read_catalog(path)
    assert len(frame) == pq.ParquetFile(path).metadata.num_rows
    items = to_items(frame)
    assert all(i.geometry and i.bbox and i.datetime for i in items)
    json.dumps([i.to_dict(transform_hrefs=False) for i in items])  # JSON again, no WKB bytes


@pytest.mark.parametrize("name", JSON_CASES)
def test_round_trip_is_lossless(name: str) -> None:
    path = CORPUS / JSON_CASES[name]
    source = [item for group in discover(path) for item in group.items]
    back = frame_to_dicts(read_catalog(path))
    assert [_normalised(i) for i in back] == [_normalised(i) for i in source]


def test_microseconds_and_geometry_valued_properties_survive() -> None:
    s1 = read_catalog(CORPUS / JSON_CASES["Planetary Computer Sentinel-1 RTC (microseconds)"])
    assert {t.microsecond for t in s1["start_datetime"]} != {0}
    spec = read_catalog(CORPUS / JSON_CASES["stac-spec 1.1.0 catalog (proj:geometry on one Item)"])
    proj = spec.set_index("id").loc["proj-example", "proj:geometry"]
    assert proj["type"] == "Polygon" and isinstance(proj["coordinates"][0][0][0], float)
    item = next(i for i in to_items(spec) if i.id == "proj-example")
    json.dumps(item.to_dict(transform_hrefs=False))


def test_old_versions_are_migrated() -> None:
    frame = read_catalog(CORPUS / JSON_CASES["pystac STAC 0.8.1 label catalog"])
    assert set(frame["stac_version"]) == {pystac.get_stac_version()}
    assert frame["label:type"].notna().any()  # the label extension's fields under 1.x names


def test_write_what_you_read(tmp_path: Path) -> None:
    """Uneven properties (proj:geometry on one Item of two) write and read back unchanged."""
    source = CORPUS / JSON_CASES["stac-spec 1.1.0 catalog (proj:geometry on one Item)"]
    frame = read_catalog(source)
    out = write_catalog(to_items(frame), tmp_path / "copy", assets="reference")
    again = read_catalog(out)  # from the GeoParquet mirror
    slow = read_catalog(out, prefer_geoparquet=False)
    for copy in (again, slow):
        by_id = copy.set_index("id")
        assert (
            by_id.loc["proj-example", "proj:geometry"]
            == frame.set_index("id").loc["proj-example", "proj:geometry"]
        )
        assert by_id.loc["proj-example", "proj:code"] == "EPSG:32614"


def test_inputs_that_are_not_stac_are_named(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"hello": "world"}')
    with pytest.raises(CatalogError, match=r"x\.json' is not a STAC Catalog, Collection"):
        read_catalog(tmp_path / "x.json")
    (tmp_path / "bad.ndjson").write_text('{"type": "Feature"\n')
    with pytest.raises(CatalogError, match=r"bad\.ndjson:1: not valid JSON"):
        read_catalog(tmp_path / "bad.ndjson")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError, match="holds no catalog.json or collection.json"):
        read_catalog(tmp_path / "empty")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The stac-spec 1.0.0 examples on a loopback HTTP server."""
    root = tmp_path / "www"
    shutil.copytree(CORPUS.parent / "stac" / "stac-spec-1.0.0", root)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign,assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_remote_links_only_when_allowed(tmp_path: Path, served: str) -> None:
    catalog = {
        "type": "Catalog",
        "id": "mixed",
        "stac_version": "1.0.0",
        "description": "A local catalog with a remote child",
        "links": [
            {"rel": "item", "href": "./simple-item.json"},
            {"rel": "child", "href": f"{served}/collection.json"},
        ],
    }
    shutil.copy(CORPUS.parent / "stac" / "stac-spec-1.0.0" / "simple-item.json", tmp_path)
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    with pytest.warns(UserWarning, match=r"1 remote link\(s\) not followed .* allow_remote=True"):
        local = read_catalog(tmp_path)
    assert len(local) == 1
    both = read_catalog(tmp_path, allow_remote=True)
    assert len(both) == 4
    remote_asset = both.iloc[1]["assets"]["visual"]["href"]
    assert remote_asset.startswith("https://")


@pytest.mark.slow
def test_third_party_items_keep_their_collections(tmp_path: Path) -> None:
    from gaia_geo import validate

    frames = [
        read_catalog(CORPUS / JSON_CASES["pystac nested catalogs"]),
        read_catalog(CORPUS / JSON_CASES["Planetary Computer Sentinel-2 (JSON array)"]),
    ]
    items = [i for frame in frames for i in to_items(frame)]
    out = write_catalog(items, tmp_path / "mixed", assets="reference")
    root = json.loads((out / "catalog.json").read_text())
    children = sorted(link["href"] for link in root["links"] if link["rel"] == "child")
    assert children == [
        "./area-1-1/collection.json",
        "./area-1-2/collection.json",
        "./area-2-1/collection.json",
        "./area-2-2/collection.json",
        "./sentinel-2-l2a/collection.json",
    ]
    s2 = json.loads((out / "sentinel-2-l2a" / "collection.json").read_text())
    assert s2["id"] == "sentinel-2-l2a"
    assert CAPTIONS_SCHEMA_URI not in s2["stac_extensions"]
    assert all(len(asset) >= 2 for asset in s2["item_assets"].values())
    again = read_catalog(out)
    assert len(again) == len(items)
    assert set(again["collection"]) == {"area-1-1", "area-1-2", "area-2-1", "area-2-2",
                                        "sentinel-2-l2a"}  # fmt: skip
    report = validate(out)
    assert not [p for p in report.problems if "collection.json" in p.path], report.problems


def test_search_and_api_on_a_json_only_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third-party catalog with no GeoParquet gets a mirror built aside, in the cache."""
    from gaia_geo.explore import search
    from gaia_geo.explore._api import prepare_collections

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    catalog = tmp_path / "cbers"
    shutil.copytree(CORPUS / "pystac" / "test-case-5", catalog)
    before = sorted(p.name for p in catalog.rglob("*"))
    hits = search(catalog / "catalog.json", bbox=[-180, -90, 180, 90])
    assert list(hits["id"]) == ["CBERS_4_MUX_20190510_027_069_L2"]
    assert sorted(p.name for p in catalog.rglob("*")) == before  # nothing written into it
    assert list((tmp_path / "cache" / "gaia_geo" / "mirrors").glob("*.parquet"))
    collections, _, _ = prepare_collections(catalog, tmp_path / "api-cache")
    served = json.loads(collections.read_text())
    assert [c["id"] for c in served] == ["CBERS4MUX"]  # the first Collection on the way down


@pytest.mark.slow
def test_import_stac_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    cli = Path(sys.executable).with_name("gaia-geo")
    source = CORPUS / JSON_CASES["Planetary Computer Sentinel-2 (JSON array)"]
    done = subprocess.run(
        [str(cli), "import-stac", str(source), "--out", str(tmp_path / "s2")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "4 Items in 1 Collection(s)" in done.stdout
    assert (tmp_path / "s2" / "sentinel-2-l2a" / "items.parquet").is_file()
    bad = subprocess.run(
        [str(cli), "import-stac", str(tmp_path / "nothing.json"), "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "does not exist" in bad.stderr and "Traceback" not in bad.stderr


def test_import_stac_layout_geoparquet(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gaia_geo.cli.main import app
    from gaia_geo.stac._partitioned import catalog_partitions

    source = CORPUS / JSON_CASES["Planetary Computer Sentinel-2 (JSON array)"]
    out = tmp_path / "s2"
    args = ["import-stac", str(source), "--out", str(out), "--layout", "geoparquet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert catalog_partitions(out) and not list(out.rglob("*/*/*.json"))
    assert sorted(read_catalog(out)["id"]) == sorted(read_catalog(source)["id"])


def test_datasets_and_captioning_take_another_image_asset(tmp_path: Path) -> None:
    """Catalogs from others name their image `visual`, `rendered_preview`...: asset= picks it."""
    from gaia_geo.datasets import GaiaCaptions
    from gaia_geo.describe._images import ImageProblem, find_image

    image = tmp_path / "scene.png"
    from PIL import Image

    Image.new("RGB", (32, 32), (10, 120, 30)).save(image)
    item = {
        "type": "Feature",
        "stac_version": "1.1.0",
        "id": "scene",
        "geometry": {"type": "Point", "coordinates": [10.0, 45.0]},
        "bbox": [10.0, 45.0, 10.0, 45.0],
        "properties": {"datetime": "2021-06-30T10:00:00Z", "gaia:captions": ["A green field."]},
        "links": [],
        "assets": {"visual": {"href": str(image), "type": "image/png", "roles": ["visual"]}},
    }
    (tmp_path / "items.ndjson").write_text(json.dumps(item) + "\n")
    catalog = write_catalog(to_items(read_catalog(tmp_path / "items.ndjson")), tmp_path / "cat")
    with pytest.raises(CatalogError, match=r"no 'image' asset \(it has \['visual'\]\).*asset="):
        GaiaCaptions(catalog, split=None)
    dataset = GaiaCaptions(catalog, split=None, asset="visual")
    assert dataset[0]["image"].shape[-2:] == (32, 32)
    stac_item = to_items(read_catalog(catalog))[0]
    assert find_image(stac_item, "visual").href.endswith("scene.png")
    with pytest.raises(ImageProblem, match="no asset 'rendered_preview'"):
        find_image(stac_item, "rendered_preview")
