"""Fetch remote images into a staging folder: bounded concurrency, retries, limits, resume.

Politeness: at most ``per_host`` requests in flight to one host and request starts to one host
``host_delay`` seconds apart, with the jobs interleaved by host so that a release dominated by one
site does not keep the workers queueing for it while other hosts wait.

The engine behind :func:`gaia_geo.collect.download_assets`, kept apart from the catalog so it can be
tested and reused on plain (key, url) jobs. Every file is streamed to a temporary name and renamed
only after its bytes decode as an image, and a JSON-lines manifest records each finished file with
its sha256, so a killed run resumes without fetching what it already stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import random
import tempfile
import time
import urllib.parse
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from .._hashing import file_sha256
from .._neterrors import network_error_line
from ..errors import (
    DownloadError as DownloadError,
)
from ._src_raster import TIFF_MAGIC, decode_tiff

#: Content types accepted as images, and the file extension each is stored under.
IMAGE_TYPES: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/tiff": "tif",
    "image/webp": "png",
    "image/gif": "png",
    "image/bmp": "png",
}
#: Formats stored as fetched; the others are converted to PNG.
_KEEP_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}
MANIFEST = "manifest.jsonl"
USER_AGENT = "gaia-geo/0.1 (+https://github.com/gaia-geo/gaia_geo; image downloader)"


@dataclass(frozen=True)
class FetchJob:
    """One image to fetch: ``key`` names the stored file (an Item id), ``url`` is the source."""

    key: str
    url: str


@dataclass
class StoredImage:
    """A fetched, verified image in the staging folder (one manifest line).

    Attributes:
        key: the job key.
        url: where it came from.
        path: file name inside the staging folder.
        media_type: ``image/png``, ``image/jpeg`` or ``image/tiff``.
        sha256: hex digest of the stored bytes.
        size: stored size in bytes.
        width: pixels.
        height: pixels.
        thumbnail: file name of the PNG thumbnail.
        thumbnail_sha256: hex digest of the thumbnail.
        thumbnail_size: thumbnail size in bytes.
    """

    key: str
    url: str
    path: str
    media_type: str
    sha256: str
    size: int
    width: int
    height: int
    thumbnail: str
    thumbnail_sha256: str
    thumbnail_size: int


@dataclass(frozen=True)
class FetchOptions:
    """Limits and politeness of a fetch run.

    Attributes:
        concurrency: requests in flight at once.
        retries: extra attempts after a transient failure (429, 5xx, timeouts, cut connections).
        backoff: base delay in seconds; attempt ``n`` waits ``backoff * 2**n`` (+ jitter), or the
            server's ``Retry-After`` when given (capped at 60 s).
        timeout: seconds per request (connect and between reads).
        max_bytes: larger files are refused (by Content-Length when announced, else while reading).
        thumbnail_px: longest side of the PNG thumbnail.
        user_agent: the User-Agent header.
        allow_private: fetch from private, loopback and link-local addresses too (tests, an
            intranet mirror); off by default so a release file cannot point the downloader at
            internal services. Checked for every request, redirects included.
        per_host: requests in flight to one host at once (``None``: only ``concurrency``).
        host_delay: seconds between the starts of two requests to one host (retries included).
    """

    concurrency: int = 8
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 30.0
    max_bytes: int = 64 << 20
    thumbnail_px: int = 256
    user_agent: str = USER_AGENT
    allow_private: bool = False
    per_host: int | None = 4
    host_delay: float = 0.0

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {self.concurrency}")
        if self.per_host is not None and self.per_host < 1:
            raise ValueError(f"per_host must be >= 1 or None, got {self.per_host}")
        if self.host_delay < 0:
            raise ValueError(f"host_delay must be >= 0, got {self.host_delay}")
        if self.retries < 0:
            raise ValueError(f"retries must be >= 0, got {self.retries}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be >= 1, got {self.max_bytes}")
        if self.thumbnail_px < 16:
            raise ValueError(f"thumbnail_px must be >= 16, got {self.thumbnail_px}")


def load_manifest(staging: Path) -> dict[str, StoredImage]:
    """The verified entries of the staging manifest: files missing or changed are dropped.

    A line cut short by a kill is ignored; the last entry of a key wins.
    """
    entries: dict[str, StoredImage] = {}
    manifest = staging / MANIFEST
    if not manifest.exists():
        return entries
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            entry = StoredImage(**json.loads(line))
        except (ValueError, TypeError):
            continue
        entries[entry.key] = entry
    verified = {}
    for key, entry in entries.items():
        image, thumb = staging / entry.path, staging / entry.thumbnail
        if (
            image.is_file()
            and thumb.is_file()
            and image.stat().st_size == entry.size
            and file_sha256(image) == entry.sha256
            and file_sha256(thumb) == entry.thumbnail_sha256
        ):
            verified[key] = entry
    return verified


# No fsync in the two writers below, on purpose: a resumed run re-verifies every manifest entry
# against the file's sha256, so a line or a file lost to a power cut only means one refetch,
# while three fsyncs per image cost more than the download itself on a loopback-fast network.


def _append_manifest(staging: Path, entry: StoredImage) -> None:
    # One short line per write with O_APPEND: a kill loses at most the line in flight.
    line = (json.dumps(asdict(entry), sort_keys=True) + "\n").encode()
    fd = os.open(staging / MANIFEST, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _safe_name(key: str) -> str:
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in key).lstrip(".")
    if not name:
        raise ValueError(f"job key {key!r} gives an empty file name")
    return name


def decode_image(
    data: bytes, url: str, thumbnail_px: int
) -> tuple[bytes, str, str, int, int, bytes]:
    """Decode fetched bytes fully; return (stored bytes, ext, media type, width, height, thumb).

    PNG and JPEG are stored byte for byte, and so is TIFF (read with GDAL, so GeoTIFFs and COGs of
    any band count and data type pass, typed ``image/tiff; application=geotiff[; profile=
    cloud-optimized]`` when georeferenced); other formats become PNG.

    Raises:
        DownloadError: when the bytes are not a complete, decodable image.
    """
    from PIL import Image

    if data[:4] in TIFF_MAGIC:
        try:
            media_type, width, height, thumb_png = decode_tiff(data, thumbnail_px)
        except Exception as err:  # GDAL raises several types for broken files
            raise DownloadError(url, f"not a complete, readable TIFF ({err})") from None
        return data, "tif", media_type, width, height, thumb_png
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            image.load()
            width, height = image.size
            if fmt in _KEEP_FORMATS:
                ext, media_type = _KEEP_FORMATS[fmt]
                stored = data
            else:
                buf = io.BytesIO()
                image.save(buf, format="PNG")
                ext, media_type, stored = "png", "image/png", buf.getvalue()
            thumb = image.convert("RGB") if image.mode not in ("RGB", "L", "RGBA") else image.copy()
        thumb.thumbnail((thumbnail_px, thumbnail_px))
        buf = io.BytesIO()
        thumb.save(buf, format="PNG")
    except Exception as err:  # Pillow raises many types for bad data; all mean "not an image"
        raise DownloadError(url, f"not a complete, decodable image ({err})") from None
    return stored, ext, media_type, width, height, buf.getvalue()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), 60.0)
    except ValueError:
        return None


async def _get_bytes(client: httpx.AsyncClient, url: str, options: FetchOptions) -> bytes:
    """One GET with the type and size limits; transient failures raise non-permanent errors."""
    try:
        async with client.stream("GET", url) as response:
            code = response.status_code
            if code == 429 or code >= 500:
                raise DownloadError(
                    url, f"HTTP {code}", permanent=False, retry_after=_retry_after(response)
                )
            if code != 200:
                raise DownloadError(url, f"HTTP {code}")
            ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype not in IMAGE_TYPES:
                raise DownloadError(url, f"content-type {ctype or 'missing'!r} is not an image")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > options.max_bytes:
                raise DownloadError(
                    url, f"size {int(length)} bytes exceeds the limit of {options.max_bytes}"
                )
            chunks, total = [], 0
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > options.max_bytes:
                    raise DownloadError(url, f"body exceeds the limit of {options.max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.UnsupportedProtocol as err:
        raise DownloadError(url, f"unsupported URL scheme: {err}") from None
    except httpx.TransportError as err:  # timeouts, refused or cut connections, truncated bodies
        if "complete message body" in str(err):
            raise DownloadError(url, f"truncated body: {err}", permanent=False) from None
        raise DownloadError(url, network_error_line(err), permanent=False) from None


def _store(
    staging: Path, job: FetchJob, decoded: tuple[bytes, str, str, int, int, bytes]
) -> StoredImage:
    """Write a decoded image and its thumbnail under their final names, then the manifest line."""
    stored, ext, media_type, width, height, thumb = decoded
    name = _safe_name(job.key)
    image_name, thumb_name = f"{name}.{ext}", f"{name}.thumb.png"
    _write_atomic(staging / image_name, stored)
    _write_atomic(staging / thumb_name, thumb)
    entry = StoredImage(
        key=job.key,
        url=job.url,
        path=image_name,
        media_type=media_type,
        sha256=hashlib.sha256(stored).hexdigest(),
        size=len(stored),
        width=width,
        height=height,
        thumbnail=thumb_name,
        thumbnail_sha256=hashlib.sha256(thumb).hexdigest(),
        thumbnail_size=len(thumb),
    )
    _append_manifest(staging, entry)
    return entry


def host_of(url: str) -> str:
    """The host (and port) requests to ``url`` are counted under for politeness."""
    return urllib.parse.urlsplit(url).netloc.lower()


class HostGate:
    """Per-host politeness: a bounded number of requests in flight, and spaced request starts.

    Args:
        per_host: requests in flight to one host at once (``None``: no bound).
        delay: seconds between the starts of two requests to one host.
    """

    def __init__(self, per_host: int | None, delay: float = 0.0) -> None:
        self.per_host, self.delay = per_host, delay
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of ``host``'s slots, starting no sooner than its spacing allows."""
        async with contextlib.AsyncExitStack() as stack:
            if self.per_host is not None:
                semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.per_host))
                await stack.enter_async_context(semaphore)
            if self.delay:
                now = asyncio.get_running_loop().time()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.delay
                if start > now:
                    await asyncio.sleep(start - now)
            yield


