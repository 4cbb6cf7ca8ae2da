"""What several stages share about the models: gaia_geo's open_clip configs and image transforms.

The datamodules, the trainers and the evaluation build the same open_clip models and feed them the
same tensors, so the model configs and the transform live here, one floor below all three. Nothing
here imports torch or open_clip until it is called.

Example:
    >>> from gaia_geo.models import register_model_configs
    >>> "gaia-tiny-vit" in register_model_configs()
    True
"""

from __future__ import annotations

from ._configs import MODEL_CONFIG_DIR, register_model_configs
from ._transforms import OPENAI_MEAN, OPENAI_STD, ClipImageTransform

__all__ = [
    "MODEL_CONFIG_DIR",
    "OPENAI_MEAN",
    "OPENAI_STD",
    "ClipImageTransform",
    "register_model_configs",
]
