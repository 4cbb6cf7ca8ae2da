"""Fetch a catalog's images with img2dataset instead of the built-in asyncio engine.

:func:`fetch_images_img2dataset` has the contract of :func:`~gaia_geo.collect._src_fetch.
fetch_images`: the same jobs in, the same staging folder (images, PNG thumbnails, checksummed
``manifest.jsonl``) and the same :class:`~gaia_geo.collect._src_fetch.FetchResult` out, so
:func:`gaia_geo.collect.download_assets` rewrites the catalog the same way whichever engine fetched.

img2dataset (https://github.com/rom1504/img2dataset) runs with ``resize_mode="no"`` and
``disable_all_reencoding=True``, so the bytes it stores are the bytes served and the checksums
match the built-in engine's. Its ``multiprocessing`` distributor runs here; ``pyspark`` runs the
same shards as Spark tasks: on the caller's active ``SparkSession`` (a cluster's master URL) when
there is one, else on a local ``local[processes]`` session started and stopped for the run.
Its per-shard results (``NNNNN.parquet``: ``key``, ``url``, ``status``, ``error_message`` and our
``gaia_key`` column; ``NNNNN_stats.json`` once the shard is complete) are read back: every success
is decoded in full and stored through the built-in engine's own writer, every failure keeps
img2dataset's reason (HTTP errors worded as the built-in engine words them).

Resume: img2dataset writes under ``<staging>/img2dataset/``; a killed run's complete shards are
harvested by the next run before anything is fetched, and images already in the manifest are
never handed to img2dataset again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import sys
import tarfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import DownloadError, missing_dependency
from ._http import RETRY_STATUSES
from ._images import decode_image
from ._src_fetch import (
    FetchJob,
    FetchOptions,
    FetchResult,
    StagingRun,
    StoredImage,
    store_image,
)
from ._urls import TargetGuard

#: The distributors of img2dataset this engine drives.
DISTRIBUTORS = ("multiprocessing", "pyspark")
#: img2dataset output formats this engine reads back.
OUTPUT_FORMATS = ("files", "webdataset")
WORK_DIR = "img2dataset"
_KEY_COL = "gaia_key"
_EXT = "jpg"  # img2dataset's file extension; the bytes keep their own format (no re-encoding)
_HTTP_ERROR = re.compile(r"^HTTP Error (\d{3})\b")
_URLOPEN_ERROR = re.compile(r"^<urlopen error (.+)>$", re.DOTALL)


def _import_img2dataset() -> Any:
    # albumentations (imported by img2dataset) asks PyPI for a newer version on import
    os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
    try:
        import img2dataset
    except ImportError:
        raise missing_dependency("img2dataset", "scale") from None
    return img2dataset


def _import_pyspark() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise missing_dependency("pyspark", "scale") from None
    return SparkSession


@contextlib.contextmanager
def _spark_session(cores: int) -> Iterator[None]:
    """The caller's active SparkSession, or a ``local[cores]`` one for this run only.

    img2dataset's pyspark distributor runs on the active session. A session the caller built
    (``SparkSession.builder.master("spark://host:7077").getOrCreate()``) is used and left open;
    otherwise a local one is started, with this interpreter as its workers' Python unless
    ``PYSPARK_PYTHON`` says otherwise (Spark would start whatever ``python3`` is on the PATH, which
    may lack img2dataset), and stopped after the run.
    """
    session_class = _import_pyspark()
    if session_class.getActiveSession() is not None:
        yield
        return
    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # read once, by the SparkContext
    try:
        spark = (
            session_class.builder.master(f"local[{cores}]")
            .appName("gaia-geo download")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
    finally:
        if saved is None:
            os.environ.pop("PYSPARK_PYTHON", None)
    try:
        yield
    finally:
        spark.stop()


def img2dataset_reason(message: str | None, retries: int) -> str:
    """img2dataset's ``error_message`` worded as the built-in engine words the same failure.

    ``HTTP Error 404: Not Found`` becomes ``HTTP 404``; a status both engines retry (429, 500,
    502, 503, 504) becomes ``HTTP 503 (gave up after N attempts)``; urllib's
    ``<urlopen error X>`` becomes ``X``; other messages are kept.
    """
    text = (message or "unknown img2dataset error").strip()
    wrapped = _URLOPEN_ERROR.match(text)
    if wrapped is not None:
        return wrapped.group(1)
    match = _HTTP_ERROR.match(text)
    if match is None:
        return text
    code = int(match.group(1))
    if code in RETRY_STATUSES:
        return f"HTTP {code} (gave up after {retries + 1} attempts)"
    return f"HTTP {code}"


def _refused(jobs: list[FetchJob], allow_private: bool) -> dict[str, str]:
    """Jobs img2dataset must not be handed: non-HTTP schemes, and private hosts unless allowed.

    The built-in engine's own check (:class:`~gaia_geo.collect._http.TargetGuard`), made once
    per job before img2dataset starts; img2dataset itself does not check redirects.
    """
    guard = TargetGuard(None, allow_private)

    async def check() -> dict[str, str]:
        failed: dict[str, str] = {}
        for job in jobs:
            try:
                await guard.check(job.url)
            except DownloadError as err:
                failed[job.key] = err.reason
        return failed

    return asyncio.run(check()) if jobs else {}


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """img2dataset and its worker processes print to stdout: keep the CLI's stdout clean."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded interpreters)
        yield
        return
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


