"""Geospatially exact image chips from a STAC API: least cloudy scene per point, COG window read.

For each (lon, lat) point, :func:`collect_stac_chips` searches a STAC API (pystac-client) for the
scenes of one collection over the point in a time window, takes the least cloudy one
(``eo:cloud_cover``), reads a ``size`` x ``size`` pixel window around the point from its COG asset
with rioxarray (HTTP range reads, no full download), and writes the window as a COG plus a PNG
thumbnail. Each chip becomes an Item with its exact footprint, ``proj:*``, gsd, datetime,
``eo:cloud_cover``, platform and a ``derived_from`` link to the source Item.

Finished chips are recorded in ``<out>.chips/progress.jsonl``; a rerun (after a kill, or with more
points) reads no window twice.

Example:
    >>> from gaia_geo.collect import collect_stac_chips
    >>> report = collect_stac_chips(  # doctest: +SKIP
    ...     "https://earth-search.aws.element84.com/v1", "sentinel-2-l2a",
    ...     [(15.0, 41.5)], "2019/2024", 512, "catalogs/s2chips")
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pystac

from .._atomic import atomic_write_bytes, atomic_write_text
from .._hashing import file_sha256
from .._neterrors import network_error_line, root_cause
from .._paths import check_output_folder
from ..errors import GaiaError, SourceUnavailableError
from ._src_points import read_points
from ._src_raster import (
    COG_MEDIA_TYPE,
    ChipError,
    footprint,
    read_window,
    thumbnail_png,
    write_cog,
)
from ._src_scenes import candidates, pick_asset

log = logging.getLogger(__name__)

PROGRESS = "progress.jsonl"
REPORT_NAME = "chip-report.json"
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_GDAL_ENV = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_HTTP_MAX_RETRY": "3",
    "GDAL_HTTP_RETRY_DELAY": "0.5",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".tif,.tiff,.TIF,.TIFF",
    "VSI_CACHE": "TRUE",
}


@dataclass
class ChipReport:
    """What :func:`collect_stac_chips` did; written as ``chip-report.json`` in the catalog.

    Attributes:
        out: the catalog folder.
        api: the STAC API searched.
        collection: the collection searched.
        points: points asked for.
        chips: Items in the catalog.
        reused: chips found in the staging folder from an earlier run (not read again).
        failed: ``{"lon", "lat", "reason"}`` for each point without a chip.
    """

    out: str
    api: str
    collection: str
    points: int = 0
    chips: int = 0
    reused: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report."""
        return asdict(self)


def _point_key(lon: float, lat: float) -> str:
    return f"{lon:.6f},{lat:.6f}"


def _property_datetime(item: pystac.Item, key: str) -> dt.datetime | None:
    value = item.properties.get(key)
    return pystac.utils.str_to_datetime(value) if isinstance(value, str) else None


def _chip_item(
    source: pystac.Item,
    asset_key: str,
    window: Any,
    col0: int,
    row0: int,
    size: int,
    staging: Path,
    thumbnail_px: int,
    split: str | None,
) -> pystac.Item:
    raw_id = f"{source.id}_{asset_key}_{col0}_{row0}_{size}"
    item_id = _ID_BAD.sub("-", raw_id).strip("-._")[:200]
    image = staging / f"{item_id}.tif"
    thumb = staging / f"{item_id}.thumb.png"
    write_cog(image, window)
    atomic_write_bytes(thumb, thumbnail_png(np.asarray(window.values), thumbnail_px))
    try:
        return _describe_chip(source, item_id, window, image, thumb, split)
    except GaiaError:  # no Item, so no files either
        image.unlink(missing_ok=True)
        thumb.unlink(missing_ok=True)
        raise


