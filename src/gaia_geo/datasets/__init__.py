"""TorchGeo datasets over gaia_geo catalogs: image-caption pairs and captioned geo chips.

Example:
    >>> from gaia_geo.datasets import GaiaCaptions
    >>> pairs = GaiaCaptions("catalogs/demo", split="train")  # doctest: +SKIP
"""

from ..errors import BandCountError, CaptionCountError, EmptySplitError, ImageReadError
from ._captions import CaptionChoice
from ._images import read_image
from ._records import ItemRecord, load_records, select_records
from .gaia_captions import GaiaCaptions
from .gaia_geo_dataset import GaiaGeoDataset

__all__ = [
    "BandCountError",
    "CaptionChoice",
    "CaptionCountError",
    "EmptySplitError",
    "GaiaCaptions",
    "GaiaGeoDataset",
    "ImageReadError",
    "ItemRecord",
    "load_records",
    "read_image",
    "select_records",
]