@contextlib.contextmanager
def _interrupt_is_not_success() -> Iterator[None]:
    """img2dataset answers Ctrl-C with ``sys.exit(0)``: make it the interrupt it is."""
    try:
        yield
    except SystemExit as err:
        if err.code not in (0, None):
            raise
        raise KeyboardInterrupt("img2dataset was interrupted; rerun to resume") from None


def _shard_images(out: Path, shard: str, output_format: str) -> Callable[[str], bytes | None]:
    """A reader of one shard's stored images by img2dataset key."""
    if output_format == "files":

        def from_files(key: str) -> bytes | None:
            path = out / shard / f"{key}.{_EXT}"
            return path.read_bytes() if path.is_file() else None

        return from_files
    members: dict[str, bytes] = {}
    tar_path = out / f"{shard}.tar"
    if tar_path.is_file():
        with tarfile.open(tar_path) as tar:
            for member in tar.getmembers():
                if member.name.endswith(f".{_EXT}"):
                    handle = tar.extractfile(member)
                    if handle is not None:
                        members[member.name[: -len(_EXT) - 1]] = handle.read()
    return members.get


def harvest(
    out: Path,
    jobs: dict[str, FetchJob],
    staging: Path,
    options: FetchOptions,
    output_format: str,
) -> tuple[dict[str, StoredImage], dict[str, str]]:
    """Read img2dataset's complete shards back: store each success, keep each failure's reason.

    Only shards with their ``_stats.json`` (written when a shard is done) are read, and only rows
    whose key and URL are still wanted; a killed run's half-written shard is fetched again.

    Returns:
        (stored images by key, failure reasons by key).
    """
    import pyarrow.parquet as pq

    stored: dict[str, StoredImage] = {}
    failed: dict[str, str] = {}
    for stats in sorted(out.glob("*_stats.json")):
        shard = stats.name[: -len("_stats.json")]
        table_path = out / f"{shard}.parquet"
        if not table_path.is_file():
            continue
        columns = ["key", "url", "status", "error_message", _KEY_COL]
        rows = pq.read_table(table_path, columns=columns).to_pylist()
        image_of = _shard_images(out, shard, output_format)
        for row in rows:
            job = jobs.get(row[_KEY_COL])
            if job is None or job.url != row["url"]:
                continue
            if row["status"] != "success":
                failed[job.key] = img2dataset_reason(row["error_message"], options.retries)
                continue
            data = image_of(row["key"])
            try:
                if data is None:
                    raise DownloadError(job.url, "img2dataset reported success but stored no file")
                if len(data) > options.max_bytes:
                    raise DownloadError(
                        job.url, f"size {len(data)} bytes exceeds the limit of {options.max_bytes}"
                    )
                decoded = decode_image(
                    data, job.url, thumbnail_px=options.thumbnail_px, normalize=True
                )
            except DownloadError as err:
                failed[job.key] = err.reason
                continue
            stored[job.key] = store_image(staging, job, decoded)
            failed.pop(job.key, None)
    return stored, failed


