"""collect's one HTTP layer: the Retry-After rule, the per-host limiter, the fetcher's retries."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import json
import time
from pathlib import Path

import numpy as np
import pytest

from gaia_geo._retry_after import parse_retry_after
from gaia_geo.collect._http import Fetcher, FetchPolicy
from gaia_geo.collect._limiter import HostLimiter
from gaia_geo.collect.sample_site import SiteServer, make_image
from gaia_geo.errors import DownloadError

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),  # a date in the past: now
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


def test_limiter_spaces_starts_per_host_bounds_them_and_holds_a_host() -> None:
    async def scenario() -> tuple[HostLimiter, int, float]:
        limiter = HostLimiter(per_host=2, delay_s=0.05)
        in_flight = {"a": 0, "peak": 0}

        async def request(key: str) -> None:
            async with limiter.slot(key):
                in_flight["a"] += key == "http://a"
                in_flight["peak"] = max(in_flight["peak"], in_flight["a"])
                await asyncio.sleep(0.12)
                in_flight["a"] -= key == "http://a"

        await asyncio.gather(*(request("http://a") for _ in range(5)), request("http://b"))
        limiter.push_back("http://b", 0.3)
        held = time.monotonic()
        async with limiter.slot("http://b"):
            waited = time.monotonic() - held
        return limiter, in_flight["peak"], waited

    limiter, peak, waited = asyncio.run(scenario())
    a_starts = [t for key, t in limiter.starts if key == "http://a"]
    b_first = next(t for key, t in limiter.starts if key == "http://b")
    assert len(a_starts) == 5
    assert min(b - a for a, b in itertools.pairwise(a_starts)) >= 0.05  # spaced, whatever the load
    assert peak == 2  # per_host bounds the requests in flight
    assert b_first - a_starts[0] < 0.05  # another host does not wait for host a's spacing
    assert waited >= 0.3  # a pushed-back host holds every request


def _site(root: Path, routes: dict[str, dict[str, object]]) -> Path:
    root.mkdir()
    png = make_image(np.random.default_rng(0), 16)
    for name in ("ok.png", "busy.png"):
        (root / name).write_bytes(png)
    (root / "routes.json").write_text(json.dumps(routes))
    return root


def _fetch_all(
    server: SiteServer, policy: FetchPolicy, *paths: str, gap: float = 0.0
) -> list[object]:
    async def scenario() -> list[object]:
        async with policy.open_client() as client:
            fetcher = Fetcher(client, policy)

            async def one(i: int, path: str) -> object:
                await asyncio.sleep(i * gap)
                try:
                    return await fetcher.fetch(server.url + path, max_bytes=1 << 20)
                except DownloadError as err:
                    return err

            return list(await asyncio.gather(*(one(i, p) for i, p in enumerate(paths))))

    return asyncio.run(scenario())


def test_a_429_holds_the_whole_host_and_a_long_retry_after_fails_at_once(tmp_path: Path) -> None:
    root = _site(
        tmp_path / "site",
        {
            "/busy.png": {"statuses": [429, 200], "retry_after": 1},
            "/later.png": {"status": 503, "retry_after": 3600},
            "/down.png": {"status": 503},
        },
    )
    policy = FetchPolicy(per_host=4, allow_private=True, retries=2, backoff_s=0.01)
    with SiteServer(root) as server:
        busy, other = _fetch_all(server, policy, "busy.png", "ok.png", gap=0.3)
        later, down = _fetch_all(server, policy, "later.png", "down.png")
        hits = server.hits
    assert not isinstance(busy, DownloadError) and not isinstance(other, DownloadError)
    first_429 = next(h for h in hits if h.path == "/busy.png")
    ok = next(h for h in hits if h.path == "/ok.png")
    assert ok.arrived - first_429.finished >= 0.9  # the other URL waited out the Retry-After too
    assert isinstance(later, DownloadError) and later.code == "retry-after-too-long"
    assert "asked to wait 3600 s" in later.reason
    assert [h.path for h in hits].count("/later.png") == 1  # not retried
    assert isinstance(down, DownloadError) and down.code == "http-503"
    assert down.reason == "HTTP 503 (gave up after 3 attempts)"
    assert [h.path for h in hits].count("/down.png") == 3
