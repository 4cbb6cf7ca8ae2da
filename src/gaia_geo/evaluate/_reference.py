"""Published numbers to report beside ours: GAIA's peers, as the GAIA paper compares them.

Sources (the figures as the GAIA paper, arXiv:2502.09598, reports them):

- GeoRSCLIP: Zhang, Z., Zhao, T., Guo, Y., Yin, J. (2024). RS5M and GeoRSCLIP: A Large Scale
  Vision-Language Dataset and a Large Vision-Language Model for Remote Sensing. IEEE TGRS.
  arXiv:2306.11300.
- RemoteCLIP: Liu, F., Chen, D., Guan, Z., et al. (2024). RemoteCLIP: A Vision Language
  Foundation Model for Remote Sensing. IEEE TGRS. arXiv:2306.11029.

This table is the only place the figures live; reports name it as
``gaia_geo.evaluate.PUBLISHED``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedResult:
    """One published figure.

    Attributes:
        task: ``retrieval``, ``zeroshot`` or ``captioning``.
        dataset: lower-case dataset name (``rsicd``, ``rsitmd``, ``aid``, ``eurosat``...).
        model: the model as the paper names it.
        metric: our metric key (``mR``, ``top1``).
        value: the figure, in percent.
        source: where it comes from.
    """

    task: str
    dataset: str
    model: str
    metric: str
    value: float
    source: str


_GEORSCLIP = "GeoRSCLIP (Zhang et al., 2024)"
_REMOTECLIP = "RemoteCLIP (Liu et al., 2024)"

#: The figures from the GAIA paper's comparison (mR = mean of I2T and T2I R@1/5/10).
PUBLISHED: tuple[PublishedResult, ...] = (
    PublishedResult("retrieval", "rsicd", "GeoRSCLIP-FT ViT-B/32", "mR", 38.87, _GEORSCLIP),
    PublishedResult("retrieval", "rsitmd", "GeoRSCLIP-FT ViT-B/32", "mR", 51.81, _GEORSCLIP),
    PublishedResult("retrieval", "rsicd", "RemoteCLIP ViT-B/32", "mR", 35.26, _REMOTECLIP),
    PublishedResult("retrieval", "rsitmd", "RemoteCLIP ViT-B/32", "mR", 49.38, _REMOTECLIP),
    PublishedResult("zeroshot", "aid", "RemoteCLIP ViT-B/32", "top1", 77.96, _REMOTECLIP),
    PublishedResult("zeroshot", "aid", "OpenAI CLIP ViT-B/32", "top1", 68.62, _REMOTECLIP),
    PublishedResult("zeroshot", "resisc45", "GeoRSCLIP ViT-H/14", "top1", 73.83, _GEORSCLIP),
    PublishedResult("zeroshot", "eurosat", "GeoRSCLIP ViT-H/14", "top1", 67.47, _GEORSCLIP),
)

_ALIASES = {
    "nwpu-resisc45": "resisc45",
    "ucm": "ucmerced",
    "ucm-captions": "ucmerced",
    "sydney-captions": "sydney",
}


def published_results(task: str, dataset: str) -> list[PublishedResult]:
    """Return the published figures for a task on a dataset (empty when none are known).

    Example:
        >>> [r.value for r in published_results("retrieval", "RSICD")]
        [38.87, 35.26]
    """
    key = dataset.lower()
    key = _ALIASES.get(key, key)
    return [r for r in PUBLISHED if r.task == task and r.dataset == key]
