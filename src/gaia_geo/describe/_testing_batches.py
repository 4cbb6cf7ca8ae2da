"""The Files and Batches endpoints of the loopback test server (a mixin of FakeOpenAIServer)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ._testing_answers import CONTENT_FAULTS, RequestRecord, digest, request_text


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


class FilesAndBatches:
    """``/v1/files`` (upload, metadata, content) and ``/v1/batches`` (create, retrieve).

    Batches run in the server's loop: after ``batch_delay`` seconds every line is answered like a
    chat completion (content faults apply per line; transport faults become error-file lines).
    """

    files: dict[str, _File]
    batches: dict[str, _Batch]
    requests: list[RequestRecord]
    batch_delay: float
    fail_batches: int
    _lock: threading.Lock

    def _auth_error(self, request: Any) -> dict[str, Any] | None:
        raise NotImplementedError

    def _take_fault(self, raw: str, structured: bool) -> str | None:
        raise NotImplementedError

    def _answer(self, body: dict[str, Any], fault: str | None) -> dict[str, Any] | str:
        raise NotImplementedError

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
            self.requests.append(RequestRecord("/v1/files", 200, digest(f.id), f.filename))
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
            self.requests.append(RequestRecord("/v1/batches", 200, digest(b.id), b.id))
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
                    RequestRecord("batch-line", 200, digest(raw), request_text(body))
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
