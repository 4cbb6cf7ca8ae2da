"""The collate that stacks images and tokenises captions for CLIP batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor


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
