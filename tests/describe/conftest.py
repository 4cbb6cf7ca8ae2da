"""Fixtures of the describe tests: a real OpenAI-compatible server on loopback and seeded Items."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pystac
import pytest

from _helpers import load_script
from gaia_geo.describe import RetryPolicy
from gaia_geo.describe.testing_server import FakeOpenAIServer

data = load_script("data/describe/data.py")

KEY = "sk-test-0123456789abcdefSECRET"
#: Retries fast enough for tests, still jittered and still bounded.
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, timeout=5.0)


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    # poses as a paid API (unmarked answers), so cost accounting and provenance are exercised
    with FakeOpenAIServer(latency=0.0, api_key=KEY, mark_answers=False) as srv:
        yield srv


@pytest.fixture
def make_items(tmp_path: Path) -> Callable[..., list[pystac.Item]]:
    def make(n: int = 6, seed: int = 0, text: bool = True) -> list[pystac.Item]:
        return data.make_items(tmp_path / f"items-{n}-{seed}-{text}", n, seed, text=text)

    return make


def _requested_ids(srv: FakeOpenAIServer, status: int | None = 200) -> list[str]:
    """Item ids named in the caption requests the server answered (with ``status``)."""
    ids = []
    for record in srv.chat_records(status):
        match = re.search(r'"id": "([^"]+)"', record.text)
        if match and record.image_urls:
            ids.append(match.group(1))
    return ids


@pytest.fixture
def requested_ids() -> Callable[..., list[str]]:
    return _requested_ids


def _cached_ids(
    items: list[pystac.Item], cache: Path, base_url: str, model: str = "gpt-4o"
) -> set[str]:
    """Ids of the Items whose caption answer from ``base_url`` is in ``cache`` (default prompts)."""
    from gaia_geo.describe import CAPTION_V1, SUMMARY_V1, CaptionCache, PriceTable
    from gaia_geo.describe._client import endpoint_id
    from gaia_geo.describe._jobs import Settings, make_job

    settings = Settings(
        model, "gpt-4o-mini", CAPTION_V1, SUMMARY_V1, PriceTable(), endpoint_id(base_url)
    )
    store = CaptionCache(cache)
    return {i.id for i in items if make_job(i, settings, None).key in store}


@pytest.fixture
def cached_ids() -> Callable[..., set[str]]:
    return _cached_ids


@pytest.fixture
def key() -> str:
    return KEY


@pytest.fixture
def fast() -> RetryPolicy:
    return FAST
