"""The describe stage: five grounded captions per image from any OpenAI-compatible model.

GAIA's two steps (summarise the article with a small model, then ask a vision model for five
captions as structured output), with what a real run needs: a content-addressed cache, retries,
rate limits, resumable runs, the Batch API, cost accounting and checks before anything is written.

Example:
    >>> import gaia_geo
    >>> report = gaia_geo.caption_catalog(  # doctest: +SKIP
    ...     "catalogs/demo", base_url="http://127.0.0.1:8000/v1", model="gpt-4o"
    ... )
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ..errors import (
    BatchError,
    CaptionAuthError,
    CaptionRequestError,
    CaptionServiceError,
    DescribeError,
)
from ._cache import CaptionCache, cache_key
from ._caption import caption_items, default_cache_dir
from ._catalog import caption_catalog
from ._checks import ItemFacts, check_answer
from ._client import CaptionClient, RetryPolicy
from ._pricing import Price, PriceTable
from ._prompts import CAPTION_SCHEMA, CAPTION_V1, PROMPTS, SUMMARY_V1, PromptTemplate, get_prompt
from ._report import CaptionReport

__all__ = [
    "CAPTION_SCHEMA",
    "CAPTION_V1",
    "PROMPTS",
    "SUMMARY_V1",
    "BatchError",
    "CaptionAuthError",
    "CaptionCache",
    "CaptionClient",
    "CaptionReport",
    "CaptionRequestError",
    "CaptionServiceError",
    "DescribeError",
    "ItemFacts",
    "OfflineCaptioner",
    "Price",
    "PriceTable",
    "PromptTemplate",
    "RetryPolicy",
    "cache_key",
    "caption_catalog",
    "caption_items",
    "check_answer",
    "default_cache_dir",
    "get_prompt",
]


# The offline captioner lives in its own module (the foundation's); load it on first use.
__getattr__, __dir__ = lazy_exports(__name__, {"OfflineCaptioner": ".offline"})


if TYPE_CHECKING:  # pragma: no cover
    from .offline import OfflineCaptioner