def interleave_by_host(jobs: list[FetchJob]) -> list[FetchJob]:
    """``jobs`` in round-robin order over their hosts (each host's jobs keep their order)."""
    queues: dict[str, list[FetchJob]] = defaultdict(list)
    for job in jobs:
        queues[host_of(job.url)].append(job)
    out: list[FetchJob] = []
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        out.extend(q[rank] for q in queues.values() if rank < len(q))
    return out


async def _fetch_one(
    client: httpx.AsyncClient,
    job: FetchJob,
    staging: Path,
    options: FetchOptions,
    gate: HostGate,
) -> StoredImage:
    host = host_of(job.url)
    attempt = 0
    while True:
        try:
            async with gate.slot(host):
                data = await _get_bytes(client, job.url, options)
            decoded = await asyncio.to_thread(decode_image, data, job.url, options.thumbnail_px)
            break
        except DownloadError as err:
            if err.permanent:
                raise
            if attempt >= options.retries:
                raise DownloadError(
                    job.url, f"{err.reason} (gave up after {attempt + 1} attempts)"
                ) from None
            wait = err.retry_after
            if wait is None:
                wait = options.backoff * 2**attempt * (1 + random.random() / 4)
            attempt += 1
            await asyncio.sleep(wait)
    return await asyncio.to_thread(_store, staging, job, decoded)


