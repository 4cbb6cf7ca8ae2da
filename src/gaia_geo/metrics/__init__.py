"""Metrics shared by the stages that train and evaluate models: tie-aware retrieval recall.

This package sits below ``gaia_geo.train`` and ``gaia_geo.evaluate`` (it imports neither), so the
recall logged during training and the recall of ``gaia-geo evaluate retrieval`` are one computation.

Example:
    >>> import numpy as np
    >>> from gaia_geo.metrics import retrieval_metrics
    >>> retrieval_metrics(np.eye(2), np.eye(2), [0, 1], ks=(1,)).mean_recall
    100.0
"""

from ._retrieval import (
    DEFAULT_KS,
    QueryRanks,
    RetrievalResult,
    TieRule,
    compute_ranks,
    recall_at_k,
    retrieval_metrics,
)

__all__ = [
    "DEFAULT_KS",
    "QueryRanks",
    "RetrievalResult",
    "TieRule",
    "compute_ranks",
    "recall_at_k",
    "retrieval_metrics",
]
