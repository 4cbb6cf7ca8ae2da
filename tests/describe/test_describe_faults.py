"""Every injected fault of the loopback server, and what caption_items does about it."""

from __future__ import annotations

import re
import time

import pytest

from gaia_geo.describe import (
    CaptionAuthError,
    CaptionServiceError,
    RetryPolicy,
    caption_items,
)
from gaia_geo.describe.testing_server import FakeOpenAIServer
from gaia_geo.stac import CaptionExtension


@pytest.fixture(params=["aiohttp", "sdk"])
def transport(request):
    """Both ways chat completions travel: each must handle the faults the same."""
    return request.param


def run(items, server, key, fast, tmp_path, **kw):
    kw.setdefault("cache", tmp_path / "cache")
    return caption_items(
        items, base_url=server.base_url, api_key=key, model="gpt-4o", retry=fast, **kw
    )


@pytest.mark.parametrize(
    "fault, status",
    [("rate_limit", 429), ("server_error", 500), ("drop", -1), ("malformed_body", 200)],
)
def test_transient_faults_are_retried(
    fault, status, server, key, fast, make_items, tmp_path, transport
):
    server.add_fault(fault, times=2, structured_only=False)
    items = make_items(3)
    report = run(items, server, key, fast, tmp_path, transport=transport)
    assert sorted(report.captioned) == [i.id for i in items] and not report.failed
    hit = [r for r in server.chat_records() if r.fault == fault]
    assert len(hit) == 2 and all(r.status == status for r in hit)


def test_retry_after_is_honoured(key, make_items, tmp_path, transport):
    with FakeOpenAIServer(api_key=key, retry_after=0.4) as server:
        server.add_fault("rate_limit", times=1)
        policy = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.001, timeout=5)
        start = time.monotonic()
        report = run(make_items(1, text=False), server, key, policy, tmp_path, transport=transport)
        assert report.captioned and time.monotonic() - start >= 0.4


def test_an_http_date_retry_after_is_honoured(key, make_items, tmp_path, transport):
    # RFC 9110 10.2.3 allows an HTTP-date; a client that read only seconds would retry at once
    with FakeOpenAIServer(api_key=key, retry_after=1, retry_after_date=True) as server:
        server.add_fault("rate_limit", times=1)
        policy = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.001, timeout=5)
        start = time.monotonic()
        report = run(make_items(1, text=False), server, key, policy, tmp_path, transport=transport)
        assert report.captioned and time.monotonic() - start >= 0.9
        assert [r.status for r in server.chat_records()] == [429, 200]


def test_a_retry_after_past_the_cap_fails_at_once(key, make_items, tmp_path, transport):
    with FakeOpenAIServer(api_key=key, retry_after=3600, retry_after_date=True) as server:
        server.add_fault("rate_limit", times=1)
        policy = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.001, timeout=5)
        start = time.monotonic()
        items = make_items(1, text=False)
        report = run(items, server, key, policy, tmp_path, transport=transport)
        assert time.monotonic() - start < 5 and len(server.chat_records()) == 1
        assert re.search(r"HTTP 429 asking to wait 3[56]\d\d s.*rerun", report.failed[items[0].id])


def test_timeouts_are_retried(key, make_items, tmp_path, transport):
    with FakeOpenAIServer(api_key=key, hang=3.0) as server:
        server.add_fault("timeout", times=1)
        policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, timeout=0.4)
        start = time.monotonic()
        report = run(make_items(1, text=False), server, key, policy, tmp_path, transport=transport)
        assert report.captioned and time.monotonic() - start < 2.5
        assert [r.fault for r in server.chat_records()] == ["timeout", None]


def test_retries_are_bounded_and_one_bad_item_does_not_stop_the_run(
    server, key, make_items, tmp_path
):
    items = make_items(4, text=False)
    server.add_fault("server_error", times=100, match=items[1].id)
    policy = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002, timeout=5)
    report = run(items, server, key, policy, tmp_path, concurrency=1)
    assert "after 3 tries" in report.failed[items[1].id]
    assert len(report.captioned) == 3
    assert len([r for r in server.chat_records() if r.fault == "server_error"]) == 3


def test_a_failing_api_stops_the_run(server, key, make_items, tmp_path, transport):
    server.add_fault("server_error", times=100, structured_only=False)
    policy = RetryPolicy(attempts=2, base_delay=0.001, max_delay=0.002, timeout=5)
    with pytest.raises(CaptionServiceError, match="after 2 tries.*rerun"):
        run(
            make_items(6, text=False),
            server,
            key,
            policy,
            tmp_path,
            concurrency=1,
            transport=transport,
        )
    assert len(server.chat_records()) == 2 * 3  # three Items in a row, then it stops


def test_invalid_key_fails_at_once_and_is_redacted(
    server, fast, make_items, tmp_path, caplog, transport
):
    bad = "sk-wrong-key-9876543210-PRIVATE"
    with pytest.raises(CaptionAuthError) as info:
        run(make_items(3), server, bad, fast, tmp_path, concurrency=1, transport=transport)
    message = str(info.value)
    assert "401" in message and "OPENAI_API_KEY" in message
    assert bad not in message and bad[:12] not in message and "[redacted]" in message
    assert bad not in caplog.text
    assert len(server.chat_records()) == 1  # no retry


