"""NASA Earth Observatory image articles (``earthobservatory.nasa.gov/images/<id>/<slug>``).

The layout: an ``h1`` title, a publication date (``<time datetime>``, ``.date`` or the
``article:published_time`` meta), one or more ``figure``/``.panel-image`` images (the link
around an image points at the full-size file), the story in ``.article-body``, and a credits
paragraph ("NASA Earth Observatory image by ..., using Landsat data ...").
"""

from __future__ import annotations

import lxml.html

from ._common import (
    ParsedPage,
    article_page,
    collect_images,
    first,
    meta,
    parse_date,
    published_date,
    story,
    text_of,
)

NAME = "nasa_eo"
DOMAINS: tuple[str, ...] = ("earthobservatory.nasa.gov",)


def matches(doc: lxml.html.HtmlElement) -> bool:
    """Whether the page has the Earth Observatory layout."""
    return "earth observatory" in meta(doc, "og:site_name").lower()


def _caption_of(img: lxml.html.HtmlElement) -> tuple[str, str]:
    """(caption, credit) of the figure or image panel holding an image."""
    figure = first(img, 'ancestor::*[self::figure or contains(@class, "panel-image")][1]')
    if figure is None:
        return "", ""
    credit = text_of(first(figure, './/*[contains(@class, "credit")]'))
    return text_of(first(figure, ".//figcaption")), credit


def parse(doc: lxml.html.HtmlElement, url: str) -> ParsedPage:
    """Parse an Earth Observatory page (an image article, or an index with links only)."""
    body = first(doc, '//*[contains(@class, "article-body")]', '//*[@itemprop="articleBody"]')
    title = text_of(first(doc, "//h1")) or meta(doc, "og:title")
    published = published_date(doc) or parse_date(
        text_of(first(doc, '//*[contains(@class, "date")]'))
    )
    credits_el = first(
        doc,
        '//*[contains(@class, "credit")]',
        '//p[starts-with(normalize-space(.), "NASA Earth Observatory image")]',
    )
    credits = text_of(credits_el)
    imgs = doc.xpath('//figure//img | //*[contains(@class, "panel-image")]//img')
    images = collect_images(imgs, _caption_of, credits)
    text, is_article = story(doc, body, images)
    return article_page(
        NAME,
        doc,
        is_article=is_article,
        title=title,
        text=text,
        published=published,
        credits=credits,
        images=images,
    )
