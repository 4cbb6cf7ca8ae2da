"""``caption_items``: the describe stage's entry point for Items."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pystac

from ..errors import DescribeError
from ._batch import batch_captions
from ._cache import CaptionCache
from ._client import RetryPolicy, Transport, endpoint_id
from ._jobs import Job, Settings, estimate, make_job
from ._pricing import PriceTable
from ._prompts import CAPTION_V1, SUMMARY_V1, PromptTemplate, get_prompt
from ._report import CaptionReport, record
from ._sync import sync_captions

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-2024-08-06"
DEFAULT_SUMMARY_MODEL = "gpt-4o-mini"


def default_cache_dir() -> Path:
    """``$GAIA_GEO_CACHE/captions``, else ``~/.cache/gaia_geo/captions``."""
    root = os.environ.get("GAIA_GEO_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "gaia_geo"
    )
    return Path(root) / "captions"


def _prompt(value: PromptTemplate | str) -> PromptTemplate:
    return value if isinstance(value, PromptTemplate) else get_prompt(value)


def caption_items(
    items: Sequence[pystac.Item],
    *,
    model: str = DEFAULT_MODEL,
    summary_model: str = DEFAULT_SUMMARY_MODEL,
    base_url: str | None = None,
    api_key: str | None = None,
    cache: CaptionCache | str | os.PathLike[str] | None = None,
    concurrency: int = 16,
    batch: bool = False,
    dry_run: bool = False,
    retry_failed: bool = False,
    prices: PriceTable | None = None,
    prompt: PromptTemplate | str = CAPTION_V1,
    summary_prompt: PromptTemplate | str = SUMMARY_V1,
    texts: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
    transport: Transport = "aiohttp",
    poll_interval: float = 30.0,
    progress: bool | None = None,
    asset: str | None = None,
) -> CaptionReport:
    """Caption Items with an OpenAI-compatible vision model, five checked captions each.

    Accepted answers are written into each Item's caption extension (captions, provenance with
    model, prompt version, tokens and cost, tags, and location/modalities/resolution class where
    the Item has none); rejected, failed and excluded Items are left unchanged and listed in the
    report. Every answer is cached by content, so reruns are free and a killed run resumes. The
    cache key holds everything that decides an answer: the server (normalised base URL), model,
    prompt version and text (with its response schema), image and text hashes; never the key.
    Answers of gaia_geo's test server are recorded with ``generator: test-server`` and cost 0.

    Args:
        items: the Items (changed in place).
        model: the vision model.
        summary_model: the small model that summarises the article text first.
        base_url: an OpenAI-compatible API root (default: ``OPENAI_BASE_URL`` or OpenAI's).
        api_key: the key (default: ``OPENAI_API_KEY``; a local server may need none).
        cache: the answer cache or its folder (default: :func:`default_cache_dir`).
        concurrency: requests in flight at once.
        batch: use the Batch API (half price, up to 24 h) instead of one request per Item.
        dry_run: estimate requests, tokens and cost without sending anything.
        retry_failed: ask again for Items whose cached answer failed the checks.
        prices: the price table (default :class:`PriceTable`).
        prompt: the caption template or its version.
        summary_prompt: the summary template or its version.
        texts: article text per Item id (default: the Item's ``article`` asset).
        retry: the retry policy for transient failures.
        transport: how chat completions travel: ``"aiohttp"`` (a direct session with the SDK
            client's URL and headers; less CPU per request) or ``"sdk"`` (through
            ``AsyncOpenAI``). Files and batches always go through the SDK.
        poll_interval: seconds between Batch API status polls.
        progress: show a progress bar (default: when stderr is a terminal).
        asset: the asset to caption, for catalogs whose image is not called ``image``
            (``visual``, ``rendered_preview``, ``thumbnail``); default ``image``, else the first
            asset with role ``data``, else the thumbnail.

    Returns:
        The report.

    Raises:
        CaptionAuthError: the key was rejected (nothing retried).
        CaptionServiceError: the API stayed unreachable; rerun to resume.
        BatchError: a batch failed; rerun to resume.
        DescribeError: the base URL carries credentials or is not an http(s) URL.
        ValueError: for bad arguments.

    Example:
        >>> report = caption_items(items, base_url="http://127.0.0.1:8000/v1")  # doctest: +SKIP
        >>> print(report.summary())  # doctest: +SKIP
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    base = base_url or os.environ.get("OPENAI_BASE_URL")
    settings = Settings(
        model,
        summary_model,
        _prompt(prompt),
        _prompt(summary_prompt),
        prices or PriceTable(),
        endpoint_id(base),  # also refuses a URL with credentials in it
        asset,
    )
    store = cache if isinstance(cache, CaptionCache) else CaptionCache(cache or default_cache_dir())
    text_map = dict(texts) if texts is not None else None
    report = CaptionReport(dry_run=dry_run)
    scan = _Scan(items, settings, text_map, store, report, retry_failed)
    if dry_run:
        _estimate(report, list(scan), settings, store, batch)
        return report
    jobs = iter(scan)
    first = next(jobs, None)
    if first is None:  # everything answered from the cache (or unusable): no client at all
        return report
    key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
    if not key:
        if not base:
            raise DescribeError(
                "no OPENAI_API_KEY and no base URL: set OPENAI_API_KEY for OpenAI, or pass a "
                "base URL of an OpenAI-compatible server (the offline captioner needs neither)"
            )
        key = "no-key"  # local servers (vLLM, Ollama) accept any key
    options: dict[str, Any] = {
        "key": key,
        "base_url": base,
        "concurrency": concurrency,
        "retry": retry,
        "transport": transport,
        "progress": progress,
    }
    if batch:
        todo = [first, *jobs]
        _run_to_end(
            batch_captions(todo, settings, store, report, poll_interval=poll_interval, **options)
        )
    else:
        # The rest of the Items are scanned as the workers ask for them, so the first requests
        # leave at once instead of after a pass over the whole catalog.
        _run_to_end(
            sync_captions(
                itertools.chain([first], jobs),
                settings,
                store,
                report,
                total=len(items) - scan.seen + 1,
                settled=lambda: scan.settled,
                **options,
            )
        )
    return report


class _Scan:
    """Items -> the jobs that need a request; cached answers and unusable Items are recorded.

    Attributes:
        seen: Items scanned so far.
        settled: Items scanned so far that need no request (cached or unusable).
    """

    def __init__(
        self,
        items: Sequence[pystac.Item],
        settings: Settings,
        texts: dict[str, str] | None,
        store: CaptionCache,
        report: CaptionReport,
        retry_failed: bool,
    ) -> None:
        self.items, self.settings, self.texts = items, settings, texts
        self.store, self.report, self.retry_failed = store, report, retry_failed
        self.seen = 0
        self.settled = 0

    def __iter__(self) -> Iterator[Job]:
        for item in self.items:
            self.seen += 1
            job = make_job(item, self.settings, self.texts)
            entry = self.store.get(job.key)
            if entry is not None and not (self.retry_failed and entry["status"] == "failed"):
                record(self.report, job, entry, cached=True)
            elif job.problem is not None:
                self.report.failed[item.id] = job.problem
            else:
                yield job
                continue
            self.settled += 1


def _run_to_end(coro: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion, also from code already inside an event loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


def _estimate(
    report: CaptionReport, todo: list[Job], settings: Settings, store: CaptionCache, batch: bool
) -> None:
    prices = settings.prices
    for job in todo:
        summary_in, summary_out, caption_in, caption_out = estimate(job, settings)
        if job.summary_key is not None and job.summary_key in store:
            summary_in = summary_out = 0
        report.pending.append(job.item.id)
        report.requests += 1 + (1 if summary_in else 0)
        report.input_tokens += summary_in + caption_in
        report.output_tokens += summary_out + caption_out
        report.add_cost(prices.cost(settings.model, caption_in, caption_out, batch=batch))
        if summary_in:
            cost = prices.cost(settings.summary_model, summary_in, summary_out, batch=batch)
            report.add_cost(cost)
