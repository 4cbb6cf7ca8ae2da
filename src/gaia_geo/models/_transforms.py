"""Tensor image transforms matching open_clip's preprocessing (shared by datamodules and train)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: open_clip's OpenAI normalisation, used when a model config names none.
OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)


class ClipImageTransform:
    """Resize/crop/normalise a sample's ``image`` (float, [0, 1]) as open_clip's preprocess does.

    Training: random resized crop (scale 0.9-1.0, open_clip's default); evaluation: resize the
    short side then centre crop. Works on tensors, so GeoTIFF chips never go through PIL.

    Args:
        image_size: the model's input size.
        mean: per-channel normalisation mean.
        std: per-channel normalisation standard deviation.
        train: random crops for training, deterministic otherwise.
    """

    def __init__(
        self,
        image_size: int,
        mean: Sequence[float] = OPENAI_MEAN,
        std: Sequence[float] = OPENAI_STD,
        train: bool = False,
    ) -> None:
        from torchvision.transforms import v2

        interpolation = v2.InterpolationMode.BICUBIC
        steps: list[Any]
        if train:
            steps = [
                v2.RandomResizedCrop(
                    image_size, scale=(0.9, 1.0), interpolation=interpolation, antialias=True
                )
            ]
        else:
            steps = [
                v2.Resize(image_size, interpolation=interpolation, antialias=True),
                v2.CenterCrop(image_size),
            ]
        self.image_size = image_size
        self.train = train
        self.pipeline = v2.Compose([*steps, v2.Normalize(list(mean), list(std))])

    def __call__(self, sample: dict[str, Any]) -> dict[str, Any]:
        """Transform ``sample["image"]`` in place and return the sample."""
        image = sample["image"][:3]
        sample["image"] = self.pipeline(image.clamp(0.0, 1.0))
        return sample
