"""An Item's assets: the image (local, checksummed, or remote), its thumbnail and source text."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pystac

from .._hashing import file_sha256 as sha256_file
from ..errors import ItemError

FILE_SCHEMA_URI = "https://stac-extensions.github.io/file/v2.1.0/schema.json"

_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff; application=geotiff",
    ".tiff": "image/tiff; application=geotiff",
    ".webp": "image/webp",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff; application=geotiff"),
    (b"MM\x00*", "image/tiff; application=geotiff"),
    (b"II+\x00", "image/tiff; application=geotiff"),
    (b"RIFF", "image/webp"),
)


def multihash_sha256(hexdigest: str) -> str:
    """The ``file:checksum`` multihash (sha2-256, code 0x12, 32 bytes) of a sha256 hex digest."""
    return "1220" + hexdigest


def is_remote(href: str) -> bool:
    """Whether an href is a URL (http, https, s3, gs...) rather than a local path."""
    scheme = urlparse(href).scheme
    return len(scheme) > 1 and scheme != "file"


def local_asset(
    item_id: str | None, field: str, href: str | Path, media_type: str | None = None
) -> dict[str, Any]:
    """Describe a local image file as an asset dict, with ``file:checksum`` and ``file:size``.

    Raises:
        ItemError: if the file is missing or is not an image.
    """
    path = Path(href).resolve()
    if not path.is_file():
        raise ItemError(item_id, field, f"file {str(path)!r} does not exist")
    with open(path, "rb") as handle:
        head = handle.read(16)
    sniffed = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if sniffed is None:
        raise ItemError(
            item_id,
            field,
            f"{str(path)!r} is not an image (PNG, JPEG, WebP or GeoTIFF expected)",
        )
    return {"href": str(path), "type": media_type or sniffed, **_file_fields(path)}


def _file_fields(path: Path) -> dict[str, Any]:
    """The ``file:checksum`` (sha256 multihash) and ``file:size`` of a local file."""
    return {"file:checksum": multihash_sha256(sha256_file(path)), "file:size": path.stat().st_size}


def remote_asset(href: str, media_type: str | None = None) -> dict[str, Any]:
    """Describe a remote image (not yet downloaded) as an asset dict."""
    suffix = Path(urlparse(href).path).suffix.lower()
    guessed = _MEDIA_TYPES.get(suffix) or mimetypes.guess_type(href)[0]
    asset: dict[str, Any] = {"href": href}
    if media_type or guessed:
        asset["type"] = media_type or guessed
    return asset


def add_assets(
    item: pystac.Item,
    *,
    image: str | Path | None,
    image_type: str | None,
    thumbnail: str | Path | None,
    text: str | Path | None,
) -> None:
    """Add the ``image``, ``thumbnail`` and ``article`` assets that are given."""
    if image is not None:
        href = str(image)
        if is_remote(href):
            asset = remote_asset(href, image_type)
        else:
            asset = local_asset(item.id, "assets.image", href, image_type)
        item.assets["image"] = _asset(asset, "Image", ["data"])
    if thumbnail is not None:
        asset = local_asset(item.id, "assets.thumbnail", thumbnail)
        item.assets["thumbnail"] = _asset(asset, "Thumbnail", ["thumbnail"])
    if text is not None:
        path = Path(text).resolve()
        if not path.is_file():
            raise ItemError(item.id, "assets.article", f"file {str(path)!r} does not exist")
        item.assets["article"] = pystac.Asset(
            href=str(path),
            media_type="text/plain",
            title="Source text",
            roles=["metadata"],
            extra_fields=_file_fields(path),
        )


def _asset(data: dict[str, Any], title: str, roles: list[str]) -> pystac.Asset:
    extra = {k: v for k, v in data.items() if k not in ("href", "type")}
    return pystac.Asset(
        href=data["href"], media_type=data.get("type"), title=title, roles=roles, extra_fields=extra
    )
