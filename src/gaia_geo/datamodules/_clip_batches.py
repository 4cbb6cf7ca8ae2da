"""Tensor image transforms matching open_clip's preprocessing, and the collate that tokenises."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import Tensor

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


class ClipCollate:
    """Stack images and tokenise texts: ``{"image", "text" (token ids), "caption", "id"}``.

    Args:
        tokenizer: an open_clip tokenizer (callable on a list of strings).
    """

    def __init__(self, tokenizer: Callable[[list[str]], Tensor]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, samples: list[dict[str, Any]]) -> dict[str, Any]:
        """Collate a list of samples into a batch."""
        captions = [s["text"] if isinstance(s["text"], str) else s["text"][0] for s in samples]
        return {
            "image": torch.stack([s["image"] for s in samples]),
            "text": self.tokenizer(captions),
            "caption": captions,
            "id": [s["id"] for s in samples],
        }
