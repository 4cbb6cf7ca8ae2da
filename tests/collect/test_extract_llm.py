"""extract_metadata(method="llm"|"hybrid") against the loopback OpenAI-compatible test server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from gaia_geo.collect import EXTRACTION_PROMPT_VERSION, LLMExtractor, extract_metadata  # noqa: E402
from gaia_geo.describe.testing_server import FakeOpenAIServer  # noqa: E402

KEY = "sk-test-extract-0123456789"
UTC = dt.UTC
TEXT = (
    "The Operational Land Imager (OLI) on Landsat 8 acquired this image of Cairo, Egypt, on "
    "December 15, 2017."
)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(latency=0.0, api_key=KEY) as srv:
        yield srv


def _llm(server: FakeOpenAIServer, cache: Path | None = None) -> LLMExtractor:
    return LLMExtractor(model="gpt-4o-mini", base_url=server.base_url, api_key=KEY, cache_dir=cache)


@pytest.mark.slow
def test_llm_answers_are_normalised_cached_and_costed(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    llm = _llm(server, tmp_path / "cache")
    meta = extract_metadata(TEXT, method="llm", llm=llm)
    assert meta.datetime == dt.datetime(2017, 12, 15, tzinfo=UTC)
    assert meta.platforms == ("landsat-8",) and meta.instruments == ("oli", "tirs")
    assert meta.places[0].country_code == "EG" and meta.places[0].name == "Cairo"
    assert any(EXTRACTION_PROMPT_VERSION in note for note in meta.notes)
    assert llm.requests == 1 and llm.input_tokens > 0 and llm.cost_usd > 0
    again = extract_metadata(TEXT, method="llm", llm=llm)
    assert again == meta and llm.requests == 1 and llm.cached == 1
    assert len(server.chat_records()) == 1
    request = server.chat_records()[0]
    assert KEY not in str(request)


@pytest.mark.slow
def test_answers_the_text_does_not_support_are_rejected(server: FakeOpenAIServer) -> None:
    llm = _llm(server)
    meta = extract_metadata(TEXT + " [hallucinate]", method="llm", llm=llm)
    assert meta.precision is None and meta.platforms == () and meta.places == ()
    assert any("1999-01-01" in r and "not in the text" in r for r in llm.rejections)
    assert any("WorldView-3" in r and "does not name it" in r for r in llm.rejections)
    assert any("Hubble" in r and "registry" in r for r in llm.rejections)
    assert any("Atlantis" in r for r in llm.rejections)


def test_hybrid_asks_only_where_the_rules_are_unsure(server: FakeOpenAIServer) -> None:
    llm = _llm(server)
    sure = extract_metadata(TEXT, method="hybrid", llm=llm)
    assert llm.requests == 0 and sure.platforms == ("landsat-8",)
    # the rules find no acquisition date here, so the model is asked; it finds none either
    unsure = extract_metadata(
        "Landsat 8 acquired this image of Lima, Peru.", method="hybrid", llm=llm
    )
    assert llm.requests == 1
    assert unsure.platforms == ("landsat-8",) and unsure.precision is None
    assert "llm (gaia-extract-v1) filled nothing" in unsure.notes


def test_retries_after_a_server_error(server: FakeOpenAIServer) -> None:
    server.add_fault("server_error", times=1)
    llm = _llm(server)
    meta = extract_metadata(TEXT, method="llm", llm=llm)
    assert meta.platforms == ("landsat-8",)
    assert len(server.chat_records()) == 2


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="method must be one of"):
        extract_metadata(TEXT, method="magic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs llm=LLMExtractor"):
        extract_metadata(TEXT, method="llm")
    with pytest.raises(ValueError, match="concurrency"):
        LLMExtractor(concurrency=0)


def test_cli_collect_extract_method_llm(server: FakeOpenAIServer, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from gaia_geo.cli.main import app

    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    args = ["collect", "extract", str(article), "--method", "llm", "--base-url", server.base_url]
    args += ["--cache-dir", str(tmp_path / "cache")]
    result = CliRunner().invoke(app, args, env={"OPENAI_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["platforms"] == ["landsat-8"] and data["llm"]["requests"] == 1
    assert KEY not in result.output
    bad = CliRunner().invoke(app, ["collect", "extract", str(article), "--method", "magic"])
    assert bad.exit_code != 0 and "--method must be one of" in bad.output
