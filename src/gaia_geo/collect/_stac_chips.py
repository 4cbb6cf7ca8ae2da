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

import json
import logging
import math
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
from ..errors import GaiaError
from ._src_fetch import sha256_file
from ._src_points import read_points
from ._src_raster import COG_MEDIA_TYPE, thumbnail_png

log = logging.getLogger(__name__)

PROGRESS = "progress.jsonl"
REPORT_NAME = "chip-report.json"
#: Asset keys tried, in order, when no asset is named (Earth Search, Planetary Computer names).
DEFAULT_ASSETS = ("visual", "rendered_preview_cog", "image", "data", "B04", "red")
_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_GDAL_ENV = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_HTTP_MAX_RETRY": "3",
    "GDAL_HTTP_RETRY_DELAY": "0.5",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".tif,.tiff,.TIF,.TIFF",
    "VSI_CACHE": "TRUE",
}


class ChipError(GaiaError):
    """A chip cannot be made for one point; the message says why (recorded, not raised)."""


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


def _pick_asset(item: pystac.Item, name: str | None) -> tuple[str, str]:
    if name is not None:
        if name not in item.assets:
            raise ChipError(f"source item {item.id!r} has no asset {name!r}: {sorted(item.assets)}")
        return name, item.assets[name].get_absolute_href() or item.assets[name].href
    for key in DEFAULT_ASSETS:
        if key in item.assets:
            return key, item.assets[key].get_absolute_href() or item.assets[key].href
    for key, asset in item.assets.items():
        if (asset.media_type or "").startswith("image/tiff") and "data" in (asset.roles or []):
            return key, asset.get_absolute_href() or asset.href
    raise ChipError(f"source item {item.id!r} has no COG asset; name one with asset=")


def _read_window(href: str, lon: float, lat: float, size: int) -> tuple[Any, int, int]:
    """Read the ``size``-pixel window around (lon, lat); returns (DataArray, col_off, row_off)."""
    import rioxarray
    import xarray
    from pyproj import Transformer

    try:
        opened = rioxarray.open_rasterio(href, masked=False, cache=False)
    except Exception as err:  # rasterio/GDAL raise several types for unreachable or bad files
        raise ChipError(f"cannot open {href}: {err}") from None
    if not isinstance(opened, xarray.DataArray):  # a multi-subdataset file (HDF, netCDF)
        raise ChipError(f"{href} is not a single raster; name a COG asset with asset=")
    da = opened
    with da:
        crs = da.rio.crs
        if crs is None:
            raise ChipError(f"{href} has no CRS; it cannot be chipped exactly")
        width, height = da.rio.width, da.rio.height
        if width < size or height < size:
            raise ChipError(f"{href} is {width}x{height} px, smaller than the {size} px chip")
        x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
        col, row = ~da.rio.transform() * (x, y)
        if not (0 <= col < width and 0 <= row < height):
            raise ChipError(f"point ({lon}, {lat}) is outside the raster of {href}")
        # centre the window on the point, shifted inside the raster near its edges
        col0 = min(max(int(math.floor(col - size / 2)), 0), width - size)
        row0 = min(max(int(math.floor(row - size / 2)), 0), height - size)
        window = da.isel(x=slice(col0, col0 + size), y=slice(row0, row0 + size)).load()
    return window, col0, row0


def _write_cog(path: Path, window: Any) -> None:
    import rasterio

    data = np.asarray(window.values)
    profile = {
        "driver": "COG",
        "width": data.shape[2],
        "height": data.shape[1],
        "count": data.shape[0],
        "dtype": str(data.dtype),
        "crs": window.rio.crs,
        "transform": window.rio.transform(),
        "compress": "deflate",
        "blocksize": 256,
    }
    if window.rio.nodata is not None:
        profile["nodata"] = window.rio.nodata
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.part.tif")
    try:
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _footprint(window: Any) -> dict[str, Any]:
    from rasterio.warp import transform_geom
    from shapely.geometry import box, mapping

    left, bottom, right, top = window.rio.bounds()
    ring = box(left, bottom, right, top).segmentize(max(right - left, top - bottom) / 4)
    return dict(transform_geom(window.rio.crs, "EPSG:4326", mapping(ring)))


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
    from ..sensors import lookup_sensor
    from ..stac import build_item

    raw_id = f"{source.id}_{asset_key}_{col0}_{row0}_{size}"
    item_id = _ID_BAD.sub("-", raw_id).strip("-._")[:200]
    image = staging / f"{item_id}.tif"
    thumb = staging / f"{item_id}.thumb.png"
    _write_cog(image, window)
    atomic_write_bytes(thumb, thumbnail_png(np.asarray(window.values), thumbnail_px))

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
        geometry=_footprint(window),
        geometry_kind="footprint",
        datetime=source.datetime,
        start_datetime=source.properties.get("start_datetime")
        and pystac.utils.str_to_datetime(source.properties["start_datetime"]),
        end_datetime=source.properties.get("end_datetime")
        and pystac.utils.str_to_datetime(source.properties["end_datetime"]),
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


