"""The request-by-request runner: a pool of workers, each captioning one Item at a time.

Every answer is cached the moment it is judged, so a run killed at any point resumes where it
stopped; an Item is updated only from a whole accepted answer, all its fields at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

from tqdm import tqdm

from ..errors import CaptionRequestError, CaptionServiceError
from ._cache import CacheWriter, CaptionCache
from ._client import CaptionClient, Completion, RetryPolicy, Transport
from ._images import ImageProblem
from ._jobs import Job, Settings, caption_body, judge, now_utc, retry_body, summary_body
from ._report import CaptionReport, record

#: Images up to this size are encoded on the event loop; larger ones in a worker thread.
INLINE_IMAGE_BYTES = 256 * 1024


def make_entry(
    job: Job,
    settings: Settings,
    status: str,
    answer: dict[str, Any] | None,
    reasons: list[str],
    completions: list[Completion],
    *,
    summary_usage: tuple[int, int, float | None] = (0, 0, 0.0),
    batch: bool = False,
) -> dict[str, Any]:
    """The cache entry of a judged job: the answer, its accounting, never a key or a header."""
    tokens_in = summary_usage[0] + sum(c.input_tokens for c in completions)
    tokens_out = summary_usage[1] + sum(c.output_tokens for c in completions)
    costs = [summary_usage[2]] + [settings.cost(c, batch=batch) for c in completions]
    cost = None if any(c is None for c in costs) else round(sum(c or 0.0 for c in costs), 6)
    return {
        "status": status,
        "answer": answer,
        "reasons": reasons,
        "model": completions[-1].model if completions else settings.model,
        "generator": completions[-1].generator if completions else "openai",
        "summary_model": settings.summary_model if job.text else None,
        "prompt_version": settings.prompt.version,
        "created": now_utc().isoformat(),
        "source_text_sha256": job.text_sha if job.text else None,
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "cost_usd": cost,
        "requests": len(completions) + (1 if summary_usage[0] else 0),
        "batch": batch,
    }


class SyncRunner:
    """Caption jobs with ``client``, queueing each answer for the cache as soon as it is judged.

    Args:
        client: the API client.
        cache: the answer cache (read here).
        writer: writes new entries in the background (closed by the caller).
        settings: the run's models and prompts.
        on_done: called with each job and its entry (``None`` when it could not be answered).
    """

    def __init__(
        self,
        client: CaptionClient,
        cache: CaptionCache,
        writer: CacheWriter,
        settings: Settings,
        on_done: Callable[[Job, dict[str, Any] | None, str | None], None],
    ) -> None:
        self.client = client
        self.cache = cache
        self.writer = writer
        self.settings = settings
        self.on_done = on_done
        self.service_failures = 0
        self._summaries: dict[str, asyncio.Future[tuple[str | None, Any]]] = {}

    #: consecutive Items whose requests exhausted their retries before the run is stopped
    MAX_SERVICE_FAILURES = 3
    #: seconds between the starts of two workers, and the longest whole ramp-up
    RAMP_STEP = 0.001
    RAMP_MAX = 0.25

    async def _summary(self, job: Job) -> tuple[str | None, tuple[int, int, float | None]]:
        """The job's article summary and what it cost this job.

        From the cache, from a request made or in flight for the same text in this run (one
        article often has several images; only the first job pays), or from a new request.
        """
        key = job.summary_key
        if not job.text or key is None:
            return None, (0, 0, 0.0)
        cached = self.cache.get(key)
        if cached is not None:
            return str(cached["summary"]), (0, 0, 0.0)
        pending = self._summaries.get(key)
        first = pending is None
        if pending is None:
            pending = asyncio.ensure_future(self._summarise(job, key))
            self._summaries[key] = pending
        try:
            text, usage = await asyncio.shield(pending)
        except BaseException:
            if pending.done():
                self._summaries.pop(key, None)  # a failed summary may be asked for again
            raise
        return text, usage if first else (0, 0, 0.0)

    async def _summarise(
        self, job: Job, key: str
    ) -> tuple[str | None, tuple[int, int, float | None]]:
        done = await self.client.complete(summary_body(job, self.settings))
        cost = self.settings.cost(done)
        entry = {
            "summary": done.content,
            "model": done.model,
            "generator": done.generator,
            "input_tokens": done.input_tokens,
            "output_tokens": done.output_tokens,
            "cost_usd": cost,
        }
        self.writer.put(key, entry)
        return done.content, (done.input_tokens, done.output_tokens, cost)

    async def run_job(self, job: Job) -> None:
        """Caption one job: summary, caption request, checks, one corrective retry, cache."""
        try:
            summary, summary_usage = await self._summary(job)
            if job.image is not None and job.image.size <= INLINE_IMAGE_BYTES:
                # a small image encodes faster than a hop to a worker thread and back
                body = caption_body(job, self.settings, summary)
            else:
                body = await asyncio.to_thread(caption_body, job, self.settings, summary)
            completions: list[Completion] = []
            for attempt in range(2):
                done = await self.client.complete(body)
                completions.append(done)
                status, answer, reasons = judge(job, done.content)
                if status != "rejected" or attempt == 1:
                    break
                body = retry_body(body, done.content, reasons)
        except (ImageProblem, CaptionRequestError) as err:
            self.on_done(job, None, str(err))
            return
        except CaptionServiceError as err:
            # One Item the API keeps failing on is that Item's problem; several in a row mean
            # the API is down, and the run stops (a rerun resumes from the cache).
            self.service_failures += 1
            if self.service_failures >= self.MAX_SERVICE_FAILURES:
                raise
            self.on_done(job, None, str(err))
            return
        self.service_failures = 0
        entry = make_entry(
            job,
            self.settings,
            "failed" if status == "rejected" else status,
            answer,
            reasons,
            completions,
            summary_usage=summary_usage,
        )
        self.writer.put(job.key, entry)
        self.on_done(job, entry, None)
        await self.writer.wait_below()

    async def run(self, jobs: Iterable[Job], concurrency: int) -> None:
        """Run ``jobs`` with ``concurrency`` workers; the first fatal error cancels the rest.

        ``jobs`` may be a lazy iterator: each worker takes the next job when it is free.
        """
        iterator: Iterator[Job] = iter(jobs)
        # Ramp up: worker i starts i * RAMP_STEP later. Started together, the first requests
        # leave and their answers return in one burst, which the event loop works through while
        # the answers behind it wait; with an evenly paced server the burst never dissolves (at
        # 64 in flight it cost 4-5% of the throughput). The ramp also spares the API an instant
        # spike of requests.
        step = min(self.RAMP_STEP, self.RAMP_MAX / max(1, concurrency))

        async def worker(index: int) -> None:
            delay = index * step  # taken after the first job, so idle workers end at once
            for job in iterator:
                if delay:
                    await asyncio.sleep(delay)
                    delay = 0.0
                await self.run_job(job)

        tasks = [asyncio.create_task(worker(i)) for i in range(concurrency)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the garbage collector off the objects that exist when a run starts.

    A full collection walks every tracked object. With the Items, the SDK and its models in
    memory, one took 60-130 ms in a 1,280-Item benchmark, during which the event loop answers
    nothing and every response in flight waits. ``gc.freeze()`` moves the objects of the moment
    out of the collector's view (objects made during the run are collected as usual);
    ``gc.unfreeze()`` hands them back when the run ends, so nothing is kept alive longer.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def progress_bar(total: int | None, progress: bool | None, desc: str) -> tqdm:
    """A tqdm bar (``progress=None``: shown when stderr is a terminal)."""
    disable = None if progress is None else not progress
    return tqdm(total=total, desc=desc, unit="item", disable=disable)


async def sync_captions(
    todo: Iterable[Job],
    settings: Settings,
    store: CaptionCache,
    report: CaptionReport,
    *,
    key: str,
    base_url: str | None,
    concurrency: int,
    retry: RetryPolicy | None,
    transport: Transport,
    progress: bool | None,
    total: int | None = None,
    settled: Callable[[], int] = lambda: 0,
) -> None:
    """Caption ``todo`` request by request; every answer lands in ``report`` and ``store``.

    Args:
        todo: the jobs, possibly a lazy iterator that settles cached Items as it goes.
        settings: the run's models and prompts.
        store: the answer cache.
        report: the run report, filled in as answers arrive.
        key: the API key.
        base_url: the API root (``None``: the SDK's default).
        concurrency: requests in flight at once.
        retry: the retry policy.
        transport: how chat completions travel (see :class:`CaptionClient`).
        progress: show a progress bar (``None``: when stderr is a terminal).
        total: the progress bar's length (default ``len(todo)``).
        settled: how many Items the iterator has settled without a request so far (they
            advance the bar too).
    """
    client = CaptionClient(
        api_key=key, base_url=base_url, concurrency=concurrency, retry=retry, transport=transport
    )
    writer = CacheWriter(store)
    if total is None:
        total = len(todo) if isinstance(todo, Sized) else None
    bar = progress_bar(total, progress, "captioning")
    counted = [settled()]

    def done(job: Job, entry: dict[str, Any] | None, problem: str | None) -> None:
        now = settled()
        bar.update(1 + now - counted[0])
        counted[0] = now
        if entry is None:
            report.failed[job.item.id] = problem or "no answer"
        else:
            record(report, job, entry, cached=False)

    try:
        with frozen_heap():
            await SyncRunner(client, store, writer, settings, done).run(todo, concurrency)
    finally:
        bar.close()
        await client.close()
        writer.close()
