"""What a parser returns, and the small HTML helpers parsers share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import lxml.html

_SPACE = re.compile(r"\s+")

#: Pages whose main text is shorter than this are treated as index pages, not articles.
MIN_ARTICLE_CHARS = 200
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
    re.compile(r"(?P<mon>[A-Za-z]+)\.? (?P<d>\d{1,2}),? (?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2}) (?P<mon>[A-Za-z]+)\.? (?P<y>\d{4})"),
)


@dataclass(frozen=True)
class ParsedImage:
    """An image of an article: absolute URL, alt text, figure caption and credits."""

    url: str
    alt: str = ""
    caption: str = ""
    credits: str = ""


@dataclass
class ParsedPage:
    """What a parser found on a page.

    Attributes:
        parser: the parser's name.
        is_article: whether the page is an article (an index page only has links).
        title: the article title.
        text: the article's main text.
        published: publication date, or None.
        credits: page-level image credits (used for images without their own).
        images: the article's images.
        tags: the article's topic tags, where the site lists them.
        links: absolute URLs of every link on the page (the crawler filters them).
    """

    parser: str
    is_article: bool
    title: str = ""
    text: str = ""
    published: dt.date | None = None
    credits: str = ""
    images: list[ParsedImage] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    """Collapse whitespace and strip."""
    return _SPACE.sub(" ", text or "").strip()


def text_of(element: lxml.html.HtmlElement | None) -> str:
    """The element's text content, whitespace collapsed ("" for None)."""
    return "" if element is None else clean(element.text_content())


def first(doc: lxml.html.HtmlElement, *xpaths: str) -> lxml.html.HtmlElement | None:
    """The first element any of the XPath expressions selects."""
    for xpath in xpaths:
        found = doc.xpath(xpath)
        if found:
            return found[0]
    return None


def meta(doc: lxml.html.HtmlElement, *names: str) -> str:
    """The content of the first ``<meta property|name=...>`` among ``names``."""
    for name in names:
        found = doc.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
        if found and clean(found[0]):
            return clean(found[0])
    return ""


def parse_date(text: str) -> dt.date | None:
    """Parse the first date in ``text``.

    Formats: ISO ``yyyy-mm-dd``, ``dd/mm/yyyy``, ``Month d, yyyy`` and ``d Month yyyy``.
    """
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = (
                _MONTHS.get(_full_month(groups["mon"]), 0)
                if groups.get("mon")
                else int(groups["m"])
            )
            try:
                return dt.date(int(groups["y"]), month, int(groups["d"]))
            except (ValueError, TypeError):
                continue
    return None


def _full_month(name: str) -> str:
    low = name.lower().rstrip(".")
    for full in _MONTHS:
        if full.startswith(low) and len(low) >= 3:
            return full
    return ""


def links_of(doc: lxml.html.HtmlElement) -> list[str]:
    """Absolute http(s) link targets of the document (``parse_page`` resolved them)."""
    return [h for h in doc.xpath("//a/@href") if h.startswith(("http://", "https://"))]


def paragraphs(container: lxml.html.HtmlElement | None) -> str:
    """The text of a container's ``<p>`` elements, one per line (its whole text if none)."""
    if container is None:
        return ""
    parts = [text_of(p) for p in container.xpath(".//p")]
    parts = [p for p in parts if p]
    return "\n".join(parts) if parts else text_of(container)


def image_of(
    img: lxml.html.HtmlElement, caption: str = "", credits: str = ""
) -> ParsedImage | None:
    """A ParsedImage from an ``<img>``, or None.

    A link around the image to an image file (the full-size version) is preferred to the
    ``src``; a link to another page makes it a teaser of that page (an index or a "related"
    box), not an image of this article: None. So is an image without a usable ``src``.
    """
    src = img.get("src") or img.get("data-src") or ""
    link = next(iter(img.iterancestors("a")), None)
    if link is not None:
        href = link.get("href", "")
        path = href.lower().split("?")[0].split("#")[0]
        if path.endswith((".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".webp")):
            src = href
        elif href:
            return None
    if not src.startswith(("http://", "https://")):
        return None
    return ParsedImage(url=src, alt=clean(img.get("alt")), caption=caption, credits=credits)


def densest_text(doc: lxml.html.HtmlElement) -> str:
    """The paragraphs of the element holding the most paragraph text (readability-style)."""
    best, best_len = "", 0
    for container in doc.xpath("//article | //main | //div | //section | //body"):
        parts = [text_of(p) for p in container.xpath("./p | ./*/p")]
        text = "\n".join(p for p in parts if p)
        if len(text) > best_len:
            best, best_len = text, len(text)
    return best


def figure_caption(img: lxml.html.HtmlElement) -> tuple[str, str]:
    """(caption, credit) of an image: its enclosing figure's figcaption, and no own credit."""
    return text_of(first(img, "ancestor::figure[1]//figcaption")), ""


def collect_images(
    imgs: Iterable[lxml.html.HtmlElement],
    caption_of: Callable[[lxml.html.HtmlElement], tuple[str, str]] = figure_caption,
    credits: str = "",
) -> list[ParsedImage]:
    """The article's images from ``<img>`` elements, each once, in page order.

    Args:
        imgs: the candidate ``<img>`` elements.
        caption_of: (caption, credit) of one image; an empty credit falls back to ``credits``.
        credits: the page-level credit.
    """
    images: list[ParsedImage] = []
    for img in imgs:
        caption, credit = caption_of(img)
        image = image_of(img, caption=caption, credits=credit or credits)
        if image is not None and image.url not in {i.url for i in images}:
            images.append(image)
    return images


def published_date(
    doc: lxml.html.HtmlElement, scope: lxml.html.HtmlElement | None = None
) -> dt.date | None:
    """The publication date: the ``article:published_time`` (or ``date``) meta, else a ``<time>``.

    Args:
        doc: the page.
        scope: where to look for the ``<time>`` element (default: the whole page).
    """
    published = parse_date(meta(doc, "article:published_time", "date", "dc.date"))
    if published is None:
        time_el = first(scope if scope is not None else doc, ".//time[@datetime]", ".//time")
        if time_el is not None:
            published = parse_date(time_el.get("datetime", "")) or parse_date(text_of(time_el))
    return published


def story(
    doc: lxml.html.HtmlElement,
    body: lxml.html.HtmlElement | None,
    images: list[ParsedImage],
) -> tuple[str, bool]:
    """The story's text and whether the page is an article, for a layout with a body container.

    The body's paragraphs make an article; where the container is missing (layouts change over
    the years) the densest text on the page does, if it is long enough and comes with an image.
    """
    text = paragraphs(body) if body is not None else densest_text(doc)
    return text, body is not None or (bool(images) and len(text) >= MIN_ARTICLE_CHARS)


def article_page(
    name: str,
    doc: lxml.html.HtmlElement,
    *,
    title: str,
    text: str,
    images: list[ParsedImage],
    is_article: bool,
    published: dt.date | None = None,
    credits: str = "",
    tags: list[str] | None = None,
) -> ParsedPage:
    """The :class:`ParsedPage` a site parser returns (title cleaned, the page's links added)."""
    return ParsedPage(
        parser=name,
        is_article=is_article,
        title=clean(title),
        text=text,
        published=published,
        credits=credits,
        images=images,
        links=links_of(doc),
        tags=tags or [],
    )
