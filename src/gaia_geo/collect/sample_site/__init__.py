"""The embedded sample site: seeded NASA-EO-like and ESA-like image articles, served on loopback.

``gaia-geo collect web --demo`` generates it into a temporary directory, serves it with
:class:`SiteServer` and crawls it, so the whole collect stage runs offline.

Example:
    >>> from gaia_geo.collect.sample_site import generate_site, SiteServer
    >>> site = generate_site("site")  # doctest: +SKIP
    >>> with SiteServer("site") as server:  # doctest: +SKIP
    ...     print(server.url)
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from ._content import Article, make_article
from ._layouts import esa_article, index_page, nasa_article
from ._server import Hit, SiteServer

__all__ = ["Article", "Hit", "SiteServer", "generate_site", "make_image"]

ROBOTS_TXT = """User-agent: *
Disallow: /private/

User-agent: BadBot
Disallow: /
"""


def make_image(rng: np.random.Generator, size: int = 96, fmt: str = "PNG") -> bytes:
    """A seeded, landscape-like image (smooth colour fields plus noise), encoded as ``fmt``."""
    from PIL import Image

    coarse = rng.integers(20, 235, size=(4, 4, 3)).astype(np.float32)
    field = np.kron(coarse, np.ones((size // 4 + 1, size // 4 + 1, 1)))[:size, :size]
    field += rng.normal(0, 12, size=field.shape)
    image = Image.fromarray(np.clip(field, 0, 255).astype(np.uint8), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def generate_site(
    root: str | Path, *, n_nasa: int = 14, n_esa: int = 8, seed: int = 0, image_size: int = 96
) -> list[dict[str, Any]]:
    """Write the sample site under ``root`` and return its ground truth (also ``truth.json``).

    Layout: ``/`` links to ``/eo/images/`` (NASA-EO-like articles at ``/eo/images/<n>/<slug>/``)
    and ``/esa/Images/`` (ESA-like releases at ``/esa/Images/<year>/<month>/<slug>/``);
    ``robots.txt`` disallows ``/private/``.

    Args:
        root: output directory (created).
        n_nasa: NASA-EO-like articles.
        n_esa: ESA-like articles.
        seed: the random seed (same seed, same site, byte for byte).
        image_size: image width and height in pixels.

    Returns:
        One dict per article: ``path``, ``image``, ``layout``, ``title``, ``published``,
        ``acquired`` (ISO dates), ``precision``, ``sensors`` (registry keys), ``place``,
        ``country``.
    """
    root = Path(root)
    rng = random.Random(seed)
    pixels = np.random.default_rng(seed)
    truth: list[dict[str, Any]] = []
    nasa_links: list[tuple[str, str]] = []
    esa_links: list[tuple[str, str]] = []
    for i in range(n_nasa + n_esa):
        layout = "nasa_eo" if i < n_nasa else "esa"
        article = make_article(rng, i, layout)
        if layout == "nasa_eo":
            base = f"eo/images/{1000 + i}/{article.slug}"
            image_name = f"{article.slug}_lrg.png"
            html = nasa_article(article, image_name, f"{article.slug}_th.png")
            (root / base).mkdir(parents=True, exist_ok=True)
            (root / base / f"{article.slug}_th.png").write_bytes(make_image(pixels, 32))
            nasa_links.append((f"{1000 + i}/{article.slug}/", article.title))
        else:
            year, month = article.published.year, article.published.month
            base = f"esa/Images/{year}/{month:02d}/{article.slug}"
            image_name = f"{article.slug}.jpg"
            html = esa_article(article, image_name)
            esa_links.append((f"{year}/{month:02d}/{article.slug}/", article.title))
        fmt = "PNG" if image_name.endswith(".png") else "JPEG"
        (root / base).mkdir(parents=True, exist_ok=True)
        (root / base / image_name).write_bytes(make_image(pixels, image_size, fmt))
        (root / base / "index.html").write_text(html, encoding="utf-8")
        truth.append(
            {
                "path": f"/{base}/",
                "image": f"/{base}/{image_name}",
                "layout": layout,
                "title": article.title,
                "published": article.published.isoformat(),
                "acquired": [d.isoformat() for d in article.acquired],
                "precision": article.precision,
                "sensors": list(article.sensor_keys),
                "place": article.place,
                "country": article.country,
            }
        )
    (root / "eo" / "images").mkdir(parents=True, exist_ok=True)
    (root / "eo" / "images" / "index.html").write_text(
        index_page("Image of the Day", "NASA Earth Observatory", nasa_links), encoding="utf-8"
    )
    (root / "esa" / "Images").mkdir(parents=True, exist_ok=True)
    (root / "esa" / "Images" / "index.html").write_text(
        index_page("Images", "European Space Agency", esa_links), encoding="utf-8"
    )
    (root / "index.html").write_text(
        index_page(
            "Sample remote-sensing image articles",
            "gaia_geo sample site",
            [("eo/images/", "Earth Observatory-like articles"),
             ("esa/Images/", "ESA-like releases"), ("private/secret/", "not for crawlers")],
        ),
        encoding="utf-8",
    )  # fmt: skip
    (root / "private" / "secret").mkdir(parents=True, exist_ok=True)
    (root / "private" / "secret" / "index.html").write_text("<html><body>x</body></html>")
    (root / "robots.txt").write_text(ROBOTS_TXT, encoding="utf-8")
    (root / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth
