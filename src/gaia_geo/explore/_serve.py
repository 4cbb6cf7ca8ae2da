"""A static file server for STAC catalogs: CORS, HTTP range requests, STAC content types.

STAC Browser (and GDAL, for COGs) need three things a plain ``python -m http.server`` lacks: CORS
headers, byte-range responses and the right ``Content-Type``. This module adds them to the standard
library's threading server and refuses every path that would leave the served root (``..``,
``%2e%2e``, absolute paths, NUL bytes, symlinks that point outside).
"""

from __future__ import annotations

import email.utils
import html
import logging
import mimetypes
import os
import posixpath
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from ._browser import find_catalogs, stac_browser_url
from ._ranges import ByteRange, parse_range

logger = logging.getLogger(__name__)

__all__ = [
    "ByteRange",
    "CatalogServer",
    "make_catalog_server",
    "parse_range",
    "serve_catalogs",
]

#: Extension -> Content-Type. Items (``<id>/<id>.json``) get ``application/geo+json`` instead.
CONTENT_TYPES: dict[str, str] = {
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".tif": "image/tiff; application=geotiff",
    ".tiff": "image/tiff; application=geotiff",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".parquet": "application/vnd.apache.parquet",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".jsonl": "application/x-ndjson",
    ".tar": "application/x-tar",
    # a local STAC Browser build served from the same command
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}

_CHUNK = 1 << 16
#: Connections served at once (one thread each).
MAX_CONNECTIONS = 256
#: Connections the kernel queues while all threads are busy (capped by ``net.core.somaxconn``).
LISTEN_BACKLOG = 1024
#: Seconds of silence after which a connection is closed.
IDLE_TIMEOUT = 30.0


def content_type(path: Path) -> str:
    """Return the Content-Type for a served file.

    Args:
        path: the file on disk.

    Returns:
        The media type; a JSON file named like its folder (a STAC Item, ``<id>/<id>.json``) is
        ``application/geo+json``.
    """
    suffix = path.suffix.lower()
    if suffix == ".json" and path.stem == path.parent.name:
        return "application/geo+json"
    known = CONTENT_TYPES.get(suffix)
    if known is None:
        known = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return known


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """Map a request target to a file under ``root``, or ``None`` when it must be refused.

    The path is percent-decoded once; any ``..`` segment, NUL byte or backslash is refused, and
    the result (symlinks resolved) must lie inside ``root``.

    Args:
        root: the served directory, already resolved.
        raw_path: the request target as sent (``/demo/catalog.json?x=1``).

    Returns:
        The resolved path (which may not exist), or ``None`` for a refused path.
    """
    split = urllib.parse.urlsplit(raw_path)
    if split.scheme or split.netloc:  # absolute-form target: keep only its path
        raw_path = split.path
    else:
        raw_path = raw_path.split("?", 1)[0].split("#", 1)[0]
    try:
        decoded = urllib.parse.unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if ".." in segments:
        return None
    candidate = root.joinpath(*segments) if segments else root
    try:
        resolved = Path(os.path.realpath(candidate))
    except (OSError, ValueError):
        return None
    if resolved != root and root not in resolved.parents:
        return None
    return resolved


