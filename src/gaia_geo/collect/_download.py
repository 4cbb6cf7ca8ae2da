"""Download the remote images of a catalog's Items and make the Items point at the local copies.

:func:`download_assets` reads a catalog, fetches every ``image`` asset whose href is still a URL
(a GAIA import, say) with bounded concurrency, retries with backoff, size and content-type limits
and a full Pillow decode check, writes PNG/JPEG (other formats become PNG; TIFF stays TIFF) plus a
PNG thumbnail, and rewrites the catalog with relative hrefs, ``file:checksum`` (multihash) and
``file:size``. Files are staged in ``<catalog>.download/`` with a checksummed manifest first, so a
run killed at any point resumes without fetching a verified file again and never leaves a partial
file behind.

Example:
    >>> from gaia_geo.collect import download_assets
    >>> report = download_assets("catalogs/gaia", concurrency=16)  # doctest: +SKIP
    >>> report.downloaded, report.failed  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pystac

from .._atomic import atomic_write_text
from .._paths import check_output_folder
from ..errors import CatalogError
from ._src_fetch import FetchJob, FetchOptions, StoredImage, fetch_images

log = logging.getLogger(__name__)

REPORT_NAME = "download-report.json"
#: The download engines: this package's asyncio loop, or img2dataset's distributors.
ENGINES = ("builtin", "img2dataset")
FILE_SCHEMA_URI = "https://stac-extensions.github.io/file/v2.1.0/schema.json"


@dataclass
class DownloadReport:
    """What :func:`download_assets` did; written as ``download-report.json`` in the catalog.

    Attributes:
        catalog: the catalog folder.
        remote: Items whose image was remote at the start.
        downloaded: images fetched in this run.
        reused: images found verified in the staging folder (an interrupted earlier run).
        failed: item id -> reason, for images that stay remote (a rerun retries them).
        bytes: bytes fetched in this run.
        seconds: time spent fetching.
        webdataset: the shard folder, when shards were exported.
        shards: shard files written.
        engine: the engine that fetched (``builtin`` or ``img2dataset``).
    """

    catalog: str
    remote: int = 0
    downloaded: int = 0
    reused: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    webdataset: str | None = None
    shards: list[str] = field(default_factory=list)
    engine: str = "builtin"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report."""
        return asdict(self)


def _catalog_metadata(root: Path) -> dict[str, Any]:
    """The write_catalog arguments that keep the catalog's own metadata when it is rewritten."""
    meta: dict[str, Any] = {}
    catalog = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
    meta["id"] = catalog.get("id")
    meta["title"] = catalog.get("title")
    meta["description"] = catalog.get("description")
    for link in catalog.get("links", []):
        if link.get("rel") != "child":
            continue
        child = root / link["href"]
        if not child.is_file():
            continue
        collection = json.loads(child.read_text(encoding="utf-8"))
        meta["license"] = collection.get("license", "other")
        if collection.get("providers"):
            meta["providers"] = collection["providers"]
        if collection.get("keywords"):
            meta["keywords"] = collection["keywords"]
        license_link = next(
            (x for x in collection.get("links", []) if x.get("rel") == "license"), None
        )
        if license_link:
            meta["license_href"] = license_link["href"]
        break
    return {k: v for k, v in meta.items() if v is not None}


def _asset(
    path: Path, media_type: str, sha256: str, size: int, title: str, role: str
) -> pystac.Asset:
    return pystac.Asset(
        href=str(path),
        media_type=media_type,
        title=title,
        roles=[role],
        extra_fields={"file:checksum": "1220" + sha256, "file:size": size},
    )


def apply_download(item: pystac.Item, stored: StoredImage, staging: Path) -> None:
    """Point ``item``'s image and thumbnail at the staged files (absolute hrefs, checksums)."""
    remote = item.assets["image"]
    item.assets["image"] = _asset(
        staging / stored.path,
        stored.media_type,
        stored.sha256,
        stored.size,
        remote.title or "Image",
        "data",
    )
    item.assets["thumbnail"] = _asset(
        staging / stored.thumbnail,
        "image/png",
        stored.thumbnail_sha256,
        stored.thumbnail_size,
        "Thumbnail",
        "thumbnail",
    )
    # keep where the image came from: the remote copy is an alternate of the local one
    if not any(link.rel == "alternate" and link.href == stored.url for link in item.links):
        item.add_link(
            pystac.Link(
                "alternate", stored.url, media_type=remote.media_type, title="Original image"
            )
        )
    if FILE_SCHEMA_URI not in item.stac_extensions:
        item.stac_extensions.append(FILE_SCHEMA_URI)


def _remote_href(item: pystac.Item) -> str | None:
    from ..stac import is_remote

    asset = item.assets.get("image")
    if asset is None or not is_remote(asset.href):
        return None
    return asset.href