#: Spellings of the sort field, tried in order: APIs differ (Earth Search wants the first,
#: DuckDB-backed stac-geoparquet servers the second).
_SORT_FIELDS = ("+properties.eo:cloud_cover", "+eo:cloud_cover")


def _search(
    client: Any, sort_state: dict[str, Any], max_items: int, **query: Any
) -> list[pystac.Item]:
    """Search least cloudy first on the server when it can sort, else unsorted.

    Sorting on the server makes ``max_items`` keep the clearest scenes. Each sort spelling is
    tried once per run; the one the API takes is remembered in ``sort_state``.
    """
    from pystac_client.exceptions import APIError

    if "sortby" not in sort_state:
        sort_state["sortby"] = list(_SORT_FIELDS) if client.conforms_to("SORT") else []
    dropped = 0
    while sort_state["sortby"]:
        field = sort_state["sortby"][0]
        try:
            return list(client.search(max_items=max_items, sortby=[field], **query).items())
        except APIError as err:
            if getattr(err, "status_code", None) is None:
                # no HTTP answer (a connection the server closed after its error): retry as is
                dropped += 1
                if dropped > 2:
                    raise
                continue
            if sort_state["sortby"] and sort_state["sortby"][0] == field:
                sort_state["sortby"].pop(0)
            log.info("the API refused sortby %s (%s); trying the next spelling", field, err)
    return list(client.search(max_items=max_items, **query).items())


def _candidates(
    client: Any,
    sort_state: dict[str, Any],
    collection: str,
    lon: float,
    lat: float,
    datetime: str | None,
    max_items: int,
    max_cloud: float | None,
) -> list[pystac.Item]:
    items = _search(
        client,
        sort_state,
        max_items,
        collections=[collection],
        intersects={"type": "Point", "coordinates": [lon, lat]},
        datetime=datetime,
    )
    if max_cloud is not None:
        items = [i for i in items if i.properties.get("eo:cloud_cover", 101.0) <= max_cloud]

    def order(item: pystac.Item) -> tuple[float, float]:
        cloud = item.properties.get("eo:cloud_cover")
        when = item.datetime.timestamp() if item.datetime else 0.0
        return (float(cloud) if cloud is not None else math.inf, -when)

    return sorted(items, key=order)


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
            ok = ok and file.is_file() and "1220" + sha256_file(file) == checksum
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
        there with the reason, never raised.

    Raises:
        ValueError: for bad arguments.
    """
    import sys

    import rasterio
    from pystac_client import Client
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
    out_dir = Path(out)
    staging = out_dir.with_name(out_dir.name + ".chips")
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
        if getattr(local, "client", None) is None:
            local.client = Client.open(api)
        try:
            with rasterio.Env(**_GDAL_ENV):
                scenes = _candidates(
                    local.client, sort_state, collection, lon, lat, datetime, max_items, max_cloud
                )
                if not scenes:
                    when = f" in {datetime}" if datetime else ""
                    raise ChipError(f"no {collection} scene over this point{when}")
                reasons = []
                for scene in scenes:
                    asset_key, href = _pick_asset(scene, asset)
                    try:
                        window, col0, row0 = _read_window(href, lon, lat, size)
                    except ChipError as err:
                        reasons.append(str(err))
                        continue
                    return _chip_item(
                        scene, asset_key, window, col0, row0, size, staging, thumbnail_px, split
                    )
                raise ChipError("; ".join(reasons[:3]))
        except (ChipError, GaiaError, APIError) as err:
            return str(err)

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
    report_dir = staging
    if items:
        write_catalog(list(items.values()), out_dir, title=title or f"{collection} chips")
        report_dir = out_dir
    atomic_write_text(report_dir / REPORT_NAME, json.dumps(report.to_dict(), indent=2))
    log.info(
        "%d chips from %s (%d reused), %d points failed",
        report.chips,
        api,
        report.reused,
        len(report.failed),
    )
    return report
