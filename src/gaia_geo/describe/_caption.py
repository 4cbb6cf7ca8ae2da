"""``caption_items`` and ``caption_catalog``: the describe stage's entry points."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pystac
from tqdm import tqdm

from ._batch import run_batches
from ._cache import CaptionCache
from ._client import CaptionClient, Completion, RetryPolicy
from ._errors import DescribeError
from ._images import ImageProblem
from ._jobs import Job, Settings, apply_entry, caption_body, estimate, judge, make_job, retry_body
from ._jobs import summary_body as _summary_body
from ._pricing import PriceTable
from ._prompts import CAPTION_V1, SUMMARY_V1, PromptTemplate, get_prompt
from ._sync import SyncRunner, make_entry

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4o-2024-08-06"
DEFAULT_SUMMARY_MODEL = "gpt-4o-mini"


def default_cache_dir() -> Path:
    """``$GAIA_GEO_CACHE/captions``, else ``~/.cache/gaia_geo/captions``."""
    root = os.environ.get("GAIA_GEO_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "gaia_geo"
    )
    return Path(root) / "captions"


@dataclass
class CaptionReport:
    """What a captioning run did (or, with ``dry_run``, would do).

    Attributes:
        captioned: ids of Items that now carry model captions (new or from the cache).
        from_cache: how many of those came from the cache without a request.
        failed: id -> reason, for Items left unchanged (bad answers, unreadable images).
        excluded: id -> reason, for Items the model judged not remote sensing or a chart.
        requests: chat requests sent (retries included), or to be sent for a dry run.
        input_tokens: prompt tokens spent (or estimated).
        output_tokens: completion tokens spent (or estimated).
        cost_usd: the cost from the price table (``None`` when a model has no price).
        dry_run: whether this is an estimate only.
        pending: ids a dry run would send requests for.
    """

    captioned: list[str] = field(default_factory=list)
    from_cache: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    dry_run: bool = False
    pending: list[str] = field(default_factory=list)

    def add_cost(self, cost: float | None) -> None:
        """Add a cost (an unknown one makes the total unknown)."""
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def summary(self) -> str:
        """One line for people."""
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        if self.dry_run:
            return (
                f"dry run: {len(self.pending)} item(s) need requests, {self.from_cache} cached; "
                f"~{self.requests} requests, ~{self.input_tokens} input + ~{self.output_tokens} "
                f"output tokens, estimated cost {cost}"
            )
        return (
            f"{len(self.captioned)} captioned ({self.from_cache} from cache), "
            f"{len(self.failed)} failed, {len(self.excluded)} excluded; {self.requests} "
            f"requests, {self.input_tokens} input + {self.output_tokens} output tokens, "
            f"cost {cost}"
        )


def _prompt(value: PromptTemplate | str) -> PromptTemplate:
    return value if isinstance(value, PromptTemplate) else get_prompt(value)


def _record(report: CaptionReport, job: Job, entry: dict[str, Any], cached: bool) -> None:
    status = entry["status"]
    if status == "ok":
        apply_entry(job.item, entry)
        report.captioned.append(job.item.id)
        report.from_cache += cached
    elif status == "excluded":
        report.excluded[job.item.id] = "; ".join(entry["reasons"])
    else:
        report.failed[job.item.id] = "; ".join(entry["reasons"]) or "rejected answer"
    if not cached:
        report.requests += int(entry.get("requests") or 0)
        report.input_tokens += int(entry.get("input_tokens") or 0)
        report.output_tokens += int(entry.get("output_tokens") or 0)
        report.add_cost(entry.get("cost_usd"))


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
    poll_interval: float = 30.0,
    progress: bool | None = None,
) -> CaptionReport:
    """Caption Items with an OpenAI-compatible vision model, five checked captions each.

    Accepted answers are written into each Item's caption extension (captions, provenance with
    model, prompt version, tokens and cost, tags, and location/modalities/resolution class where
    the Item has none); rejected, failed and excluded Items are left unchanged and listed in the
    report. Every answer is cached by content, so reruns are free and a killed run resumes.

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
        poll_interval: seconds between Batch API status polls.
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        The report.

    Raises:
        CaptionAuthError: the key was rejected (nothing retried).
        CaptionServiceError: the API stayed unreachable; rerun to resume.
        BatchError: a batch failed; rerun to resume.
        ValueError: for bad arguments.

    Example:
        >>> report = caption_items(items, base_url="http://127.0.0.1:8000/v1")  # doctest: +SKIP
        >>> print(report.summary())  # doctest: +SKIP
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    settings = Settings(
        model, summary_model, _prompt(prompt), _prompt(summary_prompt), prices or PriceTable()
    )
    store = cache if isinstance(cache, CaptionCache) else CaptionCache(cache or default_cache_dir())
    text_map = dict(texts) if texts is not None else None
    report = CaptionReport(dry_run=dry_run)
    todo: list[Job] = []
    for item in items:
        job = make_job(item, settings, text_map)
        entry = store.get(job.key)
        if entry is not None and not (retry_failed and entry["status"] == "failed"):
            _record(report, job, entry, cached=True)
        elif job.problem is not None:
            report.failed[item.id] = job.problem
        else:
            todo.append(job)
    if dry_run:
        _estimate(report, todo, settings, store, batch)
        return report
    if not todo:
        return report
    key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
    base = base_url or os.environ.get("OPENAI_BASE_URL")
    if not key:
        if not base:
            raise DescribeError(
                "no OPENAI_API_KEY and no base URL: set OPENAI_API_KEY for OpenAI, or pass a "
                "base URL of an OpenAI-compatible server (the offline captioner needs neither)"
            )
        key = "no-key"  # local servers (vLLM, Ollama) accept any key
    runner = _batch_run if batch else _sync_run
    _run_to_end(
        runner(
            todo,
            settings,
            store,
            report,
            key=key,
            base_url=base,
            concurrency=concurrency,
            retry=retry,
            poll_interval=poll_interval,
            progress=progress,
        )
    )
    return report


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


