"""extract_metadata(method="llm"|"hybrid") against the loopback OpenAI-compatible test server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from gaia_geo.collect import EXTRACTION_PROMPT_VERSION, LLMExtractor, extract_metadata  # noqa: E402
from gaia_geo.collect._extract_hybrid import doubts
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


@pytest.mark.parametrize(
    ("text", "doubted"),
    [
        # one strongly cued date, one sensor, one country: nothing to ask
        (TEXT, set()),
        # two pictures on different days: which span to report is a judgement
        (
            "Landsat 8 acquired these images of Lima, Peru, on December 15, 2017, and on "
            "January 16, 2018.",
            {"date"},
        ),
        # the only date is cued by an image word, not an acquisition verb; no sensor named
        ("An image of Lima, Peru, from December 15, 2017.", {"date", "sensors"}),
        # places in two countries: which one the picture shows is a judgement
        (
            "Landsat 8 acquired this image of Lima, Peru, on December 15, 2017. Smoke drifted "
            "in from fires in Bolivia.",
            {"place"},
        ),
    ],
)
def test_doubts_name_the_fields_the_rules_are_unsure_of(text: str, doubted: set[str]) -> None:
    assert doubts(extract_metadata(text)) == doubted


def test_hybrid_gives_the_model_only_the_doubted_fields(server: FakeOpenAIServer) -> None:
    llm = _llm(server)
    text = (
        "Smoke drifted in from fires in Bolivia. Landsat 8 acquired this image of Lima, Peru, on "
        "December 15, 2017."
    )
    rules = extract_metadata(text)
    assert [p.country_code for p in rules.places] == ["BO", "PE"]
    meta = extract_metadata(text, method="hybrid", llm=llm)
    assert llm.requests == 1
    # the model's place leads, the rules' other place follows, Lima is not listed twice
    assert [(p.name, p.country_code) for p in meta.places] == [("Lima", "PE"), ("Bolivia", "BO")]
    # the fields the rules were sure of are theirs, not the model's
    assert meta.start_datetime == rules.start_datetime and meta.platforms == rules.platforms
    assert "llm (gaia-extract-v1) filled ['places']" in meta.notes


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
