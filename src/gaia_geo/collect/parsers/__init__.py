"""Site parsers: one module per site, each turning an article page into images and text.

A parser module defines ``NAME`` (str), ``DOMAINS`` (tuple of domains it is written for),
``matches(doc) -> bool`` (recognises the site's layout wherever it is served, e.g. a mirror or
the embedded sample site) and ``parse(doc, url) -> ParsedPage``. To add a site, add a module and
list it in ``PARSER_MODULES`` (before ``generic``, the fallback).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from urllib.parse import urljoin, urlsplit

import lxml.html

from ._common import ParsedImage, ParsedPage

#: Parser modules in the order they are tried; ``generic`` must stay last.
PARSER_MODULES: tuple[str, ...] = ("nasa_eo", "nasa_science", "esa", "generic")

__all__ = ["PARSER_MODULES", "ParsedImage", "ParsedPage", "get_parser", "parse_page"]


def get_parser(name: str) -> ModuleType:
    """Return the parser module called ``name``.

    Raises:
        ValueError: if there is no such parser.
    """
    if name not in PARSER_MODULES:
        raise ValueError(f"unknown parser {name!r}; known parsers: {', '.join(PARSER_MODULES)}")
    return importlib.import_module(f"{__name__}.{name}")


def _select(url: str, doc: lxml.html.HtmlElement, overrides: dict[str, str]) -> ModuleType:
    host = (urlsplit(url).hostname or "").lower()
    netloc = urlsplit(url).netloc.lower()
    for domain, name in overrides.items():
        if netloc == domain or host == domain or host.endswith("." + domain):
            return get_parser(name)
    modules = [get_parser(name) for name in PARSER_MODULES]
    for module in modules:
        if any(host == d or host.endswith("." + d) for d in module.DOMAINS):
            return module
    for module in modules[:-1]:
        if module.matches(doc):
            return module
    return modules[-1]


def _absolutize(doc: lxml.html.HtmlElement, url: str) -> None:
    """Resolve the links parsers read (a/@href, img/@src, og:image) against the page or <base>.

    Cheaper than ``make_links_absolute``, which rewrites every URL-bearing attribute and CSS.
    """
    bases = doc.xpath("//base/@href")
    base = urljoin(url, bases[0].strip()) if bases else url
    targets = doc.xpath(
        "//a[@href] | //img[@src or @data-src] | //meta[@property='og:image' and @content]"
    )
    for element in targets:
        for attr in ("href", "src", "data-src", "content"):
            value = element.get(attr)
            if value is None:
                continue
            try:
                element.set(attr, urljoin(base, value.strip()))
            except ValueError:  # e.g. a malformed IPv6 host: the link is unusable
                del element.attrib[attr]


def parse_page(html: bytes | str, url: str, overrides: dict[str, str] | None = None) -> ParsedPage:
    """Parse an HTML page with the parser for its site.

    Args:
        html: the page.
        url: its (final) URL, for resolving relative links and choosing the parser.
        overrides: ``{domain: parser name}`` to force a parser for some hosts.

    Returns:
        The parsed page; ``ParsedPage.parser`` names the parser used.

    Raises:
        ValueError: if the document cannot be parsed as HTML at all.
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as err:
        raise ValueError(f"cannot parse HTML of {url}: {err}") from err
    _absolutize(doc, url)
    module = _select(url, doc, overrides or {})
    page: ParsedPage = module.parse(doc, url)
    return page
