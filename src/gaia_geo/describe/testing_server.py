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
import hashlib
import json
import math
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal[
    "rate_limit",
    "server_error",
    "timeout",
    "malformed_body",
    "malformed_json",
    "four_captions",
    "photo",
    "duplicate",
    "wrong_sensor",
    "bad_date",
    "not_rs",
    "chart",
    "drop",
    "unauthorized",
    "die",
]
#: Faults that change the structured answer (the rest act on the HTTP exchange).
CONTENT_FAULTS = frozenset(
    {
        "malformed_json",
        "four_captions",
        "photo",
        "duplicate",
        "wrong_sensor",
        "bad_date",
        "not_rs",
        "chart",
    }
)


@dataclass
class Fault:
    """One injected fault.

    Attributes:
        kind: what goes wrong.
        times: how many requests it hits before it is used up.
        match: only requests whose body contains this text (e.g. an item id) are hit.
        after: only once this many chat completions have been answered successfully.
        structured_only: only requests asking for structured output (the captioning step).
    """

    kind: FaultKind
    times: int = 1
    match: str | None = None
    after: int = 0
    structured_only: bool = True


@dataclass
class RequestRecord:
    """One request the server received."""

    path: str
    status: int
    body_sha256: str
    text: str
    fault: str | None = None
    image_urls: list[str] = field(default_factory=list)


@dataclass
class _File:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    created_at: int
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_text(body: dict[str, Any]) -> str:
    """Concatenate the text parts of a chat request's messages (what the answers derive from)."""
    parts: list[str] = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(p.get("text", "") for p in content if p.get("type") == "text")
    return "\n".join(parts)


def image_urls(body: dict[str, Any]) -> list[str]:
    """The image URLs (``data:`` or public) of a chat request."""
    urls: list[str] = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, list):
            urls.extend(p["image_url"]["url"] for p in content if p.get("type") == "image_url")
    return urls


def _field(text: str, name: str) -> str | None:
    match = re.search(rf'"{re.escape(name)}": "([^"]*)"', text)
    return match.group(1) if match else None


def _list_field(text: str, name: str) -> list[str]:
    match = re.search(rf'"{re.escape(name)}": \[([^\]]*)\]', text)
    return re.findall(r'"([^"]*)"', match.group(1)) if match else []


def caption_payload(text: str, fault: str | None = None) -> dict[str, Any]:
    """The structured answer the server gives for a request whose text parts are ``text``.

    Captions embed ``sha256(text)[:8]`` so a test can tell which request an answer came from. The
    satellite and sensor echo the Item metadata in the prompt (``"platform"``, ``"instruments"``).

    Args:
        text: :func:`request_text` of the request.
        fault: a content fault to apply (see :data:`CONTENT_FAULTS`), or ``None``.
    """
    tok = _digest(text)[:8]
    place = _field(text, "gaia:location") or "the imaged region"
    platform = _field(text, "platform")
    instruments = _list_field(text, "instruments")
    sensor = f"{platform} {' '.join(instruments)}".strip() if platform else "the sensor"
    n = int(tok[:2], 16) % 7 + 2
    captions = [
        f"The image showcases: a wide view of {place} with {n} distinct land-cover patches "
        f"(ref {tok}).",
        "The image showcases: meandering river channels and rectangular field boundaries "
        f"crossing the scene, as recorded by {sensor}.",
        "The image showcases: bright urban surfaces in the upper left that contrast with dark "
        "vegetated slopes toward the south.",
        f"The image showcases: {n + 1} elongated ridges shaped by erosion, separated by pale "
        "sediment-filled valleys.",
        "The image showcases: a mosaic of agricultural plots whose spectral contrast reveals "
        "differences in soil moisture and crop stage.",
    ]
    satellite = [platform] if platform else []
    if fault == "four_captions":
        captions = captions[:4]
    elif fault == "photo":
        captions[2] = "The image showcases: a photograph of bright urban surfaces and vegetation."
    elif fault == "duplicate":
        captions[4] = captions[3].replace("elongated", "long")
    elif fault == "bad_date":
        captions[1] = captions[1].replace("scene,", "scene in March 1987,")
    elif fault == "wrong_sensor":
        satellite = ["worldview-3" if platform != "worldview-3" else "landsat-8"]
    payload: dict[str, Any] = {
        "captions": captions,
        "tags": ["land cover", "hydrology", place.split(",")[0].strip().lower()],
        "location": place,
        "modality": ["optical"],
        "satellite": satellite,
        "sensor": instruments,
        "resolution": "Moderate",
        "is_remote_sensing": fault != "not_rs",
        "is_chart": fault == "chart",
        "coordinates": None,
    }
    return payload


