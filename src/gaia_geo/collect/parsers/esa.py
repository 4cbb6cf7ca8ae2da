"""ESA and Copernicus image releases (``esa.int/ESA_Multimedia/Images/...``, ``copernicus.eu``).

The layout: an ``h1`` title, a metadata list (``dl.modal__meta``: ``Date`` as ``dd/mm/yyyy``,
``Copyright``, ``Location``...), the image in ``.image-wrapper`` (or the ``og:image`` meta), and
the description in ``.modal__tab-content``.
"""

from __future__ import annotations

import lxml.html

from ._common import (
    ParsedImage,
    ParsedPage,
    article_page,
    clean,
    collect_images,
    first,
    meta,
    parse_date,
    story,
    text_of,
)

NAME = "esa"
DOMAINS: tuple[str, ...] = ("esa.int", "copernicus.eu")


def matches(doc: lxml.html.HtmlElement) -> bool:
    """Whether the page has the ESA / Copernicus layout."""
    site = meta(doc, "og:site_name").lower()
    return "european space agency" in site or "copernicus" in site


def _meta_list(doc: lxml.html.HtmlElement) -> dict[str, str]:
    fields: dict[str, str] = {}
    for dt_el in doc.xpath('//dl[contains(@class, "meta")]/dt'):
        dd = dt_el.getnext()
        if dd is not None and dd.tag == "dd":
            fields[text_of(dt_el).rstrip(":").lower()] = text_of(dd)
    return fields


def parse(doc: lxml.html.HtmlElement, url: str) -> ParsedPage:
    """Parse an ESA / Copernicus image release (or an index page)."""
    fields = _meta_list(doc)
    body = first(
        doc,
        '//*[contains(@class, "modal__tab-content")]',
        '//*[contains(@class, "article__block")]',
    )
    title = text_of(first(doc, "//h1")) or meta(doc, "og:title")
    published = parse_date(fields.get("date", "")) or parse_date(
        meta(doc, "article:published_time")
    )
    credits = fields.get("copyright", "") or fields.get("credit", "")
    imgs = doc.xpath('//*[contains(@class, "image-wrapper")]//img | //figure//img')
    images = collect_images(imgs, credits=credits)
    og_image = meta(doc, "og:image")
    if not images and og_image.startswith(("http://", "https://")) and body is not None:
        images.append(ParsedImage(url=og_image, alt=clean(title), credits=credits))
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
