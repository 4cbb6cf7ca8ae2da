"""Today's NASA article pages (``science.nasa.gov`` and ``www.nasa.gov``, e.g. ``/image-article/``).

The layout (NASA's WordPress "HDS" design system, also what the Image of the Day feed carries in
``content:encoded``): an ``h1`` title; the date in ``article:published_time`` or a ``<time>``;
each image in a ``figure`` (often a ``figure.hds-media-inner`` inside an ``.hds-media`` block)
followed by ``<figcaption class="hds-caption">`` holding ``.hds-caption-text`` (the caption)
and ``.hds-credits`` (the credit); the story in ``.entry-content`` (or the whole fragment, for
a feed entry); topic tags as ``article:tag`` metas or links in an ``.hds-topic-tags`` block.
Images in the header, navigation, footer and "related" cards are not the article's.

Pages built on the "media detail hero" block (``.hds-media-detail-hero``: APOD at
``science.nasa.gov/apod/`` and its ``/image-article/apod-...`` pages) put the title in the hero's
``h1``/``h2`` (the page's ``h1`` names the series), the picture in ``.media-detail-hero__media``
(linked to the article's own page, not to an image file), the story in
``.media-detail-hero__description`` (after a bold "Explanation:", before trailers separated by a
blank line), and the date and credit in the rows of ``table.media-detail-hero__meta-table``
("Date", "Credit & Copyright"). Real page: ``tests/data/real/nasa/science-apod-2026-10-05.html``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import lxml.html

from ._common import (
    MIN_ARTICLE_CHARS,
    ParsedImage,
    ParsedPage,
    article_page,
    clean,
    collect_images,
    first,
    meta,
    parse_date,
    published_date,
    text_of,
)

NAME = "nasa_science"
DOMAINS: tuple[str, ...] = ("science.nasa.gov", "www.nasa.gov")

#: Elements whose images and paragraphs are page furniture, not the article.
_FURNITURE = (
    "ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside"
    ' or ancestor::*[contains(@class, "hds-card") or contains(@class, "related")'
    ' or contains(@class, "hds-topic-tags") or contains(@class, "smd-embed-post__header")'
    ' or contains(@class, "next-prev") or contains(@class, "hds-media-detail-hero")]'
)
#: The media detail hero block (its images and paragraphs are read by ``_hero``).
_HERO = './/*[contains(concat(" ", @class, " "), " hds-media-detail-hero ")]'
#: Marks a ``<br>`` (a private-use character: not whitespace, so source line breaks are not one).
_BREAK = "\ue000"
#: The bold label a hero description starts with.
_HERO_LABEL = re.compile(r"^\s*(Explanation|Description)\s*:\s*", re.IGNORECASE)


def matches(doc: lxml.html.HtmlElement) -> bool:
    """Whether the page has NASA's HDS layout (served under another host, or a feed entry)."""
    site = meta(doc, "og:site_name").lower()
    return site in ("nasa science", "nasa") or bool(
        doc.xpath('//figcaption[contains(@class, "hds-caption")]') or doc.xpath(_HERO[1:])
    )


@dataclass(frozen=True)
class _Hero:
    """What a media detail hero block holds."""

    title: str
    text: str
    published: dt.date | None
    credits: str
    images: list[ParsedImage]


def _hero_text(description: lxml.html.HtmlElement | None) -> str:
    """The story of a hero description: its first block (a blank line, ``<br><br>``, ends it)."""
    if description is None:
        return ""
    copy = lxml.html.fromstring(lxml.html.tostring(description))
    for br in copy.iter("br"):  # text_content() would glue the lines together
        br.tail = _BREAK + (br.tail or "")
    blocks = re.split(rf"{_BREAK}\s*{_BREAK}", copy.text_content())
    story = next((b for b in (clean(b.replace(_BREAK, " ")) for b in blocks) if b), "")
    return _HERO_LABEL.sub("", story)


