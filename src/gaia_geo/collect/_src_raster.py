"""Raster helpers shared by the chip source and the downloader: 8-bit previews and TIFF checks."""

from __future__ import annotations

import io
import warnings

import numpy as np

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

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a plain TIFF is fine here
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