def _refuse_private_hosts() -> Callable[[httpx.Request], Any]:
    """An httpx request hook that refuses hosts resolving to non-public addresses."""
    from ._urls import resolves_to_private

    seen: dict[str, str | None] = {}

    async def check(request: httpx.Request) -> None:
        host = request.url.host
        if host not in seen:
            seen[host] = await resolves_to_private(str(request.url))
        if seen[host] is not None:
            raise DownloadError(
                str(request.url),
                f"private address: {host} resolves to non-public address {seen[host]}; pass "
                "allow_private=True (gaia-geo download --allow-private) to fetch from it",
            )

    return check


@dataclass
class FetchResult:
    """What a fetch run did.

    Attributes:
        stored: every verified image by key (fetched now or found from an earlier run).
        fetched: keys fetched in this run.
        reused: keys found verified in the staging folder and not fetched again.
        failed: key -> reason, for images that could not be stored.
        bytes: bytes stored in this run.
        seconds: wall time of the run.
    """

    stored: dict[str, StoredImage]
    fetched: list[str]
    reused: list[str]
    failed: dict[str, str]
    bytes: int
    seconds: float


def fetch_images(
    jobs: Iterable[FetchJob],
    staging: str | os.PathLike[str],
    options: FetchOptions | None = None,
    progress: Callable[[int], Any] | None = None,
) -> FetchResult:
    """Fetch ``jobs`` into ``staging``, skipping those already stored and verified there.

    Args:
        jobs: what to fetch; keys must be unique.
        staging: folder for the images, thumbnails and ``manifest.jsonl`` (created if missing).
        options: limits and retries.
        progress: called with 1 after each job (e.g. a tqdm ``update``).

    Returns:
        The :class:`FetchResult`; failures are reported there, not raised.
    """
    options = options or FetchOptions()
    job_list = list(jobs)
    keys = [job.key for job in job_list]
    if len(set(keys)) != len(keys):
        raise ValueError("fetch job keys must be unique")
    folder = Path(staging)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".*.part"):  # temporaries of a killed run
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    stored = load_manifest(folder)
    reused = [job.key for job in job_list if job.key in stored and stored[job.key].url == job.url]
    todo = interleave_by_host([job for job in job_list if job.key not in reused])
    gate = HostGate(options.per_host, options.host_delay)
    fetched: list[str] = []
    failed: dict[str, str] = {}

    async def run() -> None:
        limits = httpx.Limits(max_connections=options.concurrency)
        pending = iter(todo)  # shared by the workers; the event loop runs one at a time
        hooks = {} if options.allow_private else {"request": [_refuse_private_hosts()]}
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(options.timeout),
            limits=limits,
            follow_redirects=True,
            headers={"User-Agent": options.user_agent},
            event_hooks=hooks,
        ) as client:

            async def worker() -> None:
                for job in pending:
                    try:
                        stored[job.key] = await _fetch_one(client, job, folder, options, gate)
                        fetched.append(job.key)
                    except DownloadError as err:
                        failed[job.key] = err.reason
                    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
                        failed[job.key] = f"invalid URL: {err}"
                    if progress is not None:
                        progress(1)

            await asyncio.gather(*(worker() for _ in range(min(options.concurrency, len(todo)))))

    if todo:
        asyncio.run(run())
    if progress is not None and reused:
        progress(len(reused))
    return FetchResult(
        stored={k: stored[k] for k in keys if k in stored},
        fetched=fetched,
        reused=reused,
        failed=failed,
        bytes=sum(stored[k].size for k in fetched),
        seconds=time.perf_counter() - started,
    )
