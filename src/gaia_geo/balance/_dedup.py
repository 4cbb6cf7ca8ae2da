"""Near-duplicate images: perceptual hashes of local image assets, and the pairs that match."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

#: Sentinel for items whose image could not be hashed (remote, missing or unreadable).
NO_HASH = np.uint64(0)


def image_path(assets: Any) -> str | None:
    """The local file of an item's image asset (``image``, else the first ``data`` asset)."""
    if not isinstance(assets, Mapping):
        return None
    asset = assets.get("image")
    if not isinstance(asset, Mapping):
        asset = next(
            (
                a
                for a in assets.values()
                if isinstance(a, Mapping) and "data" in list(a.get("roles", None) or ())
            ),
            None,
        )
    href = asset.get("href") if isinstance(asset, Mapping) else None
    if not isinstance(href, str):
        return None
    if href.startswith("file://"):
        href = href[len("file://") :]
    return href if os.path.isfile(href) else None


def _load_rgb(path: str) -> Any:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
            return image.convert("RGB")
    except (OSError, ValueError):  # e.g. a multi-band or float GeoTIFF PIL cannot decode
        import rasterio

        with rasterio.open(path) as src:
            bands = src.read(indexes=list(range(1, min(src.count, 3) + 1)), masked=True)
        data = np.ma.filled(bands.astype("float64"), np.nan)
        low, high = np.nanpercentile(data, [2, 98])
        scaled = np.nan_to_num((data - low) / max(high - low, 1e-9), nan=0.0)
        pixels = (np.clip(scaled, 0, 1) * 255).astype(np.uint8)
        if pixels.shape[0] == 1:
            pixels = np.repeat(pixels, 3, axis=0)
        return Image.fromarray(np.moveaxis(pixels, 0, -1), mode="RGB")


def perceptual_hashes(frame: pd.DataFrame) -> np.ndarray:
    """64-bit perceptual hash (imagehash.phash) of each item's local image; 0 where none.

    Returns:
        A ``uint64`` array aligned with ``frame``.
    """
    import imagehash

    out = np.zeros(len(frame), dtype=np.uint64)
    if "assets" not in frame.columns:
        return out
    skipped = 0
    for i, assets in enumerate(frame["assets"].tolist()):
        path = image_path(assets)
        if path is None:
            skipped += 1
            continue
        try:
            bits = imagehash.phash(_load_rgb(path)).hash.flatten()
        except (OSError, ValueError) as err:
            logger.warning("perceptual hash: cannot read %s (%s); item skipped", path, err)
            skipped += 1
            continue
        out[i] = np.uint64(int("".join("1" if b else "0" for b in bits), 2))
    if skipped:
        logger.info("perceptual hash: %d of %d items have no local image", skipped, len(frame))
    return out


def near_duplicate_pairs(hashes: np.ndarray, max_distance: int) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, whose hashes differ in at most ``max_distance`` bits.

    Multi-index hashing: cut the 64 bits into ``max_distance + 1`` chunks; two hashes within the
    distance agree exactly on at least one chunk (pigeonhole), so only items sharing a chunk value
    are compared. Items with hash 0 (no image) are never paired.
    """
    if not 0 <= max_distance < 64:
        raise ValueError(f"phash={max_distance} must be a Hamming distance between 0 and 63")
    hashes = np.asarray(hashes, dtype=np.uint64)
    valid = np.flatnonzero(hashes != NO_HASH)
    found: list[np.ndarray] = []
    bounds = np.linspace(0, 64, max_distance + 2).astype(int)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        mask = np.uint64((1 << (hi - lo)) - 1)
        chunk = (hashes[valid] >> np.uint64(lo)) & mask
        table = pd.DataFrame({"chunk": chunk, "row": valid})
        pairs = table.merge(table, on="chunk", suffixes=("_a", "_b"))
        pairs = pairs[pairs["row_a"] < pairs["row_b"]]
        a = pairs["row_a"].to_numpy(np.int64)
        b = pairs["row_b"].to_numpy(np.int64)
        close = np.bitwise_count(hashes[a] ^ hashes[b]) <= max_distance
        found.append(np.column_stack([a[close], b[close]]))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)
