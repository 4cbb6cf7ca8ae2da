"""The crawler: seeds and an allowlist in, image records out, politely and resumably."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import sys
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from tqdm import tqdm

from .._atomic import atomic_write_bytes
from ..errors import DownloadError
from ._cache import HttpCache
from ._config import CrawlConfig
from ._feeds import PAGE_ACCEPT, entry_page, is_feed, parse_feed
from ._frontier import Frontier, Task
from ._http import Fetched, Fetcher, FetchPolicy
from ._images import decode_image
from ._records import CrawlFailure, CrawlReport, ImageRecord
from ._robots import RobotsPolicy
from ._urls import canonicalize_url, host_allowed, host_key
from .parsers import PARSER_MODULES, ParsedPage, get_parser, parse_page

log = logging.getLogger(__name__)

#: Link targets with these endings are never queued as pages.
_SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".webp", ".svg", ".pdf", ".zip", ".gz",
    ".tar", ".mp4", ".mov", ".mp3", ".csv", ".kmz", ".kml", ".hdf", ".nc", ".xml", ".json",
)  # fmt: skip


class Crawler:
    """A crawl of one directory, resumable.

    The directory holds ``state.sqlite`` (frontier and results), ``cache/``, ``images/``,
    ``records.jsonl`` and ``report.json``.

    Args:
        seeds: start URLs.
        out_dir: the crawl directory; rerunning on the same directory resumes.
        config: limits and politeness.

    Example:
        >>> seeds = ["https://earthobservatory.nasa.gov/images"]
        >>> crawler = Crawler(seeds, "crawl")  # doctest: +SKIP
        >>> report = crawler.run()  # doctest: +SKIP
    """

    def __init__(
        self, seeds: list[str], out_dir: str | Path, config: CrawlConfig | None = None
    ) -> None:
        if not seeds:
            raise ValueError("at least one seed URL is needed")
        self.config = config or CrawlConfig()
        self.seeds = [canonicalize_url(s) for s in seeds]
        self.out_dir = Path(out_dir)
        domains = self.config.allowed_domains or tuple(
            urlsplit(s).hostname or "" for s in self.seeds
        )
        self.allowed = frozenset(d.lower() for d in domains)
        self.report = CrawlReport()
        for name in (*PARSER_MODULES[:-1], *self.config.parsers.values()):
            get_parser(name)  # import now, not mid-crawl; an unknown name fails here

    def run(self) -> CrawlReport:
        """Crawl until the frontier is empty or a limit is reached; write records and report."""
        return asyncio.run(self.arun())

    async def arun(self) -> CrawlReport:
        """The coroutine behind :meth:`run` (for callers already in an event loop)."""
        start = time.monotonic()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for folder in ("images", "cache"):  # half-written files of a killed run
            for stale in (self.out_dir / folder).rglob(".*.tmp"):
                stale.unlink(missing_ok=True)
        self.frontier = Frontier(self.out_dir / "state.sqlite")
        cache = HttpCache(self.out_dir / "cache")
        try:
            await self._crawl(cache)
        finally:
            cache.close()
            self.report.elapsed_s = time.monotonic() - start
            self._write_outputs()
            self.frontier.close()
        return self.report

    async def _crawl(self, cache: HttpCache) -> None:
        cfg = self.config
        self.frontier.add(Task(s, "page", 0) for s in self.seeds)
        if cfg.refresh:
            self.frontier.reopen_pages()
        policy = FetchPolicy(
            per_host=cfg.per_host_concurrency,
            delay_s=cfg.delay_s,
            max_connections=cfg.max_connections,
            retries=cfg.max_retries,
            backoff_s=cfg.backoff_s,
            max_retry_after_s=cfg.max_retry_after_s,
            max_redirects=cfg.max_redirects,
            timeout_s=cfg.timeout_s,
            allowed_domains=self.allowed,
            allow_private=cfg.allow_private,
            user_agent=cfg.user_agent,
        )
        robots = RobotsPolicy(cfg.robots_agent)
        async with policy.open_client() as client:
            self.fetcher = Fetcher(client, policy, cache=cache, allowed_by_robots=robots.allowed)
            robots.fetcher = self.fetcher
            self._page_budget = cfg.max_pages - (
                self.frontier.count("page", "done") + self.frontier.count("page", "failed")
            )
            self._queues: dict[str, deque[Task]] = {}
            self._wakeups: dict[str, asyncio.Event] = {}
            self._workers: list[asyncio.Task[None]] = []
            self._outstanding = 0
            self._done = asyncio.Event()
            interactive = cfg.progress and sys.stderr.isatty()
            self._bar = tqdm(desc="crawl", unit="page", disable=not interactive)
            for task in self.frontier.pending():
                self._enqueue(task)
            if self._outstanding:
                await self._done.wait()
            for worker in self._workers:
                worker.cancel()
            for worker in self._workers:
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            self._bar.close()
            self.report.requests = self.fetcher.requests
            self.report.retries = self.fetcher.retries
            leftover = self.frontier.count("page", "pending")
            if leftover:
                self.report.skipped["page-limit"] = leftover

    # -- scheduling ----------------------------------------------------------------------------
    def _enqueue(self, task: Task) -> None:
        key = host_key(task.url)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            self._wakeups[key] = asyncio.Event()
            for _ in range(self.config.per_host_concurrency):
                self._workers.append(asyncio.create_task(self._worker(key)))
        # pages first: their links feed the frontier; images only feed the store
        if task.kind == "page":
            queue.appendleft(task) if task.depth == 0 else queue.append(task)
        else:
            queue.append(task)
        self._outstanding += 1
        self._wakeups[key].set()

    async def _worker(self, key: str) -> None:
        queue = self._queues[key]
        wakeup = self._wakeups[key]
        while True:
            if not queue:
                wakeup.clear()
                await wakeup.wait()
                continue
            task = queue.popleft()
            try:
                if task.kind == "page":
                    await self._process_page(task)
                else:
                    await self._process_image(task)
            except Exception as err:  # one bad URL must not stop the crawl
                log.exception("unexpected error on %s", task.url)
                self.frontier.fail(CrawlFailure(task.url, task.kind, "internal-error", repr(err)))
            finally:
                self._outstanding -= 1
                if self._outstanding == 0:
                    self._done.set()

    def _skip(self, reason: str) -> None:
        self.report.skipped[reason] = self.report.skipped.get(reason, 0) + 1

    # -- pages ---------------------------------------------------------------------------------
    async def _process_page(self, task: Task) -> None:
        if self._page_budget <= 0:
            return  # stays pending: a later run with a larger max_pages picks it up
        self._page_budget -= 1
        cfg = self.config
        try:
            result = await self.fetcher.fetch(
                task.url, max_bytes=cfg.max_page_bytes, accept=PAGE_ACCEPT
            )
        except DownloadError as err:
            self.frontier.fail(CrawlFailure(task.url, "page", err.code, err.reason))
            return
        self._bar.update(1)
        if result.not_modified:
            self.report.pages_not_modified += 1
        else:
            self.report.pages_fetched += 1
        if is_feed(result.content_type, result.body):
            self._process_feed(task, result)
            return
        if "html" not in result.content_type.lower():
            self.frontier.fail(
                CrawlFailure(task.url, "page", "not-html", f"content type {result.content_type}")
            )
            return
        final_url = canonicalize_url(result.final_url)
        try:
            page = parse_page(result.body, final_url, cfg.parsers)
        except ValueError as err:
            self.frontier.fail(CrawlFailure(task.url, "page", "malformed-html", str(err)))
            return
        records, new_tasks = self._records_of(page, final_url, task.depth)
        if task.depth < cfg.max_depth:
            for link in page.links:
                try:
                    url = canonicalize_url(link)
                except ValueError:
                    continue
                if urlsplit(url).path.lower().endswith(_SKIP_EXTENSIONS):
                    continue
                if not host_allowed(url, self.allowed):
                    self._skip("off-allowlist")
                    continue
                new_tasks.append(Task(url, "page", task.depth + 1))
        elif page.links:
            self._skip("depth")
        failure = None
        if page.is_article and not page.images:
            failure = CrawlFailure(task.url, "page", "no-images", "article page without an image")
        added = self.frontier.complete_page(
            task.url, records, new_tasks, final_url=final_url, failure=failure
        )
        for new in added:
            self._enqueue(new)

    def _records_of(
        self, page: ParsedPage, article_url: str, depth: int
    ) -> tuple[list[ImageRecord], list[Task]]:
        """A parsed article's image records, and the tasks that fetch its images."""
        records: list[ImageRecord] = []
        tasks: list[Task] = []
        for image in page.images:
            try:
                image_url = canonicalize_url(image.url)
            except ValueError:
                continue
            records.append(
                ImageRecord(
                    image_url=image_url,
                    article_url=article_url,
                    title=page.title,
                    alt=image.alt or image.caption,
                    caption=image.caption,
                    article_text=page.text,
                    credits=image.credits or page.credits,
                    published=page.published.isoformat() if page.published else None,
                    parser=page.parser,
                )
            )
            if self.config.fetch_images:
                tasks.append(Task(image_url, "image", depth))
        return records, tasks

    def _process_feed(self, task: Task, result: Fetched) -> None:
        """A feed: its entries are pages at the feed's depth; whole articles are parsed in place."""
        final_url = canonicalize_url(result.final_url)
        try:
            entries = parse_feed(result.body, final_url)
        except ValueError as err:
            self.frontier.fail(CrawlFailure(task.url, "page", "malformed-feed", str(err)))
            return
        records: list[ImageRecord] = []
        new_tasks: list[Task] = []
        inline: list[str] = []
        for entry in entries:
            try:
                url = canonicalize_url(entry.url)
            except ValueError:
                continue
            if not host_allowed(url, self.allowed):
                self._skip("off-allowlist")
                continue
            page = entry_page(entry, url, self.config.parsers)
            if page is None:
                new_tasks.append(Task(url, "page", task.depth))
                continue
            page_records, image_tasks = self._records_of(page, url, task.depth)
            records += page_records
            new_tasks += image_tasks
            inline.append(url)
        added = self.frontier.complete_page(
            task.url, records, new_tasks, final_url=final_url, entries=inline
        )
        for new in added:
            self._enqueue(new)

    # -- images --------------------------------------------------------------------------------
    async def _process_image(self, task: Task) -> None:
        cfg = self.config
        try:
            result = await self.fetcher.fetch(
                task.url,
                max_bytes=cfg.max_image_bytes,
                accept="image/*",
                images_only=True,
                use_cache=False,
            )
            image = await asyncio.to_thread(decode_image, result.body, task.url)
        except DownloadError as err:
            self.frontier.fail(CrawlFailure(task.url, "image", err.code, err.reason))
            return
        digest = hashlib.sha256(result.body).hexdigest()
        relative = Path("images") / digest[:2] / f"{digest}.{image.ext}"
        path = self.out_dir / relative
        if not path.exists():  # fsync off the event loop: other hosts keep going meanwhile
            await asyncio.to_thread(atomic_write_bytes, path, result.body)
        self.report.images_fetched += 1
        self.frontier.complete_image(
            task.url,
            {
                "local_path": relative.as_posix(),
                "content_type": image.media_type,
                "sha256": digest,
                "size": len(result.body),
                "width": image.width,
                "height": image.height,
            },
        )

    # -- outputs -------------------------------------------------------------------------------
    def _write_outputs(self) -> None:
        self.report.failures = self.frontier.failures()
        self.report.images_found = self.frontier.record_count()
        lines = b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in self.frontier.records())
        atomic_write_bytes(self.out_dir / "records.jsonl", lines)
        atomic_write_bytes(
            self.out_dir / "report.json",
            orjson.dumps(self.report.to_dict(), option=orjson.OPT_INDENT_2),
        )


