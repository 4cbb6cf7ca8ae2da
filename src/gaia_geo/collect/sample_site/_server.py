"""A small threaded HTTP server for a generated site, with scripted misbehaviour.

It serves files under a root (``ETag``/``Last-Modified``, ``304`` on conditional requests,
directory ``index.html``), adds a fixed latency if asked, and applies ``routes.json`` from the
root: per-path redirects, status codes, status sequences (``429`` then ``200``), ``Retry-After``,
delays and forced content types. Every request is logged in ``hits``.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_LAST_MODIFIED = formatdate(1_600_000_000, usegmt=True)


@dataclass(frozen=True)
class Hit:
    """One request the server answered.

    Times are ``time.monotonic()`` when the request arrived and when its answer was ready (the
    hit is logged just before the answer is written).
    """

    path: str
    status: int
    headers: dict[str, str]
    arrived: float
    finished: float


@dataclass
class _State:
    root: Path
    latency_s: float
    routes: dict[str, dict[str, Any]]
    hits: list[Hit] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "gaia-geo-sample-site/1"
    state: _State  # set on the subclass each server builds

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: the hit log replaces the access log."""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        # logged before the answer goes out: once a client has its answer, the hit is in the
        # log, and a client's next request always arrives after this one "finished"
        hit = Hit(
            urlsplit(self.path).path,
            status,
            dict(self.headers.items()),
            self._arrived,
            time.monotonic(),
        )
        with self.state.lock:
            self.state.hits.append(hit)
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        """Answer HEAD like GET without the body."""
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Serve a file or a scripted route."""
        self._arrived = time.monotonic()
        state = self.state
        if state.latency_s:
            time.sleep(state.latency_s)
        path = urlsplit(self.path).path
        route = state.routes.get(path, {})
        if route.get("delay_s"):
            time.sleep(float(route["delay_s"]))
        with state.lock:
            count = state.counters[path] = state.counters.get(path, 0) + 1
        statuses = route.get("statuses")
        status = (
            int(statuses[min(count, len(statuses)) - 1])
            if statuses
            else int(route.get("status", 200))
        )
        headers: dict[str, str] = {}
        if "retry_after" in route:
            headers["Retry-After"] = str(route["retry_after"])
        if "redirect" in route:
            host = self.headers.get("Host", "")
            location = str(route["redirect"]).replace("{port}", host.rsplit(":", 1)[-1])
            self._send(int(route.get("status", 302)), headers={"Location": location})
            return
        if status != 200:
            self._send(
                status, f"status {status}".encode(), {**headers, "Content-Type": "text/plain"}
            )
            return
        file = state.root / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or not file.resolve().is_relative_to(state.root.resolve()):
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        content_type = route.get("content_type") or mimetypes.guess_type(file.name)[0]
        headers.update(
            {
                "Content-Type": content_type or "application/octet-stream",
                "ETag": etag,
                "Last-Modified": _LAST_MODIFIED,
            }
        )
        if self.headers.get("If-None-Match") == etag:
            self._send(304, headers={"ETag": etag})
            return
        self._send(200, body, headers)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up early (the crawler aborts over-large bodies)."""


class SiteServer:
    """Serve a generated site on a loopback address in a background thread.

    Args:
        root: the site directory (with an optional ``routes.json``).
        host: the address to bind (any of 127.0.0.0/8 works on Linux).
        port: the port, 0 for a free one.
        latency_s: delay added to every response.

    Example:
        >>> with SiteServer(site_dir) as server:  # doctest: +SKIP
        ...     print(server.url)
    """

    def __init__(
        self, root: str | Path, host: str = "127.0.0.1", port: int = 0, latency_s: float = 0.0
    ) -> None:
        root = Path(root)
        routes_file = root / "routes.json"
        routes = json.loads(routes_file.read_text()) if routes_file.exists() else {}
        self.state = _State(root=root, latency_s=latency_s, routes=routes)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = _QuietServer((host, port), handler)
        self.host = host
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The site's base URL, ending in ``/``."""
        return f"http://{self.host}:{self.port}/"

    @property
    def hits(self) -> list[Hit]:
        """A copy of the request log."""
        with self.state.lock:
            return list(self.state.hits)

    def start(self) -> SiteServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
