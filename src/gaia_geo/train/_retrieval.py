"""Image-text retrieval recall, as the CLIP literature reports it (pairs matched one to one)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor


def retrieval_recalls(
    image_features: Tensor, text_features: Tensor, ks: Sequence[int] = (1, 5, 10)
) -> dict[str, float]:
    """Recall@k for image-to-text and text-to-image retrieval over matched pairs.

    Args:
        image_features: ``N x D`` features (normalised or not).
        text_features: ``N x D`` features; row ``i`` is the caption of image ``i``.
        ks: the cut-offs.

    Returns:
        ``{"i2t_r1": ..., "t2i_r1": ..., ..., "mean_recall": ...}`` in percent.

    Raises:
        ValueError: if the shapes do not match.
    """
    if image_features.shape != text_features.shape or image_features.ndim != 2:
        raise ValueError(
            f"need two N x D feature matrices, got {tuple(image_features.shape)} and "
            f"{tuple(text_features.shape)}"
        )
    images = torch.nn.functional.normalize(image_features.float(), dim=-1)
    texts = torch.nn.functional.normalize(text_features.float(), dim=-1)
    similarity = images @ texts.T
    target = torch.arange(len(similarity), device=similarity.device)
    metrics: dict[str, float] = {}
    for name, scores in (("i2t", similarity), ("t2i", similarity.T)):
        # rank of the true match = how many candidates score strictly higher
        true_scores = scores[target, target].unsqueeze(1)
        ranks = (scores > true_scores).sum(dim=1)
        for k in ks:
            metrics[f"{name}_r{k}"] = 100.0 * float((ranks < k).float().mean())
    metrics["mean_recall"] = sum(metrics.values()) / len(metrics)
    return metrics
