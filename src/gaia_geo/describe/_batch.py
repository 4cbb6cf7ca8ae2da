"""Batch API mode: JSONL requests, upload, create, poll, download results and errors.

Each set of requests gets a state file (``<cache>/batches/<label>-<hash>.json``) that records every
step as it completes (``written`` -> ``uploaded`` -> ``created`` -> ``downloaded``), written
atomically, so a run killed at any point resumes at the step it was in: the file is not uploaded
twice, the batch not created twice, a finished batch not downloaded twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from pathlib import Path
from typing import Any

import orjson

from .._atomic import atomic_write_bytes
from ..errors import BatchError
from ._cache import CaptionCache
from ._client import CaptionClient, Completion, RetryPolicy, Transport, completion_from
from ._images import ImageProblem
from ._jobs import Job, Settings, caption_body, judge, retry_body, summary_body
from ._report import CaptionReport, record
from ._sync import make_entry

log = logging.getLogger(__name__)

TERMINAL = ("completed", "failed", "expired", "cancelled")
#: The Batch API's limits per input file.
MAX_REQUESTS = 50_000
MAX_BYTES = 190 * 1024 * 1024


class BatchResult(dict[str, Any]):
    """``custom_id -> {"status_code": int, "body": dict | None, "error": str | None}``."""


def chunk_requests(
    bodies: dict[str, dict[str, Any]], max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES
) -> list[list[bytes]]:
    """Encode requests as JSONL lines, cut into files within the Batch API's limits."""
    chunks: list[list[bytes]] = [[]]
    size = 0
    for custom_id in sorted(bodies):
        line = orjson.dumps(
            {
                "custom_id": custom_id,
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": bodies[custom_id],
            }
        )
        if chunks[-1] and (len(chunks[-1]) >= max_requests or size + len(line) + 1 > max_bytes):
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    return [c for c in chunks if c]


class BatchJob:
    """One input file's way through the Batch API, resumable from its state file.

    Args:
        client: the API client (its retry policy applies to every call).
        lines: the JSONL request lines.
        workdir: where the JSONL, the state file and the downloads go.
        label: a name for the files (``summaries``, ``captions``...).
        poll_interval: seconds between status polls.
    """

    def __init__(
        self,
        client: CaptionClient,
        lines: list[bytes],
        workdir: Path,
        label: str,
        poll_interval: float,
    ) -> None:
        self.client = client
        self.lines = lines
        digest = hashlib.sha256(b"\n".join(lines)).hexdigest()[:16]
        self.stem = workdir / f"{label}-{digest}"
        self.state_path = self.stem.with_suffix(".state.json")
        self.poll_interval = poll_interval
        self.state: dict[str, Any] = {}
        if self.state_path.is_file():
            self.state = orjson.loads(self.state_path.read_bytes())

    def _save(self, **changes: Any) -> None:
        self.state.update(changes)
        atomic_write_bytes(self.state_path, orjson.dumps(self.state, option=orjson.OPT_INDENT_2))

    async def run(self) -> BatchResult:
        """Drive the job to its results, resuming from the state file."""
        oa = self.client.openai
        jsonl = self.stem.with_suffix(".jsonl")
        if "input_file_id" not in self.state:
            atomic_write_bytes(jsonl, b"\n".join(self.lines) + b"\n")
            self._save(step="written", jsonl=str(jsonl), requests=len(self.lines))
            uploaded = await self.client.call(
                lambda: oa.files.create(
                    file=(jsonl.name, io.BytesIO(jsonl.read_bytes())), purpose="batch"
                ),
                "uploading the batch input",
            )
            self._save(step="uploaded", input_file_id=uploaded.id)
            log.info("uploaded %d requests as %s", len(self.lines), uploaded.id)
            # The upload is what a resubmission uses; the local copy (base64 images) can go.
            jsonl.unlink(missing_ok=True)
        if "batch_id" not in self.state:
            file_id = self.state["input_file_id"]
            batch = await self.client.call(
                lambda: oa.batches.create(
                    input_file_id=file_id,
                    endpoint="/v1/chat/completions",
                    completion_window="24h",
                ),
                "creating the batch",
            )
            self._save(step="created", batch_id=batch.id)
            log.info("created batch %s (state: %s)", batch.id, self.state_path)
        if "output" not in self.state:
            await self._poll_and_download()
        return self._results()

    async def _poll_and_download(self) -> None:
        oa = self.client.openai
        batch_id = self.state["batch_id"]
        while True:
            batch = await self.client.call(
                lambda: oa.batches.retrieve(batch_id), f"polling batch {batch_id}"
            )
            if batch.status in TERMINAL:
                break
            counts = batch.request_counts
            done = f" ({counts.completed + counts.failed}/{counts.total})" if counts else ""
            log.info("batch %s is %s%s", batch_id, batch.status, done)
            await asyncio.sleep(self.poll_interval)
        if batch.status in ("failed", "cancelled") and not batch.output_file_id:
            # Forget the dead batch so that the next run creates a new one from the same upload.
            self.state.pop("batch_id", None)
            self._save(step="uploaded", last_failure=batch.status)
            raise BatchError(
                f"batch {batch_id} ended {batch.status!r}; state in {str(self.state_path)!r}. "
                "Rerun to submit the requests again."
            )
        paths: dict[str, str | None] = {"output": None, "errors": None}
        for kind, file_id in (("output", batch.output_file_id), ("errors", batch.error_file_id)):
            if not file_id:
                continue
            content = await self.client.call(
                lambda fid=file_id: oa.files.content(fid),  # type: ignore[misc]
                f"downloading batch {kind}",
            )
            path = self.stem.with_suffix(f".{kind}.jsonl")
            atomic_write_bytes(path, content.read())
            paths[kind] = str(path)
        self._save(step="downloaded", status=batch.status, **paths)

    def _results(self) -> BatchResult:
        results = BatchResult()
        for kind in ("output", "errors"):
            path = self.state.get(kind)
            if not path:
                continue
            for raw in Path(path).read_bytes().splitlines():
                if not raw.strip():
                    continue
                line = orjson.loads(raw)
                response = line.get("response") or {}
                error = line.get("error")
                results[line["custom_id"]] = {
                    "status_code": int(response.get("status_code") or 0),
                    "body": response.get("body"),
                    "error": None if not error else str(error.get("message") or error),
                }
        return results