def test_rate_limit_headers_pause_all_workers(key, fast, make_items, tmp_path, transport):
    with FakeOpenAIServer(api_key=key, requests_per_window=3, window=0.3) as server:
        report = run(
            make_items(7, text=False),
            server,
            key,
            fast,
            tmp_path,
            concurrency=1,
            transport=transport,
        )
        assert len(report.captioned) == 7
        # the client read x-ratelimit-remaining-requests: 0 and waited instead of hitting 429
        assert [r.status for r in server.chat_records()] == [200] * 7


@pytest.mark.parametrize(
    "fault, reason",
    [
        ("four_captions", "exactly 5 captions, got 4"),
        ("photo", "photo or photograph"),
        ("duplicate", "near-duplicates"),
        ("bad_date", "'March 1987'"),
        ("wrong_sensor", "WorldView-3"),
        ("malformed_json", "not valid JSON"),
    ],
)
def test_bad_answers_are_retried_with_the_reason(
    fault, reason, server, key, fast, make_items, tmp_path
):
    items = make_items(2, text=False)
    server.add_fault(fault, times=1, match=items[0].id)
    report = run(items, server, key, fast, tmp_path)
    assert sorted(report.captioned) == [i.id for i in items]
    mine = [r for r in server.chat_records(200) if items[0].id in r.text]
    assert len(mine) == 2
    assert "rejected" not in mine[0].text
    assert "Your answer was rejected" in mine[1].text and reason in mine[1].text
    assert CaptionExtension.ext(items[0]).provenance.extra["requests"] == 2


@pytest.mark.parametrize("fault", ["four_captions", "photo", "bad_date", "wrong_sensor"])
def test_bad_answers_twice_are_recorded_failed_never_written(
    fault, server, key, fast, make_items, tmp_path
):
    items = make_items(2, text=False)
    server.add_fault(fault, times=2, match=items[0].id)
    report = run(items, server, key, fast, tmp_path)
    assert report.captioned == [items[1].id]
    assert items[0].id in report.failed
    assert CaptionExtension.ext(items[0]).captions is None
    # the failure is cached: a rerun does not pay again, unless asked to
    again = run(make_items(2, text=False), server, key, fast, tmp_path)
    assert items[0].id in again.failed and again.requests == 0
    fixed = run(make_items(2, text=False), server, key, fast, tmp_path, retry_failed=True)
    assert items[0].id in fixed.captioned and fixed.requests == 1


@pytest.mark.parametrize("fault", ["not_rs", "chart"])
def test_not_remote_sensing_or_chart_is_excluded(fault, server, key, fast, make_items, tmp_path):
    items = make_items(3, text=False)
    server.add_fault(fault, times=1, match=items[1].id)
    report = run(items, server, key, fast, tmp_path)
    assert list(report.excluded) == [items[1].id]
    assert (
        "remote-sensing" in report.excluded[items[1].id] or "chart" in report.excluded[items[1].id]
    )
    assert CaptionExtension.ext(items[1]).captions is None
    assert len(report.captioned) == 2


def test_server_dying_mid_run_then_rerun_resumes(
    key, make_items, tmp_path, requested_ids, cached_ids, transport
):
    items = make_items(8, text=False)
    policy = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02, timeout=2)
    with FakeOpenAIServer(api_key=key, latency=0.02) as first:
        first.add_fault("die", after=3)
        with pytest.raises(CaptionServiceError, match="rerun"):
            # one request in flight: the three Items after the death fail in a row, so the run
            # stops (with more in flight, a response finishing during the shutdown can land)
            run(items, first, key, policy, tmp_path, concurrency=1, transport=transport)
        # answers the client received are all cached (responses cut off by the dying server
        # may count as sent on the server's side, but never reached the client)
        cached = cached_ids(items, tmp_path / "cache", first.base_url)
        port = first.port
        assert len(cached) >= 3 and cached <= set(requested_ids(first))
    for item in items:  # each Item is whole: five captions with provenance, or untouched
        ext = CaptionExtension.ext(item)
        assert (ext.captions is None and ext.provenance is None) or (
            len(ext.captions or []) == 5 and ext.provenance is not None
        )
        assert (ext.captions is not None) == (item.id in cached)
    # the server comes back at the same address: answers are keyed by the server that gave them
    with FakeOpenAIServer(api_key=key, port=port) as second:
        fresh = make_items(8, text=False)
        report = run(fresh, second, key, policy, tmp_path, transport=transport)
        assert len(report.captioned) == 8 and report.from_cache == len(cached)
        again = set(requested_ids(second))
    assert not cached & again  # no request that had succeeded was sent again
    assert cached | again == {i.id for i in items}


def test_a_redirect_is_not_followed(server, key, fast, make_items, tmp_path, transport):
    items = make_items(2, text=False)
    server.add_fault("redirect", times=1, match=items[0].id)
    report = run(items, server, key, fast, tmp_path, transport=transport)
    assert "redirect (HTTP 307 to /v1/redirected)" in report.failed[items[0].id]
    assert report.captioned == [items[1].id]
    # the key never travelled to where the redirect pointed
    assert not [r for r in server.requests if r.path == "/v1/redirected"]
