"""A small OpenAI-compatible HTTP server on loopback, for tests, demos and benchmarks.

It speaks enough of the OpenAI API for the describe stage: ``POST /v1/chat/completions`` (plain
text, or structured output through ``response_format`` ``json_schema``), ``/v1/files`` (upload,
metadata, content download) and ``/v1/batches`` (create, retrieve). Answers are deterministic
functions of the request (see :func:`caption_payload`), usage tokens are reported, and faults can
be injected: 429 with ``retry-after``, 500, hangs (client timeouts), malformed bodies, malformed or
wrong structured output, dropped connections, an invalid key (401) and a server that dies mid-run.

It is a real server (aiohttp on a background thread), not a mocked client, so the whole HTTP stack
of the ``openai`` SDK is exercised.

Example:
    >>> from gaia_geo.describe.testing_server import FakeOpenAIServer
    >>> with FakeOpenAIServer(latency=0.01) as server:  # doctest: +SKIP
    ...     server.add_fault("rate_limit", times=2)
    ...     print(server.base_url)
    http://127.0.0.1:54321/v1

Run it alone with ``python -m gaia_geo.describe.testing_server --port 8099 --latency 0.1``.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import math
import threading
import time
import uuid
from typing import Any

import orjson

from ._client import GENERATOR_FIELD, TEST_SERVER
from ._testing_answers import (
    CONTENT_FAULTS,
    Fault,
    FaultKind,
    RequestRecord,
    caption_payload,
    digest,
    image_urls,
    request_text,
    summary_text,
)
from ._testing_batches import FilesAndBatches, _Batch, _File
from ._testing_extract import extraction_payload, is_extraction_request

__all__ = [
    "CONTENT_FAULTS",
    "FakeOpenAIServer",
    "Fault",
    "FaultKind",
    "RequestRecord",
    "caption_payload",
    "image_urls",
    "main",
    "request_text",
    "summary_text",
]


class FakeOpenAIServer(FilesAndBatches):
    """An OpenAI-compatible server on ``127.0.0.1`` in a background thread.

    Args:
        latency: seconds each chat completion takes (simulated model time).
        api_key: the only key accepted (``None`` accepts any); a wrong key gets 401.
        retry_after: seconds sent in ``retry-after`` with injected 429s.
        retry_after_date: send that wait as an HTTP-date instead (now + ``retry_after``, rounded
            up to the next whole second, as HTTP-dates have no fractions).
        hang: seconds a ``timeout`` fault stalls before answering.
        requests_per_window: a fixed-window rate limit (429 when exceeded), or ``None``.
        window: the rate-limit window in seconds.
        batch_delay: seconds a batch stays ``in_progress`` before it completes.
        port: the port (0 picks a free one).
        mark_answers: mark every completion as the test server's (a top-level
            ``gaia_generator: "test-server"`` field), so the describe stage records its captions
            with ``generator: test-server``, costs them at 0 and never reads them back for
            another server. ``False`` poses as a paid API (for cost-accounting tests).
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
        retry_after: float = 0.05,
        retry_after_date: bool = False,
        hang: float = 5.0,
        requests_per_window: int | None = None,
        window: float = 1.0,
        batch_delay: float = 0.05,
        port: int = 0,
        mark_answers: bool = True,
    ) -> None:
        self.latency = latency
        self.api_key = api_key
        self.retry_after = retry_after
        self.retry_after_date = retry_after_date
        self.hang = hang
        self.requests_per_window = requests_per_window
        self.window = window
        self.batch_delay = batch_delay
        self.port = port
        self.mark_answers = mark_answers
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.files: dict[str, _File] = {}
        self.batches: dict[str, _Batch] = {}
        self.served = 0
        #: how many of the next batches end ``failed`` (as a validation failure would)
        self.fail_batches = 0
        self._lock = threading.Lock()
        self._window_start = time.monotonic()
        self._window_count = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: Any = None
        self._die_task: asyncio.Task[None] | None = None
        self.dead = False

    def _retry_after_header(self) -> str:
        if not self.retry_after_date:
            return f"{self.retry_after:g}"
        return email.utils.formatdate(math.ceil(time.time() + self.retry_after), usegmt=True)

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        """Start serving in a background thread; returns ``self``."""
        from aiohttp import web

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

        async def boot() -> int:
            app = web.Application(client_max_size=256 * 1024 * 1024)
            app.router.add_post("/v1/chat/completions", self._chat)
            app.router.add_post("/v1/redirected", self._redirected)
            app.router.add_post("/v1/files", self._upload)
            app.router.add_get("/v1/files/{file_id}", self._file_meta)
            app.router.add_get("/v1/files/{file_id}/content", self._file_content)
            app.router.add_post("/v1/batches", self._create_batch)
            app.router.add_get("/v1/batches/{batch_id}", self._get_batch)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=1024)
            await site.start()
            sockets: list[Any] = list(getattr(site._server, "sockets", None) or [])
            return int(sockets[0].getsockname()[1])

        self.port = asyncio.run_coroutine_threadsafe(boot(), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Stop the server and its thread (idempotent)."""
        if self._loop is None:
            return
        if self._die_task is not None:
            task = self._die_task

            async def settle() -> None:
                await asyncio.wait([task])

            asyncio.run_coroutine_threadsafe(settle(), self._loop).result(10)
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._runner = None

        async def cancel_the_rest() -> None:
            # handlers still waiting (a hung request whose client gave up) end here, not as
            # "Task was destroyed but it is pending" when the loop closes
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel_the_rest(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- faults and records ----------------------------------------------------------------
    def add_fault(
        self,
        kind: FaultKind,
        times: int = 1,
        *,
        match: str | None = None,
        after: int = 0,
        structured_only: bool = True,
    ) -> None:
        """Inject a fault (see :class:`Fault`)."""
        with self._lock:
            self.faults.append(Fault(kind, times, match, after, structured_only))

    def chat_records(self, status: int | None = None) -> list[RequestRecord]:
        """The chat-completion requests received, optionally only those answered with ``status``."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path == "/v1/chat/completions" and (status is None or r.status == status)
            ]

    def _take_fault(self, raw: str, structured: bool) -> str | None:
        with self._lock:
            for fault in self.faults:
                if fault.times <= 0 or self.served < fault.after:
                    continue
                if fault.structured_only and not structured and fault.kind != "die":
                    continue
                if fault.match is not None and fault.match not in raw:
                    continue
                fault.times -= 1
                return fault.kind
        return None

    def _rate_headers(self) -> tuple[dict[str, str], bool]:
        limit = self.requests_per_window or 10_000
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= self.window:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            over = self.requests_per_window is not None and self._window_count > limit
            remaining = max(limit - self._window_count, 0)
            reset = max(self.window - (now - self._window_start), 0.0)
        headers = {
            "x-ratelimit-limit-requests": str(limit),
            "x-ratelimit-remaining-requests": str(remaining),
            "x-ratelimit-reset-requests": f"{reset:.3f}s",
            "x-ratelimit-limit-tokens": "10000000",
            "x-ratelimit-remaining-tokens": "9999000",
            "x-ratelimit-reset-tokens": "6ms",
        }
        return headers, over

    # ---- chat ------------------------------------------------------------------------------
    def _answer(self, body: dict[str, Any], fault: str | None) -> dict[str, Any] | str:
        """The completion object for ``body`` (or a raw malformed string)."""
        text = request_text(body)
        structured = isinstance(body.get("response_format"), dict)
        if is_extraction_request(body):  # collect's metadata extraction (_testing_extract.py)
            content = orjson.dumps(extraction_payload(body)).decode()
        elif structured:
            content = orjson.dumps(caption_payload(text, fault)).decode()
            if fault == "malformed_json":
                content = content[: len(content) // 2]
        else:
            content = summary_text(text)
        prompt_tokens = math.ceil(len(text) / 4) + 765 * len(image_urls(body))
        completion_tokens = math.ceil(len(content) / 4)
        answer: dict[str, Any] = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "unknown"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        if self.mark_answers:
            answer[GENERATOR_FIELD] = TEST_SERVER
        return answer

    def _auth_error(self, request: Any) -> dict[str, Any] | None:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if self.api_key is None or given == self.api_key:
            return None
        # Like the real API, the message quotes the key: clients must redact it themselves.
        return {
            "error": {
                "message": f"Incorrect API key provided: {given}.",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        }

    async def _chat(self, request: Any) -> Any:
        from aiohttp import web

        if self.dead:  # a dead server answers nothing, also on connections kept alive
            if request.transport is not None:
                request.transport.close()
            raise asyncio.CancelledError
        if request.content_type != "application/json":
            err = {
                "error": {
                    "message": f"Content-Type must be application/json, got "
                    f"{request.content_type!r}"
                }
            }
            return web.json_response(err, status=415)
        data = await request.read()
        raw = data.decode("utf-8", "replace")
        try:
            body = orjson.loads(data)
        except orjson.JSONDecodeError:
            return web.json_response({"error": {"message": "invalid JSON body"}}, status=400)
        text = request_text(body)
        record = RequestRecord("/v1/chat/completions", 0, digest(raw), text, None, image_urls(body))
        with self._lock:
            self.requests.append(record)
        structured = isinstance(body.get("response_format"), dict)
        auth = self._auth_error(request)
        fault = "unauthorized" if auth else self._take_fault(raw, structured)
        record.fault = fault
        headers, over = self._rate_headers()
        if fault == "unauthorized":
            record.status = 401
            err = auth or {"error": {"message": "Incorrect API key provided.", "type": "auth"}}
            return web.json_response(err, status=401, headers=headers)
        if over or fault == "rate_limit":
            record.status = 429
            headers["retry-after"] = self._retry_after_header()
            headers["x-ratelimit-remaining-requests"] = "0"
            err = {"error": {"message": "Rate limit reached", "type": "requests"}}
            return web.json_response(err, status=429, headers=headers)
        if fault == "server_error":
            record.status = 500
            return web.json_response({"error": {"message": "internal error"}}, status=500)
        if fault == "redirect":  # to another path of this server, which records who follows
            record.status = 307
            return web.Response(status=307, headers={"Location": "/v1/redirected"})
        if fault in ("drop", "die"):
            record.status = -1
            if request.transport is not None:
                request.transport.close()
            if fault == "die" and not self.dead:
                self.dead = True
                self._die_task = asyncio.get_running_loop().create_task(self._die())
            raise asyncio.CancelledError
        await asyncio.sleep(self.hang if fault == "timeout" else self.latency)
        answer = self._answer(body, fault if fault in CONTENT_FAULTS else None)
        record.status = 200
        with self._lock:
            self.served += 1
        if fault == "malformed_body":
            return web.Response(
                text='{"id": "chatcmpl-x", "choices": [', content_type="application/json"
            )
        return web.Response(
            body=orjson.dumps(answer), headers=headers, content_type="application/json"
        )

    async def _redirected(self, request: Any) -> Any:
        from aiohttp import web

        with self._lock:  # a client that follows the redirect shows up here
            self.requests.append(RequestRecord("/v1/redirected", 404, "", ""))
        return web.json_response({"error": {"message": "not here"}}, status=404)

    async def _die(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted: ``python -m gaia_geo.describe.testing_server --port 8099``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(latency=args.latency, api_key=args.api_key, port=args.port).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
