"""The baseline's optimizer, shared by the CLIP step benchmarks: open_clip_train's AdamW groups."""

from __future__ import annotations

import torch


def open_clip_optimizer(model: torch.nn.Module, lr: float) -> torch.optim.AdamW:
    """AdamW as open_clip_train builds it: no weight decay on gains, biases and the logit scale."""
    exclude = lambda n, p: p.ndim < 2 or "bn" in n or "ln" in n or "bias" in n or "logit_scale" in n  # noqa: E731
    named = list(model.named_parameters())
    return torch.optim.AdamW(
        [
            {"params": [p for n, p in named if exclude(n, p)], "weight_decay": 0.0},
            {"params": [p for n, p in named if not exclude(n, p)], "weight_decay": 0.1},
        ],
        lr=lr,
        betas=(0.9, 0.98),
        eps=1e-6,
    )