class _CatalogRequestHandler(BaseHTTPRequestHandler):
    server: CatalogServer
    protocol_version = "HTTP/1.1"
    server_version = "gaia-geo-serve"
    #: Seconds a connection may sit idle (between or inside requests) before it is closed, so
    #: silent clients cannot hold the threads.
    timeout = IDLE_TIMEOUT
    cors_headers: ClassVar[dict[str, str]] = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Range, If-Range, If-None-Match, Content-Type",
        "Access-Control-Expose-Headers": "Content-Range, Content-Length, Accept-Ranges, ETag",
        "Access-Control-Max-Age": "86400",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        logger.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        for name, value in self.cors_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, HEAD, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(send_body=True)

    def _send_text(self, status: HTTPStatus, text: str, send_body: bool = True) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _serve(self, send_body: bool) -> None:
        path = resolve_request_path(self.server.root, self.path)
        if path is None:
            self._send_text(
                HTTPStatus.FORBIDDEN, "forbidden: path outside the served root\n", send_body
            )
            return
        if path.is_dir():
            self._serve_directory(path, send_body)
            return
        if not path.is_file():
            self._send_text(HTTPStatus.NOT_FOUND, "not found\n", send_body)
            return
        try:
            handle = open(path, "rb")
        except OSError:
            self._send_text(HTTPStatus.FORBIDDEN, "forbidden: file not readable\n", send_body)
            return
        with handle:
            self._serve_file(path, handle, send_body)

    def _serve_directory(self, path: Path, send_body: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        if not url_path.endswith("/"):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        index = path / "index.html"
        if index.is_file():
            with open(index, "rb") as handle:
                self._serve_file(index, handle, send_body)
            return
        names = sorted(
            p.name + ("/" if p.is_dir() else "")
            for p in path.iterdir()
            if not p.name.startswith(".")
        )
        rows = "\n".join(
            f'<li><a href="{urllib.parse.quote(n)}">{html.escape(n)}</a></li>' for n in names
        )
        title = html.escape(urllib.parse.unquote(url_path))
        body = (
            f"<!doctype html><meta charset=utf-8><title>{title}</title>"
            f"<h1>{title}</h1><ul>\n{rows}\n</ul>\n"
        ).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _serve_file(self, path: Path, handle: BinaryIO, send_body: bool) -> None:
        stat = os.fstat(handle.fileno())
        size = stat.st_size
        etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ranges: list[ByteRange] | None = None
        range_header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if range_header and (if_range is None or if_range in (etag, modified)):
            ranges = parse_range(range_header, size)
        ctype = content_type(path)
        common = {"Accept-Ranges": "bytes", "ETag": etag, "Last-Modified": modified}
        if ranges is None:
            self._send_head(HTTPStatus.OK, {**common, "Content-Type": ctype}, size)
            if send_body:
                self._copy(handle, ByteRange(0, size - 1))
        elif not ranges:
            self._send_head(
                HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                {**common, "Content-Range": f"bytes */{size}", "Content-Type": ctype},
                0,
            )
        elif len(ranges) == 1:
            (one,) = ranges
            headers = {
                **common,
                "Content-Type": ctype,
                "Content-Range": f"bytes {one.start}-{one.end}/{size}",
            }
            self._send_head(HTTPStatus.PARTIAL_CONTENT, headers, one.length)
            if send_body:
                self._copy(handle, one)
        else:
            boundary = secrets.token_hex(12)
            heads = [
                (
                    f"\r\n--{boundary}\r\nContent-Type: {ctype}\r\n"
                    f"Content-Range: bytes {r.start}-{r.end}/{size}\r\n\r\n"
                ).encode()
                for r in ranges
            ]
            tail = f"\r\n--{boundary}--\r\n".encode()
            length = sum(len(h) for h in heads) + sum(r.length for r in ranges) + len(tail)
            headers = {**common, "Content-Type": f"multipart/byteranges; boundary={boundary}"}
            self._send_head(HTTPStatus.PARTIAL_CONTENT, headers, length)
            if send_body:
                for head, byte_range in zip(heads, ranges, strict=True):
                    self.wfile.write(head)
                    self._copy(handle, byte_range)
                self.wfile.write(tail)

    def _send_head(self, status: HTTPStatus, headers: dict[str, str], length: int) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _copy(self, handle: BinaryIO, byte_range: ByteRange) -> None:
        handle.seek(byte_range.start)
        remaining = byte_range.length
        while remaining > 0:
            chunk = handle.read(min(_CHUNK, remaining))
            if not chunk:
                break
            self.wfile.write(chunk)
            remaining -= len(chunk)


class CatalogServer(ThreadingHTTPServer):
    """A threading HTTP server for one directory of STAC catalogs.

    One thread per connection, at most :data:`MAX_CONNECTIONS` at once; further connections
    wait in a listen backlog of :data:`LISTEN_BACKLOG` (the standard library's default of 5
    made the 200th of 200 simultaneous clients wait 29 s, and some time out).

    Args:
        root: the directory to serve (``catalogs/``).
        host: the interface to bind (``127.0.0.1`` keeps it local).
        port: the TCP port; ``0`` picks a free one (see :attr:`url`).
    """

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, root: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000):
        resolved = Path(os.path.realpath(root))
        if not resolved.is_dir():
            raise ValueError(f"cannot serve {str(root)!r}: not a directory; pass catalogs/")
        self.root = resolved
        #: Responses cut short because the client hung up (counted, not logged as errors).
        self.disconnects = 0
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((host, port), _CatalogRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for the connection once one of the :data:`MAX_CONNECTIONS` is free."""
        self._slots.acquire()  # blocks the accept loop: the kernel backlog holds the rest
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @property
    def url(self) -> str:
        """The base URL the server answers on, ending with ``/``."""
        host, port = self.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}/"

    def catalog_urls(self) -> list[str]:
        """Return the URL of every ``catalog.json`` (root catalogs, up to two levels deep)."""
        return [
            self.url + posixpath.join(*rel.parts) for rel in find_catalogs(self.root, max_depth=2)
        ]

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up or stalls mid-response (browsers and GDAL cancel)."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            logger.debug("client %s disconnected", client_address)
            self.disconnects += 1
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def serve_in_thread(self) -> threading.Thread:
        """Start :meth:`serve_forever` in a daemon thread and return it (call ``shutdown()``)."""
        thread = threading.Thread(target=self.serve_forever, name="gaia-geo-serve", daemon=True)
        thread.start()
        return thread


def make_catalog_server(
    root: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000
) -> CatalogServer:
    """Bind a :class:`CatalogServer` without starting it.

    Example:
        >>> server = make_catalog_server("catalogs", port=0)  # doctest: +SKIP
        >>> server.serve_in_thread()  # doctest: +SKIP
        >>> server.shutdown(); server.server_close()  # doctest: +SKIP
    """
    return CatalogServer(root, host=host, port=port)


def browser_lines(server: CatalogServer, browser: str | None = None) -> Iterator[str]:
    """Yield what ``gaia-geo serve`` prints: the served URL and a STAC Browser URL per catalog."""
    yield f"Serving {server.root} at {server.url} (CORS on, range requests on); Ctrl-C stops."
    urls = server.catalog_urls()
    if not urls:
        yield "No catalog.json here yet: run `make demo` (gaia-geo demo --out catalogs/demo)."
    for url in urls:
        yield f"  {url}"
        yield f"    STAC Browser: {stac_browser_url(url, browser)}"


def serve_catalogs(
    root: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    browser: str | None = None,
) -> None:
    """Serve ``root`` until interrupted, printing the STAC Browser URL of each catalog.

    Args:
        root: the directory holding the catalogs (``catalogs/``).
        host: the interface to bind; ``0.0.0.0`` exposes it to the network.
        port: the TCP port.
        browser: base URL of a STAC Browser build; ``None`` uses Radiant Earth's hosted one.
    """
    server = make_catalog_server(root, host=host, port=port)
    for line in browser_lines(server, browser):
        print(line, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
