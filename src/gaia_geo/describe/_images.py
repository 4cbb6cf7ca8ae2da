"""The image a caption request sends: found on the Item, hashed, resized, encoded as a data URL.

Vision APIs take PNG, JPEG, WebP or GIF up to about 20 MB and scale anything larger than 2048 px
down anyway, so bigger images are resized here first (fewer bytes, same tokens), GeoTIFF chips are
rendered to 8-bit PNG, and remote images are sent by URL.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
from dataclasses import dataclass
from typing import Any

import pystac

from .._hashing import file_sha256
from .._warnings import filtered_warnings

#: Media types a vision API accepts as they are.
SENDABLE = frozenset({"PNG", "JPEG", "WEBP", "GIF"})
#: Longest side sent (the API downsizes larger images to fit 2048 x 2048 anyway).
MAX_SIDE = 2048
#: Largest encoded image sent (the API's limit is 20 MB; base64 adds a third).
MAX_BYTES = 8 * 1024 * 1024


class ImageProblem(Exception):
    """An Item's image is missing or unreadable (recorded as the item's failure reason)."""


@dataclass(frozen=True)
class ImageRef:
    """Where an Item's image is and its content address.

    Attributes:
        href: absolute local path or URL.
        sha256: hex digest of the image bytes (from ``file:checksum`` when the Item has one),
            or of the URL for a remote image without a checksum.
        remote: whether ``href`` is an http(s) URL.
        size: the file size in bytes (0 when remote or unknown).
    """

    href: str
    sha256: str
    remote: bool
    size: int = 0


def _is_remote(href: str) -> bool:
    return href.startswith(("http://", "https://"))


def _asset(item: pystac.Item, name: str | None = None) -> pystac.Asset | None:
    if name is not None:
        return item.assets.get(name)
    if "image" in item.assets:
        return item.assets["image"]
    for asset in item.assets.values():
        if "data" in (asset.roles or []):
            return asset
    return item.assets.get("thumbnail")


def _absolute(item: pystac.Item, href: str) -> str:
    if _is_remote(href) or os.path.isabs(href):
        return href
    self_href = item.get_self_href()
    if self_href and not _is_remote(self_href):
        return os.path.normpath(os.path.join(os.path.dirname(self_href), href))
    return os.path.abspath(href)


def find_image(item: pystac.Item, name: str | None = None) -> ImageRef:
    """Locate an Item's image and its content address without reading it when possible.

    Args:
        item: the Item.
        name: the asset to caption (``visual``, ``thumbnail``...); default ``image``, else the
            first asset with role ``data``, else the thumbnail.

    Raises:
        ImageProblem: if the Item has no such asset or the local file is missing.
    """
    asset = _asset(item, name)
    if asset is None:
        if name is not None:
            raise ImageProblem(f"the Item has no asset {name!r} (it has {sorted(item.assets)})")
        raise ImageProblem("the Item has no image asset (key 'image' or role 'data')")
    href = _absolute(item, asset.href)
    checksum = asset.extra_fields.get("file:checksum")
    known = checksum[4:] if isinstance(checksum, str) and checksum.startswith("1220") else None
    if _is_remote(href):
        return ImageRef(href, known or hashlib.sha256(href.encode()).hexdigest(), True)
    try:
        size = os.stat(href).st_size
    except OSError:
        raise ImageProblem(
            f"image file {href!r} does not exist; download it or fix the asset"
        ) from None
    return ImageRef(href, known or file_sha256(href), False, size)


def _open(path: str) -> Any:
    from PIL import Image

    # A huge image is what this module exists for; it is resized right after opening.
    with filtered_warnings("ignore", Image.DecompressionBombWarning):
        image = Image.open(path)
        image.load()
    return image


def _render_raster(path: str) -> Any:
    """Render a GeoTIFF (any dtype, 1+ bands) to an 8-bit RGB PIL image with a 2-98% stretch."""
    import numpy as np
    import rasterio
    from PIL import Image

    with rasterio.open(path) as src:
        scale = max(src.width, src.height) / MAX_SIDE
        shape = (
            max(1, int(src.height / max(scale, 1))),
            max(1, int(src.width / max(scale, 1))),
        )
        bands = [1, 2, 3] if src.count >= 3 else [1]
        data = src.read(bands, out_shape=(len(bands), *shape), masked=True).astype("float64")
    out = np.zeros((shape[0], shape[1], len(bands)), dtype="uint8")
    for i in range(len(bands)):
        band = data[i]
        valid = band.compressed()
        if valid.size == 0:
            continue
        lo, hi = np.percentile(valid, [2, 98])
        scaled = (band.filled(lo) - lo) / (hi - lo if hi > lo else 1.0)
        out[..., i] = np.clip(scaled * 255, 0, 255).astype("uint8")
    return Image.fromarray(out[..., 0] if len(bands) == 1 else out)


def load_image(path: str) -> Any:
    """Open a local image as a PIL image, rendering rasters PIL cannot show (float GeoTIFFs).

    Raises:
        ImageProblem: if the file is not a readable image.
    """
    try:
        image = _open(path)
        if image.mode in ("RGB", "RGBA", "L", "P", "LA") or image.format in SENDABLE:
            return image
    except Exception as err:  # noqa: BLE001 - PIL raises many types; a raster reader may still work
        first: Exception | None = err
    else:
        first = None
    try:
        return _render_raster(path)
    except Exception as err:  # noqa: BLE001
        reason = first or err
        raise ImageProblem(f"image file {path!r} is not a readable image ({reason})") from None


def image_size(ref: ImageRef) -> tuple[int, int] | None:
    """Width and height of a local image from its header (``None`` when unknown)."""
    if ref.remote:
        return None
    try:
        from PIL import Image

        with filtered_warnings("ignore", Image.DecompressionBombWarning):
            with Image.open(ref.href) as image:
                return int(image.width), int(image.height)
    except Exception:  # noqa: BLE001
        try:
            import rasterio

            with rasterio.open(ref.href) as src:
                return int(src.width), int(src.height)
        except Exception:  # noqa: BLE001
            return None


def image_url(ref: ImageRef, *, max_side: int = MAX_SIDE, max_bytes: int = MAX_BYTES) -> str:
    """The URL to send: the public URL, or a ``data:`` URL of a sendable, small-enough encoding.

    Raises:
        ImageProblem: if a local image cannot be read.
    """
    if ref.remote:
        return ref.href
    data = _read_head(ref.href, max_bytes + 1, ref.size or None)
    kind = _sniff(data[:16])
    if kind in ("PNG", "JPEG") and len(data) <= max_bytes:
        # a PNG states its size in its first chunk; other formats ask PIL (header only)
        dims = _png_size(data) if kind == "PNG" else image_size(ref)
        if dims is not None and max(dims) <= max_side:
            return _data_url(data, kind)
    image = load_image(ref.href)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    data = _encode(image, "PNG")
    while len(data) > max_bytes:
        image = image.convert("RGB")
        data = _encode(image, "JPEG")
        if len(data) <= max_bytes:
            break
        factor = math.sqrt(max_bytes / len(data)) * 0.9
        image = image.resize(
            (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        )
    return _data_url(data, "PNG" if data[:4] == b"\x89PNG" else "JPEG")


def _read_head(path: str, limit: int, size: int | None = None) -> bytes:
    """The first ``limit`` bytes of a file (all of a smaller one).

    Three system calls (open, read, close) where ``open().read()`` makes eight: this runs on the
    event loop for every request, and each call hands the GIL to the cache-writer threads.
    ``size`` (known from an earlier stat) spares the fstat; asking for just past it, not
    ``limit``, spares allocating ``limit`` bytes for a small file, and a short read is the end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        want = min((os.fstat(fd).st_size if size is None else size) + 1, limit)
        chunks = []
        while want > 0:
            chunk = os.read(fd, want)
            chunks.append(chunk)
            if len(chunk) < want:  # end of file (or a file that shrank)
                break
            want = limit - sum(len(c) for c in chunks)  # the file grew: read on to the limit
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG"):
        return "PNG"
    if head.startswith(b"\xff\xd8"):
        return "JPEG"
    return None


def _encode(image: Any, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"quality": 88} if fmt == "JPEG" else {"optimize": False}))
    return buffer.getvalue()


def _data_url(data: bytes, kind: str) -> str:
    mime = "image/png" if kind == "PNG" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
