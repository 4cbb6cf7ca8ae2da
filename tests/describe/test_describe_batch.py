"""Batch API mode against the loopback server: results, errors, resumption at every step."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from gaia_geo.describe import CaptionClient, caption_items
from gaia_geo.describe._batch import chunk_requests, run_batches
from gaia_geo.describe.testing_server import FakeOpenAIServer, caption_payload
from gaia_geo.stac import CaptionExtension


def run(items, server, key, fast, tmp_path, **kw):
    return caption_items(
        items,
        base_url=server.base_url,
        api_key=key,
        model="gpt-4o",
        retry=fast,
        cache=tmp_path / "cache",
        batch=True,
        poll_interval=0.02,
        **kw,
    )


def test_batch_mode_captions_at_half_price(server, key, fast, make_items, tmp_path):
    items = make_items(4)
    report = run(items, server, key, fast, tmp_path)
    assert sorted(report.captioned) == [i.id for i in items]
    assert server.chat_records() == []  # nothing went through the synchronous endpoint
    assert len(server.batches) == 2  # summaries, then captions
    lines = [r for r in server.requests if r.path == "batch-line" and "ITEM METADATA" in r.text]
    for item in items:
        line = next(r for r in lines if f'"id": "{item.id}"' in r.text)
        assert CaptionExtension.ext(item).captions == caption_payload(line.text)["captions"]
        assert CaptionExtension.ext(item).provenance.extra["batch"] is True
    sync = caption_items(
        make_items(4),
        base_url=server.base_url,
        api_key=key,
        model="gpt-4o",
        retry=fast,
        cache=tmp_path / "other-cache",
    )
    assert report.cost_usd == pytest.approx(sync.cost_usd / 2, abs=1e-5)  # per-item rounding


def test_batch_rejected_answers_get_one_corrective_batch(server, key, fast, make_items, tmp_path):
    items = make_items(3, text=False)
    server.add_fault("four_captions", times=1, match=items[0].id)
    server.add_fault("photo", times=2, match=items[1].id)
    report = run(items, server, key, fast, tmp_path)
    assert sorted(report.captioned) == [items[0].id, items[2].id]
    assert "photo" in report.failed[items[1].id]
    assert len(server.batches) == 2  # captions + captions-retry


def test_batch_error_lines_are_failed_and_retried_next_run(server, key, fast, make_items, tmp_path):
    items = make_items(3, text=False)
    server.add_fault("server_error", times=1, match=items[2].id)
    report = run(items, server, key, fast, tmp_path)
    assert "batch request failed" in report.failed[items[2].id]
    assert len(report.captioned) == 2
    again = run(make_items(3, text=False), server, key, fast, tmp_path)
    assert again.from_cache == 2 and len(again.captioned) == 3
    last = server.batches[list(server.batches)[-1]]
    assert last.counts["total"] == 1  # only the failed request was sent again


def test_interrupted_batch_resumes_without_uploading_again(key, fast, tmp_path):
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    bodies = {f"{i:064x}": body for i in range(3)}

    async def start(server, timeout):
        client = CaptionClient(api_key=key, base_url=server.base_url, retry=fast)
        try:
            return await asyncio.wait_for(
                run_batches(client, bodies, tmp_path, "t", poll_interval=0.02), timeout
            )
        finally:
            await client.close()

    with FakeOpenAIServer(api_key=key, batch_delay=0.6) as server:
        with pytest.raises(TimeoutError):  # "killed" while polling
            asyncio.run(start(server, 0.2))
        (state_path,) = tmp_path.glob("t-*.state.json")
        state = orjson.loads(state_path.read_bytes())
        assert state["step"] == "created" and "batch_id" in state
        assert not list(tmp_path.glob("t-*[0-9a-f].jsonl"))  # the uploaded input is not kept
        results = asyncio.run(start(server, 10))
        assert len([r for r in server.requests if r.path == "/v1/files"]) == 1  # one upload
        assert len(server.files) == 2  # the upload and the output (no error file)
        assert len(server.batches) == 1  # not created twice
        assert set(results) == set(bodies)
        assert all(r["status_code"] == 200 for r in results.values())
        assert orjson.loads(state_path.read_bytes())["step"] == "downloaded"
        # a third run reads the downloaded results from disk: no request at all
        before = len(server.requests)
        assert set(asyncio.run(start(server, 10))) == set(bodies)
        assert len(server.requests) == before


def test_chunks_respect_batch_limits():
    body = {"model": "m", "messages": [{"role": "user", "content": "x" * 100}]}
    bodies = {f"{i:064x}": body for i in range(10)}
    assert [len(c) for c in chunk_requests(bodies, max_requests=4)] == [4, 4, 2]
    sizes = [len(c) for c in chunk_requests(bodies, max_bytes=700)]
    assert sum(sizes) == 10 and max(sizes) <= 2


def test_failed_batch_is_resubmitted_from_the_same_upload(server, key, fast, make_items, tmp_path):
    from gaia_geo.describe import BatchError

    server.fail_batches = 1
    with pytest.raises(BatchError, match="failed.*Rerun"):
        run(make_items(2, text=False), server, key, fast, tmp_path)
    uploads = [r for r in server.requests if r.path == "/v1/files"]
    report = run(make_items(2, text=False), server, key, fast, tmp_path)
    assert len(report.captioned) == 2
    assert [r for r in server.requests if r.path == "/v1/files"] == uploads  # same upload
    assert len(server.batches) == 2  # the failed one and its replacement
