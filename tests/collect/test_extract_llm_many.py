"""Many articles at once: extract_metadata_many, the Batch API, crawls read by a model.

Against the loopback OpenAI-compatible test server (its Files and Batches endpoints too).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from gaia_geo.collect import (
    ImageRecord,
    LLMExtractor,
    extract_metadata,
    extract_metadata_many,
    records_to_items,
)
from gaia_geo.collect.sample_site import make_image
from gaia_geo.describe.testing_server import FakeOpenAIServer

KEY = "sk-test-extract-many-0123456789"
TEXTS = [
    "The Operational Land Imager (OLI) on Landsat 8 acquired this image of Cairo, Egypt, on "
    "December 15, 2017.",
    "MODIS on Terra captured this view of Lima, Peru, on March 3, 2010.",
    "The MSI on Sentinel-2A acquired this image of Lyon, France, on July 9, 2019.",
]


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(latency=0.0, api_key=KEY, batch_delay=0.05) as srv:
        yield srv


def _llm(server: FakeOpenAIServer, cache: Path | None = None, **kw: object) -> LLMExtractor:
    return LLMExtractor(
        model="gpt-4o-mini",
        base_url=server.base_url,
        api_key=KEY,
        cache_dir=cache,
        poll_interval=0.05,
        **kw,  # type: ignore[arg-type]
    )


def test_many_is_extract_metadata_for_each(server: FakeOpenAIServer) -> None:
    rules = extract_metadata_many(TEXTS, [None, dt.date(2010, 4, 1), None])
    assert rules == [
        extract_metadata(TEXTS[0]),
        extract_metadata(TEXTS[1], dt.date(2010, 4, 1)),
        extract_metadata(TEXTS[2]),
    ]
    llm = _llm(server)
    asked = extract_metadata_many(TEXTS, method="llm", llm=llm)
    assert [m.platforms for m in asked] == [("landsat-8",), ("terra",), ("sentinel-2a",)]
    assert [m.places[0].country_code for m in asked] == ["EG", "PE", "FR"]
    assert llm.requests == 3 and len(server.chat_records()) == 3
    assert extract_metadata_many([], method="llm", llm=llm) == []
    once = _llm(server)  # a text repeated is asked about once
    twice = extract_metadata_many([TEXTS[0], TEXTS[0]], method="llm", llm=once)
    assert twice[0] == twice[1] == asked[0] and once.requests == 1


def test_many_bad_arguments() -> None:
    with pytest.raises(ValueError, match="published has 1 dates for 3 texts"):
        extract_metadata_many(TEXTS, [None])
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        extract_metadata_many(["a", b"b"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="needs llm=LLMExtractor"):
        extract_metadata_many(TEXTS, method="hybrid")
    with pytest.raises(ValueError, match="batch=True needs cache_dir"):
        LLMExtractor(batch=True)
    with pytest.raises(ValueError, match="poll_interval"):
        LLMExtractor(poll_interval=0)


@pytest.mark.slow
def test_batch_api_answers_are_the_same_cached_and_half_price(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    sync = _llm(server)
    expected = extract_metadata_many(TEXTS, method="llm", llm=sync)
    batch = _llm(server, tmp_path / "cache", batch=True)
    got = extract_metadata_many(TEXTS, method="llm", llm=batch)
    assert got == expected
    assert len(server.batches) == 1 and len(server.chat_records()) == 3  # 3 from `sync` only
    assert batch.requests == 3 and batch.input_tokens == sync.input_tokens
    assert batch.cost_usd == pytest.approx(sync.cost_usd / 2)  # the Batch API's price
    state = list((tmp_path / "cache" / "batches").glob("extract-*.state.json"))
    assert len(state) == 1 and json.loads(state[0].read_text())["step"] == "downloaded"
    assert KEY not in state[0].read_text()
    # a rerun reads the answers from the cache: no new batch, no new request
    again = _llm(server, tmp_path / "cache", batch=True)
    assert extract_metadata_many(TEXTS, method="llm", llm=again) == expected
    assert again.requests == 0 and again.cached == 3 and len(server.batches) == 1


def test_answers_are_cached_per_server(server: FakeOpenAIServer, tmp_path: Path) -> None:
    first = _llm(server, tmp_path / "cache")
    extract_metadata(TEXTS[0], method="llm", llm=first)
    with FakeOpenAIServer(latency=0.0, api_key=KEY) as other:
        second = _llm(other, tmp_path / "cache")
        extract_metadata(TEXTS[0], method="llm", llm=second)
        assert second.cached == 0 and second.requests == 1  # another server: asked again
    same = _llm(server, tmp_path / "cache")
    extract_metadata(TEXTS[0], method="llm", llm=same)
    assert same.cached == 1 and same.requests == 0


def test_records_to_items_asks_the_model_once_for_all(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    image = tmp_path / "images" / "a.png"
    image.parent.mkdir()
    image.write_bytes(make_image(np.random.default_rng(0), 16))

    def record(n: int, text: str) -> ImageRecord:
        return ImageRecord(
            image_url=f"http://h/{n}.png", article_url=f"http://h/{n}", title="T", alt="",
            caption="", article_text=text, credits="", published="2021-12-01",
            parser="generic", local_path="images/a.png", content_type="image/png",
        )  # fmt: skip

    # the model's answer for the last text is made up, so the checks leave it no date
    records = [record(n, t) for n, t in enumerate([*TEXTS, TEXTS[0] + " [hallucinate]"])]
    by_rules, report = records_to_items(records, tmp_path)
    assert len(by_rules) == 4 and not report.skipped
    llm = _llm(server)
    items, report = records_to_items(records, tmp_path, method="llm", llm=llm)
    assert llm.requests == 4 and len(items) == 3
    assert report.reasons() == {"no-acquisition-date": 1}
    assert [i.properties["platform"] for i in items] == ["landsat-8", "terra", "sentinel-2a"]
    assert any("1999-01-01" in r for r in llm.rejections)


@pytest.mark.slow
def test_collect_web_method_llm(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gaia_geo.cli.main import app

    args = ["collect", "web", "--demo", "--out", str(tmp_path / "out")]
    args += ["--method", "llm", "--base-url", server.base_url]
    env = {"OPENAI_API_KEY": KEY, "GAIA_GEO_CACHE": str(tmp_path / "cache")}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    records = (tmp_path / "out" / "crawl" / "records.jsonl").read_text().splitlines()
    assert len(server.chat_records()) == len(records)  # every article asked, once
    assert KEY not in result.output
    assert list((tmp_path / "cache" / "extract").rglob("*.json"))
    bad = CliRunner().invoke(app, [*args[:5], "--method", "magic"])
    assert bad.exit_code != 0 and "--method must be one of" in bad.output
