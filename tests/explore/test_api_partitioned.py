"""The STAC API over a catalog written with ``layout="geoparquet"`` (partitioned, no Item JSON)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gaia_geo.explore import search
from gaia_geo.stac import read_catalog, to_items, write_catalog

pytestmark = [
    # stac-fastapi 5.x declares Field(alias=...) where pydantic 2.14 ignores it, at import time
    pytest.mark.filterwarnings("ignore::pydantic.warnings.UnsupportedFieldAttributeWarning"),
    pytest.mark.slow,  # a partitioned catalog served per module: ~5 s
]


@pytest.fixture(scope="module")
def partitioned(explore_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    items = to_items(read_catalog(explore_catalog))
    root = tmp_path_factory.mktemp("api-partitioned") / "parts"
    return Path(write_catalog(items, root, layout="geoparquet", assets="reference"))


@pytest.fixture(scope="module")
def api_url(partitioned: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from gaia_geo.explore import create_api_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_api_app(partitioned, cache_dir=tmp_path_factory.mktemp("api-cache"))
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


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": [-180, -90, 0, 90]},
        {"datetime": "2003-01-01T00:00:00Z/2010-12-31T23:59:59Z"},
        {"filter": "\"gaia:caption_text\" LIKE '%glacier%' AND gsd < 30"},
        {"filter": "gsd < 30", "bbox": [-90, -60, 90, 60], "datetime": "../2012-01-01T00:00:00Z"},
    ],
)
def test_api_search_matches_the_static_catalog(
    api_url: str, explore_catalog: Path, query: dict[str, Any]
) -> None:
    import pystac_client

    expected = set(
        search(
            explore_catalog,
            bbox=query.get("bbox"),
            datetime=query.get("datetime"),
            filter=query.get("filter"),
        )["id"]
    )
    assert expected, f"the seeded catalog must match {query}"
    client = pystac_client.Client.open(api_url)
    assert {item.id for item in client.search(**query).items()} == expected
    collections = sorted(c.id for c in client.get_collections())
    assert collections == ["parts-test", "parts-train", "parts-validate"]
