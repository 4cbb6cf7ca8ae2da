"""robots.txt: fetched once per host, parsed with ``urllib.robotparser``."""

from __future__ import annotations

import asyncio
from urllib.robotparser import RobotFileParser

from ..errors import DownloadError
from ._http import Fetcher
from ._urls import host_key


class RobotsPolicy:
    """Answers "may this URL be fetched?" from each host's robots.txt.

    A missing robots.txt (4xx) allows everything; 401/403 or an unreachable one (5xx, network
    error after retries) disallows the host for this run, as RFC 9309 recommends.
    A ``Crawl-delay`` raises the host's spacing in the fetcher's limiter, up to
    ``max_crawl_delay_s``. Set ``fetcher`` (the fetcher that reads robots.txt) before use.

    Args:
        agent: the product token matched against ``User-agent`` lines (e.g. ``"gaia-geo"``).
        max_crawl_delay_s: cap on the Crawl-delay honoured.
    """

    def __init__(self, agent: str, max_crawl_delay_s: float = 30.0) -> None:
        self.agent = agent
        self.max_crawl_delay_s = max_crawl_delay_s
        self.fetcher: Fetcher | None = None
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.errors: dict[str, DownloadError] = {}

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host allows ``agent`` to fetch it.

        Raises:
            DownloadError: ``robots-unavailable`` when the host's robots.txt could not be read
                (401/403, 5xx or a network error): the host is not crawled this run.
        """
        key = host_key(url)
        parser = self._parsers.get(key)
        if parser is None:
            lock = self._locks.setdefault(key, asyncio.Lock())
            async with lock:
                parser = self._parsers.get(key)
                if parser is None:
                    parser = await self._load(key)
                    self._parsers[key] = parser
        error = self.errors.get(key)
        if error is not None:
            raise DownloadError(
                url, f"{key}/robots.txt: {error.code}: {error.reason}", code="robots-unavailable"
            )
        return parser.can_fetch(self.agent, url)

    async def _load(self, key: str) -> RobotFileParser:
        parser = RobotFileParser(f"{key}/robots.txt")
        if self.fetcher is None:
            raise RuntimeError("RobotsPolicy.fetcher must be set before use")
        try:
            result = await self.fetcher.fetch(
                f"{key}/robots.txt", max_bytes=512 * 1024, use_cache=False, check_robots=False
            )
        except DownloadError as err:
            if err.code in ("http-401", "http-403") or not err.code.startswith("http-4"):
                parser.parse(["User-agent: *", "Disallow: /"])
                self.errors[key] = err
            else:
                parser.parse([])  # no robots.txt: everything is allowed
            return parser
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.agent)
        if delay is not None:
            self.fetcher.limiter.set_delay(key, min(float(delay), self.max_crawl_delay_s))
        return parser
