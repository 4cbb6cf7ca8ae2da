"""Explore a catalog: serve it to STAC Browser, run a local STAC API, search it in process.

Example:
    >>> import gaia_geo
    >>> hits = gaia_geo.search("catalogs/demo", text="glacier", filter="gsd < 30")  # doctest: +SKIP
"""

from __future__ import annotations

from ._browser import LintResult, find_catalogs, lint_catalog, stac_browser_url
from ._search import CAPTION_TEXT, find_mirrors, search
from ._serve import CatalogServer, make_catalog_server, serve_catalogs

__all__ = [
    "CAPTION_TEXT",
    "CatalogServer",
    "LintResult",
    "find_catalogs",
    "find_mirrors",
    "lint_catalog",
    "make_catalog_server",
    "search",
    "serve_catalogs",
    "stac_browser_url",
]
