"""The one HTTP layer of collect: polite, safe, retried GETs on httpx and tenacity.

The crawler (pages, images, robots.txt) and the downloader (a catalog's images) fetch through the
same :class:`Fetcher`, so they share one set of rules:

Politeness, per host (``scheme://host:port``), kept by
:class:`~gaia_geo.collect._limiter.HostLimiter`:
    at most ``per_host`` requests in flight; request starts at least ``delay_s`` apart, retries
    included (robots.txt ``Crawl-delay`` raises it for the crawler); after a 429 or a 5xx the
    whole host is held for the wait, not only the URL that got it; at most ``max_connections`` in
    flight overall, a global slot being taken only once the host's spacing has elapsed, so hosts
    waiting out their delay never hold one.

Retries (the one rule):
    429, 500, 502, 503, 504, timeouts, refused or cut connections and truncated bodies are tried
    again, up to ``retries`` times; other 4xx never. Before try ``n + 1`` the fetcher waits the
    server's ``Retry-After`` when it sent one, else ``backoff_s * 2**(n - 1)`` seconds with
    +-25 % jitter. ``Retry-After`` is read as delay-seconds or as an HTTP-date (RFC 9110, 10.2.3;
    a date in the past means now); one longer than ``max_retry_after_s`` (120 s by default) fails
    the URL at once with code ``retry-after-too-long`` instead of stalling the run: a rerun
    retries it. A URL that fails every try says so: ``HTTP 503 (gave up after 4 attempts)``.

Safety:
    redirects are followed hop by hop (at most ``max_redirects``, loops refused) and every hop is
    checked like the first URL: http(s) only, inside ``allowed_domains`` when given, and not on a
    private, loopback or link-local address unless ``allow_private``; bodies are streamed under
    a byte cap (a larger ``Content-Length`` is refused before the body is read).

Every failure is a :class:`~gaia_geo.errors.DownloadError` with a stable ``code`` (``http-404``,
``timeout``, ``network-error``, ``truncated-body``, ``too-large``, ``not-an-image``,
``private-address``, ``redirect-loop``...) and a one-line ``reason``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from .._neterrors import network_error_line
from .._retry_after import MAX_RETRY_AFTER_S, parse_retry_after
from ..errors import DownloadError
from ._cache import HttpCache
from ._images import is_image_type
from ._limiter import HostLimiter
from ._urls import TargetGuard, canonicalize_url, host_allowed, host_key

#: Answers worth another try.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    """The limits a :class:`Fetcher` applies.

    Attributes:
        per_host: requests in flight to one host at once (None: no bound).
        delay_s: minimum seconds between request starts to one host.
        max_connections: requests in flight over all hosts (None: no global bound).
        retries: extra tries after a transient failure.
        backoff_s: the first backoff (doubling per retry) when no ``Retry-After`` is given.
        max_retry_after_s: a longer ``Retry-After`` fails the URL instead of stalling the run.
        max_redirects: redirect hops per URL.
        timeout_s: seconds to connect and between reads.
        allowed_domains: hosts that may be fetched, redirects included (None: any host).
        allow_private: also fetch from private, loopback and link-local addresses.
        user_agent: the User-Agent header.
    """

    per_host: int | None = 4
    delay_s: float = 0.0
    max_connections: int | None = None
    retries: int = 3
    backoff_s: float = 0.5
    max_retry_after_s: float = MAX_RETRY_AFTER_S
    max_redirects: int = 5
    timeout_s: float = 30.0
    allowed_domains: frozenset[str] | None = None
    allow_private: bool = False
    user_agent: str = "gaia-geo"

    def open_client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` to fetch with (redirects off: the fetcher checks each hop)."""
        n = self.max_connections
        return httpx.AsyncClient(
            headers={"User-Agent": self.user_agent},
            follow_redirects=False,
            timeout=httpx.Timeout(self.timeout_s),
            limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
        )


