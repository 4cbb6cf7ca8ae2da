"""RSS and Atom feeds as crawl seeds: recognise a feed, read its entries with feedparser.

A feed is a list of pages: each entry's link becomes a page to crawl. Some feeds (NASA's Image
of the Day among them) carry each article's whole HTML in ``content:encoded`` or
``description``; such an entry is parsed as the page itself, with the entry's link as the page
URL and its published date as the publication date, without fetching the page again. Older
feeds (NASA's until 2023) give the image as an ``<enclosure>`` and its caption as the
``description``: such an entry is an article too (title, caption, image), also not fetched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html

from .parsers import ParsedImage, ParsedPage, parse_page
from .parsers._common import MIN_ARTICLE_CHARS, clean

#: Content types that always mean a feed.
FEED_CONTENT_TYPES = ("application/rss+xml", "application/atom+xml")
#: What the crawler asks for when it fetches a page (a page may turn out to be a feed).
PAGE_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9"
)
_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_XML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<\?xml")


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed.

    Attributes:
        url: the entry's link (the article page).
        title: its title.
        published: its publication (or, failing that, update) date, or None.
        html: the article's whole HTML when the entry carries it, else None.
        image_url: the entry's image enclosure (``<enclosure type="image/...">`` or
            ``<media:content medium="image">``), else None.
        summary: the entry's description as plain text (the caption of that image).
    """

    url: str
    title: str = ""
    published: dt.date | None = None
    html: str | None = None
    image_url: str | None = None
    summary: str = ""


def is_feed(content_type: str, body: bytes) -> bool:
    """Whether a response is an RSS or Atom feed, by its content type or its root element.

    Args:
        content_type: the response's Content-Type header.
        body: the response body.
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind in FEED_CONTENT_TYPES:
        return True
    xml_type = kind.endswith(("/xml", "+xml")) and kind != "application/xhtml+xml"
    if not xml_type and not ("html" not in kind and _XML_START.match(body)):
        return False
    try:
        for _event, element in lxml.etree.iterparse(
            io.BytesIO(body), events=("start",), resolve_entities=False, no_network=True
        ):
            return lxml.etree.QName(element).localname in _FEED_ROOTS
    except lxml.etree.LxmlError:
        return False
    return False


def _entry_date(entry: dict[str, object]) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            stamp = calendar.timegm(value)  # type: ignore[arg-type]  # a UTC struct_time
            return dt.datetime.fromtimestamp(stamp, dt.UTC).date()
    return None


def _full_article(html: str) -> bool:
    """Whether an entry's HTML is the article itself: an image and the article's text."""
    if "<img" not in html.lower():
        return False
    try:
        doc = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return False
    return len(clean(doc.text_content())) >= MIN_ARTICLE_CHARS


def _enclosed_image(entry: dict[str, Any]) -> str | None:
    """The URL of the first image enclosure or media:content of an entry."""
    for link in entry.get("enclosures", []):
        if str(link.get("type", "")).startswith("image/") and link.get("href"):
            return clean(link["href"])
    for media in entry.get("media_content", []):
        kind = str(media.get("medium") or media.get("type", ""))
        if kind.startswith("image") and media.get("url"):
            return clean(media["url"])
    return None


def _plain_text(html: str) -> str:
    """An entry's description without its markup."""
    if "<" not in html:
        return clean(html)
    try:
        return clean(lxml.html.fragment_fromstring(html, create_parent="div").text_content())
    except (lxml.etree.ParserError, ValueError):
        return clean(html)


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """The entries of an RSS or Atom feed, in feed order (entries without a link are dropped).

    Args:
        body: the feed document.
        url: the feed's URL, against which relative links are resolved.

    Raises:
        ValueError: if the document is malformed and yields no entry with a link.
    """
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url},
        sanitize_html=False,  # the HTML is parsed, never shown: keep the article's markup whole
        resolve_relative_uris=True,
    )
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = clean(entry.get("link"))
        if not link:
            continue
        candidates = [c.get("value", "") for c in entry.get("content", [])]
        candidates.append(entry.get("summary", ""))
        html = next((c for c in candidates if c and _full_article(c)), None)
        entries.append(
            FeedEntry(
                url=link,
                title=clean(entry.get("title")),
                published=_entry_date(entry),
                html=html,
                image_url=_enclosed_image(entry),
                summary=_plain_text(entry.get("summary", "")),
            )
        )
    if parsed.get("bozo") and not entries:  # a broken feed that yielded nothing usable
        raise ValueError(f"cannot read the feed at {url}: {parsed.get('bozo_exception')}")
    return entries


def entry_page(entry: FeedEntry, url: str, overrides: dict[str, str]) -> ParsedPage | None:
    """The article an entry carries whole, parsed by its site's parser; None: fetch the page.

    Args:
        entry: the feed entry.
        url: its canonical link, the article URL (it also chooses the parser).
        overrides: ``{domain: parser name}``, as for :func:`parse_page`.
    """
    if entry.html is None:
        if entry.image_url is None or not entry.summary:
            return None
        return ParsedPage(
            parser="feed",
            is_article=True,
            title=entry.title,
            text=entry.summary,
            published=entry.published,
            images=[ParsedImage(url=entry.image_url, caption=entry.summary)],
        )
    try:
        page = parse_page(entry.html, url, overrides)
    except ValueError:  # unreadable HTML: the page itself may do better
        return None
    if not page.images:
        return None
    page.title = page.title or entry.title
    page.published = entry.published or page.published
    return page
