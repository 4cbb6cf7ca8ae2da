"""Errors of the learn stage's datasets; each names the item or file and says what to do."""

from __future__ import annotations

from ..errors import CatalogError, GaiaError, ItemError


class EmptySplitError(CatalogError):
    """A split (after the filters) holds no items."""


class ImageReadError(GaiaError):
    """An item's image cannot be opened or decoded."""

    def __init__(self, item_id: str, path: str, reason: str) -> None:
        self.item_id = item_id
        self.path = path
        super().__init__(
            f"item {item_id!r}: cannot read image {path!r} ({reason}); re-download the asset or "
            "drop the item from the catalog"
        )


class CaptionCountError(ItemError):
    """An item has fewer captions than the caption choice needs."""


class BandCountError(ItemError):
    """An image has a band count that does not fit the requested bands or the other images."""
