"""Fine-tuning on gaia_geo catalogs: CLIP (open_clip + Lightning), BLIP-2 (transformers + peft).

The trainers are imported on first use, so ``gaia_geo.train._clip_module`` (the model alone)
does not pull in torchgeo, rasterio or transformers.

Example:
    >>> from gaia_geo.train import train_clip
    >>> train_clip("catalogs/demo", "runs/clip", model="ViT-B-32")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ..errors import CheckpointError, TrainingOptionError
from ..models import MODEL_CONFIG_DIR, register_model_configs

if TYPE_CHECKING:
    from ._retrieval import retrieval_recalls
    from .blip2 import build_tiny_blip2, caption_with_model, train_blip2
    from .clip import train_clip

# public name -> submodule that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "retrieval_recalls": "._retrieval",
    "build_tiny_blip2": ".blip2",
    "caption_with_model": ".blip2",
    "train_blip2": ".blip2",
    "train_clip": ".clip",
}

__all__ = [
    "MODEL_CONFIG_DIR",
    "CheckpointError",
    "TrainingOptionError",
    "build_tiny_blip2",
    "caption_with_model",
    "register_model_configs",
    "retrieval_recalls",
    "train_blip2",
    "train_clip",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
