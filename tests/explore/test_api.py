from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gaia_geo.explore import search

pytestmark = [
    # stac-fastapi 5.x declares Field(alias=...) where pydantic 2.14 ignores it, at import time
    pytest.mark.filterwarnings("ignore::pydantic.warnings.UnsupportedFieldAttributeWarning"),
]


@pytest.fixture(scope="module")
def api_url(explore_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from gaia_geo.explore import create_api_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_api_app(
        explore_catalog,
        cache_dir=tmp_path_factory.mktemp("api-cache"),
        assets_url=f"http://127.0.0.1:{port}/catalog",
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the STAC API did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


def ids_from_api(url: str, **kwargs: Any) -> set[str]:
    import pystac_client

    client = pystac_client.Client.open(url)
    return {item.id for item in client.search(**kwargs).items()}


def test_collections_and_conformance(api_url: str) -> None:
    import pystac_client

    client = pystac_client.Client.open(api_url)
    assert sorted(c.id for c in client.get_collections()) == ["test", "train", "validate"]
    assert client.conforms_to("ITEM_SEARCH") and client.conforms_to("FILTER")
    train = client.get_collection("train")
    assert train is not None
    assert train.title == "Explore test, train split"


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": [-180, -90, 0, 90]},
        {"datetime": "2003-01-01T00:00:00Z/2010-12-31T23:59:59Z"},
        {"datetime": "2015-06-01T00:00:00Z/.."},
        {"filter": "\"gaia:caption_text\" LIKE '%glacier%'"},
        {"filter": "\"gaia:caption_text\" LIKE '%glacier%' AND gsd < 30"},
        {"filter": "gsd < 30", "bbox": [-90, -60, 90, 60], "datetime": "../2012-01-01T00:00:00Z"},
        {"filter": {"op": ">=", "args": [{"property": "gsd"}, 30]}, "filter_lang": "cql2-json"},
        # rustac alone drops these parentheses; the API rewrites filters so they hold
        {"filter": "(platform = 'terra' OR platform = 'iss') AND gsd < 30"},
        {"filter": "NOT (platform = 'terra' AND gsd > 100) AND gsd > 20"},
    ],
)
def test_pystac_client_matches_in_process_search(
    api_url: str, explore_catalog: Path, query: dict[str, Any]
) -> None:
    expected = set(
        search(
            explore_catalog,
            bbox=query.get("bbox"),
            datetime=query.get("datetime"),
            filter=query.get("filter"),
        )["id"]
    )
    assert expected, f"the seeded catalog must match {query}"
    assert ids_from_api(api_url, **query) == expected


def test_an_instant_inside_a_month_range(api_url: str, explore_catalog: Path) -> None:
    ranged = next(
        json.loads(p.read_text())
        for p in sorted(explore_catalog.glob("*/*/*.json"))
        if json.loads(p.read_text())["properties"]["datetime"] is None
    )
    instant = ranged["properties"]["start_datetime"].replace("-01T", "-10T")
    assert ranged["id"] in ids_from_api(api_url, datetime=instant)


def test_items_come_back_whole_with_asset_urls(api_url: str, explore_catalog: Path) -> None:
    import pystac_client

    client = pystac_client.Client.open(api_url)
    item = next(client.search(filter="\"gaia:caption_text\" LIKE '%glacier%'").items())
    assert "gaia:caption_text" not in item.properties
    assert len(item.properties["gaia:captions"]) == 5
    href = item.assets["image"].href
    assert href == f"{api_url}catalog/{item.collection_id}/{item.id}/{item.id}.tif"
    local = explore_catalog / str(item.collection_id) / item.id / f"{item.id}.tif"
    request = urllib.request.Request(href, headers={"Range": "bytes=10-19"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 206
        assert response.read() == local.read_bytes()[10:20]
    outside = urllib.request.Request(f"{api_url}catalog/..%2f..%2fetc/passwd")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(outside, timeout=10)
    assert refused.value.code == 404


def test_paging_and_cors(api_url: str) -> None:
    import pystac_client

    client = pystac_client.Client.open(api_url)
    search_ = client.search(limit=5, max_items=40)
    pages = list(search_.pages_as_dicts())
    assert len(pages) >= 2
    assert sum(len(p["features"]) for p in pages) == 36
    request = urllib.request.Request(api_url, headers={"Origin": "http://localhost:8080"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:8080")


def test_serving_copy_hrefs_under_an_assets_url(explore_catalog: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from gaia_geo.explore._api import prepare_collections

    base = "http://127.0.0.1:8000/test-cat"
    collections_json, columns, root = prepare_collections(
        explore_catalog, cache_dir=tmp_path, assets_url=base
    )
    assert root["id"] == "explore-test"
    collections = json.loads(collections_json.read_text())
    train = next(c for c in collections if c["id"] == "train")
    copy = Path(train["assets"]["geoparquet"]["href"])
    assert copy.parent == tmp_path and str(copy) in columns
    assert "gaia:caption_text" in columns[str(copy)]
    rows = pq.read_table(copy, columns=["id", "assets", "gaia:caption_text"]).to_pylist()
    first = rows[0]
    assert first["assets"]["image"]["href"] == f"{base}/train/{first['id']}/{first['id']}.tif"
    assert "showcases" in first["gaia:caption_text"] and first["gaia:caption_text"].islower()
    # without a URL, hrefs are local paths (for Python clients on this machine)
    local_json, local_columns, _ = prepare_collections(explore_catalog, cache_dir=tmp_path)
    local_copy = next(p for p in local_columns if p != str(copy))
    local_rows = pq.read_table(local_copy, columns=["assets"]).to_pylist()
    assert Path(local_rows[0]["assets"]["image"]["href"]).is_file()
    # a second call reuses the cached copy (same mirror mtime and size)
    before = copy.stat().st_mtime_ns
    prepare_collections(explore_catalog, cache_dir=tmp_path, assets_url=base)
    assert copy.stat().st_mtime_ns == before


def test_flat_dnf_keeps_meaning() -> None:
    from gaia_geo.explore._cql2 import to_flat_dnf

    a, b, c = ({"op": "=", "args": [{"property": p}, 1]} for p in "abc")
    assert to_flat_dnf({"op": "and", "args": [{"op": "or", "args": [a, b]}, c]}) == {
        "op": "or",
        "args": [{"op": "and", "args": [a, c]}, {"op": "and", "args": [b, c]}],
    }
    assert to_flat_dnf({"op": "not", "args": [{"op": "and", "args": [a, b]}]}) == {
        "op": "or",
        "args": [{"op": "not", "args": [a]}, {"op": "not", "args": [b]}],
    }
    wide = {"op": "and", "args": [{"op": "or", "args": [a, b]}] * 9}
    with pytest.raises(ValueError, match="simplify"):
        to_flat_dnf(wide)
