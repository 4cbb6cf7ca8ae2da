"""Seeded fixture site for the crawler tests: the sample site plus every bad case the issue names.

Run ``python tests/data/collect/make_site.py OUT`` to look at it; the tests call ``build_site``.
``/bad/`` links to each bad case; ``routes.json`` scripts the misbehaving ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from gaia_geo.collect.sample_site import generate_site, make_image

NASA_PAGE = (
    '<!DOCTYPE html><html><head><meta property="og:site_name" content="NASA Earth Observatory">'
    "<title>{title}</title></head><body><h1>{title}</h1>"
    '<p class="date"><time datetime="2021-06-20">June 20, 2021</time></p>'
    '{figure}<div class="article-body"><p>The Operational Land Imager (OLI) on Landsat 8 acquired '
    "this image of Lisbon, Portugal, on 14 June 2021. {extra}</p></div>"
    '<div class="credits"><p>NASA image by the fixture.</p></div></body></html>'
)
FIGURE = '<figure><img src="{src}" alt="{alt}"><figcaption>{alt}</figcaption></figure>'

#: Every bad case: path -> (expected failure kind, expected reason).
EXPECTED_FAILURES: dict[str, tuple[str, str]] = {
    "/bad/no-image/": ("page", "no-images"),
    "/bad/truncated/cut.png": ("image", "truncated-image"),
    "/bad/not-image/photo.png": ("image", "not-an-image"),
    "/bad/fake/fake.jpg": ("image", "not-an-image"),
    "/bad/huge/huge.png": ("image", "too-large"),
    "/bad/bigpage/": ("page", "too-large"),
    "/bad/empty/": ("page", "malformed-html"),
    "/bad/offsite": ("page", "redirect-off-allowlist"),
    "/bad/loop-a": ("page", "redirect-loop"),
    "/bad/missing/": ("page", "http-404"),
    "/bad/broken/": ("page", "http-500"),
    "/bad/slow/": ("page", "timeout"),
    "/bad/doc": ("page", "not-html"),
    "/private/secret/": ("page", "robots-disallow"),
}


def _article(root: Path, path: str, title: str, figure: str = "", extra: str = "") -> None:
    folder = root / path.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    html = NASA_PAGE.format(title=title, figure=figure, extra=extra)
    (folder / "index.html").write_text(html, encoding="utf-8")


def build_site(
    root: str | Path, *, seed: int = 0, n_nasa: int = 4, n_esa: int = 2
) -> dict[str, Any]:
    """Write the fixture site under ``root``; return ``{"truth": [...], "good_images": [...]}``."""
    root = Path(root)
    truth = generate_site(root, n_nasa=n_nasa, n_esa=n_esa, seed=seed, image_size=48)
    rng = np.random.default_rng(seed + 1)
    png = make_image(rng, 48)
    _article(root, "/bad/no-image/", "An article without a picture")
    _article(root, "/bad/truncated/", "Truncated", FIGURE.format(src="cut.png", alt="cut"))
    (root / "bad/truncated/cut.png").write_bytes(png[: len(png) // 2])
    _article(root, "/bad/not-image/", "HTML as image", FIGURE.format(src="photo.png", alt="x"))
    (root / "bad/not-image/photo.png").write_text("<html><body>not a picture</body></html>")
    _article(root, "/bad/fake/", "Garbage image", FIGURE.format(src="fake.jpg", alt="x"))
    (root / "bad/fake/fake.jpg").write_bytes(rng.integers(0, 255, 3000, dtype=np.uint8).tobytes())
    _article(root, "/bad/huge/", "Huge image", FIGURE.format(src="huge.png", alt="x"))
    noise = rng.integers(0, 255, (400, 400, 3), dtype=np.uint8)
    from PIL import Image

    Image.fromarray(noise, "RGB").save(root / "bad/huge/huge.png")
    _article(root, "/bad/bigpage/", "A huge page", extra="word " * 60_000)
    (root / "bad/empty").mkdir(parents=True, exist_ok=True)
    (root / "bad/empty/index.html").write_text("   ")
    _article(root, "/bad/busy/", "Busy server", FIGURE.format(src="busy.png", alt="busy"))
    (root / "bad/busy/busy.png").write_bytes(png)
    _article(root, "/bad/slow/", "Slow page")
    (root / "bad/doc").write_bytes(b"%PDF-1.4 not html")
    # unclosed tags everywhere: lxml recovers, the record must still come out
    (root / "bad/sloppy").mkdir(parents=True, exist_ok=True)
    (root / "bad/sloppy/index.html").write_text(
        '<html><head><meta property="og:site_name" content="NASA Earth Observatory">'
        "<title>Sloppy</title>"
        '<body><h1>Sloppy markup<div class="article-body"><p>MODIS on NASA\'s Aqua satellite '
        "acquired this image of Dhaka, Bangladesh, on 2 May 2020.<p>More text"
        '<figure><img src="sloppy.png" alt="sloppy"></figure>'
    )
    (root / "bad/sloppy/sloppy.png").write_bytes(png)
    first_article = truth[0]["path"]
    links = [
        "no-image/", "truncated/", "not-image/", "fake/", "huge/", "bigpage/", "empty/", "busy/",
        "slow/", "doc", "sloppy/", "moved", "offsite", "loop-a", "missing/", "broken/",
    ]  # fmt: skip
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    (root / "bad/index.html").write_text(f"<html><body><ul>{items}</ul></body></html>")
    routes = {
        "/bad/moved": {"redirect": first_article, "status": 301},
        "/bad/offsite": {"redirect": "http://localhost:{port}/eo/images/", "status": 302},
        "/bad/loop-a": {"redirect": "/bad/loop-b", "status": 302},
        "/bad/loop-b": {"redirect": "/bad/loop-a", "status": 302},
        "/bad/broken/": {"status": 500},
        "/bad/busy/": {"statuses": [429, 200], "retry_after": 1},
        "/bad/slow/": {"delay_s": 1.5},
        "/bad/doc": {"content_type": "application/pdf"},
        "/bad/not-image/photo.png": {"content_type": "text/html"},
    }
    (root / "routes.json").write_text(json.dumps(routes, indent=1))
    good = [t["image"] for t in truth] + ["/bad/busy/busy.png", "/bad/sloppy/sloppy.png"]
    return {"truth": truth, "good_images": good}


if __name__ == "__main__":
    build_site(sys.argv[1] if len(sys.argv) > 1 else "fixture-site")
