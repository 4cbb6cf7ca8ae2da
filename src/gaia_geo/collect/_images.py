"""The one image check of collect: fetched bytes are kept only if they decode in full.

The crawler, the downloader and the img2dataset engine all pass fetched bytes through
:func:`decode_image` before anything is stored, so a truncated file, an HTML error page served as
``.png`` or a decompression bomb is refused the same way everywhere, with a stable ``code``:

- ``not-an-image``: no image format recognises the bytes (or the server labelled them otherwise);
- ``truncated-image``: the format is recognised but the pixels do not all decode;
- ``too-large``: more pixels than Pillow's decompression-bomb guard allows.

TIFFs (GeoTIFFs, COGs, any band count and data type) are read with GDAL, the others with Pillow.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._warnings import filtered_warnings
from ..errors import DownloadError

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

#: Pillow format -> file extension of the bytes as served.
IMAGE_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif", "GIF": "gif", "WEBP": "webp"}
#: Formats ``normalize`` keeps as fetched (TIFF too); the others become PNG.
_KEEP_FORMATS = frozenset({"PNG", "JPEG"})


def is_image_type(content_type: str) -> bool:
    """Whether a ``Content-Type`` may hold an image.

    ``image/*``, ``application/octet-stream`` (what object stores often send) and no type at all
    may: the bytes decide in the end (:func:`decode_image`).
    """
    media = content_type.split(";")[0].strip().lower()
    return not media or media.startswith("image/") or media == "application/octet-stream"


@dataclass(frozen=True)
class DecodedImage:
    """Bytes that decoded in full.

    Attributes:
        data: the bytes to store: as served, or PNG when ``normalize`` converted them.
        ext: the file extension of ``data``.
        media_type: the media type of ``data`` (``image/tiff; application=geotiff`` for a
            georeferenced TIFF).
        width: pixels.
        height: pixels.
        thumbnail: a PNG preview when one was asked for, else None.
    """

    data: bytes
    ext: str
    media_type: str
    width: int
    height: int
    thumbnail: bytes | None = None


def decode_image(
    data: bytes, url: str, *, thumbnail_px: int | None = None, normalize: bool = False
) -> DecodedImage:
    """Decode every pixel of fetched bytes; refuse them unless they are a complete image.

    Args:
        data: the bytes as fetched.
        url: where they came from (for the error).
        thumbnail_px: also make a PNG thumbnail with this longest side.
        normalize: keep PNG, JPEG and TIFF as served but convert other formats (GIF, WebP,
            BMP...) to PNG, so a catalog holds only formats every reader opens.

    Raises:
        DownloadError: with ``code`` ``not-an-image``, ``truncated-image`` or ``too-large``.
    """
    from ._src_raster import TIFF_MAGIC, decode_tiff  # numpy and GDAL: only when decoding

    if data[:4] in TIFF_MAGIC:
        try:
            media_type, width, height, thumb = decode_tiff(data, thumbnail_px or 16)
        except Exception as err:  # GDAL raises several types for broken files
            raise DownloadError(
                url, f"not a complete, readable TIFF ({err})", code="truncated-image"
            ) from None
        return DecodedImage(data, "tif", media_type, width, height, thumb if thumbnail_px else None)
    from PIL import Image, UnidentifiedImageError

    try:
        with (
            filtered_warnings("error", Image.DecompressionBombWarning),
            Image.open(io.BytesIO(data)) as image,
        ):
            image.load()
            return _decoded(image, data, thumbnail_px, normalize)
    except UnidentifiedImageError as err:
        code, reason = "not-an-image", f"not a complete, decodable image ({err})"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        code, reason = "too-large", f"too many pixels to decode safely ({err})"
    except Exception as err:  # Pillow raises many types for bad data: all mean "cut short"
        code, reason = "truncated-image", f"not a complete, decodable image ({err})"
    raise DownloadError(url, reason, code=code)


def _decoded(
    image: PILImage, data: bytes, thumbnail_px: int | None, normalize: bool
) -> DecodedImage:
    from PIL import Image

    fmt = image.format or ""
    width, height = image.size
    if normalize and fmt not in _KEEP_FORMATS:
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        ext, media_type, stored = "png", "image/png", buf.getvalue()
    else:
        ext, stored = IMAGE_EXTENSIONS.get(fmt, fmt.lower()), data
        media_type = Image.MIME.get(fmt, "application/octet-stream")
    thumb = None
    if thumbnail_px:
        small = image.convert("RGB") if image.mode not in ("RGB", "L", "RGBA") else image.copy()
        small.thumbnail((thumbnail_px, thumbnail_px))
        buf = io.BytesIO()
        small.save(buf, format="PNG")
        thumb = buf.getvalue()
    return DecodedImage(stored, ext, media_type, width, height, thumb)
