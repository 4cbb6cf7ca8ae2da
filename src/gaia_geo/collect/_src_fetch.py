"""Fetch remote images into a staging folder: bounded concurrency, retries, limits, resume.

Every request goes through collect's one HTTP layer (:mod:`gaia_geo.collect._http`: per-host
politeness, retries, ``Retry-After``, redirects checked hop by hop, size limits) and every body
through its one image check (:func:`gaia_geo.collect._images.decode_image`). The jobs are
interleaved by host so that a release dominated by one site does not keep the workers queueing
for it while other hosts wait.

The engine behind :func:`gaia_geo.collect.download_assets`, kept apart from the catalog so it can be
tested and reused on plain (key, url) jobs. Every file is streamed to a temporary name and renamed
only after its bytes decode as an image, and a JSON-lines manifest records each finished file with
its sha256, so a killed run resumes without fetching what it already stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .._hashing import file_sha256
from .._retry_after import MAX_RETRY_AFTER_S
from ..errors import DownloadError
from ._http import Fetcher, FetchPolicy
from ._images import DecodedImage, decode_image
from ._urls import host_key

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
        backoff: base delay in seconds: retry ``n`` waits ``backoff * 2**(n - 1)`` (+-25 %
            jitter), or the server's ``Retry-After`` when given.
        max_retry_after: a longer ``Retry-After`` fails the image at once (a rerun retries it)
            instead of stalling the run.
        timeout: seconds per request (connect and between reads).
        max_bytes: larger files are refused (by Content-Length when announced, else while reading).
        thumbnail_px: longest side of the PNG thumbnail.
        user_agent: the User-Agent header.
        allow_private: fetch from private, loopback and link-local addresses too (tests, an
            intranet mirror); off by default so a release file cannot point the downloader at
            internal services. Checked for every request, redirects included.
        per_host: requests in flight to one host at once (``None``: only ``concurrency``).
        host_delay: seconds between the starts of two requests to one host (retries included).
        max_redirects: redirect hops per image, each checked like the first URL.
    """

    concurrency: int = 8
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = MAX_RETRY_AFTER_S
    timeout: float = 30.0
    max_bytes: int = 64 << 20
    thumbnail_px: int = 256
    user_agent: str = USER_AGENT
    allow_private: bool = False
    per_host: int | None = 4
    host_delay: float = 0.0
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {self.concurrency}")
        if self.per_host is not None and self.per_host < 1:
            raise ValueError(f"per_host must be >= 1 or None, got {self.per_host}")
        if self.host_delay < 0:
            raise ValueError(f"host_delay must be >= 0, got {self.host_delay}")
        if self.retries < 0 or self.max_redirects < 0:
            raise ValueError(
                f"retries and max_redirects must be >= 0, got {self.retries}, {self.max_redirects}"
            )
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be >= 1, got {self.max_bytes}")
        if self.thumbnail_px < 16:
            raise ValueError(f"thumbnail_px must be >= 16, got {self.thumbnail_px}")

    def policy(self) -> FetchPolicy:
        """The HTTP layer's limits for these options."""
        return FetchPolicy(
            per_host=self.per_host,
            delay_s=self.host_delay,
            max_connections=self.concurrency,
            retries=self.retries,
            backoff_s=self.backoff,
            max_retry_after_s=self.max_retry_after,
            max_redirects=self.max_redirects,
            timeout_s=self.timeout,
            allow_private=self.allow_private,
            user_agent=self.user_agent,
        )


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


def store_image(staging: Path, job: FetchJob, image: DecodedImage) -> StoredImage:
    """Write a decoded image and its thumbnail under their final names, then the manifest line."""
    if image.thumbnail is None:
        raise ValueError(f"{job.url}: decoded without a thumbnail")
    name = _safe_name(job.key)
    image_name, thumb_name = f"{name}.{image.ext}", f"{name}.thumb.png"
    thumb = image.thumbnail
    _write_atomic(staging / image_name, image.data)
    _write_atomic(staging / thumb_name, thumb)
    entry = StoredImage(
        key=job.key,
        url=job.url,
        path=image_name,
        media_type=image.media_type,
        sha256=hashlib.sha256(image.data).hexdigest(),
        size=len(image.data),
        width=image.width,
        height=image.height,
        thumbnail=thumb_name,
        thumbnail_sha256=hashlib.sha256(thumb).hexdigest(),
        thumbnail_size=len(thumb),
    )
    _append_manifest(staging, entry)
    return entry


