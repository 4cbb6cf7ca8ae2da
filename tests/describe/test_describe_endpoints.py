"""Answers are keyed by the server that gave them: the test server's never reach a real dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gaia_geo.cli.main import main
from gaia_geo.describe import CAPTION_V1, CaptionCache, DescribeError, caption_items
from gaia_geo.describe._cache import cache_key, text_sha256
from gaia_geo.describe._client import OPENAI_API_ROOT, endpoint_id
from gaia_geo.describe.testing_server import FakeOpenAIServer
from gaia_geo.stac import CaptionExtension, read_catalog


def test_test_server_answers_are_marked_free_and_never_read_back_for_openai(
    key, fast, make_items, tmp_path
):
    cache = tmp_path / "cache"
    items = make_items(4)
    with FakeOpenAIServer(api_key=key) as fake:  # the README's test-server step
        report = caption_items(
            items, base_url=fake.base_url, api_key=key, model="gpt-4o", retry=fast, cache=cache
        )
    assert sorted(report.captioned) == sorted(i.id for i in items)
    assert report.cost_usd == 0 and report.requests == 8
    for item in items:
        prov = CaptionExtension.ext(item).provenance
        assert prov is not None and prov.generator == "test-server" and prov.cost_usd == 0
    # then the plain command meant for OpenAI, with the same model and the same cache: nothing
    # comes from the cache (a dry run, so nothing leaves this machine)
    fresh = make_items(4)
    plan = caption_items(fresh, model="gpt-4o", api_key=key, cache=cache, dry_run=True)
    assert plan.from_cache == 0 and sorted(plan.pending) == sorted(i.id for i in fresh)
    assert plan.cost_usd is not None and plan.cost_usd > 0
    assert all(CaptionExtension.ext(i).captions is None for i in fresh)


def test_another_server_asks_again_and_the_same_one_answers_from_cache(
    server, key, fast, make_items, tmp_path
):
    cache = tmp_path / "cache"
    with FakeOpenAIServer(api_key=key) as fake:
        caption_items(make_items(3), base_url=fake.base_url, api_key=key, model="gpt-4o",
                      retry=fast, cache=cache)  # fmt: skip
        # the same server spelled differently (case, trailing slash) shares its answers
        again = make_items(3)
        spelled = fake.base_url.replace("http://", "HTTP://") + "/"
        report = caption_items(
            again, base_url=spelled, api_key=key, model="gpt-4o", retry=fast, cache=cache
        )
        assert report.from_cache == 3 and report.requests == 0
    other = make_items(3)  # `server` poses as a paid API at another address
    report = caption_items(
        other, base_url=server.base_url, api_key=key, model="gpt-4o", retry=fast, cache=cache
    )
    assert report.from_cache == 0 and len(server.chat_records(200)) == 6
    assert {CaptionExtension.ext(i).provenance.generator for i in other} == {"openai"}  # type: ignore[union-attr]
    assert report.cost_usd is not None and report.cost_usd > 0


def test_an_entry_of_the_old_key_layout_is_not_read(key, make_items, tmp_path):
    cache = CaptionCache(tmp_path / "cache")
    item = make_items(1, text=False)[0]
    from gaia_geo.describe._images import find_image
    from gaia_geo.describe._jobs import metadata_block

    # the key layout before the server and a layout version were part of it
    inputs = text_sha256("\x1f".join([metadata_block(item), text_sha256(""), "-"]))
    image = find_image(item)
    old = cache_key("caption", "gpt-4o", CAPTION_V1.key, image.sha256, inputs)
    cache.put(old, {"status": "ok", "answer": {"captions": ["x"] * 5}, "reasons": [],
                    "model": "gpt-4o", "prompt_version": "gaia-v1",
                    "created": "2026-01-01T00:00:00+00:00"})  # fmt: skip
    plan = caption_items([item], model="gpt-4o", api_key=key, cache=cache, dry_run=True)
    assert plan.from_cache == 0 and plan.pending == [item.id]


def test_endpoint_id_normalises_and_defaults_to_openai():
    assert endpoint_id(None) == OPENAI_API_ROOT == endpoint_id("https://API.openai.com:443/v1/")
    assert endpoint_id("http://127.0.0.1:80/v1") == "http://127.0.0.1/v1"
    assert endpoint_id("http://127.0.0.1:8099/v1") != endpoint_id("http://127.0.0.1:8098/v1")


def test_credentials_in_the_base_url_are_refused_and_never_printed(
    key, make_items, tmp_path, demo_catalog, capsys
):
    secret = "sk-inside-the-url-0123456789"
    url = f"http://user:{secret}@127.0.0.1:9/v1"
    with pytest.raises(DescribeError, match="carries credentials") as info:
        caption_items(make_items(1), base_url=url, api_key=key, cache=tmp_path / "c")
    assert secret not in str(info.value)
    catalog = tmp_path / "demo"
    shutil.copytree(demo_catalog, catalog)
    with pytest.raises(SystemExit) as exit_:
        main(["caption", str(catalog), "--base-url", url, "--cache", str(tmp_path / "c")])
    out = capsys.readouterr()
    assert exit_.value.code == 1 and "carries credentials" in out.err
    assert secret not in out.out + out.err
    assert {p["generator"] for p in read_catalog(catalog)["gaia:caption_provenance"]} == {"offline"}


@pytest.mark.slow
def test_cli_test_server_captions_are_free_in_the_report(
    key, tmp_path: Path, demo_catalog, capsys, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    catalog = tmp_path / "demo"
    shutil.copytree(demo_catalog, catalog)
    with FakeOpenAIServer(api_key=key) as fake, pytest.raises(SystemExit) as exit_:
        main(["caption", str(catalog), "--base-url", fake.base_url, "--model", "gpt-4o",
              "--cache", str(tmp_path / "cache")])  # fmt: skip
    assert exit_.value.code == 0 and "cost $0.0000" in capsys.readouterr().out
    frame = read_catalog(catalog)
    assert {p["generator"] for p in frame["gaia:caption_provenance"]} == {"test-server"}
