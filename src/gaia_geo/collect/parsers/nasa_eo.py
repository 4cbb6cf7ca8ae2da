"""NASA Earth Observatory image articles (``earthobservatory.nasa.gov/images/<id>/<slug>``).

The layout: an ``h1`` title, a publication date (``<time datetime>``, ``.date`` or the
``article:published_time`` meta), one or more ``figure``/``.panel-image`` images (the link
around an image points at the full-size file), the story in ``.article-body``, and a credits
paragraph ("NASA Earth Observatory image by ..., using Landsat data ...").
"""

from __future__ import annotations

import lxml.html

from ._common import (
    MIN_ARTICLE_CHARS,
    ParsedImage,
    ParsedPage,
    clean,
    densest_text,
    first,
    image_of,
    links_of,
    meta,
    paragraphs,
    parse_date,
    text_of,
)

NAME = "nasa_eo"
DOMAINS: tuple[str, ...] = ("earthobservatory.nasa.gov",)


def matches(doc: lxml.html.HtmlElement) -> bool:
    """Whether the page has the Earth Observatory layout."""
    return "earth observatory" in meta(doc, "og:site_name").lower()


def parse(doc: lxml.html.HtmlElement, url: str) -> ParsedPage:
    """Parse an Earth Observatory page (an image article, or an index with links only)."""
    body = first(doc, '//*[contains(@class, "article-body")]', '//*[@itemprop="articleBody"]')
    title = text_of(first(doc, "//h1")) or meta(doc, "og:title")
    date_el = first(doc, "//time[@datetime]")
    published = parse_date(date_el.get("datetime", "")) if date_el is not None else None
    if published is None:
        published = parse_date(meta(doc, "article:published_time")) or parse_date(
            text_of(first(doc, '//*[contains(@class, "date")]'))
        )
    credits_el = first(
        doc,
        '//*[contains(@class, "credit")]',
        '//p[starts-with(normalize-space(.), "NASA Earth Observatory image")]',
    )
    credits = text_of(credits_el)
    images: list[ParsedImage] = []
    for figure in doc.xpath('//figure | //*[contains(@class, "panel-image")]'):
        caption = text_of(first(figure, ".//figcaption"))
        figure_credit = text_of(first(figure, './/*[contains(@class, "credit")]'))
        for img in figure.xpath(".//img"):
            image = image_of(img, caption=caption, credits=figure_credit or credits)
            if image is not None and image.url not in {i.url for i in images}:
                images.append(image)
    # the layout changes over the years: without its body container, take the densest text
    text = paragraphs(body) if body is not None else densest_text(doc)
    return ParsedPage(
        parser=NAME,
        is_article=body is not None or (bool(images) and len(text) >= MIN_ARTICLE_CHARS),
        title=clean(title),
        text=text,
        published=published,
        credits=credits,
        images=images,
        links=links_of(doc),
    )
