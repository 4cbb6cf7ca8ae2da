"""Lightning data modules over gaia_geo catalogs.

Example:
    >>> from gaia_geo.datamodules import GaiaDataModule
    >>> dm = GaiaDataModule("catalogs/demo", model="ViT-B-32")  # doctest: +SKIP
"""

from ._clip_batches import ClipCollate, ClipImageTransform
from .gaia import GaiaDataModule

__all__ = ["ClipCollate", "ClipImageTransform", "GaiaDataModule"]
