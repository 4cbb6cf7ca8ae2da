"""The fallback parser for any article page: trafilatura for the text, the markup for images.

trafilatura needs ``lxml_html_clean`` with lxml >= 5.2; where it cannot be imported, the main
text is taken from the element holding the most paragraph text (a readability-style heuristic).
"""

from __future__ import annotations

import lxml.html

from ._common import (
    MIN_ARTICLE_CHARS,
    ParsedPage,
    article_page,
    collect_images,
    densest_text,
    first,
    meta,
    published_date,
    text_of,
)

NAME = "generic"
DOMAINS: tuple[str, ...] = ()


def matches(doc: lxml.html.HtmlElement) -> bool:
    """The generic parser accepts every page."""
    return True


def _main_text(doc: lxml.html.HtmlElement, url: str) -> str:
    try:
        import trafilatura  # heavy; only pages no site parser claims need it
    except ImportError:
        return densest_text(doc)
    html = lxml.html.tostring(doc, encoding="unicode")
    text = trafilatura.extract(html, url=url, include_comments=False, favor_precision=True)
    return text or densest_text(doc)


def parse(doc: lxml.html.HtmlElement, url: str) -> ParsedPage:
    """Parse any page: main text by trafilatura, images from ``article``/``main``/``figure``."""
    text = _main_text(doc, url)
    title = meta(doc, "og:title") or text_of(first(doc, "//h1")) or text_of(first(doc, "//title"))
    credits = text_of(first(doc, '//*[contains(@class, "credit")]'))
    imgs = doc.xpath("//article//img | //main//img | //figure//img")
    return article_page(
        NAME,
        doc,
        is_article=len(text) >= MIN_ARTICLE_CHARS,
        title=title,
        text=text.strip(),
        published=published_date(doc),
        credits=credits,
        images=collect_images(imgs, credits=credits),
    )
