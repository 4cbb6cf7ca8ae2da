"""Evaluate: zero-shot classification, image-text retrieval and captioning metrics, with reports.

Example:
    >>> from gaia_geo.evaluate import evaluate_retrieval, write_report
    >>> report = evaluate_retrieval("ViT-B-32", "openai", catalog="catalogs/demo")  # doctest: +SKIP
    >>> write_report(report, "runs/eval-demo")  # doctest: +SKIP
"""

from ..metrics import QueryRanks, RetrievalResult, compute_ranks, recall_at_k, retrieval_metrics
from ._benchmark_import import BenchmarkImportError, benchmark_items, import_benchmark
from ._captioning import (
    CAPTION_METRICS,
    CaptioningResult,
    CaptionMetricsError,
    read_candidates,
    score_captions,
    spice_available,
)
from ._datasets import (
    CaptionedImage,
    ClassificationSet,
    EvalDataError,
    load_amfmn,
    load_catalog_split,
    load_classification,
    load_rsicd,
    open_rgb,
)
from ._dedup import NearDuplicate, find_near_duplicates, perceptual_hashes
from ._embed import ClipModel, EmbeddingCache, ModelLoadError, embed_images, embed_texts, load_clip
from ._reference import PUBLISHED, PublishedResult, published_results
from ._report import (
    EvalReport,
    ReportError,
    compare_reports,
    read_report,
    report_markdown,
    write_report,
)
from ._tasks import evaluate_captioning, evaluate_retrieval, evaluate_zeroshot
from ._zeroshot import (
    RS_TEMPLATES,
    SIMPLE_TEMPLATES,
    ZeroShotResult,
    build_prompts,
    ensemble_classifier,
    zeroshot_metrics,
)

__all__ = [
    "BenchmarkImportError",
    "CAPTION_METRICS",
    "PUBLISHED",
    "RS_TEMPLATES",
    "SIMPLE_TEMPLATES",
    "CaptionMetricsError",
    "CaptionedImage",
    "CaptioningResult",
    "ClassificationSet",
    "ClipModel",
    "EmbeddingCache",
    "EvalDataError",
    "EvalReport",
    "ModelLoadError",
    "NearDuplicate",
    "PublishedResult",
    "QueryRanks",
    "ReportError",
    "RetrievalResult",
    "ZeroShotResult",
    "benchmark_items",
    "build_prompts",
    "compare_reports",
    "compute_ranks",
    "embed_images",
    "embed_texts",
    "ensemble_classifier",
    "evaluate_captioning",
    "evaluate_retrieval",
    "evaluate_zeroshot",
    "find_near_duplicates",
    "import_benchmark",
    "load_amfmn",
    "load_catalog_split",
    "load_classification",
    "load_clip",
    "load_rsicd",
    "open_rgb",
    "perceptual_hashes",
    "published_results",
    "read_candidates",
    "read_report",
    "recall_at_k",
    "report_markdown",
    "retrieval_metrics",
    "score_captions",
    "spice_available",
    "write_report",
    "zeroshot_metrics",
]