def summary_text(text: str) -> str:
    """The plain-text answer (the summary step) for a request whose text parts are ``text``."""
    body = text.split("ARTICLE:", 1)[-1].strip()
    return f"Summary [{_digest(text)[:8]}]: {body[:240]}"


class FakeOpenAIServer:
    """An OpenAI-compatible server on ``127.0.0.1`` in a background thread.

    Args:
        latency: seconds each chat completion takes (simulated model time).
        api_key: the only key accepted (``None`` accepts any); a wrong key gets 401.
        retry_after: seconds sent in ``retry-after`` with injected 429s.
        hang: seconds a ``timeout`` fault stalls before answering.
        requests_per_window: a fixed-window rate limit (429 when exceeded), or ``None``.
        window: the rate-limit window in seconds.
        batch_delay: seconds a batch stays ``in_progress`` before it completes.
        port: the port (0 picks a free one).
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        api_key: str | None = None,
        retry_after: float = 0.05,
        hang: float = 5.0,
        requests_per_window: int | None = None,
        window: float = 1.0,
        batch_delay: float = 0.05,
        port: int = 0,
    ) -> None:
        self.latency = latency
        self.api_key = api_key
        self.retry_after = retry_after
        self.hang = hang
        self.requests_per_window = requests_per_window
        self.window = window
        self.batch_delay = batch_delay
        self.port = port
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
        if structured:
            content = json.dumps(caption_payload(text, fault))
            if fault == "malformed_json":
                content = content[: len(content) // 2]
        else:
            content = summary_text(text)
        prompt_tokens = math.ceil(len(text) / 4) + 765 * len(image_urls(body))
        completion_tokens = math.ceil(len(content) / 4)
        return {
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

        raw = await request.text()
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            return web.json_response({"error": {"message": "invalid JSON body"}}, status=400)
        text = request_text(body)
        record = RequestRecord(
            "/v1/chat/completions", 0, _digest(raw), text, None, image_urls(body)
        )
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
            headers["retry-after"] = f"{self.retry_after:g}"
            headers["x-ratelimit-remaining-requests"] = "0"
            err = {"error": {"message": "Rate limit reached", "type": "requests"}}
            return web.json_response(err, status=429, headers=headers)
        if fault == "server_error":
            record.status = 500
            return web.json_response({"error": {"message": "internal error"}}, status=500)
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
        return web.json_response(answer, headers=headers)

    async def _die(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # ---- files -----------------------------------------------------------------------------
    def _file_json(self, f: _File) -> dict[str, Any]:
        return {
            "id": f.id,
            "object": "file",
            "bytes": len(f.data),
            "created_at": f.created_at,
            "filename": f.filename,
            "purpose": f.purpose,
            "status": "processed",
        }

    def _new_file(self, filename: str, purpose: str, data: bytes) -> _File:
        f = _File(f"file-{uuid.uuid4().hex[:16]}", filename, purpose, data, int(time.time()))
        with self._lock:
            self.files[f.id] = f
        return f

    async def _upload(self, request: Any) -> Any:
        from aiohttp import web

        if (auth := self._auth_error(request)) is not None:
            return web.json_response(auth, status=401)
        form = await request.post()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "file"):
            return web.json_response({"error": {"message": "missing file"}}, status=400)
        f = self._new_file(upload.filename, str(form.get("purpose", "batch")), upload.file.read())
        with self._lock:
            self.requests.append(RequestRecord("/v1/files", 200, _digest(f.id), f.filename))
        return web.json_response(self._file_json(f))

    async def _file_meta(self, request: Any) -> Any:
        from aiohttp import web

        f = self.files.get(request.match_info["file_id"])
        if f is None:
            return web.json_response({"error": {"message": "no such file"}}, status=404)
        return web.json_response(self._file_json(f))

    async def _file_content(self, request: Any) -> Any:
        from aiohttp import web

        f = self.files.get(request.match_info["file_id"])
        if f is None:
            return web.json_response({"error": {"message": "no such file"}}, status=404)
        return web.Response(body=f.data, content_type="application/octet-stream")

    # ---- batches ---------------------------------------------------------------------------
    def _batch_json(self, b: _Batch) -> dict[str, Any]:
        return {
            "id": b.id,
            "object": "batch",
            "endpoint": b.endpoint,
            "input_file_id": b.input_file_id,
            "completion_window": b.completion_window,
            "created_at": b.created_at,
            "status": b.status,
            "output_file_id": b.output_file_id,
            "error_file_id": b.error_file_id,
            "request_counts": dict(b.counts),
        }

    async def _create_batch(self, request: Any) -> Any:
        from aiohttp import web

        if (auth := self._auth_error(request)) is not None:
            return web.json_response(auth, status=401)
        body = await request.json()
        if body.get("input_file_id") not in self.files:
            return web.json_response({"error": {"message": "unknown input_file_id"}}, status=400)
        b = _Batch(
            f"batch_{uuid.uuid4().hex[:16]}",
            body["input_file_id"],
            body.get("endpoint", "/v1/chat/completions"),
            body.get("completion_window", "24h"),
            int(time.time()),
        )
        with self._lock:
            self.batches[b.id] = b
            self.requests.append(RequestRecord("/v1/batches", 200, _digest(b.id), b.id))
        asyncio.get_running_loop().create_task(self._process_batch(b))
        return web.json_response(self._batch_json(b))

    async def _process_batch(self, b: _Batch) -> None:
        b.status = "in_progress"
        await asyncio.sleep(self.batch_delay)
        with self._lock:
            fail, self.fail_batches = self.fail_batches > 0, max(self.fail_batches - 1, 0)
        if fail:
            b.status = "failed"
            return
        outputs: list[str] = []
        errors: list[str] = []
        lines = self.files[b.input_file_id].data.decode("utf-8").splitlines()
        b.counts["total"] = len(lines)
        for line in lines:
            if not line.strip():
                continue
            entry = json.loads(line)
            body = entry["body"]
            raw = json.dumps(body)
            with self._lock:
                self.requests.append(
                    RequestRecord("batch-line", 200, _digest(raw), request_text(body))
                )
            fault = self._take_fault(raw, isinstance(body.get("response_format"), dict))
            if fault in ("rate_limit", "server_error", "timeout", "drop", "malformed_body"):
                status = 429 if fault == "rate_limit" else 500
                errors.append(
                    json.dumps(
                        {
                            "id": f"batch_req_{uuid.uuid4().hex[:12]}",
                            "custom_id": entry["custom_id"],
                            "response": {"status_code": status, "body": {"error": fault}},
                            "error": {"code": fault, "message": f"injected {fault}"},
                        }
                    )
                )
                b.counts["failed"] += 1
                continue
            answer = self._answer(body, fault if fault in CONTENT_FAULTS else None)
            outputs.append(
                json.dumps(
                    {
                        "id": f"batch_req_{uuid.uuid4().hex[:12]}",
                        "custom_id": entry["custom_id"],
                        "response": {"status_code": 200, "request_id": "r", "body": answer},
                        "error": None,
                    }
                )
            )
            b.counts["completed"] += 1
        b.status = "finalizing"
        b.output_file_id = self._new_file("output.jsonl", "batch_output", _jsonl(outputs)).id
        if errors:
            b.error_file_id = self._new_file("errors.jsonl", "batch_output", _jsonl(errors)).id
        b.status = "completed"

    async def _get_batch(self, request: Any) -> Any:
        from aiohttp import web

        b = self.batches.get(request.match_info["batch_id"])
        if b is None:
            return web.json_response({"error": {"message": "no such batch"}}, status=404)
        return web.json_response(self._batch_json(b))


def _jsonl(lines: list[str]) -> bytes:
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


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
