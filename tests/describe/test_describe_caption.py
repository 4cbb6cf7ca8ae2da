"""caption_items against the loopback server: results, provenance, cache, cost, dry run."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from gaia_geo.describe import (
    CaptionCache,
    PriceTable,
    caption_items,
)
from gaia_geo.describe._jobs import NO_SUMMARY
from gaia_geo.describe.testing_server import caption_payload
from gaia_geo.stac import CaptionExtension


def run(items, server, key, fast, tmp_path, **kw):
    kw.setdefault("cache", tmp_path / "cache")
    return caption_items(
        items, base_url=server.base_url, api_key=key, model="gpt-4o", retry=fast, **kw
    )


def test_captions_provenance_and_cost(server, key, fast, make_items, tmp_path):
    items = make_items(4)
    report = run(items, server, key, fast, tmp_path)
    assert sorted(report.captioned) == [i.id for i in items]
    assert not report.failed and not report.excluded
    caption_requests = [r for r in server.chat_records(200) if r.image_urls]
    summary_requests = [r for r in server.chat_records(200) if not r.image_urls]
    assert len(caption_requests) == 4 and len(summary_requests) == 4
    table = PriceTable()
    total = 0.0
    for item in items:
        record = next(r for r in caption_requests if f'"id": "{item.id}"' in r.text)
        ext = CaptionExtension.ext(item)
        # the captions are exactly the server's answer to this item's request
        assert ext.captions == caption_payload(record.text)["captions"]
        assert item.properties["description"] == ext.captions[0]
        prov = ext.provenance
        assert prov is not None
        assert (prov.generator, prov.model, prov.prompt_version) == ("openai", "gpt-4o", "gaia-v1")
        assert prov.extra["summary_model"] == "gpt-4o-mini"
        # the summary of this item's article went into the caption request
        assert "Summary [" in record.text and item.id in record.text
        # the Item's own metadata, dates included, goes with the image
        assert f'"datetime": "{item.datetime:%Y-%m-%dT%H:%M:%SZ}"' in record.text
        assert '"instruments": [' in record.text and '"gsd": ' in record.text
        assert prov.input_tokens and prov.input_tokens > 765  # image tokens counted
        assert prov.cost_usd is not None and prov.cost_usd > 0
        total += prov.cost_usd
        assert ext.tags == ["land cover", "hydrology", ext.location.split(",")[0].lower()]
    assert report.cost_usd == pytest.approx(total, rel=1e-6)
    assert report.requests == 8
    gpt4o = table.cost("gpt-4o", report.input_tokens, report.output_tokens)
    assert gpt4o is not None and report.cost_usd < gpt4o  # summaries are priced as gpt-4o-mini


def test_rerun_is_served_from_cache(server, key, fast, make_items, tmp_path):
    run(make_items(3), server, key, fast, tmp_path)
    sent = len(server.chat_records())
    fresh = make_items(3)  # same content, new Item objects
    report = run(fresh, server, key, fast, tmp_path)
    assert len(server.chat_records()) == sent
    assert report.from_cache == 3 and report.requests == 0 and report.cost_usd == 0
    assert all(len(CaptionExtension.ext(i).captions or []) == 5 for i in fresh)


def test_cache_key_changes_with_model_and_text(server, key, fast, make_items, tmp_path):
    run(make_items(2), server, key, fast, tmp_path)
    before = len(server.chat_records())
    report = run(make_items(2, seed=1), server, key, fast, tmp_path)  # new images and texts
    assert report.from_cache == 0 and len(server.chat_records()) == before + 4
    report = caption_items(
        make_items(2),
        base_url=server.base_url,
        api_key=key,
        model="gpt-4.1",
        retry=fast,
        cache=tmp_path / "cache",
    )
    assert report.from_cache == 0  # same images, other model: asked again


def test_dry_run_sends_nothing_and_estimates(server, key, fast, make_items, tmp_path):
    items = make_items(3)
    estimate = run(items, server, key, fast, tmp_path, dry_run=True)
    assert server.chat_records() == []
    assert estimate.dry_run and len(estimate.pending) == 3 and estimate.requests == 6
    assert estimate.cost_usd is not None and estimate.cost_usd > 0
    assert all(CaptionExtension.ext(i).captions is None for i in items)
    half = run(items, server, key, fast, tmp_path, dry_run=True, batch=True)
    assert half.cost_usd == pytest.approx(estimate.cost_usd / 2)
    real = run(items, server, key, fast, tmp_path)
    # the estimate is an upper-bound-ish guess of the same order as the bill
    assert real.cost_usd is not None and 0.2 < estimate.cost_usd / real.cost_usd < 5
    again = run(make_items(3), server, key, fast, tmp_path, dry_run=True)
    assert again.pending == [] and again.from_cache == 3 and again.requests == 0


def test_unknown_model_price_is_none(server, key, fast, make_items, tmp_path):
    report = caption_items(
        make_items(1),
        base_url=server.base_url,
        api_key=key,
        model="local-llava",
        retry=fast,
        cache=tmp_path / "c",
    )
    assert report.captioned and report.cost_usd is None


def test_empty_article_text_skips_summary(server, key, fast, make_items, tmp_path):
    items = make_items(2, text=False)
    report = run(items, server, key, fast, tmp_path)
    assert len(report.captioned) == 2
    records = server.chat_records(200)
    assert len(records) == 2 and all(r.image_urls for r in records)
    assert all(NO_SUMMARY in r.text for r in records)
    assert CaptionExtension.ext(items[0]).provenance.source_text_sha256 is None


def test_missing_and_unreadable_images_fail_without_requests(
    server, key, fast, make_items, tmp_path
):
    items = make_items(3, text=False)
    missing = Path(items[0].assets["image"].href)
    missing.unlink()
    broken = Path(items[1].assets["image"].href)
    broken.write_bytes(b"\x89PNG not really")
    items[1].assets["image"].extra_fields.pop("file:checksum")
    report = run(items, server, key, fast, tmp_path)
    assert report.captioned == [items[2].id]
    assert str(missing) in report.failed[items[0].id]
    assert "not a readable image" in report.failed[items[1].id]
    assert len(server.chat_records()) == 1
    assert CaptionExtension.ext(items[0]).captions is None


@pytest.mark.slow
def test_huge_image_is_resized_before_sending(server, key, fast, make_items, tmp_path):
    items = make_items(1, text=False)
    path = Path(items[0].assets["image"].href)
    Image.new("RGB", (5000, 3000), (40, 90, 160)).save(path)
    items[0].assets["image"].extra_fields.pop("file:checksum")
    report = run(items, server, key, fast, tmp_path)
    assert report.captioned == [items[0].id]
    url = server.chat_records(200)[0].image_urls[0]
    header, payload = url.split(",", 1)
    assert header.startswith("data:image/")
    sent = Image.open(io.BytesIO(base64.b64decode(payload)))
    assert max(sent.size) == 2048 and sent.size[0] / sent.size[1] == pytest.approx(5 / 3, 0.01)


def test_cache_holds_answers_not_secrets(server, key, fast, make_items, tmp_path, caplog):
    caplog.set_level("DEBUG")
    run(make_items(2), server, key, fast, tmp_path)
    store = CaptionCache(tmp_path / "cache")
    assert len(store) == 4  # two summaries, two caption answers
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert key not in text and "Authorization" not in text
            assert "data:image" not in text  # answers only, no request bodies
            json.loads(text)
    assert key not in caplog.text


def test_text_mapping_overrides_article_asset(server, key, fast, make_items, tmp_path):
    items = make_items(1)
    run(items, server, key, fast, tmp_path, texts={items[0].id: "ARTICLE-OVERRIDE text"})
    summary = next(r for r in server.chat_records(200) if not r.image_urls)
    assert "ARTICLE-OVERRIDE" in summary.text


def test_works_from_inside_a_running_event_loop(server, key, fast, make_items, tmp_path):
    import asyncio

    items = make_items(2, text=False)

    async def notebook_cell():
        return run(items, server, key, fast, tmp_path)

    report = asyncio.run(notebook_cell())
    assert len(report.captioned) == 2


def test_no_key_and_no_base_url_is_a_clear_error(make_items, tmp_path):
    from gaia_geo.describe import DescribeError

    with pytest.raises(DescribeError, match="OPENAI_API_KEY"):
        caption_items(make_items(1), cache=tmp_path / "c")


def test_remote_images_are_sent_by_url(server, key, fast, make_items, tmp_path):
    items = make_items(1, text=False)
    asset = items[0].assets["image"]
    asset.href = "https://example.org/images/scene.png"
    asset.extra_fields.pop("file:checksum")
    report = run(items, server, key, fast, tmp_path)
    assert report.captioned == [items[0].id]
    assert server.chat_records(200)[0].image_urls == ["https://example.org/images/scene.png"]


def test_images_of_one_article_share_one_summary(server, key, fast, make_items, tmp_path):
    items = make_items(4, text=False)
    article = "One article, four images: sediment plumes and fields along the coast."
    report = run(items, server, key, fast, tmp_path, texts={i.id: article for i in items})
    assert len(report.captioned) == 4
    summaries = [r for r in server.chat_records(200) if not r.image_urls]
    assert len(summaries) == 1  # asked once, shared by the four concurrent jobs
    captions = [r for r in server.chat_records(200) if r.image_urls]
    assert len(captions) == 4 and all("Summary [" in r.text for r in captions)
    paid = [CaptionExtension.ext(i).provenance.extra["requests"] for i in items]
    assert sorted(paid) == [1, 1, 1, 2]  # the summary is paid (and counted) once
