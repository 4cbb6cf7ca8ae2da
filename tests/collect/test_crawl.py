"""The crawler against a loopback site that misbehaves in every way the issue names."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from _helpers import load_script
from gaia_geo.collect import (  # noqa: E402
    CrawlConfig,
    canonicalize_url,
    crawl,
    parse_page,
    read_records,
)
from gaia_geo.collect.sample_site import SiteServer, generate_site  # noqa: E402

SITE = load_script("data/collect/make_site.py")


def fast_config(**overrides: Any) -> CrawlConfig:
    values: dict[str, Any] = {
        "delay_s": 0.0,
        "allow_private": True,
        "progress": False,
        "backoff_s": 0.05,
        "max_retries": 1,
        "timeout_s": 1.0,
        "max_image_bytes": 100_000,
        "max_page_bytes": 200_000,
        "max_depth": 4,
    }
    values.update(overrides)
    return CrawlConfig(**values)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("site")
    return root, SITE.build_site(root)


@pytest.fixture(scope="module")
def crawled(
    site: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """One full crawl of the fixture site, then a resume and a refresh run on the same dir."""
    root, info = site
    out = tmp_path_factory.mktemp("crawl")
    with SiteServer(root) as server:
        # Hits are logged when their answer is ready, so a slow page the first crawl gave up on
        # can be logged during the resume: split the log by arrival time, not by position.
        report = crawl([server.url, server.url + "bad/"], out, fast_config())
        resume_start = time.monotonic()
        resumed = crawl([server.url, server.url + "bad/"], out, fast_config())
        refresh_start = time.monotonic()
        refreshed = crawl([server.url, server.url + "bad/"], out, fast_config(refresh=True))
        time.sleep(2.0)  # let a slow handler of the first crawl finish and be logged
        hits = server.hits
        first_hits = [h for h in hits if h.arrived < resume_start]
        resume_hits = [h for h in hits if resume_start <= h.arrived < refresh_start]
        refresh_hits = [h for h in hits if h.arrived >= refresh_start]
    return {
        "out": out,
        "url": server.url,
        "info": info,
        "report": report,
        "hits": first_hits,
        "resumed": resumed,
        "resume_hits": resume_hits,
        "refreshed": refreshed,
        "refresh_hits": refresh_hits,
    }


def test_canonicalize_url() -> None:
    assert (
        canonicalize_url("HTTP://Example.COM:80/a/./b/../c?utm_source=x&b=2&a=1#top")
        == "http://example.com/a/c?a=1&b=2"
    )
    assert canonicalize_url("https://example.com") == "https://example.com/"
    assert (
        canonicalize_url("../img/x%7e.png", base="https://h.org/a/b/")
        == "https://h.org/a/img/x~.png"
    )
    assert canonicalize_url("https://h.org:8443/x/") == "https://h.org:8443/x/"
    with pytest.raises(ValueError, match="not an http"):
        canonicalize_url("ftp://example.com/file")
    with pytest.raises(ValueError, match="no host"):
        canonicalize_url("http:///path")


def test_config_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        CrawlConfig(max_pages=0)
    with pytest.raises(ValueError, match="delay_s"):
        CrawlConfig(delay_s=-1)


@pytest.mark.slow
def test_good_articles_become_records(crawled: dict[str, Any]) -> None:
    base = crawled["url"].rstrip("/")
    records = read_records(crawled["out"])
    by_image = {r.image_url: r for r in records}
    assert len(by_image) == len(records)  # nothing duplicated
    for truth in crawled["info"]["truth"]:
        record = by_image[base + truth["image"]]
        assert record.article_url == base + truth["path"]
        assert record.title == truth["title"]
        assert record.published == truth["published"]
        assert record.parser == truth["layout"]
        assert record.alt.endswith("seen from orbit")
        assert record.credits
        assert truth["place"] in record.article_text
    stored = [r for r in records if r.local_path]
    assert sorted(r.image_url for r in stored) == sorted(
        base + p for p in crawled["info"]["good_images"]
    )
    for record in stored:
        data = (crawled["out"] / record.local_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record.sha256
        assert record.width and record.height and record.size == len(data)
    sloppy = by_image[base + "/bad/sloppy/sloppy.png"]
    assert "Dhaka" in sloppy.article_text and sloppy.parser == "nasa_eo"


def test_every_bad_case_is_recorded_with_its_reason(crawled: dict[str, Any]) -> None:
    base = crawled["url"].rstrip("/")
    failures = {f.url: f for f in crawled["report"].failures}
    for path, (kind, reason) in SITE.EXPECTED_FAILURES.items():
        failure = failures.get(base + path)
        assert failure is not None, f"no failure recorded for {path}"
        assert (failure.kind, failure.reason) == (kind, reason), path
        assert failure.detail
    saved = json.loads((crawled["out"] / "report.json").read_text())
    assert saved["failure_reasons"] == crawled["report"].failure_reasons()
    lines = (crawled["out"] / "records.jsonl").read_text().splitlines()
    assert len(lines) == len(read_records(crawled["out"]))


def test_politeness_and_safety(crawled: dict[str, Any]) -> None:
    hits = crawled["hits"]
    assert all(h.headers["User-Agent"].startswith("gaia-geo/") for h in hits)
    assert [h.path for h in hits].count("/robots.txt") == 1
    assert not [h for h in hits if h.path.startswith("/private/")]
    assert not [h for h in hits if h.headers.get("Host", "").startswith("localhost")]
    loop = [h.path for h in hits if h.path.startswith("/bad/loop-")]
    assert loop == ["/bad/loop-a", "/bad/loop-b"]  # stopped at the first repeat
    busy = [h for h in hits if h.path == "/bad/busy/"]
    assert [h.status for h in busy] == [429, 200]
    assert busy[1].arrived - busy[0].finished >= 0.9  # Retry-After: 1 honoured
    broken = [h for h in hits if h.path == "/bad/broken/"]
    assert len(broken) == 2  # one retry, then recorded
    assert crawled["report"].retries >= 3


def test_redirect_is_followed_and_not_duplicated(crawled: dict[str, Any]) -> None:
    base = crawled["url"].rstrip("/")
    first = crawled["info"]["truth"][0]
    records = [r for r in read_records(crawled["out"]) if r.image_url == base + first["image"]]
    assert len(records) == 1 and records[0].article_url == base + first["path"]
    assert any(h.path == "/bad/moved" and h.status == 301 for h in crawled["hits"])


def test_rerun_fetches_nothing(crawled: dict[str, Any]) -> None:
    assert crawled["resume_hits"] == []
    assert crawled["resumed"].pages_fetched == 0 and crawled["resumed"].requests == 0


def test_refresh_uses_conditional_get(crawled: dict[str, Any]) -> None:
    hits = crawled["refresh_hits"]
    pages = [h for h in hits if h.path.endswith("/") and h.path.startswith(("/eo/", "/esa/"))]
    assert pages and all(h.status == 304 for h in pages)
    assert all("If-None-Match" in h.headers for h in pages)
    assert crawled["refreshed"].pages_not_modified >= len(pages)
    assert crawled["refreshed"].pages_fetched < crawled["report"].pages_fetched


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=1, n_esa=0, image_size=16)
    with SiteServer(tmp_path / "site") as server:
        report = crawl([server.url], tmp_path / "out", fast_config(allow_private=False))
        by_name = f"http://localhost:{server.port}/"
        named = crawl([by_name], tmp_path / "out2", fast_config(allow_private=False))
        assert server.hits == []
    assert [f.reason for f in report.failures] == ["private-address"]
    (failure,) = named.failures  # a host name is resolved and its addresses checked
    assert failure.reason == "private-address" and "127.0.0.1" in failure.detail


def test_per_host_spacing_and_concurrency(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=3, n_esa=0, image_size=16)
    with SiteServer(tmp_path / "site", latency_s=0.02) as server:
        crawl([server.url], tmp_path / "out", fast_config(delay_s=0.2, fetch_images=False))
        hits = sorted(server.hits, key=lambda h: h.arrived)
    assert len(hits) >= 6
    # server-side times jitter on a loaded machine; the limiter spaces request starts by 0.2 s
    gaps = [b.arrived - a.arrived for a, b in zip(hits, hits[1:], strict=False)]
    assert min(gaps) >= 0.15
    assert hits[-1].arrived - hits[0].arrived >= 0.2 * (len(hits) - 1) - 0.05
    overlaps = [b for a, b in zip(hits, hits[1:], strict=False) if b.arrived < a.finished]
    assert overlaps == []  # one connection per host


def _max_in_flight(hits: list[Any]) -> int:
    events = sorted([(h.arrived, 1) for h in hits] + [(h.finished, -1) for h in hits])
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


@pytest.mark.slow
def test_per_host_concurrency_and_global_cap(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=6, n_esa=0, image_size=16)
    with SiteServer(tmp_path / "site", latency_s=0.1) as server:
        crawl([server.url], tmp_path / "a", fast_config(per_host_concurrency=2))
        assert _max_in_flight(server.hits) == 2
    with (
        SiteServer(tmp_path / "site", latency_s=0.05) as one,
        SiteServer(tmp_path / "site", host="127.0.0.2", latency_s=0.05) as two,
    ):
        seeds = [one.url, two.url]
        crawl(seeds, tmp_path / "b", fast_config(max_connections=1, fetch_images=False))
        assert _max_in_flight(one.hits + two.hits) == 1
        assert len(one.hits) == len(two.hits) > 5


@pytest.mark.slow
def test_robots_crawl_delay_and_page_limit(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=6, n_esa=0, image_size=16)
    (tmp_path / "site" / "robots.txt").write_text("User-agent: gaia-geo\nCrawl-delay: 1\n")
    with SiteServer(tmp_path / "site") as server:
        start = time.monotonic()
        report = crawl([server.url], tmp_path / "out", fast_config(max_pages=3, fetch_images=False))
        elapsed = time.monotonic() - start
        assert report.pages_fetched == 3 and report.skipped["page-limit"] > 0
        assert elapsed >= 2.0  # robots.txt, then 3 pages at 1 s spacing
        more = crawl(
            [server.url], tmp_path / "out", fast_config(max_pages=5, fetch_images=False, delay_s=0)
        )
        paths = [h.path for h in server.hits]
    assert more.pages_fetched == 2  # continues, does not start over
    pages = [p for p in paths if p != "/robots.txt"]
    assert len(pages) == len(set(pages))  # no page fetched twice


def test_unreadable_robots_txt_keeps_the_host_out(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=1, n_esa=0, image_size=16)
    (tmp_path / "site" / "routes.json").write_text('{"/robots.txt": {"status": 503}}')
    with SiteServer(tmp_path / "site") as server:
        report = crawl([server.url], tmp_path / "out", fast_config())
        paths = [h.path for h in server.hits]
    assert paths == ["/robots.txt", "/robots.txt"]  # one retry, then the host is left alone
    (failure,) = report.failures
    assert failure.reason == "robots-unavailable" and "http-503" in failure.detail


def test_depth_limit(tmp_path: Path) -> None:
    generate_site(tmp_path / "site", n_nasa=2, n_esa=1, image_size=16)
    with SiteServer(tmp_path / "site") as server:
        report = crawl([server.url], tmp_path / "out", fast_config(max_depth=1))
        paths = {h.path for h in server.hits}
    assert paths == {"/robots.txt", "/", "/eo/images/", "/esa/Images/"}
    assert report.skipped.get("depth", 0) >= 2
    assert read_records(tmp_path / "out") == []


def test_parsers_pick_layout_and_fall_back(tmp_path: Path) -> None:
    truth = generate_site(tmp_path, n_nasa=1, n_esa=1, image_size=16)
    nasa = parse_page((tmp_path / truth[0]["path"].strip("/") / "index.html").read_bytes(),
                      "http://127.0.0.1:1" + truth[0]["path"])  # fmt: skip
    esa = parse_page((tmp_path / truth[1]["path"].strip("/") / "index.html").read_bytes(),
                     "http://127.0.0.1:1" + truth[1]["path"])  # fmt: skip
    assert (nasa.parser, esa.parser) == ("nasa_eo", "esa")
    assert nasa.images[0].url.endswith("_lrg.png")  # the full-size file behind the thumbnail
    assert esa.credits.startswith("contains modified Copernicus Sentinel data")
    assert str(esa.published) == truth[1]["published"]
    generic_html = (
        "<html><head><title>Dam</title><meta property='og:title' content='A new dam'>"
        "<meta property='article:published_time' content='2020-03-04T10:00:00Z'></head><body>"
        "<article><p>" + "The reservoir filled quickly behind the new dam. " * 8 + "</p>"
        "<figure><img src='/img/dam.jpg' alt='the dam'><figcaption>The dam</figcaption>"
        "<span class='credit'>Image by someone</span></figure></article></body></html>"
    )
    page = parse_page(generic_html, "https://news.example.org/a/b")
    assert page.parser == "generic" and page.is_article
    assert page.title == "A new dam" and str(page.published) == "2020-03-04"
    assert page.images[0].url == "https://news.example.org/img/dam.jpg"
    assert page.images[0].alt == "the dam" and page.images[0].credits == "Image by someone"
    index_html = (
        "<html><body><main><p>" + "Recent stories from around the planet. " * 8 + "</p>"
        "<a href='/story/1'><img src='/t/1.jpg' alt='teaser'></a></main></body></html>"
    )
    assert parse_page(index_html, "https://news.example.org/").images == []  # a teaser
    moved_body = (
        "<html><head><meta property='og:site_name' content='NASA Earth Observatory'></head>"
        "<body><h1>Redesigned</h1><figure><img src='big.jpg' alt='a'></figure><div><p>"
        + "Landsat 8 acquired this image of the coast. " * 6
        + "</p></div></body></html>"
    )
    redesigned = parse_page(moved_body, "https://earthobservatory.nasa.gov/images/1/x")
    assert redesigned.parser == "nasa_eo" and redesigned.is_article
    assert redesigned.text.startswith("Landsat 8 acquired") and len(redesigned.images) == 1
    forced = parse_page(generic_html, "https://news.example.org/a/b", {"news.example.org": "esa"})
    assert forced.parser == "esa"
    with pytest.raises(ValueError, match="unknown parser"):
        parse_page(generic_html, "https://x.org/", {"x.org": "nope"})