def download_assets(
    catalog: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    per_host: int | None = 4,
    host_delay: float = 0.0,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 30.0,
    max_bytes: int = 64 << 20,
    thumbnail_px: int = 256,
    limit: int | None = None,
    webdataset: str | os.PathLike[str] | None = None,
    shard_size: int = 1000,
    allow_private: bool = False,
    progress: bool | None = None,
    engine: str = "builtin",
    engine_options: Mapping[str, Any] | None = None,
) -> DownloadReport:
    """Fetch the remote images of a catalog's Items and rewrite the catalog to use them.

    Args:
        catalog: the catalog folder (e.g. one written by ``import_gaia``).
        concurrency: downloads in flight at once.
        per_host: downloads in flight to one host at once (``None``: only ``concurrency``).
        host_delay: seconds between the starts of two requests to one host.
        retries: extra attempts after a 429, a 5xx, a timeout or a cut connection.
        backoff: base delay of the exponential backoff, seconds (``Retry-After`` wins).
        timeout: seconds per request.
        max_bytes: refuse images larger than this.
        thumbnail_px: longest side of the PNG thumbnails.
        limit: fetch at most this many images in this run.
        webdataset: also export the catalog's local images as webdataset shards into this folder.
        shard_size: samples per shard.
        allow_private: also fetch from private, loopback and link-local addresses.
        progress: show a progress bar (default: when stderr is a terminal).
        engine: ``builtin`` (this package's asyncio downloader) or ``img2dataset`` (its
            multiprocessing or pyspark distributor; needs ``pip install 'gaia_geo[scale]'``).
            Both give the same catalog: same files, checksums and failures.
        engine_options: keyword arguments of the img2dataset engine: ``output_format``
            (``files`` or ``webdataset``), ``processes``, ``distributor`` (``multiprocessing`` or
            ``pyspark``), ``shard_size``.

    Returns:
        The :class:`DownloadReport` (also ``<catalog>/download-report.json``). Images that fail
        stay remote with the reason in ``failed``; a rerun retries only those.

    Raises:
        CatalogError: if ``catalog`` is not a readable catalog.
        DependencyError: for ``engine="img2dataset"`` when img2dataset is not installed.
        ValueError: for bad limits or an unknown engine.
    """
    from tqdm.auto import tqdm

    from ..stac import read_catalog, to_items, write_catalog

    options = FetchOptions(
        concurrency=concurrency,
        per_host=per_host,
        host_delay=host_delay,
        retries=retries,
        backoff=backoff,
        timeout=timeout,
        max_bytes=max_bytes,
        thumbnail_px=thumbnail_px,
        allow_private=allow_private,
    )
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if engine_options and engine == "builtin":
        raise ValueError("engine_options apply to engine='img2dataset' only")
    root = Path(catalog)
    if not (root / "catalog.json").is_file():
        raise CatalogError(f"{str(root)!r} is not a catalog folder (no catalog.json)")
    check_output_folder(root)  # rewritten in place: refuse if it holds files we did not write
    items = to_items(read_catalog(root))
    jobs = [FetchJob(it.id, href) for it in items if (href := _remote_href(it)) is not None]
    report = DownloadReport(catalog=str(root), remote=len(jobs), engine=engine)
    jobs = jobs[:limit]
    staging = root.with_name(root.name + ".download")
    staged_before = staging.exists()
    if jobs:
        show = sys.stderr.isatty() if progress is None else progress
        with tqdm(total=len(jobs), disable=not show, unit="img", desc="download") as bar:
            if engine == "img2dataset":
                from ._img2dataset import fetch_images_img2dataset

                result = fetch_images_img2dataset(
                    jobs, staging, options, progress=bar.update, **dict(engine_options or {})
                )
            else:
                result = fetch_images(jobs, staging, options, progress=bar.update)
        report.downloaded = len(result.fetched)
        report.reused = len(result.reused)
        report.failed = dict(sorted(result.failed.items()))
        report.bytes = result.bytes
        report.seconds = round(result.seconds, 3)
        if result.stored:
            for item in items:
                stored = result.stored.get(item.id)
                if stored is not None:
                    apply_download(item, stored, staging)
            # other top-level files (import/chip reports) survive the rewrite
            keep = {p.name: p.read_bytes() for p in root.glob("*-report.json")}
            write_catalog(items, root, **_catalog_metadata(root))
            for name, data in keep.items():
                (root / name).write_bytes(data)
            shutil.rmtree(staging, ignore_errors=True)
        elif not staged_before:  # nothing stored: a failed run leaves no empty staging folder
            shutil.rmtree(staging, ignore_errors=True)
    # the report first, so a failed export below still leaves what the downloads did
    atomic_write_text(root / REPORT_NAME, json.dumps(report.to_dict(), indent=2))
    if webdataset is not None:
        from ._webdataset import export_webdataset

        try:
            shards = export_webdataset(root, webdataset, shard_size=shard_size)
        except CatalogError:
            if not report.failed:
                raise
            reason = next(iter(report.failed.values()))
            raise CatalogError(
                f"no webdataset written: {len(report.failed)} of {len(jobs)} downloads failed "
                f"(first: {reason}) and no Item has a local image; see "
                f"{root / REPORT_NAME} and rerun gaia-geo download to retry them"
            ) from None
        report.webdataset = str(webdataset)
        report.shards = [str(p) for p in shards]
        atomic_write_text(root / REPORT_NAME, json.dumps(report.to_dict(), indent=2))
    log.info(
        "%s: %d downloaded, %d reused, %d failed of %d remote images",
        root,
        report.downloaded,
        report.reused,
        len(report.failed),
        report.remote,
    )
    return report
