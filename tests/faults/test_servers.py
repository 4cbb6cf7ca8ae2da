"""Hostile clients against the servers: `gaia-geo serve`, `gaia-geo api` and `gaia-geo search`.

Real servers on loopback ports and real concurrent clients; the API runs as a real `gaia-geo api`
process, so a request that freezes it, or a SIGTERM it ignores, fails the test instead of
freezing pytest.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gaia_geo.explore import CatalogServer, make_catalog_server
from gaia_geo.explore._serve import parse_range

GAIA_GEO = str(Path(sys.executable).parent / "gaia-geo")
FILE_SIZE = 51_200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- gaia-geo serve


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogServer]:
    root = tmp_path_factory.mktemp("served")
    (root / "cog.tif").write_bytes(bytes(range(256)) * (FILE_SIZE // 256))
    server = make_catalog_server(root, port=0)
    server.serve_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def fetch(
    server: CatalogServer, path: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_serve_answers_200_concurrent_clients(served: CatalogServer) -> None:
    clients = 200
    barrier = threading.Barrier(clients)

    def one(_: int) -> tuple[int, float]:
        barrier.wait(timeout=30)
        start = time.monotonic()
        status, _headers, body = fetch(served, "/cog.tif", timeout=10)
        assert len(body) == FILE_SIZE
        return status, time.monotonic() - start

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(clients)))  # a client timeout raises here
    assert [status for status, _ in results] == [200] * clients
    slowest = max(seconds for _, seconds in results)
    assert slowest < 8, f"the slowest of {clients} clients waited {slowest:.1f} s"


@pytest.mark.parametrize(
    ("spec", "status", "length"),
    [
        ("bytes=" + "9" * 5000 + "-", 416, 0),  # starts past the end
        ("bytes=0-" + "9" * 5000, 206, FILE_SIZE),  # clamped to the end
        ("bytes=-" + "9" * 5000, 206, FILE_SIZE),  # a suffix longer than the file
        ("bytes=" + "0" * 5000 + "1-2", 206, 2),  # leading zeros are still a small number
    ],
)
def test_serve_huge_range_numbers_get_an_answer(
    served: CatalogServer, spec: str, status: int, length: int
) -> None:
    got, headers, body = fetch(served, "/cog.tif", {"Range": spec})
    assert (got, len(body)) == (status, length)
    if status == 416:
        assert headers["content-range"] == f"bytes */{FILE_SIZE}"


def test_serve_overlapping_ranges_send_each_byte_once(served: CatalogServer) -> None:
    spec = "bytes=" + ",".join([f"0-{FILE_SIZE - 1}"] * 64)
    status, headers, body = fetch(served, "/cog.tif", {"Range": spec})
    assert status == 206 and len(body) == FILE_SIZE
    assert headers["content-range"] == f"bytes 0-{FILE_SIZE - 1}/{FILE_SIZE}"
    # overlapping and out of order: coalesced into sorted, disjoint parts
    spec = "bytes=" + ",".join(f"{i * 100}-{i * 100 + 999}" for i in range(63, -1, -1))
    status, headers, body = fetch(served, "/cog.tif", {"Range": spec})
    assert status == 206 and len(body) == 7300
    assert headers["content-range"] == f"bytes 0-7299/{FILE_SIZE}"


def test_range_parts_are_sorted_and_merged() -> None:
    ranges = parse_range("bytes=5000-5009,0-9,5-14,20000-20009", FILE_SIZE)
    assert ranges is not None
    assert [(r.start, r.end) for r in ranges] == [(0, 14), (5000, 5009), (20000, 20009)]


# --------------------------------------------------------------------------- gaia-geo api


def start_api(catalog: Path, cache: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(
        [GAIA_GEO, "api", str(catalog), "--port", str(port), "--cache-dir", str(cache), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"gaia-geo api did not start: {proc.communicate()[0][-2000:]}")
            time.sleep(0.2)
    return proc, url


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def api(demo_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_api(demo_catalog, tmp_path_factory.mktemp("api-cache"))
    call(url + "/search", params={"limit": "1"}, timeout=60)  # the search workers are up
    yield url
    stop(proc)


def call(url: str, method: str = "GET", timeout: float = 10, **kwargs: Any) -> Any:
    import httpx

    return httpx.request(method, url, timeout=timeout, **kwargs)


def assert_alive(api: str) -> None:
    response = call(api + "/search", params={"limit": "1"}, timeout=10)
    assert response.status_code == 200 and len(response.json()["features"]) == 1


INFINITE = [
    ("GET", {"params": {"filter": "gsd < 1e999"}}),
    ("GET", {"params": {"filter": "gsd > -1e999 AND gsd < 30"}}),
    (
        "POST",
        {
            "content": b'{"intersects": {"type": "Point", "coordinates": [1e999, 0]}}',
            "headers": {"content-type": "application/json"},
        },
    ),
    (
        "POST",
        {
            "content": b'{"filter": {"op": "<", "args": [{"property": "gsd"}, 1e999]}}',
            "headers": {"content-type": "application/json"},
        },
    ),
    (
        "POST",
        {
            "content": b'{"filter": {"op": "<", "args": [{"property": "gsd"}, NaN]}}',
            "headers": {"content-type": "application/json"},
        },
    ),
    ("GET", {"params": {"bbox": "0,0,nan,10"}}),
    ("GET", {"params": {"bbox": "0,0,inf,10"}}),
    ("GET", {"params": {"intersects": '{"type": "Point", "coordinates": [1e999, 0]}'}}),
    (
        "POST",
        {"content": b'{"limit": 1e999}', "headers": {"content-type": "application/json"}},
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "kwargs"), INFINITE)
def test_api_refuses_non_finite_numbers_fast(api: str, method: str, kwargs: dict[str, Any]) -> None:
    start = time.monotonic()
    response = call(api + "/search", method, timeout=10, **kwargs)
    assert response.status_code == 400, response.text
    assert time.monotonic() - start < 5
    assert "finite" in response.text.lower() or "bounding box" in response.text.lower()
    assert_alive(api)


CLIENT_ERRORS = [
    ("GET", "/search", {"params": {"filter": "gsd <<< 3"}}, "CQL2"),
    ("GET", "/search", {"params": {"filter": "nope < 3"}}, "unknown property 'nope'"),
    ("GET", "/search", {"params": {"fields": "*"}}, "fields"),
    ("GET", "/search", {"params": {"sortby": "-nope"}}, "sort"),
    ("GET", "/search", {"params": {"offset": "1" + "0" * 30}}, "offset"),
    ("GET", "/search", {"params": {"intersects": "{bad"}}, "intersects"),
    ("GET", "/search", {"params": {"datetime": "2020-13-45"}}, "datetime"),
    ("GET", "/search", {"params": {"filter": "gsd < 3 AND " * 3000 + "gsd > 1"}}, "long"),
    (
        "POST",
        "/search",
        {"content": b"[]", "headers": {"content-type": "application/json"}},
        "object",
    ),
    (
        "POST",
        "/search",
        {"content": b"[" * 5000 + b"]" * 5000, "headers": {"content-type": "application/json"}},
        "object",
    ),
    ("GET", "/search", {"params": {"filter": "(" * 2000 + "gsd < 3" + ")" * 2000}}, "parenthes"),
    ("GET", "/catalog/%00", {}, "NUL"),
    ("GET", "/catalog/a%00b.json", {}, "NUL"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "kwargs", "words"), CLIENT_ERRORS)
def test_api_client_errors_are_400_with_a_clear_message(
    api: str, method: str, path: str, kwargs: dict[str, Any], words: str
) -> None:
    response = call(api + path, method, **kwargs)
    assert response.status_code == 400, response.text
    description = response.json()["description"]
    assert words.lower() in description.lower()
    for engine_text in ("Binder Error", "Parser Error", "Traceback", "AttributeError"):
        assert engine_text not in description


@pytest.mark.slow
def test_api_refuses_oversized_bodies(api: str) -> None:
    body = json.dumps({"ids": ["x" * 100] * 20_000}).encode()
    response = call(
        api + "/search", "POST", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "bytes" in response.json()["description"]
    assert_alive(api)


@pytest.mark.slow
def test_api_file_route_survives_hostile_ranges(api: str, demo_catalog: Path) -> None:
    image = next(demo_catalog.glob("train/*/*.tif"))
    url = f"{api}/catalog/{image.relative_to(demo_catalog).as_posix()}"
    size = image.stat().st_size
    for spec in ("bytes=0-" + "9" * 5000, "bytes=" + ",".join(["0-99"] * 64)):
        response = call(url, headers={"Range": spec})
        assert response.status_code == 200 and len(response.content) == size
    response = call(url, headers={"Range": "bytes=10-19"})
    assert response.status_code == 206 and response.content == image.read_bytes()[10:20]


@pytest.mark.slow
def test_api_unknown_collection_items_is_404(api: str) -> None:
    response = call(api + "/collections/nope/items")
    assert response.status_code == 404 and "nope" in response.json()["description"]


@pytest.mark.slow
def test_api_get_with_cql2_json_matches_post(api: str) -> None:
    expression = {"op": "<", "args": [{"property": "gsd"}, 30]}
    got = call(
        api + "/search",
        params={"filter": json.dumps(expression), "filter-lang": "cql2-json", "limit": "100"},
    )
    posted = call(
        api + "/search",
        "POST",
        json={"filter": expression, "filter-lang": "cql2-json", "limit": 100},
    )
    assert got.status_code == 200 and posted.status_code == 200, got.text
    ids = {f["id"] for f in got.json()["features"]}
    assert ids and ids == {f["id"] for f in posted.json()["features"]}


@pytest.mark.slow
def test_api_sorts_by_properties_prefixed_fields(api: str) -> None:
    collection = json.loads(call(api + "/collections").text)["collections"][0]["id"]
    params = {"sortby": "-properties.datetime", "limit": "100", "collections": collection}
    response = call(api + "/search", params=params)  # sorted within a Collection
    assert response.status_code == 200, response.text
    stamps = [f["properties"].get("datetime") for f in response.json()["features"]]
    stamps = [s for s in stamps if s]
    assert stamps and stamps == sorted(stamps, reverse=True)


@pytest.mark.slow
def test_api_sigterm_stops_it_after_a_hostile_request(demo_catalog: Path, tmp_path: Path) -> None:
    import httpx

    proc, url = start_api(demo_catalog, tmp_path)
    try:
        try:
            call(url + "/search", params={"filter": "gsd < 1e999"}, timeout=3)
        except httpx.TimeoutException:
            pass  # the old server froze here; SIGTERM must stop it anyway
        proc.send_signal(signal.SIGTERM)
        start = time.monotonic()
        proc.wait(timeout=10)
        assert time.monotonic() - start < 8
    finally:
        stop(proc)


@pytest.mark.slow
def test_engine_timeout_stops_a_hanging_search_and_keeps_serving(demo_catalog: Path) -> None:
    from gaia_geo.errors import SearchTimeoutError
    from gaia_geo.explore._engine import SearchEngine

    href = str(demo_catalog / "train" / "items.parquet")
    with SearchEngine(workers=1, timeout=30) as engine:
        assert engine.search(href, {"limit": 2})  # a warm worker
        hanging = {"filter": {"op": "<", "args": [{"property": "gsd"}, float("inf")]}}
        start = time.monotonic()
        with pytest.raises(SearchTimeoutError, match="longer than 2 s"):
            engine.search(href, hanging, timeout=2)
        assert time.monotonic() - start < 6
        assert len(engine.search(href, {"limit": 3})) == 3  # a fresh worker took over


@pytest.mark.slow
def test_api_answers_504_past_its_deadline(demo_catalog: Path, tmp_path: Path) -> None:
    import uvicorn

    from gaia_geo.explore import create_api_app

    port = free_port()
    # 1 ms: less than a worker process needs even to answer once it runs, let alone to start
    app = create_api_app(demo_catalog, cache_dir=tmp_path, timeout=0.001, workers=1)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        response = call(url + "/search", params={"limit": "1"})  # the worker is still starting
        assert response.status_code == 504
        assert "longer than 0.001 s and was stopped" in response.json()["description"]
        assert call(url + "/").status_code == 200  # the API itself stays up
    finally:
        server.should_exit = True
        thread.join(timeout=15)


# --------------------------------------------------------------------------- gaia-geo search


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--filter", "gsd <<< 3"], "CQL2"),
        (["--filter", "(" * 2000 + "gsd < 3" + ")" * 2000], "parentheses"),
        (["--bbox", "1,2,x,4"], "bbox"),
        (["--bbox", "1,2,3"], "bbox"),
        (["--bbox", "0,0,nan,1"], "finite"),
        (["--datetime", "yesterday"], "datetime"),
        (["--datetime", "2020-01-01T00:00:00Z/2019-01-01T00:00:00Z"], "after the end"),
    ],
)
def test_search_cli_bad_input_is_one_clear_error(
    demo_catalog: Path, args: list[str], words: str
) -> None:
    from gaia_geo.cli.main import app

    result = CliRunner().invoke(app, ["search", str(demo_catalog), *args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert words.lower() in result.output.lower()
    assert "Traceback" not in result.output
