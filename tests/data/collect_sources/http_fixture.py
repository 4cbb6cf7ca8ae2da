"""A loopback HTTP server for the collect-sources tests: static files with Range support plus
misbehaving endpoints (404, 500, 429, truncated bodies, non-images, huge and slow files).

Run standalone (the kill -9 test does) with ``python http_fixture.py ROOT PORTFILE``: it serves
ROOT on a free loopback port and writes the port to PORTFILE.

Routes (``NAME`` is a file under the served root):

- ``/files/NAME``            the file; honours ``Range: bytes=a-b`` (206) and HEAD
- ``/status/CODE``           an empty response with that status
- ``/flaky/N/NAME``          500 for the first N requests of that path, then the file
- ``/ratelimit/N/NAME``      429 with ``Retry-After: 0`` for the first N requests, then the file
- ``/truncated/NAME``        announces the full length, sends half, closes the connection
- ``/html/NAME``             the file's bytes labelled ``text/html``
- ``/huge/NAME``             announces 2 GiB, streams zeros
- ``/slow/NAME``             the file in 4 KiB chunks with a 50 ms pause between chunks
- ``/nolength/NAME``         the file without a Content-Length (chunked-less, connection close)
- ``/delay/MS/NAME``         the file after MS milliseconds (a far server's latency)
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Server(ThreadingHTTPServer):
    # the default listen backlog of 5 drops SYNs when 16 clients connect at once, and each
    # dropped SYN costs a 1 s TCP retransmit
    request_queue_size = 128


class FixtureServer:
    """A threaded loopback server over ``root``; use as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()  # body bytes sent per path
        self.lock = threading.Lock()
        self.active = 0  # requests being answered now
        self.peak = 0  # the most answered at once (reset it between measurements)
        self.starts: list[float] = []  # time.monotonic() of each request
        handler = type("Handler", (_Handler,), {"fixture": self})
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits[path]

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    fixture: FixtureServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_HEAD(self) -> None:
        self._counted(head=True)

    def do_GET(self) -> None:
        self._counted(head=False)

    def _counted(self, head: bool) -> None:
        fixture = self.fixture
        with fixture.lock:
            fixture.starts.append(time.monotonic())
            fixture.active += 1
            fixture.peak = max(fixture.peak, fixture.active)
        try:
            self._route(head)
        finally:
            with fixture.lock:
                fixture.active -= 1

    def _hit(self) -> int:
        with self.fixture.lock:
            self.fixture.hits[self.path] += 1
            return self.fixture.hits[self.path]

    def _file(self, name: str) -> Path | None:
        path = (self.fixture.root / name).resolve()
        if self.fixture.root.resolve() not in path.parents or not path.is_file():
            self._empty(404)
            return None
        return path

    def _empty(self, code: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self, head: bool) -> None:
        hit = self._hit()
        parts = self.path.split("?")[0].strip("/").split("/")
        kind, rest = parts[0], parts[1:]
        if kind == "status":
            self._empty(int(rest[0]))
        elif kind in ("flaky", "ratelimit"):
            if hit <= int(rest[0]):
                if kind == "flaky":
                    self._empty(500)
                else:
                    self._empty(429, {"Retry-After": "0"})
                return
            self._serve("/".join(rest[1:]), head)
        elif kind == "delay":
            time.sleep(int(rest[0]) / 1000)
            self._serve("/".join(rest[1:]), head)
        elif kind == "files":
            self._serve("/".join(rest), head)
        elif kind == "html":
            self._serve("/".join(rest), head, ctype="text/html; charset=utf-8")
        elif kind == "truncated":
            path = self._file("/".join(rest))
            if path:
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", _ctype(path))
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
        elif kind == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(2 << 30))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if not head:
                try:
                    for _ in range(64):  # the client must stop long before 2 GiB
                        self.wfile.write(b"\0" * (1 << 16))
                except OSError:
                    pass
        elif kind == "slow":
            path = self._file("/".join(rest))
            if path:
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", _ctype(path))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    for start in range(0, len(data), 4096):
                        self.wfile.write(data[start : start + 4096])
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    self.close_connection = True
        elif kind == "nolength":
            path = self._file("/".join(rest))
            if path:
                self.send_response(200)
                self.send_header("Content-Type", _ctype(path))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(path.read_bytes())
                self.close_connection = True
        else:
            self._empty(404)

    def _serve(self, name: str, head: bool, ctype: str | None = None) -> None:
        path = self._file(name)
        if path is None:
            return
        data = path.read_bytes()
        ctype = ctype or _ctype(path)
        spec = self.headers.get("Range")
        if spec and spec.startswith("bytes="):
            first, _, last = spec[6:].split(",")[0].partition("-")
            if first:
                start, end = int(first), int(last) if last else len(data) - 1
            else:  # suffix range: the last N bytes
                start, end = max(0, len(data) - int(last)), len(data) - 1
            end = min(end, len(data) - 1)
            if start >= len(data) or start > end:
                self._empty(416, {"Content-Range": f"bytes */{len(data)}"})
                return
            body = data[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        else:
            body = data
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
            with self.fixture.lock:
                self.fixture.sent[self.path] += len(body)


def _ctype(path: Path) -> str:
    if path.suffix.lower() in (".tif", ".tiff"):
        return "image/tiff; application=geotiff; profile=cloud-optimized"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


if __name__ == "__main__":
    server = FixtureServer(Path(sys.argv[1]))
    Path(sys.argv[2] + ".tmp").write_text(str(server.port))
    Path(sys.argv[2] + ".tmp").rename(sys.argv[2])
    server.httpd.serve_forever()