@dataclass
class Fetched:
    """A successful fetch: the URL asked for, the final URL, media type, body, served by a 304."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    not_modified: bool = False


@dataclass(frozen=True)
class _Redirect:
    status: int
    location: str | None


def _transient(err: BaseException) -> bool:
    return isinstance(err, DownloadError) and not err.permanent


class Fetcher:
    """Fetch URLs politely and safely with one shared ``httpx.AsyncClient``.

    Args:
        client: the HTTP client (from :meth:`FetchPolicy.open_client`: redirects off).
        policy: limits, retries and scope.
        cache: conditional-GET cache, or None.
        allowed_by_robots: coroutine telling whether a URL may be fetched (robots.txt).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: FetchPolicy,
        cache: HttpCache | None = None,
        allowed_by_robots: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        self.client = client
        self.policy = policy
        self.limiter = HostLimiter(policy.per_host, policy.delay_s, policy.max_connections)
        self.guard = TargetGuard(policy.allowed_domains, policy.allow_private)
        self.cache = cache
        self.allowed_by_robots = allowed_by_robots
        self.requests = 0
        self.retries = 0

    async def check_target(self, url: str, *, robots: bool = True) -> None:
        """Raise DownloadError if ``url`` may not be fetched (see :class:`TargetGuard`, robots)."""
        await self.guard.check(url)
        if robots and self.allowed_by_robots is not None and not await self.allowed_by_robots(url):
            raise DownloadError(url, "robots.txt disallows this URL", code="robots-disallow")

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str = "*/*",
        images_only: bool = False,
        use_cache: bool = True,
        check_robots: bool = True,
    ) -> Fetched:
        """GET ``url`` following redirects hop by hop; return the final body.

        Args:
            url: what to fetch.
            max_bytes: larger bodies are refused (``too-large``).
            accept: the Accept header.
            images_only: refuse a body whose Content-Type cannot be an image (``not-an-image``)
                before reading it.
            use_cache: revalidate through the cache and store the answer there.
            check_robots: ask ``allowed_by_robots`` first.

        Raises:
            DownloadError: on any refusal or failure; ``code`` says which.
        """
        seen = {url}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            await self.check_target(current, robots=check_robots)
            answer = await self._get(current, max_bytes, accept, images_only, use_cache)
            if isinstance(answer, Fetched):
                answer.url = url
                return answer
            try:
                target = (
                    canonicalize_url(answer.location, base=current) if answer.location else None
                )
            except ValueError:
                target = None
            if target is None:
                raise DownloadError(
                    current, f"HTTP {answer.status} without a usable Location", code="bad-redirect"
                )
            if target in seen:
                raise DownloadError(
                    url, f"redirect from {current} back to {target}", code="redirect-loop"
                )
            if self.policy.allowed_domains is not None and not host_allowed(
                target, self.policy.allowed_domains
            ):
                raise DownloadError(
                    url, f"redirect to {target} refused", code="redirect-off-allowlist"
                )
            seen.add(target)
            current = target
        raise DownloadError(
            url, f"more than {self.policy.max_redirects} redirects", code="too-many-redirects"
        )

    async def _get(
        self, url: str, max_bytes: int, accept: str, images_only: bool, use_cache: bool
    ) -> Fetched | _Redirect:
        """One GET of one hop, tried again on transient failures (the fetcher's one retry loop)."""
        key = host_key(url)
        cached = self.cache.get(url) if (use_cache and self.cache is not None) else None
        headers = {"Accept": accept}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified

        async def attempt() -> Fetched | _Redirect:
            async with self.limiter.slot(key):
                return await self._get_once(url, headers, max_bytes, images_only, use_cache)

        retries = self.policy.retries
        try:
            # Most requests succeed at the first try: those pay nothing for tenacity's loop.
            try:
                answer = await attempt()
            except DownloadError as err:
                if err.permanent or retries < 1:
                    raise
                await asyncio.sleep(self._wait(key, 1, err))
                retrying = AsyncRetrying(
                    stop=stop_after_attempt(retries),
                    wait=lambda state: self._wait(
                        key,
                        state.attempt_number + 1,
                        state.outcome.exception() if state.outcome else None,
                    ),
                    retry=retry_if_exception(_transient),
                    reraise=True,
                )
                async for trial in retrying:
                    with trial:
                        answer = await attempt()
        except DownloadError as err:
            if err.permanent:
                raise
            raise DownloadError(
                url, f"{err.reason} (gave up after {retries + 1} attempts)", code=err.code
            ) from None
        if isinstance(answer, _Redirect) and answer.status == 304:
            if cached is None:
                raise DownloadError(
                    url, "HTTP 304 to a request without validators", code="http-304"
                )
            return Fetched(url, url, cached.content_type, cached.body, not_modified=True)
        return answer

    def _wait(self, key: str, attempt: int, error: BaseException | None) -> float:
        """Seconds before try ``attempt + 1``; a server that answered 429/5xx holds its host."""
        self.retries += 1
        after = error.retry_after if isinstance(error, DownloadError) else None
        if after is None:
            after = self.policy.backoff_s * 2 ** (attempt - 1) * (0.75 + 0.5 * random.random())
            if not (isinstance(error, DownloadError) and error.code.startswith("http-")):
                return after  # a network error: only this URL waits
        self.limiter.push_back(key, after)
        return after

    async def _get_once(
        self, url: str, headers: dict[str, str], max_bytes: int, images_only: bool, cache: bool
    ) -> Fetched | _Redirect:
        self.requests += 1
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status != 200:
                    return self._not_ok(url, response)
                content_type = response.headers.get("content-type", "application/octet-stream")
                if images_only and not is_image_type(content_type):
                    media = content_type.split(";")[0].strip().lower()
                    raise DownloadError(
                        url, f"content-type {media!r} is not an image", code="not-an-image"
                    )
                body = await _read_capped(url, response, max_bytes)
        except httpx.UnsupportedProtocol as err:
            raise DownloadError(
                url, f"unsupported URL scheme: {err}", code="unsupported-scheme"
            ) from None
        except httpx.InvalidURL as err:
            raise DownloadError(url, f"invalid URL: {err}", code="invalid-url") from None
        except httpx.TimeoutException as err:
            raise DownloadError(url, network_error_line(err), False, code="timeout") from None
        except httpx.TransportError as err:  # refused or cut connections, truncated bodies
            if "complete message body" in str(err):
                reason, code = f"truncated body: {err}", "truncated-body"
            else:
                reason, code = network_error_line(err), "network-error"
            raise DownloadError(url, reason, False, code=code) from None
        if cache and self.cache is not None:
            etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
            self.cache.put(url, etag, modified, content_type, body)
        return Fetched(url, str(response.url), content_type, body)

    def _not_ok(self, url: str, response: httpx.Response) -> _Redirect:
        status = response.status_code
        if 300 <= status < 400:
            return _Redirect(status, response.headers.get("location"))
        if status not in RETRY_STATUSES:
            raise DownloadError(url, f"HTTP {status}", code=f"http-{status}")
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is not None and wait > self.policy.max_retry_after_s:
            raise DownloadError(
                url,
                f"HTTP {status}: the server asked to wait {wait:.0f} s, more than "
                f"max_retry_after_s={self.policy.max_retry_after_s:g}; rerun later",
                code="retry-after-too-long",
            )
        raise DownloadError(url, f"HTTP {status}", False, wait, code=f"http-{status}")


async def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refused (``too-large``) once it passes ``max_bytes`` or announces more."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise DownloadError(
            url, f"size {int(declared)} bytes exceeds the limit of {max_bytes}", code="too-large"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(
                url, f"body exceeds the limit of {max_bytes} bytes", code="too-large"
            )
        chunks.append(chunk)
    return b"".join(chunks)
