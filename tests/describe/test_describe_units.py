"""The describe stage's pure parts: checks, prompts, prices, cache, redaction, images."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pystac
import pytest
import rasterio
from rasterio.transform import from_origin

from gaia_geo.describe import (
    CAPTION_SCHEMA,
    CAPTION_V1,
    CaptionCache,
    Price,
    PriceTable,
    cache_key,
    check_answer,
    get_prompt,
)
from gaia_geo.describe._client import CaptionClient, _env_proxy, parse_reset
from gaia_geo.describe._images import ImageRef, _read_head, image_url
from gaia_geo.describe._pricing import image_tokens
from gaia_geo.describe._redact import redact
from gaia_geo.describe.testing_server import caption_payload


def landsat_item(**props) -> pystac.Item:
    props = {
        "platform": "landsat-8",
        "constellation": "landsat",
        "instruments": ["oli", "tirs"],
        **props,
    }
    return pystac.Item(
        "x",
        {"type": "Point", "coordinates": [12.3, 44.9]},
        [12.2, 44.8, 12.4, 45.0],
        dt.datetime(2019, 6, 15, 10, tzinfo=dt.UTC),
        props,
    )


def good() -> dict:
    text = '{"platform": "landsat-8", "instruments": ["oli", "tirs"], "gaia:location": "Po, IT"}'
    return caption_payload(text)


def test_a_good_answer_passes():
    assert check_answer(good(), landsat_item()) == []


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda a: a["captions"].pop(), "exactly 5 captions"),
        (lambda a: a["captions"].__setitem__(0, "  "), "empty"),
        (lambda a: a["captions"].__setitem__(1, a["captions"][0] + " again"), "near-duplicates"),
        (
            lambda a: a["captions"].__setitem__(2, "The image showcases: a photo of a lake."),
            "photo",
        ),
        (lambda a: a.__setitem__("resolution", "Medium"), "'resolution'"),
        (lambda a: a.__setitem__("satellite", ["Sentinel-2A/B"]), "Sentinel-2"),
        (lambda a: a.__setitem__("sensor", ["MODIS"]), "MODIS"),
        (lambda a: a["captions"].__setitem__(3, "The image showcases: fields in 2017."), "2017"),
        (lambda a: a["captions"].__setitem__(3, "The image showcases: July 2019 fields."), "July"),
        (lambda a: a["captions"].__setitem__(3, "The image showcases: a bay at 44.9°N."), "coord"),
        (lambda a: a.__setitem__("coordinates", {"lat": -33.0, "lon": 151.0}), "outside"),
    ],
)
def test_each_check_rejects_its_fault(edit, reason):
    answer = good()
    edit(answer)
    reasons = check_answer(answer, landsat_item())
    assert reasons and any(reason in r for r in reasons), reasons


def test_supported_dates_sensors_and_coordinates_pass():
    answer = good()
    answer["captions"][3] = "The image showcases: fields on June 15, 2019 near the river."
    answer["captions"][4] = "The image showcases: the Operational Land Imager view of 2048 plots."
    answer["satellite"] = ["Landsat 8"]
    answer["sensor"] = ["OLI", "TIRS"]
    answer["coordinates"] = {"lat": 44.9, "lon": 12.3}
    assert check_answer(answer, landsat_item()) == []
    # a month range item supports a month, not another one
    ranged = landsat_item()
    ranged.datetime = None
    ranged.properties.update(
        start_datetime="2019-06-01T00:00:00Z", end_datetime="2019-06-30T23:59:59Z"
    )
    answer["captions"][3] = "The image showcases: June 2019 fields near the river."
    assert check_answer(answer, ranged) == []
    answer["captions"][3] = "The image showcases: May 2019 fields near the river."
    assert check_answer(answer, ranged)


NEUTRAL = "The image showcases: pale dunes crossed by two dry channels in the lower half."


def test_instrument_names_agree_with_any_platform_that_carries_them():
    answer = good()
    answer["captions"][1] = NEUTRAL
    answer["sensor"] = ["OLI"]
    answer["satellite"] = ["Landsat 9"]
    item = landsat_item(platform="landsat-9")
    assert check_answer(answer, item) == []
    answer["satellite"] = ["Landsat 8"]
    assert check_answer(answer, item)


def test_astronaut_photography_is_not_a_photo_complaint():
    answer = good()
    answer["captions"][2] = "The image showcases: astronaut photography of a dark lava field."
    answer["captions"][1] = NEUTRAL
    item = landsat_item(platform="iss", constellation=None, instruments=["handheld-camera"])
    answer["satellite"], answer["sensor"] = ["iss"], []
    assert check_answer(answer, item) == []


def test_prompt_templates_are_versioned_and_render():
    assert get_prompt("gaia-v1") is CAPTION_V1
    with pytest.raises(ValueError, match="known versions"):
        get_prompt("nope")
    messages = CAPTION_V1.messages("data:image/png;base64,AA", metadata="{}", summary="S")
    assert messages[0]["role"] == "system" and "photograph" in messages[0]["content"]
    assert messages[1]["content"][1]["image_url"]["url"].startswith("data:image/png")
    fmt = CAPTION_V1.response_format()
    assert fmt["json_schema"]["strict"] is True and fmt["json_schema"]["schema"] is CAPTION_SCHEMA
    assert set(CAPTION_SCHEMA["required"]) == set(CAPTION_SCHEMA["properties"])
    assert CAPTION_V1.key.startswith("gaia-v1+")


def test_price_table_prefixes_batch_and_files(tmp_path):
    table = PriceTable()
    assert table.price("gpt-4o-mini-2024-07-18") == Price(0.15, 0.60)
    assert table.price("gpt-4o-2024-08-06") == Price(2.50, 10.00)
    assert table.cost("gpt-4o", 1_000_000, 0, batch=True) == pytest.approx(1.25)
    assert table.cost("llava:13b", 10, 10) is None
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"llava": {"input": 0, "output": 0.5}}))
    assert PriceTable.from_file(path).cost("llava:13b", 0, 2_000_000) == pytest.approx(1.0)
    path.write_text(json.dumps({"llava": {"input": "free"}}))
    with pytest.raises(ValueError, match="llava"):
        PriceTable.from_file(path)
    assert image_tokens(512, 512) == 85 + 170  # small images are not scaled up: one tile
    assert image_tokens(1024, 1024) == 85 + 170 * 4  # -> 768 x 768: 2 x 2 tiles
    assert image_tokens(4096, 2048) == 85 + 170 * 6


def test_cache_round_trip_and_keys(tmp_path):
    store = CaptionCache(tmp_path)
    key = cache_key("caption", "gpt-4o", "gaia-v1+x", "img", "txt")
    assert key != cache_key("caption", "gpt-4o", "gaia-v1+x", "img", "txt2")
    assert store.get(key) is None and key not in store
    store.put(key, {"status": "ok"})
    assert store.get(key) == {"status": "ok"} and key in store and len(store) == 1
    store.path(key).write_bytes(b"{torn")
    assert store.get(key) is None
    with pytest.raises(ValueError, match="64"):
        store.path("../../etc/passwd")


def test_redact_and_rate_limit_resets():
    key = "sk-proj-abcdefghijklmnop"
    assert key not in redact(f"bad key {key}!", key)
    assert "sk-proj-abcdefgh" not in redact("bad key sk-proj-abcdefgh...mnop", key)
    assert redact("nothing", None) == "nothing"
    assert parse_reset("6m0s") == 360 and parse_reset("20ms") == pytest.approx(0.02)
    assert parse_reset("1.5s") == 1.5 and parse_reset("2") == 2 and parse_reset(None) is None


def test_float_geotiff_is_rendered_to_png(tmp_path):
    path = tmp_path / "chip.tif"
    ramp = np.linspace(0, 4000, 2100, dtype="float32")
    data = np.stack([np.tile(ramp, (300, 1)) * k for k in (1.0, 0.5, 0.25)])
    profile = {
        "driver": "GTiff", "width": 2100, "height": 300, "count": 3, "dtype": "float32",
        "crs": "EPSG:32633", "transform": from_origin(300000, 5000000, 10, 10),
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    url = image_url(ImageRef(str(path), "0" * 64, False))
    import base64
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert url.startswith("data:image/png") and image.mode == "RGB"
    assert image.size == (2048, 292)
    assert image.getpixel((0, 0)) == (0, 0, 0) and image.getpixel((2047, 0))[0] == 255
    assert image_url(ImageRef("https://example.org/a.jpg", "0" * 64, True)).startswith("https://")


def test_cache_writer_writes_everything_and_reports_errors(tmp_path):
    from gaia_geo.describe._cache import CacheWriter

    store = CaptionCache(tmp_path / "ok")
    writer = CacheWriter(store)
    keys = [cache_key("k", str(i)) for i in range(50)]
    for i, key in enumerate(keys):
        writer.put(key, {"i": i})
    writer.close()
    assert [store.get(k) for k in keys] == [{"i": i} for i in range(50)]
    writer = CacheWriter(store)
    with pytest.raises(ValueError, match="64"):
        writer.put("not-a-key", {})
    writer.close()
    blocked = CaptionCache(tmp_path / "blocked")
    (blocked.root / keys[0][:2]).write_text("a file where a folder should be")
    writer = CacheWriter(blocked)
    writer.put(keys[0], {"i": 0})
    with pytest.raises(OSError):
        writer.close()


@pytest.mark.parametrize(
    "sentence, ok",
    [
        ("green fields in June along the river", True),
        ("snow cover in January on the ridges", False),
        ("rivers that May flood the lowlands", True),  # the verb, not the month
        ("early-May flooding of the lowlands", False),
        ("the image from June 2019 of fields", True),
        ("the image from June 2018 of fields", False),
    ],
)
def test_month_names_must_fit_the_item_date(sentence, ok):
    answer = good()
    answer["captions"][3] = f"The image showcases: {sentence}."
    reasons = check_answer(answer, landsat_item())
    assert (reasons == []) is ok, reasons
    undated = landsat_item()
    undated.datetime = None
    undated.properties.update(
        start_datetime="2019-01-01T00:00:00Z", end_datetime="2019-12-31T23:59:59Z"
    )
    assert check_answer(answer, undated) == [] or "2018" in sentence  # a year range: any month


def test_cache_writer_applies_backpressure(tmp_path):
    import asyncio
    import time as _time

    from gaia_geo.describe._cache import CacheWriter

    class SlowCache(CaptionCache):
        def put(self, key, entry):
            _time.sleep(0.02)
            super().put(key, entry)

    store = SlowCache(tmp_path)
    writer = CacheWriter(store, threads=1, max_pending=2)
    seen = []

    async def produce():
        for i in range(8):
            writer.put(cache_key("bp", str(i)), {"i": i})
            await writer.wait_below()
            seen.append(len(writer._pending))

    asyncio.run(produce())
    writer.close()
    assert max(seen) <= 2 and len(store) == 8


def test_proxy_from_the_environment_is_read_once_per_session(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    assert _env_proxy("https://api.openai.com/v1/chat/completions") == "http://proxy.example:3128"
    assert _env_proxy("https://internal.example:8000/v1/chat/completions") is None
    assert _env_proxy("http://127.0.0.1:8000/v1/chat/completions") is None  # no HTTP_PROXY


@pytest.mark.slow
def test_bad_transport_is_refused():
    with pytest.raises(ValueError, match="transport must be one of"):
        CaptionClient(api_key="k", base_url="http://127.0.0.1:1/v1", transport="curl")


@pytest.mark.parametrize("size", [None, 10, 100, 5000])
def test_read_head_reads_the_file_whatever_size_is_assumed(tmp_path, size):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)  # 1,024 bytes
    assert _read_head(str(path), 2000, size) == path.read_bytes()
    assert _read_head(str(path), 100, size) == path.read_bytes()[:100]