async def run_batches(
    client: CaptionClient,
    bodies: dict[str, dict[str, Any]],
    workdir: Path,
    label: str,
    *,
    poll_interval: float = 30.0,
    max_requests: int = MAX_REQUESTS,
) -> BatchResult:
    """Send ``bodies`` (``custom_id -> chat request``) through the Batch API, resumably.

    Returns:
        The results of every request that came back (successes and errors).
    """
    if not bodies:
        return BatchResult()
    workdir.mkdir(parents=True, exist_ok=True)
    jobs = [
        BatchJob(client, lines, workdir, label, poll_interval)
        for lines in chunk_requests(bodies, max_requests=max_requests)
    ]
    merged = BatchResult()
    for part in await asyncio.gather(*(job.run() for job in jobs)):
        merged.update(part)
    return merged


def _completion(result: dict[str, Any], fallback_model: str) -> Completion | None:
    body = result.get("body")
    if result.get("status_code") != 200 or not isinstance(body, dict):
        return None
    try:
        done = completion_from(body, fallback_model)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return done


async def batch_captions(
    todo: list[Job],
    settings: Settings,
    store: CaptionCache,
    report: CaptionReport,
    *,
    key: str,
    base_url: str | None,
    concurrency: int,
    retry: RetryPolicy | None,
    transport: Transport,
    poll_interval: float,
    progress: bool | None,
) -> None:
    """Caption ``todo`` through the Batch API: summaries, captions, one corrective round."""
    client = CaptionClient(
        api_key=key, base_url=base_url, concurrency=concurrency, retry=retry, transport=transport
    )
    workdir = store.root / "batches"
    try:
        # 1. summaries of the article texts not summarised yet
        need = {j.summary_key: j for j in todo if j.summary_key and j.summary_key not in store}
        bodies = {k: summary_body(j, settings) for k, j in need.items() if k}
        results = await run_batches(
            client, bodies, workdir, "summaries", poll_interval=poll_interval
        )
        summary_usage: dict[str, tuple[int, int, float | None]] = {}
        for skey, result in results.items():
            done = _completion(result, settings.summary_model)
            if done is None:
                continue
            cost = settings.cost(done, batch=True)
            entry = {
                "summary": done.content,
                "model": done.model,
                "generator": done.generator,
                "cost_usd": cost,
            }
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
                record(report, job, entry, cached=False)
            bodies = retry_bodies
    finally:
        await client.close()
