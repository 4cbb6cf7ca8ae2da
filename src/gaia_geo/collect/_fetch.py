"""Polite HTTP fetching: per-host limits, redirects checked hop by hop, retries, size limits."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeAlias

import httpx

from .._neterrors import network_error_line
from ._cache import HttpCache
from ._urls import canonicalize_url, host_allowed, host_key, resolves_to_private

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is short and stable, ``detail`` is for humans."""

    def __init__(self, url: str, reason: str, detail: str) -> None:
        super().__init__(f"{url}: {reason}: {detail}")
        self.url = url
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FetchPolicy:
    """The politeness and safety limits the fetcher applies (see ``CrawlConfig``)."""

    allowed_domains: frozenset[str]
    allow_private: bool
    delay_s: float
    per_host_concurrency: int
    max_redirects: int
    max_retries: int
    backoff_s: float
    max_retry_after_s: float
    timeout_s: float


@dataclass
class FetchResult:
    """A successful fetch: final URL (after redirects), media type, body, whether 304 served it."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    not_modified: bool = False


_Answer: TypeAlias = "FetchResult | httpx.Response"


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    delay_s: float = 0.0


class HostLimiter:
    """Per-host concurrency and minimum spacing between request starts, plus a global cap.

    A request waits for a slot of its host, then for the host's spacing, and only then for a
    global slot, so hosts waiting out their delay never hold global slots.

    Args:
        policy: the limits.
        max_connections: requests in flight over all hosts (None: no global cap).
    """

    def __init__(self, policy: FetchPolicy, max_connections: int | None = None) -> None:
        self._policy = policy
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(max_connections) if max_connections else None

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = _Host(asyncio.Semaphore(self._policy.per_host_concurrency))
            host.delay_s = self._policy.delay_s
            self._hosts[key] = host
        return host

    def set_delay(self, key: str, delay_s: float) -> None:
        """Raise a host's spacing (e.g. to its robots.txt Crawl-delay)."""
        host = self._host(key)
        host.delay_s = max(host.delay_s, delay_s)

    def push_back(self, key: str, seconds: float) -> None:
        """Hold every request to a host for ``seconds`` (after a 429 / Retry-After)."""
        host = self._host(key)
        host.next_start = max(host.next_start, time.monotonic() + seconds)

    async def run(self, key: str, request: Callable[[], Awaitable[_Answer]]) -> _Answer:
        """Run ``request`` holding one of the host's slots, after its spacing has elapsed."""
        host = self._host(key)
        async with host.semaphore:
            async with host.lock:
                wait = host.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                host.next_start = time.monotonic() + host.delay_s
            if self._global is None:
                return await request()
            async with self._global:
                return await request()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Fetch URLs politely and safely with one shared ``httpx.AsyncClient``.

    Args:
        client: the HTTP client (redirects must be off: every hop is checked here).
        policy: limits and allowlist.
        limiter: per-host limiter shared by all fetches.
        cache: conditional-GET cache, or None.
        allowed_by_robots: coroutine telling whether a URL may be fetched.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: FetchPolicy,
        limiter: HostLimiter,
        cache: HttpCache | None = None,
        allowed_by_robots: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        self.client = client
        self.policy = policy
        self.limiter = limiter
        self.cache = cache
        self.allowed_by_robots = allowed_by_robots
        self.requests = 0
        self.retries = 0

    async def check_target(self, url: str, *, robots: bool = True) -> None:
        """Raise FetchError if ``url`` is off the allowlist, private, or disallowed by robots."""
        if not host_allowed(url, self.policy.allowed_domains):
            raise FetchError(url, "off-allowlist", "host is not in the allowed domains")
        if not self.policy.allow_private:
            address = await resolves_to_private(url)
            if address is not None:
                raise FetchError(
                    url,
                    "private-address",
                    f"host resolves to non-public address {address}; pass allow_private=True "
                    "to crawl local servers",
                )
        if robots and self.allowed_by_robots is not None and not await self.allowed_by_robots(url):
            raise FetchError(url, "robots-disallow", "robots.txt disallows this URL")

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str = "*/*",
        use_cache: bool = True,
        check_robots: bool = True,
    ) -> FetchResult:
        """GET ``url`` following redirects hop by hop; return the final body.

        Raises:
            FetchError: on any refusal or failure (reason names which).
        """
        seen = {url}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            await self.check_target(current, robots=check_robots)
            response = await self._get_with_retries(current, max_bytes, accept, use_cache)
            if isinstance(response, FetchResult):
                response.url = url
                return response
            location = response.headers.get("location")
            try:
                target = canonicalize_url(location or "", base=current) if location else None
            except ValueError:
                target = None
            if target is None:
                raise FetchError(
                    current,
                    "bad-redirect",
                    f"HTTP {response.status_code} without a usable Location",
                )
            if target in seen:
                raise FetchError(url, "redirect-loop", f"redirect from {current} back to {target}")
            if not host_allowed(target, self.policy.allowed_domains):
                raise FetchError(url, "redirect-off-allowlist", f"redirect to {target} refused")
            seen.add(target)
            current = target
        raise FetchError(
            url, "too-many-redirects", f"more than {self.policy.max_redirects} redirects"
        )

    async def _get_with_retries(
        self, url: str, max_bytes: int, accept: str, use_cache: bool
    ) -> FetchResult | httpx.Response:
        key = host_key(url)
        cached = self.cache.get(url) if (use_cache and self.cache is not None) else None
        headers = {"Accept": accept}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        attempt = 0
        while True:
            try:
                result = await self.limiter.run(
                    key, lambda: self._get_once(url, headers, max_bytes, use_cache)
                )
            except (httpx.TimeoutException, httpx.TransportError) as err:
                reason = "timeout" if isinstance(err, httpx.TimeoutException) else "network-error"
                if attempt >= self.policy.max_retries:
                    raise FetchError(url, reason, network_error_line(err)) from None
                attempt += 1
                self.retries += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            if isinstance(result, FetchResult):
                return result
            status = result.status_code
            if status == 304 and cached is not None:
                return FetchResult(url, url, cached.content_type, cached.body, not_modified=True)
            if status in RETRY_STATUSES:
                if attempt >= self.policy.max_retries:
                    raise FetchError(
                        url, f"http-{status}", f"HTTP {status} after {attempt} retries"
                    )
                wait = _retry_after(result.headers.get("retry-after"))
                if wait is not None and wait > self.policy.max_retry_after_s:
                    raise FetchError(
                        url, "retry-after-too-long", f"server asked to wait {wait:.0f} s"
                    )
                attempt += 1
                self.retries += 1
                wait = self._backoff(attempt) if wait is None else wait
                self.limiter.push_back(key, wait)
                continue
            if 300 <= status < 400 and status != 304:
                return result
            raise FetchError(url, f"http-{status}", f"HTTP {status}")

    def _backoff(self, attempt: int) -> float:
        base = self.policy.backoff_s * (2 ** (attempt - 1))
        return float(base * (0.75 + 0.5 * random.random()))

    async def _get_once(
        self, url: str, headers: dict[str, str], max_bytes: int, use_cache: bool
    ) -> FetchResult | httpx.Response:
        self.requests += 1
        async with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status != 200:
                await response.aclose()
                return response
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(url, "too-large", f"Content-Length {declared} > {max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, "too-large", f"body exceeds {max_bytes} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
            content_type = response.headers.get("content-type", "application/octet-stream")
            if use_cache and self.cache is not None:
                self.cache.put(
                    url,
                    response.headers.get("etag"),
                    response.headers.get("last-modified"),
                    content_type,
                    body,
                )
            return FetchResult(url, str(response.url), content_type, body)