def _describe_chip(
    source: pystac.Item,
    item_id: str,
    window: Any,
    image: Path,
    thumb: Path,
    split: str | None,
) -> pystac.Item:
    """The Item of a written chip: exact footprint, proj:*, gsd, time and sensor of the source."""
    from ..sensors import lookup_sensor
    from ..stac import build_item

    crs = window.rio.crs
    transform = window.rio.transform()
    props: dict[str, Any] = {
        "proj:shape": [int(window.rio.height), int(window.rio.width)],
        "proj:transform": [float(v) for v in list(transform)[:6]],
        "proj:bbox": [float(v) for v in window.rio.bounds()],
    }
    epsg = crs.to_epsg()
    if epsg:
        props["proj:code"] = f"EPSG:{epsg}"
    else:
        props["proj:wkt2"] = crs.to_wkt()
    src = source.properties
    for key in ("platform", "constellation", "instruments", "mission"):
        if src.get(key):
            props[key] = src[key]
    if src.get("eo:cloud_cover") is not None:
        props["eo:cloud_cover"] = float(src["eo:cloud_cover"])
    gsd = (
        abs(float(transform.a))
        if crs.is_projected and crs.linear_units in ("metre", "m")
        else src.get("gsd")
    )
    known = lookup_sensor(str(src.get("platform", ""))) or lookup_sensor(
        str(src.get("constellation", ""))
    )
    links = [
        pystac.Link(
            "derived_from",
            source.get_self_href() or f"{source.id}",
            media_type="application/geo+json",
            title=f"Source item {source.id}",
        )
    ]
    return build_item(
        item_id,
        geometry=footprint(window),
        geometry_kind="footprint",
        datetime=source.datetime,
        start_datetime=_property_datetime(source, "start_datetime"),
        end_datetime=_property_datetime(source, "end_datetime"),
        gsd=float(gsd) if gsd else None,
        title=f"{source.collection_id or 'STAC'} chip of {source.id}",
        image=image,
        image_type=COG_MEDIA_TYPE,
        thumbnail=thumb,
        modalities=list(known.modalities) if known else None,
        sensor_names=[str(src["platform"])] if src.get("platform") else None,
        split=split,  # type: ignore[arg-type]
        properties=props,
        links=links,
    )


def _load_progress(staging: Path) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    path = staging / PROGRESS
    if not path.exists():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            item = entry["item"]
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a kill
        ok = True
        for key in ("image", "thumbnail"):
            asset = item.get("assets", {}).get(key, {})
            file = Path(asset.get("href", ""))
            checksum = str(asset.get("file:checksum", ""))
            ok = ok and file.is_file() and "1220" + file_sha256(file) == checksum
        if ok:
            done[entry["key"]] = item
    return done


