"""Fine-tuning on gaia_geo catalogs: CLIP (open_clip + Lightning), BLIP-2 (transformers + peft).

Example:
    >>> from gaia_geo.train import train_clip
    >>> train_clip("catalogs/demo", "runs/clip", model="ViT-B-32")  # doctest: +SKIP
"""

from ._configs import MODEL_CONFIG_DIR, register_model_configs
from ._errors import CheckpointError
from ._retrieval import retrieval_recalls
from .blip2 import build_tiny_blip2, caption_with_model, train_blip2
from .clip import train_clip

__all__ = [
    "MODEL_CONFIG_DIR",
    "CheckpointError",
    "build_tiny_blip2",
    "caption_with_model",
    "register_model_configs",
    "retrieval_recalls",
    "train_blip2",
    "train_clip",
]