def crawl(seeds: list[str], out_dir: str | Path, config: CrawlConfig | None = None) -> CrawlReport:
    """Crawl article sites from ``seeds`` into ``out_dir`` (resumable) and return the run report.

    Args:
        seeds: start URLs (index pages or articles).
        out_dir: the crawl directory; rerunning on it resumes the crawl.
        config: scope, politeness and limits (defaults: the seeds' hosts, 1 request/s/host).

    Returns:
        The run's report (also written to ``out_dir/report.json``); the records are in
        ``out_dir/records.jsonl`` and, with their stored images, in :func:`read_records`.

    Example:
        >>> from gaia_geo.collect import crawl, CrawlConfig
        >>> report = crawl(["https://earthobservatory.nasa.gov/images"], "crawl",
        ...                CrawlConfig(max_pages=50))  # doctest: +SKIP
    """
    return Crawler(seeds, out_dir, config).run()


def read_records(out_dir: str | Path, *, only_stored: bool = False) -> list[ImageRecord]:
    """The image records of a crawl directory (from its state database).

    Args:
        out_dir: the crawl directory.
        only_stored: keep only records whose image was downloaded and verified.
    """
    path = Path(out_dir) / "state.sqlite"
    if not path.exists():
        from ..errors import GaiaError

        raise GaiaError(
            f"{path} does not exist: {out_dir} is not a crawl directory; run crawl() first"
        )
    with Frontier(path) as frontier:
        return list(frontier.records(only_stored=only_stored))
