"""Decode an item's image to a float tensor in [0, 1], three bands (RGB) unless asked otherwise."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor

from ..errors import BandCountError, ImageReadError
from ._records import ItemRecord


def scale_to_unit(array: np.ndarray) -> np.ndarray:
    """Scale a ``C x H x W`` array to float32 in [0, 1].

    ``uint8`` is divided by 255; other types get a 2-98 percentile stretch, the usual display
    stretch for 12/16-bit reflectance, so a chip never comes out black. The stretch is common to
    all bands so that colours (band ratios) survive.
    """
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    data = array.astype(np.float32)
    lo, hi = np.percentile(data, [2, 98])
    span = hi - lo if hi > lo else 1.0
    return np.clip((data - lo) / span, 0.0, 1.0).astype(np.float32)


def band_indexes(record: ItemRecord, count: int, bands: Sequence[int] | None) -> list[int]:
    """The 1-based bands to read from a raster with ``count`` bands.

    Args:
        record: the item (its asset band metadata may name red, green and blue).
        count: the raster's band count.
        bands: explicit 1-based indexes, or ``None`` for RGB: the named red/green/blue bands, else
            the first three, else the single band repeated.

    Raises:
        BandCountError: if a requested band does not exist or the raster has two bands.
    """
    if bands is not None:
        bad = [b for b in bands if not 1 <= b <= count]
        if bad:
            raise BandCountError(
                record.id,
                "assets.image",
                f"{record.href!r} has {count} band(s) but bands {list(bands)} were requested; "
                "pass bands that exist in every image",
            )
        return list(bands)
    if record.rgb_bands is not None and max(record.rgb_bands) <= count:
        return list(record.rgb_bands)
    if count >= 3:
        return [1, 2, 3]
    if count == 1:
        return [1, 1, 1]
    raise BandCountError(
        record.id,
        "assets.image",
        f"{record.href!r} has {count} bands: not one (grey) nor three or more (RGB); "
        "pass bands=... explicitly",
    )


def read_image(record: ItemRecord, bands: Sequence[int] | None = None) -> Tensor:
    """Read the item's image as a float32 ``C x H x W`` tensor in [0, 1].

    Args:
        record: the item.
        bands: 1-based band indexes for GeoTIFFs (``None``: RGB selection); PNG/JPEG images are
            always converted to RGB and accept only ``None`` or ``(1, 2, 3)``.

    Raises:
        ImageReadError: if the file is missing or cannot be decoded.
        BandCountError: if the bands do not fit the image.
    """
    if record.is_geotiff:
        import rasterio
        from rasterio.errors import RasterioError

        try:
            with rasterio.open(record.href) as src:
                indexes = band_indexes(record, src.count, bands)
                array = src.read(indexes)
        except (RasterioError, OSError) as err:
            raise ImageReadError(record.id, record.href, str(err)) from err
    else:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(record.href) as image:
                array = np.asarray(image.convert("RGB")).transpose(2, 0, 1)
        except (UnidentifiedImageError, OSError) as err:
            raise ImageReadError(record.id, record.href, str(err)) from err
        if bands is not None:
            array = array[[b - 1 for b in band_indexes(record, 3, bands)]]
    if array.dtype == np.uint8:  # the common case, scaled in place without a float64 detour
        return torch.from_numpy(np.ascontiguousarray(array)).to(torch.float32).div_(255.0)
    return torch.from_numpy(np.ascontiguousarray(scale_to_unit(array)))
