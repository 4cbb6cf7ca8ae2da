"""Validation recall during training: the evaluation stage's tie-aware recall on matched pairs."""

from __future__ import annotations

from collections.abc import Sequence

from torch import Tensor

from ..metrics import DEFAULT_KS, retrieval_metrics


def retrieval_recalls(
    image_features: Tensor, text_features: Tensor, ks: Sequence[int] = DEFAULT_KS
) -> dict[str, float]:
    """Recall@k for image-to-text and text-to-image retrieval over matched pairs.

    The computation is :func:`gaia_geo.metrics.retrieval_metrics` (the one behind
    ``gaia-geo evaluate retrieval``) with caption ``i`` belonging to image ``i``: exact ties count
    as their expectation under uniformly random tie-breaking.

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
    images = image_features.detach().float().cpu().numpy()
    texts = text_features.detach().float().cpu().numpy()
    result = retrieval_metrics(images, texts, range(len(images)), ks=ks)
    metrics = {f"i2t_r{k}": value for k, value in result.i2t.items()}
    metrics.update({f"t2i_r{k}": value for k, value in result.t2i.items()})
    metrics["mean_recall"] = result.mean_recall
    return metrics
