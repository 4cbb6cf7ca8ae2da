"""RSS/Atom feeds as crawl seeds, and the science.nasa.gov parser, on saved NASA inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gaia_geo import read_catalog, validate  # noqa: E402
from gaia_geo.cli.main import app  # noqa: E402
from gaia_geo.collect import CrawlConfig, crawl, parse_page, read_records  # noqa: E402
from gaia_geo.collect._feeds import is_feed, parse_feed  # noqa: E402
from gaia_geo.collect.sample_site import SiteServer, make_image  # noqa: E402

NASA = Path(__file__).resolve().parents[1] / "data" / "real" / "nasa"
FEED = (NASA / "iotd-feed-reconstructed.xml").read_bytes()
PAGE = (NASA / "science-image-article-reconstructed.html").read_bytes()
PAGE_URL = "https://science.nasa.gov/image-article/dust-over-the-red-sea/"
# a real page as science.nasa.gov served it (the "media detail hero" layout of APOD)
APOD = (NASA / "science-apod-2026-10-05.html").read_bytes()
INLINE = ("/image-article/green-fields-of-the-nile-delta/", "/image-article/lake-titicaca-")
HOSTS = (b"https://www.nasa.gov/", b"https://science.nasa.gov/")
IMAGES = (
    "wp-content/uploads/2024/12/nile-delta-oli-2024277.jpg",
    "wp-content/uploads/2024/12/lake-titicaca-iss.jpg",
    "wp-content/uploads/2024/12/redsea-modis-2024259.jpg",
)


def fast_config(**overrides: Any) -> CrawlConfig:
    values: dict[str, Any] = {
        "delay_s": 0.0,
        "allow_private": True,
        "progress": False,
        "max_retries": 0,
        "timeout_s": 2.0,
    }
    values.update(overrides)
    return CrawlConfig(**values)


def _serve(root: Path, robots: str = "", hosts: tuple[bytes, ...] = HOSTS) -> SiteServer:
    """The saved feed and page on loopback, their ``hosts`` links pointed at the server."""
    feed_path = "/feeds/iotd-feed/"
    root.mkdir(parents=True, exist_ok=True)
    (root / "routes.json").write_text(
        json.dumps({feed_path: {"content_type": "application/rss+xml; charset=UTF-8"}})
    )
    server = SiteServer(root).start()
    for saved, target in ((FEED, feed_path), (PAGE, PAGE_URL.split(".gov", 1)[1])):
        body = saved
        for host in hosts:
            body = body.replace(host, server.url.encode())
        path = root / target.strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    rng = np.random.default_rng(16)
    for image in IMAGES:
        (root / image).parent.mkdir(parents=True, exist_ok=True)
        (root / image).write_bytes(make_image(rng, 64, "JPEG"))
    if robots:
        (root / "robots.txt").write_text(robots)
    return server


def test_crawl_of_the_saved_feed_parses_whole_entries_in_place(tmp_path: Path) -> None:
    server = _serve(tmp_path / "site")
    feed_url = server.url + "feeds/iotd-feed/"
    try:
        # entries are pages at the feed's own depth: max_depth=0 crawls them, not their links
        report = crawl([feed_url], tmp_path / "out", fast_config(max_depth=0))
        first_hits = [hit.path for hit in server.hits]
        resumed = crawl([feed_url], tmp_path / "out", fast_config(max_depth=0))
        resume_hits = [hit.path for hit in server.hits][len(first_hits) :]
        crawl([feed_url], tmp_path / "out", fast_config(max_depth=0, refresh=True))
        refresh_hits = [hit.path for hit in server.hits][len(first_hits) + len(resume_hits) :]
    finally:
        server.stop()
    assert not report.failures and report.images_found == 3 and report.images_fetched == 3
    # the two entries that carry their article are never fetched; the third one is
    assert not any(path.startswith(INLINE) for path in first_hits), first_hits
    assert "/image-article/dust-over-the-red-sea/" in first_hits
    assert resume_hits == [] and not resumed.failures  # resume: nothing left to fetch
    assert "/feeds/iotd-feed/" in refresh_hits  # refresh revalidates the feed...
    assert not any(path.startswith(INLINE) for path in refresh_hits)  # ...not its entries
    records = {r.article_url.split("/")[-2]: r for r in read_records(tmp_path / "out")}
    assert set(records) == {
        "green-fields-of-the-nile-delta",
        "lake-titicaca-from-the-space-station",
        "dust-over-the-red-sea",
    }
    nile = records["green-fields-of-the-nile-delta"]
    assert nile.article_url == server.url + INLINE[0].lstrip("/")
    assert nile.published == "2024-12-06"  # the entry's pubDate
    assert nile.title == "Green Fields of the Nile Delta" and nile.parser == "nasa_science"
    assert nile.credits.startswith("NASA Earth Observatory, using Landsat")
    assert nile.alt.startswith("A satellite view of the green, fan-shaped Nile Delta")
    assert "Operational Land Imager (OLI) on Landsat 9" in nile.article_text
    assert nile.image_url.endswith("nile-delta-oli-2024277.jpg")  # not the ?w=2048 copy
    assert records["dust-over-the-red-sea"].published == "2024-12-04"
    assert all(r.local_path for r in records.values())


@pytest.mark.slow
def test_collect_web_on_the_saved_feed_writes_valid_items(tmp_path: Path) -> None:
    server = _serve(tmp_path / "site")
    try:
        args = ["collect", "web", server.url + "feeds/iotd-feed/", "--out", str(tmp_path / "out")]
        result = CliRunner().invoke(
            app, [*args, "--allow-private", "--delay", "0", "--max-depth", "0"]
        )
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    report = validate(tmp_path / "out" / "catalog")
    assert report.valid, report.problems
    frame = read_catalog(tmp_path / "out" / "catalog")
    assert len(frame) == 3
    items = {row["gaia:source_url"].split("/")[-2]: row for _, row in frame.iterrows()}
    nile = items["green-fields-of-the-nile-delta"]
    assert nile["start_datetime"].date() == dt.date(2024, 10, 3)
    assert nile["platform"] == "landsat-9" and nile["gaia:location"] == "Nile Delta, Egypt"


def test_feed_entries_keep_robots_and_the_allowlist(tmp_path: Path) -> None:
    server = _serve(tmp_path / "site", robots="User-agent: *\nDisallow: /image-article/dust\n")
    try:
        report = crawl([server.url + "feeds/iotd-feed/"], tmp_path / "out", fast_config())
        hits = [hit.path for hit in server.hits]
    finally:
        server.stop()
    assert report.failure_reasons() == {"robots-disallow": 1}
    assert "/image-article/dust-over-the-red-sea/" not in hits
    assert report.images_found == 2
    # science.nasa.gov left as it is: that entry is off the allowlist (the feed's host)
    server = _serve(tmp_path / "site2", hosts=HOSTS[:1])
    try:
        report = crawl([server.url + "feeds/iotd-feed/"], tmp_path / "out2", fast_config())
    finally:
        server.stop()
    assert report.skipped == {"off-allowlist": 1} and report.images_found == 2


def test_science_nasa_parser_on_the_saved_page() -> None:
    page = parse_page(PAGE, PAGE_URL)
    assert page.parser == "nasa_science" and page.is_article
    assert page.title == "Dust Over the Red Sea"
    assert page.published == dt.date(2024, 12, 4)
    assert page.tags == ["Earth", "Earth\u2019s Atmosphere", "Terra"]
    assert len(page.images) == 1  # not the logos, nor the related-content teaser
    image = page.images[0]
    assert (
        image.url == "https://science.nasa.gov/wp-content/uploads/2024/12/redsea-modis-2024259.jpg"
    )
    assert image.alt.startswith("Tan dust streams east over the dark blue Red Sea")
    assert image.caption.startswith("Dust blows from Sudan over the Red Sea on September 15")
    assert image.credits.startswith("NASA Earth Observatory, using MODIS data")
    assert page.text.startswith("On September 15, 2024, the Moderate Resolution Imaging")
    assert "Keep Exploring" not in page.text and "Discover More" not in page.text
    # served elsewhere (a mirror, the test server), the layout still picks the parser
    assert parse_page(PAGE, "http://127.0.0.1:8000/a/").parser == "nasa_science"


def test_science_nasa_parser_on_a_real_media_detail_page() -> None:
    page = parse_page(APOD, "https://science.nasa.gov/apod/")
    assert page.parser == "nasa_science" and page.is_article
    # the hero's heading, not the page's h1 ("Astronomy Picture of the Day")
    assert page.title == "M104: The Sombrero Galaxy's Tidal Streams"
    assert page.published == dt.date(2026, 10, 5)  # the hero's "Date" row
    assert page.credits == "Engelbert Vollmer"  # its "Credit & Copyright" row
    # one image: the picture (linked to its own article page), not the NASA logos
    (image,) = page.images
    assert image.url == (
        "https://assets.science.nasa.gov/dynamicimage/assets/science/cds/apod/apod/2026/october/"
        "M104_Vollmer_4222.jpg?w=4222&h=2817&fit=clip&crop=faces%2Cfocalpoint"
    )
    assert image.alt.startswith("A starfield has an bright blobby mess in middle.")
    assert image.credits == "Engelbert Vollmer"
    # the explanation without its label, the series blurb or the trailers after a blank line
    assert page.text.startswith("A deep image of the Sombrero galaxy reveals surprises. M104 is")
    assert page.text.endswith("taken over seven days in mid-2026 from Namibia.")
    for furniture in ("Explanation", "Discover the cosmos", "Your Sky Surprise", "Yesterday"):
        assert furniture not in page.text
    # served elsewhere, the hero block still picks the parser
    elsewhere = parse_page(APOD, "http://127.0.0.1:8000/apod/")
    assert elsewhere.parser == "nasa_science" and elsewhere.title == page.title


def test_feeds_are_recognised_by_type_or_root() -> None:
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>t</title><entry><title>One</title><link href='/a/one'/>"
        b"<updated>2024-03-02T10:00:00Z</updated><summary>short</summary></entry></feed>"
    )
    assert is_feed("application/rss+xml", b"")
    assert is_feed("text/xml; charset=utf-8", FEED) and is_feed("application/xml", atom)
    assert is_feed("application/octet-stream", atom)
    assert not is_feed("text/html", PAGE) and not is_feed("text/xml", b"<sitemap/>")
    assert not is_feed("application/xml", b"not xml at all")
    (entry,) = parse_feed(atom, "https://example.org/feed.atom")
    assert entry.url == "https://example.org/a/one" and entry.html is None
    assert entry.published == dt.date(2024, 3, 2)
    with pytest.raises(ValueError, match="cannot read the feed at https://example.org/x"):
        parse_feed(b"<rss><channel><item>", "https://example.org/x")
