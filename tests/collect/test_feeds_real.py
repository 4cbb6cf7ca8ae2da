"""A crawl of a real saved NASA feed (tests/data/real/feeds/, see PROVENANCE.md).

The feed is NASA's "Image of the Day" RSS as saved on 2020-02-10: 60 entries, each an image
``<enclosure>`` with a one-sentence ``<description>`` and a link to the article page. Its
``http://www.nasa.gov/`` links are pointed at a loopback server that serves the feed and a
small generated JPEG at every enclosure path (the real images are not committed).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely.geometry
from typer.testing import CliRunner

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gaia_geo import validate  # noqa: E402
from gaia_geo.cli.main import app  # noqa: E402
from gaia_geo.collect import CrawlConfig, crawl, read_records  # noqa: E402
from gaia_geo.collect._feeds import entry_page, parse_feed  # noqa: E402
from gaia_geo.collect.sample_site import SiteServer, make_image  # noqa: E402

FEED = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "real"
    / "feeds"
    / "nasa-lg_image_of_the_day-2020-02-10.rss"
).read_bytes()
HOST = b"http://www.nasa.gov/"


def _serve(root: Path) -> SiteServer:
    feed_path = "/rss/dyn/lg_image_of_the_day.rss"
    root.mkdir(parents=True)
    (root / "routes.json").write_text(
        json.dumps({feed_path: {"content_type": "application/rss+xml; charset=utf-8"}})
    )
    server = SiteServer(root).start()
    (root / feed_path.strip("/")).mkdir(parents=True)
    (root / feed_path.strip("/") / "index.html").write_bytes(
        FEED.replace(HOST, server.url.encode())
    )
    rng = np.random.default_rng(2020)
    for path in re.findall(rb'enclosure url="http://www\.nasa\.gov/([^"]+)"', FEED):
        target = root / path.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(make_image(rng, 32, "JPEG"))
    return server


def _config(**overrides: Any) -> CrawlConfig:
    values: dict[str, Any] = {
        "delay_s": 0.0,
        "allow_private": True,
        "progress": False,
        "max_retries": 0,
        "timeout_s": 5.0,
        "max_depth": 0,
    }
    values.update(overrides)
    return CrawlConfig(**values)


def test_the_real_feed_gives_enclosure_entries() -> None:
    entries = parse_feed(FEED, "http://www.nasa.gov/rss/dyn/lg_image_of_the_day.rss")
    assert len(entries) == 60 and all(e.html is None for e in entries)
    cuatro = next(e for e in entries if e.title == "Cuatro Cienegas Basin, Mexico")
    assert (
        cuatro.image_url == "http://www.nasa.gov/sites/default/files/thumbnails/image/pia23535.jpg"
    )
    assert cuatro.summary.startswith("In the northern Mexican state of Cohuilla")
    assert cuatro.published is not None and cuatro.published.isoformat() == "2020-01-16"
    page = entry_page(cuatro, cuatro.url, {})
    assert page is not None and page.parser == "feed" and page.images[0].url == cuatro.image_url


def test_crawl_of_the_real_feed_stores_every_entry_without_fetching_pages(tmp_path: Path) -> None:
    server = _serve(tmp_path / "site")
    try:
        report = crawl(
            [server.url + "rss/dyn/lg_image_of_the_day.rss"], tmp_path / "out", _config()
        )
        hits = [hit.path for hit in server.hits]
    finally:
        server.stop()
    assert not report.failures and report.images_found == 60 and report.images_fetched == 60
    assert not any(path.startswith("/image-feature/") for path in hits)  # the feed was enough
    records = {r.article_url.rsplit("/", 1)[-1]: r for r in read_records(tmp_path / "out")}
    cuatro = records["cuatro-cienegas-basin-mexico"]
    assert cuatro.parser == "feed" and cuatro.published == "2020-01-16"
    assert cuatro.title == "Cuatro Cienegas Basin, Mexico"
    assert "Cuatro Cienegas Basin" in cuatro.article_text and cuatro.local_path


@pytest.mark.slow
def test_collect_web_on_the_real_feed_writes_the_americas_and_says_why_not_the_rest(
    tmp_path: Path,
) -> None:
    # NASA's 2020 feed is astronauts, launches and astronomy: one Earth scene gives a date, a
    # sensor and a place, "North and South America at night" from Suomi NPP, April and October
    # 2012 (a continent-wide scene, so its footprint is the Americas' box, not a country's point);
    # nothing else may be made up from it (the Juno picture of Jupiter's clouds once became an
    # Item in Jupiter, Florida)
    server = _serve(tmp_path / "site")
    try:
        args = ["collect", "web", server.url + "rss/dyn/lg_image_of_the_day.rss"]
        result = CliRunner().invoke(
            app,
            [*args, "--out", str(tmp_path / "out"), "--allow-private", "--delay", "0"]
            + ["--max-depth", "0"],
        )
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert summary["images_fetched"] == 60 and summary["items"] == 1
    assert sum(summary["not_items"].values()) == 59
    assert summary["not_items"]["no-acquisition-date"] >= 50
    assert set(summary["not_items"]) <= {"no-acquisition-date", "place-not-found"}
    report = validate(tmp_path / "out" / "catalog")
    assert report.valid, report.problems
    (path,) = (tmp_path / "out" / "catalog").rglob("web-*.json")
    item = json.loads(path.read_text())
    properties = item["properties"]
    assert properties["title"] == "Brilliance at Night: The Americas in Darkness"
    assert properties["platform"] == "suomi-npp" and properties["gaia:location"] == "Americas"
    assert properties["start_datetime"].startswith("2012-04-01")
    assert properties["end_datetime"].startswith("2012-10-31")
    assert properties["gaia:geometry_kind"] == "place"
    footprint = shapely.geometry.shape(item["geometry"])
    assert item["geometry"]["type"] in ("Polygon", "MultiPolygon") and footprint.area > 1000
    assert footprint.contains(shapely.geometry.Point(-99.1, 19.4))  # Mexico City
    assert footprint.contains(shapely.geometry.Point(-68.3, -54.8))  # Ushuaia
    assert not footprint.contains(shapely.geometry.Point(2.35, 48.86))  # not Paris
    assert item["bbox"][1] < -54.8 and item["bbox"][3] > 70
