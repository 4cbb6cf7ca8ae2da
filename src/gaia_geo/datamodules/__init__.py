"""Lightning data modules over gaia_geo catalogs.

Example:
    >>> from gaia_geo.datamodules import GaiaDataModule
    >>> dm = GaiaDataModule("catalogs/demo", model="ViT-B-32")  # doctest: +SKIP
"""

from ..models import ClipImageTransform
from ._clip_batches import ClipCollate
from .gaia import GaiaDataModule

__all__ = ["ClipCollate", "ClipImageTransform", "GaiaDataModule"]