def _run_img2dataset(
    todo: list[FetchJob],
    out: Path,
    options: FetchOptions,
    output_format: str,
    processes: int,
    distributor: str,
    shard_size: int,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    img2dataset = _import_img2dataset()
    out.parent.mkdir(parents=True, exist_ok=True)
    url_list = out.parent / "urls.parquet"
    table = pa.table({"url": [j.url for j in todo], _KEY_COL: [j.key for j in todo]})
    pq.write_table(table, url_list)
    previous = signal.getsignal(signal.SIGINT)  # img2dataset installs its own handler
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(_stdout_to_stderr())
            stack.enter_context(_interrupt_is_not_success())
            if distributor == "pyspark":
                stack.enter_context(_spark_session(processes))
            img2dataset.download(
                url_list=str(url_list),
                input_format="parquet",
                url_col="url",
                save_additional_columns=[_KEY_COL],
                output_folder=str(out),
                output_format=output_format,
                processes_count=processes,
                thread_count=options.concurrency,
                number_sample_per_shard=shard_size,
                timeout=options.timeout,
                retries=options.retries,
                resize_mode="no",
                disable_all_reencoding=True,
                encode_format=_EXT,
                extract_exif=False,
                compute_hash="sha256",
                enable_wandb=False,
                distributor=distributor,
                incremental_mode="incremental",  # a fresh folder: "overwrite" drops its _tmp
                user_agent_token="gaia-geo",
            )
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError):  # not the main thread
                signal.signal(signal.SIGINT, previous)


def fetch_images_img2dataset(
    jobs: Iterable[FetchJob],
    staging: str | os.PathLike[str],
    options: FetchOptions | None = None,
    progress: Callable[[int], Any] | None = None,
    *,
    output_format: str = "files",
    processes: int = 1,
    distributor: str = "multiprocessing",
    shard_size: int = 10_000,
) -> FetchResult:
    """Fetch ``jobs`` into ``staging`` with img2dataset, skipping those already stored there.

    Args:
        jobs: what to fetch; keys must be unique.
        staging: the built-in engine's staging folder (images, thumbnails, ``manifest.jsonl``).
        options: ``concurrency`` (img2dataset threads per process), ``retries``, ``timeout``,
            ``max_bytes``, ``thumbnail_px`` and ``allow_private`` apply; ``per_host`` and
            ``host_delay`` do not (img2dataset has no per-host politeness).
        progress: called with the number of jobs done after the run.
        output_format: how img2dataset writes its shards: ``files`` or ``webdataset``.
        processes: img2dataset worker processes (Spark executors' cores with ``pyspark``).
        distributor: ``multiprocessing`` (this machine) or ``pyspark`` (a Spark cluster).
        shard_size: URLs per img2dataset shard (its ``number_sample_per_shard``).

    Returns:
        The :class:`~gaia_geo.collect._src_fetch.FetchResult`; failures are reported there.

    Raises:
        DependencyError: when img2dataset is not installed (``pip install 'gaia_geo[scale]'``).
        ValueError: for an unknown format or distributor, or bad counts.
    """
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"output_format must be one of {OUTPUT_FORMATS}, got {output_format!r}")
    if distributor not in DISTRIBUTORS:
        raise ValueError(f"distributor must be one of {DISTRIBUTORS}, got {distributor!r}")
    if processes < 1 or shard_size < 1:
        raise ValueError(f"processes and shard_size must be >= 1, got {processes}, {shard_size}")
    options = options or FetchOptions()
    run = StagingRun.open(jobs, staging)
    run.load()
    by_key = {job.key: job for job in run.jobs}
    work = run.folder / WORK_DIR
    for fmt in OUTPUT_FORMATS:  # a killed run's complete shards, whatever their format
        if (work / fmt).is_dir():
            wanted = {k: j for k, j in by_key.items() if k not in run.stored}
            run.stored.update(harvest(work / fmt, wanted, run.folder, options, fmt)[0])
    shutil.rmtree(work, ignore_errors=True)
    reused = run.reused()
    todo = [job for job in run.jobs if job.key not in reused]
    failed = _refused(todo, options.allow_private)
    todo = [job for job in todo if job.key not in failed]
    fetched: list[str] = []
    if todo:
        out = work / output_format
        _run_img2dataset(todo, out, options, output_format, processes, distributor, shard_size)
        new, reasons = harvest(out, {j.key: j for j in todo}, run.folder, options, output_format)
        run.stored.update(new)
        fetched = [job.key for job in todo if job.key in new]
        for job in todo:
            if job.key not in new:
                failed[job.key] = reasons.get(
                    job.key, "img2dataset did not finish its shard; rerun to retry it"
                )
        shutil.rmtree(work, ignore_errors=True)
    if progress is not None:
        progress(len(run.jobs))
    return FetchResult.of(run, fetched, reused, failed)