def _bar(total: int, progress: bool | None, desc: str) -> tqdm:
    disable = None if progress is None else not progress
    return tqdm(total=total, desc=desc, unit="item", disable=disable)


async def _sync_run(
    todo: list[Job],
    settings: Settings,
    store: CaptionCache,
    report: CaptionReport,
    *,
    key: str,
    base_url: str | None,
    concurrency: int,
    retry: RetryPolicy | None,
    poll_interval: float,
    progress: bool | None,
) -> None:
    client = CaptionClient(api_key=key, base_url=base_url, concurrency=concurrency, retry=retry)
    bar = _bar(len(todo), progress, "captioning")

    def done(job: Job, entry: dict[str, Any] | None, problem: str | None) -> None:
        bar.update(1)
        if entry is None:
            report.failed[job.item.id] = problem or "no answer"
        else:
            _record(report, job, entry, cached=False)

    try:
        await SyncRunner(client, store, settings, done).run(todo, concurrency)
    finally:
        bar.close()
        await client.close()


def _completion(result: dict[str, Any], fallback_model: str) -> Completion | None:
    body = result.get("body")
    if result.get("status_code") != 200 or not isinstance(body, dict):
        return None
    try:
        content = body["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        return None
    usage = body.get("usage") or {}
    return Completion(
        str(content),
        str(body.get("model") or fallback_model),
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
    )


async def _batch_run(
    todo: list[Job],
    settings: Settings,
    store: CaptionCache,
    report: CaptionReport,
    *,
    key: str,
    base_url: str | None,
    concurrency: int,
    retry: RetryPolicy | None,
    poll_interval: float,
    progress: bool | None,
) -> None:
    client = CaptionClient(api_key=key, base_url=base_url, concurrency=concurrency, retry=retry)
    workdir = store.root / "batches"
    try:
        # 1. summaries of the article texts not summarised yet
        need = {j.summary_key: j for j in todo if j.summary_key and j.summary_key not in store}
        bodies = {k: _summary_body(j, settings) for k, j in need.items() if k}
        results = await run_batches(
            client, bodies, workdir, "summaries", poll_interval=poll_interval
        )
        summary_usage: dict[str, tuple[int, int, float | None]] = {}
        for skey, result in results.items():
            done = _completion(result, settings.summary_model)
            if done is None:
                continue
            cost = settings.prices.cost(
                done.model, done.input_tokens, done.output_tokens, batch=True
            )
            entry = {"summary": done.content, "model": done.model, "cost_usd": cost}
            store.put(skey, entry)
            summary_usage[skey] = (done.input_tokens, done.output_tokens, cost)
        # 2. captions, then 3. one corrective round for rejected answers
        jobs: dict[str, Job] = {}
        bodies = {}
        for job in todo:
            summary = store.get(job.summary_key) if job.summary_key else None
            if job.summary_key and summary is None:
                report.failed[job.item.id] = "the summary request failed in the batch"
                continue
            try:
                text = str(summary["summary"]) if summary else None
                bodies[job.key] = caption_body(job, settings, text)
            except ImageProblem as err:
                report.failed[job.item.id] = str(err)
                continue
            jobs[job.key] = job
        history: dict[str, list[Completion]] = {k: [] for k in jobs}
        for label in ("captions", "captions-retry"):
            results = await run_batches(client, bodies, workdir, label, poll_interval=poll_interval)
            retry_bodies = {}
            for ckey, body in bodies.items():
                job = jobs[ckey]
                result = results.get(ckey)
                done = _completion(result, settings.model) if result else None
                if done is None:
                    why = (result or {}).get("error") or "no result in the batch output"
                    report.failed[job.item.id] = f"batch request failed: {why}"
                    continue
                history[ckey].append(done)
                status, answer, reasons = judge(job, done.content)
                if status == "rejected" and label == "captions":
                    retry_bodies[ckey] = retry_body(body, done.content, reasons)
                    continue
                usage = summary_usage.get(job.summary_key or "", (0, 0, 0.0))
                entry = make_entry(
                    job,
                    settings,
                    "failed" if status == "rejected" else status,
                    answer,
                    reasons,
                    history[ckey],
                    summary_usage=usage,
                    batch=True,
                )
                store.put(ckey, entry)
                _record(report, job, entry, cached=False)
            bodies = retry_bodies
    finally:
        await client.close()


def _catalog_meta(root: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    catalog = root / "catalog.json"
    if catalog.is_file():
        data = orjson.loads(catalog.read_bytes())
        meta.update(id=data.get("id"), title=data.get("title"), description=data.get("description"))
        for link in data.get("links", []):
            if link.get("rel") == "child":
                child = (root / link["href"]).resolve()
                if child.is_file():
                    coll = orjson.loads(child.read_bytes())
                    meta["license"] = coll.get("license", "other")
                    if coll.get("providers"):
                        meta["providers"] = coll["providers"]
                    break
    return {k: v for k, v in meta.items() if v is not None}


def caption_catalog(
    catalog: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    keep_excluded: bool = False,
    offline: bool | None = None,
    **kwargs: Any,
) -> CaptionReport:
    """Caption every Item of a catalog and rewrite it (GeoParquet mirrors included).

    Without an API key and a base URL (arguments or ``OPENAI_API_KEY``/``OPENAI_BASE_URL``), the
    offline captioner is used, as ``make demo`` does.

    Args:
        catalog: the catalog folder.
        out: where to write the result (default: rewrite ``catalog`` in place, atomically).
        keep_excluded: keep Items the model judged not remote sensing or a chart (default:
            drop them from the catalog; the report lists them).
        offline: force (``True``) or forbid (``False``) the offline captioner; default: offline
            only when neither a key nor a base URL is configured.
        **kwargs: passed to :func:`caption_items`.

    Returns:
        The report (nothing is written for a dry run or when the run fails).
    """
    from ..stac import read_catalog, to_items, write_catalog

    root = Path(catalog)
    items = to_items(read_catalog(root))
    if offline is None:
        offline = not (
            kwargs.get("api_key")
            or kwargs.get("base_url")
            or os.environ.get("OPENAI_API_KEY")
            or os.environ.get("OPENAI_BASE_URL")
        )
    if offline:
        report = _caption_offline(items, kwargs.get("texts"))
    else:
        report = caption_items(items, **kwargs)
    if report.dry_run:
        return report
    keep = [i for i in items if keep_excluded or i.id not in report.excluded]
    meta = _catalog_meta(root)
    target = Path(out) if out is not None else root
    write_catalog(keep, target, **meta)
    return report


def _caption_offline(
    items: Sequence[pystac.Item], texts: Mapping[str, str] | None
) -> CaptionReport:
    from ..sensors import lookup_sensor
    from ..stac import CaptionExtension
    from ._jobs import _article_text
    from .offline import OfflineCaptioner

    captioner = OfflineCaptioner()
    report = CaptionReport(cost_usd=0.0)
    text_map = dict(texts) if texts is not None else None
    for item in items:
        ext = CaptionExtension.ext(item, add_if_missing=True)
        previous = ext.provenance
        if previous is not None and previous.generator != "offline":
            continue  # never replace a model's (or a person's) captions by template ones
        text = _article_text(item, text_map)
        names = ext.sensor_names or []
        sensor = next((s for s in map(lookup_sensor, names) if s is not None), None)
        made = captioner.caption(
            text or item.properties.get("title") or "",
            location=ext.location,
            sensor=sensor,
            gsd=item.properties.get("gsd"),
            tags=ext.tags,
        )
        ext.captions = made.captions
        ext.provenance = made.provenance
        if made.source_text_sha256:
            ext.source_text_sha256 = made.source_text_sha256
        item.properties["description"] = made.captions[0]
        report.captioned.append(item.id)
    return report
