from __future__ import annotations

import http.client
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gaia_geo.explore import CatalogServer, make_catalog_server, stac_browser_url
from gaia_geo.explore._serve import ByteRange, browser_lines, content_type, parse_range


@pytest.fixture(scope="module")
def served(
    explore_catalog: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CatalogServer]:
    root = explore_catalog.parent
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("top secret")
    link = root / "escape"
    if not link.exists():
        os.symlink(outside, link)
    (root / "inner-link.json").unlink(missing_ok=True)
    os.symlink(explore_catalog / "catalog.json", root / "inner-link.json")
    server = make_catalog_server(root, port=0)
    server.serve_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def request(
    server: CatalogServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for name, value in (headers or {}).items():
        conn.putheader(name, value)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def image_path(catalog: Path) -> Path:
    return next((catalog / "train").glob("*/*.tif"))


def test_serves_catalog_json_with_cors_and_type(
    served: CatalogServer, explore_catalog: Path
) -> None:
    status, headers, body = request(served, "/test-cat/catalog.json")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert headers["access-control-allow-origin"] == "*"
    assert json.loads(body)["id"] == "explore-test"
    assert headers["content-length"] == str(len(body))


def test_item_geojson_parquet_and_tiff_types(served: CatalogServer, explore_catalog: Path) -> None:
    item = next((explore_catalog / "train").glob("*/*.json"))
    rel = item.relative_to(explore_catalog.parent).as_posix()
    assert request(served, "/" + rel)[1]["content-type"] == "application/geo+json"
    status, headers, _ = request(served, "/test-cat/train/items.parquet", "HEAD")
    assert status == 200 and headers["content-type"] == "application/vnd.apache.parquet"
    tif = image_path(explore_catalog).relative_to(explore_catalog.parent).as_posix()
    status, headers, body = request(served, "/" + tif, "HEAD")
    assert headers["content-type"].startswith("image/tiff")
    assert (
        body == b"" and int(headers["content-length"]) == image_path(explore_catalog).stat().st_size
    )
    assert content_type(Path("a/b.png")) == "image/png"
    assert content_type(Path("x/notes.bin")) == "application/octet-stream"
    assert content_type(Path("dist/css/app.css")).startswith("text/css")
    assert content_type(Path("dist/js/app.js")).startswith("text/javascript")


def test_preflight_options(served: CatalogServer) -> None:
    status, headers, _ = request(
        served,
        "/test-cat/catalog.json",
        "OPTIONS",
        {"Origin": "https://radiantearth.github.io", "Access-Control-Request-Headers": "range"},
    )
    assert status == 204
    assert "Range" in headers["access-control-allow-headers"]
    assert "Content-Range" in headers["access-control-expose-headers"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=100-", (100, None)),
        ("bytes=-10", (-10, None)),
        ("bytes=4000-999999", (4000, None)),
    ],
)
def test_single_ranges(
    served: CatalogServer, explore_catalog: Path, spec: str, expected: tuple[int, int | None]
) -> None:
    path = image_path(explore_catalog)
    data = path.read_bytes()
    size = len(data)
    start, end = expected
    if start < 0:
        start, end = size + start, size - 1
    end = size - 1 if end is None else end
    status, headers, body = request(
        served, "/" + path.relative_to(explore_catalog.parent).as_posix(), headers={"Range": spec}
    )
    assert status == 206
    assert body == data[start : end + 1]
    assert headers["content-range"] == f"bytes {start}-{end}/{size}"
    assert headers["accept-ranges"] == "bytes"


