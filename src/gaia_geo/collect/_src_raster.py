"""Raster helpers of the chip source and the downloader: window reads, COG writes, previews."""

from __future__ import annotations

import io
import math
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from .._warnings import filtered_warnings
from ..errors import (
    ChipError as ChipError,
)

COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
GEOTIFF_MEDIA_TYPE = "image/tiff; application=geotiff"
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def to_uint8(data: np.ndarray) -> np.ndarray:
    """Bands x H x W -> H x W x 3 (or H x W) uint8, with a 2-98 % stretch for non-uint8 data."""
    bands = data[:3] if data.shape[0] >= 3 else data[:1]
    if bands.dtype != np.uint8:
        out = np.zeros(bands.shape, dtype=np.uint8)
        for i, band in enumerate(bands.astype("float64")):
            finite = band[np.isfinite(band)]
            lo, hi = np.percentile(finite, (2, 98)) if finite.size else (0.0, 1.0)
            scale = 255.0 / (hi - lo) if hi > lo else 0.0
            out[i] = np.clip((np.nan_to_num(band, nan=lo) - lo) * scale, 0, 255).astype(np.uint8)
        bands = out
    return bands.transpose(1, 2, 0) if bands.shape[0] == 3 else bands[0]


def thumbnail_png(data: np.ndarray, px: int) -> bytes:
    """A PNG preview (longest side ``px``) of a bands x H x W array."""
    from PIL import Image

    image = Image.fromarray(to_uint8(data))
    image.thumbnail((px, px))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def decode_tiff(data: bytes, px: int) -> tuple[str, int, int, bytes]:
    """Read every pixel of an in-memory (Geo)TIFF with GDAL; return (media type, w, h, thumb).

    Raises:
        rasterio.errors.RasterioError: when the bytes are not a complete, readable TIFF.
    """
    from rasterio.errors import NotGeoreferencedWarning
    from rasterio.io import MemoryFile

    with filtered_warnings("ignore", NotGeoreferencedWarning):  # a plain TIFF is fine here
        with MemoryFile(data) as memfile, memfile.open() as src:
            pixels = src.read()  # a full read: a truncated file fails here
            if src.crs is None and src.transform.is_identity:
                media_type = "image/tiff"
            elif src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG":
                media_type = COG_MEDIA_TYPE
            else:
                media_type = GEOTIFF_MEDIA_TYPE
            width, height = src.width, src.height
    return media_type, width, height, thumbnail_png(pixels, px)


def read_window(href: str, lon: float, lat: float, size: int) -> tuple[Any, int, int]:
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
        try:
            window = da.isel(x=slice(col0, col0 + size), y=slice(row0, row0 + size)).load()
        except Exception as err:  # range reads can fail mid-way (network, a corrupt tile)
            raise ChipError(f"cannot read the window of {href}: {err}") from None
    return window, col0, row0


def write_cog(path: Path, window: Any) -> None:
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


def footprint(window: Any) -> dict[str, Any]:
    from rasterio.warp import transform_geom
    from shapely.geometry import box, mapping

    left, bottom, right, top = window.rio.bounds()
    ring = box(left, bottom, right, top).segmentize(max(right - left, top - bottom) / 4)
    return dict(transform_geom(window.rio.crs, "EPSG:4326", mapping(ring)))
