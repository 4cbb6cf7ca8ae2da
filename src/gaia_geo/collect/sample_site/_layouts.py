"""HTML for the sample site's two layouts (NASA-EO-like and ESA-like) and its index pages."""

from __future__ import annotations

from html import escape

from ._content import Article


def nasa_article(article: Article, image_href: str, image_src: str) -> str:
    """An Earth-Observatory-style image article."""
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    day = article.published
    shown = f"{day:%B} {day.day}, {day.year}"
    img = f'<img src="{escape(image_src)}" alt="{escape(article.image_alt)}">'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(article.title)}</title>
<meta property="og:site_name" content="NASA Earth Observatory">
<meta property="og:title" content="{escape(article.title)}"></head>
<body><header><a href="../../">Images</a></header>
<main><h1 class="main-heading">{escape(article.title)}</h1>
<p class="date"><time datetime="{day.isoformat()}">{shown}</time></p>
<div class="panel-image"><figure><a href="{escape(image_href)}">{img}</a>
<figcaption>{escape(article.title)}</figcaption></figure></div>
<div class="article-body">{body}</div>
<div class="credits"><p>{escape(article.credits)}</p></div></main></body></html>
"""


def esa_article(article: Article, image_src: str) -> str:
    """An ESA-style image release."""
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    d = article.published
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ESA - {escape(article.title)}</title>
<meta property="og:site_name" content="European Space Agency">
<meta property="og:image" content="{escape(image_src)}"></head>
<body><nav><a href="../../../">Images</a></nav>
<h1 class="heading">{escape(article.title)}</h1>
<div class="image-wrapper"><img src="{escape(image_src)}" alt="{escape(article.image_alt)}"></div>
<dl class="modal__meta"><dt>Date</dt><dd>{d.day:02d}/{d.month:02d}/{d.year}</dd>
<dt>Copyright</dt><dd>{escape(article.credits)}</dd></dl>
<div class="modal__tab-content">{body}</div></body></html>
"""


def index_page(title: str, site_name: str, links: list[tuple[str, str]]) -> str:
    """An index page: a list of links and nothing else."""
    items = "".join(f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in links)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="og:site_name" content="{escape(site_name)}"></head>
<body><h2>{escape(title)}</h2><ul>{items}</ul></body></html>
"""