def _hero(scope: lxml.html.HtmlElement) -> _Hero | None:
    """The media detail hero of the page, or None where the page has none."""
    hero = first(scope, _HERO)
    if hero is None:
        return None
    rows = {
        text_of(first(row, "./th")).lower().rstrip(":").strip(): text_of(first(row, "./td"))
        for row in hero.xpath('.//table[contains(@class, "media-detail-hero__meta-table")]//tr')
    }
    credits = next((v for k, v in rows.items() if k.startswith(("credit", "image credit"))), "")
    images = []
    for img in hero.xpath('.//*[contains(@class, "media-detail-hero__media")]//img'):
        # the link around the picture goes to the article's own page: it is not a teaser
        src = img.get("src") or ""
        if src.startswith(("http://", "https://")):
            images.append(ParsedImage(url=src, alt=clean(img.get("alt")), credits=credits))
    return _Hero(
        title=text_of(first(hero, ".//h1", ".//h2")),
        text=_hero_text(first(hero, './/*[contains(@class, "media-detail-hero__description")]')),
        published=parse_date(rows.get("date", "")),
        credits=credits,
        images=images,
    )


def _caption_of(img: lxml.html.HtmlElement) -> tuple[str, str]:
    """(caption, credit) of an image: the figcaption inside or right after its figure."""
    figures = img.xpath("ancestor::figure")
    figcaption = None
    for figure in reversed(figures):  # the innermost figure first
        figcaption = first(figure, ".//figcaption", "following-sibling::*[1][self::figcaption]")
        if figcaption is not None:
            break
    if figcaption is None:
        return "", ""
    caption_el = first(figcaption, './/*[contains(@class, "hds-caption-text")]')
    credit = text_of(first(figcaption, './/*[contains(@class, "hds-credits")]'))
    caption = text_of(caption_el) if caption_el is not None else text_of(figcaption)
    if caption_el is None and credit:
        caption = clean(caption.replace(credit, ""))
    return caption, credit


def _tags(doc: lxml.html.HtmlElement) -> list[str]:
    found = [clean(t) for t in doc.xpath('//meta[@property="article:tag"]/@content')]
    found += [text_of(a) for a in doc.xpath('//*[contains(@class, "hds-topic-tags")]//a')]
    return list(dict.fromkeys(t for t in found if t))


def parse(doc: lxml.html.HtmlElement, url: str) -> ParsedPage:
    """Parse a science.nasa.gov / www.nasa.gov article (or a feed entry's article HTML)."""
    scope = first(doc, "//main", '//*[@id="primary"]', "//article")
    if scope is None:  # a feed entry's fragment: the whole document is the article
        scope = doc
    body = first(scope, './/*[contains(@class, "entry-content")]')
    hero = _hero(scope)
    title = (hero.title if hero else "") or text_of(first(doc, "//h1")) or meta(doc, "og:title")
    imgs = [
        img
        for img in scope.xpath(f".//img[not({_FURNITURE})]")
        # icons and spacers are not the article's images
        if not (img.get("src") or "").lower().split("?")[0].endswith((".svg", ".gif"))
    ]
    images = [
        # ?w=2048: a resized copy of the uploaded file
        replace(i, url=i.url.split("?")[0]) if "/wp-content/uploads/" in i.url else i
        for i in collect_images(imgs, _caption_of)
    ]
    if hero is not None:
        images = hero.images + images
    images = [i for n, i in enumerate(images) if i.url not in {j.url for j in images[:n]}]
    container = body if body is not None else scope
    parts = [hero.text] if hero is not None else []
    parts += [
        text_of(p)
        for p in container.xpath(f".//p[not(ancestor::figcaption) and not({_FURNITURE})]")
    ]
    text = "\n".join(p for p in parts if p)
    credits = next((i.credits for i in images if i.credits), "")
    return article_page(
        NAME,
        doc,
        is_article=bool(images) and (body is not None or len(text) >= MIN_ARTICLE_CHARS),
        title=title,
        text=text,
        published=published_date(doc, scope) or (hero.published if hero else None),
        credits=credits,
        images=images,
        tags=_tags(doc),
    )