def test_unsatisfiable_and_ignored_ranges(served: CatalogServer, explore_catalog: Path) -> None:
    path = image_path(explore_catalog)
    url = "/" + path.relative_to(explore_catalog.parent).as_posix()
    size = path.stat().st_size
    status, headers, body = request(served, url, headers={"Range": f"bytes={size}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}" and body == b""
    assert request(served, url, headers={"Range": "bytes=-0"})[0] == 416
    # malformed or other units: the whole file, 200
    for spec in ("bytes=9-3", "items=0-5", "bytes=abc", "bytes=" + ",".join(["0-1"] * 100)):
        status, _, body = request(served, url, headers={"Range": spec})
        assert status == 200 and len(body) == size, spec


def test_multipart_ranges(served: CatalogServer, explore_catalog: Path) -> None:
    path = image_path(explore_catalog)
    data = path.read_bytes()
    url = "/" + path.relative_to(explore_catalog.parent).as_posix()
    status, headers, body = request(served, url, headers={"Range": "bytes=0-3, 200-209"})
    assert status == 206
    assert headers["content-type"].startswith("multipart/byteranges; boundary=")
    boundary = headers["content-type"].split("boundary=")[1]
    assert int(headers["content-length"]) == len(body)
    parts = [p for p in body.split(f"--{boundary}".encode()) if p.strip(b"\r\n-")]
    assert len(parts) == 2
    assert parts[0].endswith(b"\r\n\r\n" + data[0:4] + b"\r\n")
    assert b"Content-Range: bytes 200-209/" in parts[1]
    assert parts[1].endswith(data[200:210] + b"\r\n")


def test_if_range_and_etag(served: CatalogServer, explore_catalog: Path) -> None:
    path = image_path(explore_catalog)
    url = "/" + path.relative_to(explore_catalog.parent).as_posix()
    _, headers, _ = request(served, url, "HEAD")
    etag = headers["etag"]
    assert request(served, url, headers={"Range": "bytes=0-1", "If-Range": etag})[0] == 206
    status, _, body = request(served, url, headers={"Range": "bytes=0-1", "If-Range": '"stale"'})
    assert status == 200 and len(body) == path.stat().st_size
    assert request(served, url, headers={"If-None-Match": etag})[0] == 304


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/test-cat/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/test-cat/%2E%2E/%2E%2E/etc/passwd",
        "/test-cat/..%2f..%2fetc/passwd",
        "/escape/secret.txt",
        "/test-cat/catalog.json%00.png",
        "/test-cat\\..\\..\\etc\\passwd",
        "/C:/Windows/win.ini",
    ],
)
def test_traversal_is_refused(served: CatalogServer, path: str) -> None:
    status, _, body = request(served, path)
    assert status in (403, 404)
    assert b"secret" not in body and b"root:" not in body


def test_absolute_form_and_double_slash_stay_inside(served: CatalogServer) -> None:
    status, _, body = request(served, "//etc/passwd")
    assert status == 404 and b"root:" not in body
    status, _, body = request(served, "http://evil.example//etc/passwd")
    assert status == 404
    status, _, body = request(served, "http://127.0.0.1/test-cat/catalog.json")
    assert status == 200 and json.loads(body)["type"] == "Catalog"


def test_symlink_inside_root_is_served(served: CatalogServer) -> None:
    status, _, body = request(served, "/inner-link.json")
    assert status == 200 and json.loads(body)["type"] == "Catalog"


def test_directory_listing_and_redirect(served: CatalogServer) -> None:
    status, headers, _ = request(served, "/test-cat")
    assert status == 301 and headers["location"] == "/test-cat/"
    status, headers, body = request(served, "/test-cat/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'href="catalog.json"' in body
    assert request(served, "/test-cat/nope.json")[0] == 404


def test_browser_urls(served: CatalogServer) -> None:
    urls = served.catalog_urls()
    assert urls == [served.url + "test-cat/catalog.json"]
    lines = list(browser_lines(served))
    assert any(line.strip() == f"STAC Browser: {stac_browser_url(urls[0])}" for line in lines), (
        lines
    )
    assert stac_browser_url("http://h:1/c.json", "http://localhost:8080") == (
        "http://localhost:8080/#/external/http://h:1/c.json"
    )
    with pytest.raises(ValueError, match="absolute"):
        stac_browser_url("catalog.json")


def test_parse_range_edge_cases() -> None:
    assert parse_range("bytes=0-0", 10) == [ByteRange(0, 0)]
    assert parse_range("bytes=-20", 10) == [ByteRange(0, 9)]
    assert parse_range("bytes=5-100", 10) == [ByteRange(5, 9)]
    assert parse_range("bytes=10-", 10) == []
    assert parse_range("bytes=0-", 0) == []
    assert parse_range("bytes=12-13, 2-3", 10) == [ByteRange(2, 3)]
    assert parse_range("bytes=-", 10) is None
    assert parse_range("bytes=", 10) is None


def test_server_refuses_a_missing_root(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a directory"):
        make_catalog_server(tmp_path / "nope", port=0)


def test_client_hanging_up_mid_body_is_quiet(
    served: CatalogServer, explore_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    big = explore_catalog.parent / "big.bin"
    big.write_bytes(b"\0" * (8 << 20))
    host, port = served.server_address[:2]
    before = served.disconnects
    with socket.create_connection((str(host), int(port)), timeout=5) as sock:
        sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    deadline = time.monotonic() + 10
    while served.disconnects == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.disconnects == before + 1
    status, _, body = request(served, "/test-cat/catalog.json")  # still serving
    assert status == 200 and body
    assert "Traceback" not in capsys.readouterr().err