def interleave_by_host(jobs: list[FetchJob]) -> list[FetchJob]:
    """``jobs`` in round-robin order over their hosts (each host's jobs keep their order)."""
    queues: dict[str, list[FetchJob]] = defaultdict(list)
    for job in jobs:
        queues[host_key(job.url)].append(job)
    out: list[FetchJob] = []
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        out.extend(q[rank] for q in queues.values() if rank < len(q))
    return out


async def _fetch_one(
    fetcher: Fetcher, job: FetchJob, staging: Path, options: FetchOptions
) -> StoredImage:
    fetched = await fetcher.fetch(
        job.url, max_bytes=options.max_bytes, images_only=True, use_cache=False
    )
    decoded = await asyncio.to_thread(
        decode_image, fetched.body, job.url, thumbnail_px=options.thumbnail_px, normalize=True
    )
    return await asyncio.to_thread(store_image, staging, job, decoded)


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

    @classmethod
    def of(
        cls,
        run: StagingRun,
        fetched: list[str],
        reused: list[str],
        failed: dict[str, str],
    ) -> FetchResult:
        """The result of ``run``, whichever engine fetched: its jobs' stored images in job order."""
        stored = run.stored
        return cls(
            stored={job.key: stored[job.key] for job in run.jobs if job.key in stored},
            fetched=fetched,
            reused=reused,
            failed=failed,
            bytes=sum(stored[k].size for k in fetched),
            seconds=time.perf_counter() - run.started,
        )


@dataclass
class StagingRun:
    """A fetch run on a staging folder, opened by :meth:`open`.

    Attributes:
        jobs: the run's jobs.
        folder: the staging folder.
        stored: the verified images of the folder by key (earlier runs' and this run's).
        started: ``time.perf_counter()`` at the start.
    """

    jobs: list[FetchJob]
    folder: Path
    stored: dict[str, StoredImage]
    started: float

    @classmethod
    def open(cls, jobs: Iterable[FetchJob], staging: str | os.PathLike[str]) -> StagingRun:
        """Start a run: check the keys are unique, create the folder, drop leftovers.

        Leftovers are the temporaries of a killed run; :meth:`load` then reads the verified
        manifest, the resume point of both engines.

        Raises:
            ValueError: when two jobs share a key.
        """
        job_list = list(jobs)
        if len({job.key for job in job_list}) != len(job_list):
            raise ValueError("fetch job keys must be unique")
        folder = Path(staging)
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(".*.part"):  # temporaries of a killed run
            leftover.unlink(missing_ok=True)
        return cls(job_list, folder, {}, time.perf_counter())

    def load(self) -> None:
        """Read the staging manifest's verified entries into ``stored``."""
        self.stored.update(load_manifest(self.folder))

    def reused(self) -> list[str]:
        """Keys already stored from the same URL: not fetched again."""
        return [
            job.key
            for job in self.jobs
            if job.key in self.stored and self.stored[job.key].url == job.url
        ]


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
    run = StagingRun.open(jobs, staging)
    run.load()
    reused = run.reused()
    todo = interleave_by_host([job for job in run.jobs if job.key not in reused])
    fetched: list[str] = []
    failed: dict[str, str] = {}

    async def fetch_all() -> None:
        pending = iter(todo)  # shared by the workers; the event loop runs one at a time
        policy = options.policy()
        async with policy.open_client() as client:
            fetcher = Fetcher(client, policy)

            async def worker() -> None:
                for job in pending:
                    try:
                        run.stored[job.key] = await _fetch_one(fetcher, job, run.folder, options)
                        fetched.append(job.key)
                    except DownloadError as err:
                        failed[job.key] = err.reason
                    if progress is not None:
                        progress(1)

            await asyncio.gather(*(worker() for _ in range(min(options.concurrency, len(todo)))))

    if todo:
        asyncio.run(fetch_all())
    if progress is not None and reused:
        progress(len(reused))
    return FetchResult.of(run, fetched, reused, failed)