def _append_progress(staging: Path, key: str, item: pystac.Item) -> None:
    line = json.dumps({"key": key, "item": item.to_dict(transform_hrefs=False)}) + "\n"
    fd = os.open(staging / PROGRESS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_api(api: str) -> Any:
    """``pystac_client.Client.open(api)``, with a failure as one line naming the root cause.

    Raises:
        SourceUnavailableError: if the API cannot be reached or is not a STAC API.
    """
    import requests
    from pystac_client import Client
    from pystac_client.exceptions import APIError

    try:
        return Client.open(api)
    except (OSError, requests.RequestException, APIError, pystac.STACError, ValueError) as err:
        why = root_cause(err) or f"{type(err).__name__}: {str(err)[:300]}"
    raise SourceUnavailableError(
        f"cannot open the STAC API {api}: {why}; check the URL and the network, then rerun"
    )


def collect_stac_chips(
    api: str,
    collection: str,
    points: Sequence[tuple[float, float]] | str | os.PathLike[str],
    datetime: str | None,
    size: int,
    out: str | os.PathLike[str],
    *,
    asset: str | None = None,
    max_cloud: float | None = None,
    max_items: int = 200,
    split: str | None = None,
    title: str | None = None,
    thumbnail_px: int = 256,
    workers: int = 4,
    progress: bool | None = None,
) -> ChipReport:
    """Make one exact chip per point from the least cloudy scene of a STAC API collection.

    Args:
        api: the STAC API root URL.
        collection: the collection to search, e.g. ``"sentinel-2-l2a"``.
        points: (lon, lat) pairs, or a CSV/GeoJSON file of them (see :func:`read_points`).
        datetime: a STAC datetime or interval (``"2019/2024"``, ``"2021-06-01/2021-08-31"``), or
            ``None`` for any time.
        size: chip width and height in pixels of the source raster.
        out: the catalog folder to write (replaced if it exists); chips are staged in
            ``<out>.chips/``, which makes reruns resume.
        asset: the source asset to read (default: ``visual``, else the first COG data asset).
        max_cloud: skip scenes cloudier than this (percent).
        max_items: most scenes considered per point.
        split: ``train``, ``validate`` or ``test`` for every chip (default: unsplit).
        title: the catalog's title.
        thumbnail_px: longest side of the PNG thumbnails.
        workers: points processed at once (searches and range reads overlap their latency).
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        The :class:`ChipReport` (also ``out/chip-report.json``); points without a chip are listed
        there with the reason, never raised. When no point got a chip, nothing is written: no
        catalog, no report file, and no staging folder this run made.

    Raises:
        SourceUnavailableError: if the API cannot be opened (DNS, refused, not a STAC API); the
            message names the root cause, and nothing is written.
        ValueError: for bad arguments.
    """
    import sys

    import rasterio
    import requests
    from pystac_client.exceptions import APIError
    from tqdm.auto import tqdm

    from ..stac import write_catalog

    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    if split is not None and split not in ("train", "validate", "test"):
        raise ValueError(f"split must be train, validate or test, got {split!r}")
    pts = read_points(points) if isinstance(points, str | os.PathLike) else list(points)
    if not pts:
        raise ValueError("no points given")
    check_output_folder(out, inputs=[points] if isinstance(points, str | os.PathLike) else ())
    _open_api(api)  # an unreachable API is one clear error, before anything is written
    out_dir = Path(out)
    staging = out_dir.with_name(out_dir.name + ".chips")
    staged_before = staging.exists()
    staging.mkdir(parents=True, exist_ok=True)
    report = ChipReport(out=str(out_dir), api=api, collection=collection, points=len(pts))
    for leftover in [*staging.glob(".*.part.tif"), *staging.glob(".*.tmp")]:
        leftover.unlink(missing_ok=True)  # temporaries of a killed run
    done = _load_progress(staging)
    items: dict[str, pystac.Item] = {}
    show = sys.stderr.isatty() if progress is None else progress
    local = threading.local()
    sort_state: dict[str, Any] = {}  # which sortby spelling the API takes, found on first use

    def chip(lon: float, lat: float) -> pystac.Item | str:
        """The chip Item of one point, or the reason there is none."""
        try:
            if getattr(local, "client", None) is None:
                local.client = _open_api(api)
            with rasterio.Env(**_GDAL_ENV):
                scenes = candidates(
                    local.client, sort_state, collection, lon, lat, datetime, max_items, max_cloud
                )
                if not scenes:
                    when = f" in {datetime}" if datetime else ""
                    raise ChipError(f"no {collection} scene over this point{when}")
                reasons = []
                for scene in scenes:
                    asset_key, href = pick_asset(scene, asset)
                    try:
                        window, col0, row0 = read_window(href, lon, lat, size)
                    except ChipError as err:
                        reasons.append(str(err))
                        continue
                    return _chip_item(
                        scene, asset_key, window, col0, row0, size, staging, thumbnail_px, split
                    )
                raise ChipError("; ".join(reasons[:3]))
        except (ChipError, GaiaError, APIError) as err:
            return str(err)
        except (OSError, requests.RequestException) as err:  # the network failed mid-run
            return network_error_line(err)

    keys = [f"{collection}|{datetime}|{asset}|{size}|{_point_key(lon, lat)}" for lon, lat in pts]
    todo = [i for i, key in enumerate(keys) if key not in done]
    results: dict[int, pystac.Item | str] = {}
    with (
        tqdm(total=len(pts), disable=not show, unit="chip") as bar,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        bar.update(len(pts) - len(todo))
        futures = {pool.submit(chip, *pts[i]): i for i in todo}
        for future in as_completed(futures):
            index = futures[future]
            result = results[index] = future.result()
            if not isinstance(result, str):
                _append_progress(staging, keys[index], result)
            bar.update(1)
    for index, ((lon, lat), key) in enumerate(zip(pts, keys, strict=True)):
        if key in done:
            item = pystac.Item.from_dict(done[key])
            report.reused += 1
        elif isinstance(result := results[index], str):
            report.failed.append({"lon": lon, "lat": lat, "reason": result})
            continue
        else:
            item = result
        items.setdefault(item.id, item)
    report.chips = len(items)
    report_dir: Path | None = staging
    if items:
        write_catalog(list(items.values()), out_dir, title=title or f"{collection} chips")
        report_dir = out_dir
    elif not staged_before and not done:  # nothing made: leave nothing behind
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        report_dir = None
    if report_dir is not None:
        atomic_write_text(report_dir / REPORT_NAME, json.dumps(report.to_dict(), indent=2))
    log.info(
        "%d chips from %s (%d reused), %d points failed",
        report.chips,
        api,
        report.reused,
        len(report.failed),
    )
    return report
