"""The OpenAI-compatible client: bounded concurrency, rate-limit headers, retries, redaction.

Built on ``openai.AsyncOpenAI`` (so any OpenAI-compatible server works through ``base_url``, and
``OPENAI_BASE_URL``, organisation and project settings apply as the SDK applies them) with the
SDK's own retries turned off: retries are done here with tenacity, with jittered exponential
backoff on 429, 5xx, timeouts, dropped connections and malformed bodies, honouring ``retry-after``
(seconds or an HTTP-date, read by the library's one rule in :mod:`gaia_geo._retry_after`; a wait
longer than ``RetryPolicy.max_retry_after`` fails the request at once: "rerun later"); a 401/403
is never retried and stops the run at once. The ``x-ratelimit-*`` headers of every answer feed a
shared gate, so all workers pause when the quota is spent instead of each collecting 429s.

Chat completions, the one call made hundreds of times a second, go by default over a plain
aiohttp session carrying the SDK client's own URL and headers (``transport="aiohttp"``): the
SDK's request and response layers cost about 0.4 ms of CPU per request, a third of the whole
per-Item cost, and that CPU is what limits a run at 64 requests in flight. Failures are turned
into the SDK's exceptions (``openai.APIStatusError`` subclasses, ``APIConnectionError``,
``APITimeoutError``), so retries and error messages are the same on both transports;
``transport="sdk"`` sends them through ``AsyncOpenAI`` instead. Files and batches always use the
SDK.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import orjson
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from .._neterrors import network_error_line
from .._retry_after import MAX_RETRY_AFTER_S, parse_retry_after
from ..errors import CaptionAuthError, CaptionRequestError, CaptionServiceError, DescribeError
from ._redact import redact

T = TypeVar("T")

log = logging.getLogger(__name__)

#: how chat completions travel (see the module docstring)
Transport = Literal["aiohttp", "sdk"]
TRANSPORTS: tuple[str, ...] = ("aiohttp", "sdk")

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")

#: The API root the ``openai`` SDK talks to when no base URL is given.
OPENAI_API_ROOT = "https://api.openai.com/v1"
#: The top-level completion field with which gaia_geo's test server marks its answers, and its
#: value: such answers are recorded with ``generator: test-server`` and cost nothing.
GENERATOR_FIELD = "gaia_generator"
TEST_SERVER = "test-server"


def check_base_url(base_url: str | None) -> None:
    """Refuse a base URL that carries credentials (``http://user:key@host/v1``).

    The URL appears in error messages and logs; a key inside it would leak there. The message
    does not repeat the URL.

    Raises:
        DescribeError: if the URL has a user name or password, or is not an http(s) URL.
    """
    if not base_url:
        return
    parts = urllib.parse.urlsplit(base_url)
    if parts.username is not None or parts.password is not None:
        raise DescribeError(
            "the base URL carries credentials (user:key@host); it is not printed, so the key "
            "stays out of logs: pass the URL without them and the key in OPENAI_API_KEY"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DescribeError(
            f"the base URL {base_url!r} is not an http(s) URL; give the API root, e.g. "
            "http://127.0.0.1:8000/v1"
        )


def endpoint_id(base_url: str | None) -> str:
    """The normalised API root that answers a run, the part of every cache key it owns.

    ``None`` means the SDK's default (:data:`OPENAI_API_ROOT`); scheme and host are lower-cased,
    a default port, credentials, query and trailing slashes are dropped, so spellings of the same
    server share answers and different servers never do.
    """
    check_base_url(base_url)
    parts = urllib.parse.urlsplit(base_url or OPENAI_API_ROOT)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != {"http": 80, "https": 443}.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path.rstrip('/')}"


def parse_reset(value: str | None) -> float | None:
    """Seconds in an ``x-ratelimit-reset-*`` header: ``"1s"``, ``"6m0s"``, ``"20ms"``, ``"0.5"``."""
    if not value:
        return None
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    parts = _DURATION.findall(value)
    if not parts:
        return None
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    return sum(float(n) * scale[u] for n, u in parts)


class MalformedResponse(Exception):
    """A 200 answer whose body is not the JSON of a chat completion (retried)."""


def _transient(err: BaseException) -> bool:
    """Whether a failure is worth another try: 408/409/429/5xx, timeouts, drops, bad bodies."""
    import openai

    if isinstance(err, openai.APIStatusError):
        return err.status_code in (408, 409, 429) or err.status_code >= 500
    return isinstance(err, openai.APIConnectionError | MalformedResponse)


@dataclass(frozen=True)
class RetryPolicy:
    """How transient failures are retried.

    Attributes:
        attempts: tries per request, the first included.
        base_delay: scale of the jittered exponential backoff, in seconds.
        max_delay: the longest wait between two tries, in seconds.
        timeout: seconds before a request counts as timed out.
        max_retry_after: the longest ``retry-after`` waited for, in seconds; a server asking
            for longer fails the request at once instead of stalling the run (the Item is
            recorded as failed, several in a row stop the run; a rerun resumes it).
    """

    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    timeout: float = 120.0
    max_retry_after: float = MAX_RETRY_AFTER_S

    def __post_init__(self) -> None:
        if (
            self.attempts < 1
            or self.base_delay < 0
            or self.max_delay < 0
            or self.timeout <= 0
            or self.max_retry_after < 0
        ):
            raise ValueError(f"invalid retry policy {self!r}")


@dataclass(frozen=True)
class Completion:
    """One chat completion's answer and accounting.

    Attributes:
        content: the answer's text.
        model: the model that answered.
        input_tokens: prompt tokens.
        output_tokens: completion tokens.
        generator: ``"openai"`` (any OpenAI-compatible API) or :data:`TEST_SERVER` (gaia_geo's
            test server, which marks its answers with :data:`GENERATOR_FIELD`).
    """

    content: str
    model: str
    input_tokens: int
    output_tokens: int
    generator: str = "openai"


def completion_from(data: Any, fallback_model: str) -> Completion:
    """The :class:`Completion` in a chat completion object (a parsed response body).

    Raises:
        KeyError, IndexError, TypeError, AttributeError: if ``data`` is not a chat completion.
    """
    content = data["choices"][0]["message"]["content"]
    usage = data.get("usage") or {}
    return Completion(
        content if isinstance(content, str) else "",
        str(data.get("model") or fallback_model),
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
        TEST_SERVER if data.get(GENERATOR_FIELD) == TEST_SERVER else "openai",
    )


class _RateGate:
    """Shared pause: set from rate-limit headers and 429s, awaited before every request."""

    def __init__(self) -> None:
        self.resume_at = 0.0

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, time.monotonic() + seconds)

    async def wait(self) -> None:
        delay = self.resume_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    def update(self, headers: Any) -> None:
        for kind in ("requests", "tokens"):
            remaining = headers.get(f"x-ratelimit-remaining-{kind}")
            if remaining is not None and remaining.strip().isdigit() and int(remaining) <= 0:
                reset = parse_reset(headers.get(f"x-ratelimit-reset-{kind}"))
                if reset:
                    log.info("rate limit of %s reached; pausing %.2f s", kind, reset)
                    self.pause(reset)


class CaptionClient:
    """Chat completions with bounded concurrency and retries.

    Args:
        api_key: the key (never logged, cached or written; masked in every error).
        base_url: an OpenAI-compatible API root, e.g. ``http://127.0.0.1:8000/v1``.
        concurrency: the most requests in flight.
        retry: the retry policy.
        transport: ``"aiohttp"`` (chat completions over a direct aiohttp session with the SDK
            client's URL and headers) or ``"sdk"`` (through ``AsyncOpenAI``).
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        concurrency: int = 16,
        retry: RetryPolicy | None = None,
        transport: Transport = "aiohttp",
    ) -> None:
        import httpx2
        import openai

        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
        self.transport = transport
        self._concurrency = concurrency
        self.retry = retry or RetryPolicy()
        self._key = api_key
        # An httpx2 pool that follows no redirect: the SDK's default client follows them, and
        # its aiohttp transport (``openai.DefaultAioHttpClient``) cannot be told not to.
        pool = max(100, concurrency)
        http_client = httpx2.AsyncClient(
            timeout=self.retry.timeout,
            limits=httpx2.Limits(max_connections=pool, max_keepalive_connections=pool),
            follow_redirects=False,
        )
        #: the SDK client (chat completions, files and batches)
        self.openai = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            max_retries=0,
            timeout=self.retry.timeout,
            http_client=http_client,
        )
        self._semaphore = asyncio.Semaphore(concurrency)
        self.gate = _RateGate()
        self.requests_sent = 0
        self._idempotency_prefix = f"gaia-{uuid.uuid4()}-"
        self._session: Any = None  # the aiohttp session, made in the event loop on first use
        self._chat_url = f"{self.openai.base_url}chat/completions"
        self._headers: dict[str, str] = {}
        self._proxy: str | None = None

    async def close(self) -> None:
        """Close the HTTP connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        await self.openai.close()

    def redact(self, text: str) -> str:
        """``text`` with the API key masked."""
        return redact(text, self._key)

    def _delay(self, attempt: int, error: BaseException | None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1 for the first).

        The server's ``retry-after`` (seconds or an HTTP-date) when it sent one (which also
        pauses every other worker), else a jittered exponential backoff: uniform in
        [0, min(max_delay, base_delay * 2^(n-1))], tenacity's ``wait_random_exponential``.
        """
        high = min(self.retry.max_delay, self.retry.base_delay * 2 ** (attempt - 1))
        backoff = random.uniform(0, high)
        seconds = _retry_after(error)
        if seconds is not None:
            self.gate.pause(seconds)
            return seconds + backoff * 0.1
        return backoff

    def _next_idempotency_key(self) -> str:
        # our own key per try: the SDK would draw a uuid4 (a urandom call) per request
        self.requests_sent += 1
        return f"{self._idempotency_prefix}{self.requests_sent}"

    async def _post_sdk(self, body: dict[str, Any]) -> Completion:
        import httpx2

        await self.gate.wait()
        async with self._semaphore:
            # client.post skips the SDK's per-field request transform (about a third of its CPU
            # per request), which matters at hundreds of requests per second.
            response = await self.openai.post(
                "/chat/completions",
                content=orjson.dumps(body),  # several times faster than the SDK's json.dumps
                options={
                    "headers": {"Content-Type": "application/json"},
                    "idempotency_key": self._next_idempotency_key(),
                },
                cast_to=httpx2.Response,
            )
        self.gate.update(response.headers)
        return _completion(response.content, body)

    def _open_session(self) -> Any:
        import aiohttp

        # The SDK client's headers: User-Agent, X-Stainless-*, Authorization, and the
        # OpenAI-Organization / OpenAI-Project it read from its arguments or the environment.
        headers = {**self.openai.default_headers, **self.openai.auth_headers}
        self._headers = {k: v for k, v in headers.items() if isinstance(v, str)}
        self._headers["Content-Type"] = "application/json"
        self._proxy = _env_proxy(self._chat_url)
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max(100, self._concurrency)),
            timeout=aiohttp.ClientTimeout(total=self.retry.timeout),
        )

    async def _post_aiohttp(self, body: dict[str, Any]) -> Completion:
        import aiohttp
        import httpx2
        import openai

        if self._session is None:
            self._session = self._open_session()
        await self.gate.wait()
        async with self._semaphore:
            headers = {**self._headers, "Idempotency-Key": self._next_idempotency_key()}
            try:
                async with self._session.post(
                    self._chat_url,
                    data=orjson.dumps(body),
                    headers=headers,
                    proxy=self._proxy,
                    allow_redirects=False,  # a redirect never carries the key on
                ) as response:
                    raw = await response.read()
                    status, response_headers = response.status, response.headers
            except TimeoutError as err:
                raise openai.APITimeoutError(httpx2.Request("POST", self._chat_url)) from err
            except aiohttp.ClientError as err:
                request = httpx2.Request("POST", self._chat_url)
                raise openai.APIConnectionError(request=request) from err
        if status >= 300:
            failed = httpx2.Response(
                status,
                headers=list(response_headers.items()),
                content=raw,
                request=httpx2.Request("POST", self._chat_url),
            )
            # the SDK's own mapping: RateLimitError, AuthenticationError... with its message
            raise self.openai._make_status_error_from_response(failed)
        self.gate.update(response_headers)
        return _completion(raw, body)

    async def complete(self, body: dict[str, Any]) -> Completion:
        """Send one chat completion request, retrying transient failures.

        Raises:
            CaptionAuthError: on 401/403 (at once, no retry).
            CaptionRequestError: on another 4xx (this request is wrong; not retried).
            CaptionServiceError: when every try failed; the message names the last error.
        """
        post = self._post_aiohttp if self.transport == "aiohttp" else self._post_sdk
        return await self.call(lambda: post(body))

    async def call(self, factory: Callable[[], Awaitable[T]], what: str = "request") -> T:
        """Await ``factory()`` with the retry policy and the error translation of :meth:`complete`.

        Args:
            factory: makes a fresh awaitable for each try (an SDK call).
            what: what is being done, for error messages.
        """
        import openai

        try:
            # Most requests succeed at the first try: those pay nothing for the retry machinery
            # (a tenacity loop costs about as much CPU as the HTTP request itself).
            try:
                return await factory()
            except Exception as err:
                if not self._retryable(err) or self.retry.attempts < 2:
                    raise
                await asyncio.sleep(self._delay(1, err))
            retrying = AsyncRetrying(
                stop=stop_after_attempt(self.retry.attempts - 1),
                wait=lambda state: self._delay(
                    state.attempt_number + 1, state.outcome.exception() if state.outcome else None
                ),
                retry=retry_if_exception(self._retryable),
                reraise=True,
            )
            async for attempt in retrying:
                with attempt:
                    return await factory()
        except openai.APIStatusError as err:
            if err.status_code in (401, 403):
                raise CaptionAuthError(
                    f"the API at {self.openai.base_url} rejected the key (HTTP "
                    f"{err.status_code}): {self.redact(err.message).rstrip('.')}. Set a valid "
                    "OPENAI_API_KEY; nothing was retried."
                ) from None
            after = _retry_after(err)
            if _transient(err) and after is not None and after > self.retry.max_retry_after:
                raise CaptionServiceError(
                    f"{what} to {self.openai.base_url} answered HTTP {err.status_code} asking to "
                    f"wait {after:.0f} s, more than max_retry_after={self.retry.max_retry_after:g}"
                    " s. Answers received so far are cached; rerun the same command later to "
                    "resume."
                ) from None
            if _transient(err):
                raise self._gave_up(what, err) from None
            if 300 <= err.status_code < 400:  # redirects are not followed: say where to go
                where = err.response.headers.get("location", "?")
                raise CaptionRequestError(
                    f"{what} answered with a redirect (HTTP {err.status_code} to {where}), "
                    "which is not followed, so the key goes nowhere else: use the address it "
                    "points to as --base-url"
                ) from None
            raise CaptionRequestError(
                f"{what} rejected with HTTP {err.status_code}: {self.redact(err.message)}"
            ) from None
        except (openai.APIConnectionError, MalformedResponse) as err:
            raise self._gave_up(what, err) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _retryable(self, err: BaseException) -> bool:
        """Transient, and not asking for a longer wait than ``max_retry_after``."""
        after = _retry_after(err)
        return _transient(err) and (after is None or after <= self.retry.max_retry_after)

    def _gave_up(self, what: str, err: Exception) -> CaptionServiceError:
        line = network_error_line(err)
        return CaptionServiceError(
            f"{what} to {self.openai.base_url} failed after {self.retry.attempts} tries: "
            f"{self.redact(line).rstrip('.')}. Answers received so far are cached; "
            "rerun the same command to resume."
        )


def _retry_after(err: BaseException | None) -> float | None:
    """The seconds an HTTP error's ``retry-after`` asks to wait (seconds or an HTTP-date)."""
    import openai

    if isinstance(err, openai.APIStatusError):
        return parse_retry_after(err.response.headers.get("retry-after"))
    return None


def _env_proxy(url: str) -> str | None:
    """The proxy that ``HTTP(S)_PROXY`` / ``NO_PROXY`` name for ``url``, as httpx would use.

    Read once per session: aiohttp's ``trust_env`` reads the environment on every request, which
    costs more CPU than the rest of the request.
    """
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit(":", 1)[0]
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies_environment().get(scheme.lower())


def _completion(raw: bytes, body: dict[str, Any]) -> Completion:
    """The answer in a 200 response's body; a body that is not a chat completion is retried."""
    try:
        return completion_from(orjson.loads(raw), str(body.get("model")))
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise MalformedResponse(f"malformed completion body: {err}") from None
