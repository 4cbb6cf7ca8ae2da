"""Explore a catalog: serve it to STAC Browser, run a local STAC API, search it in process.

Every name is imported on first use, so ``import gaia_geo.explore`` stays light (the API's search
workers import this package too).

Example:
    >>> import gaia_geo
    >>> hits = gaia_geo.search("catalogs/demo", text="glacier", filter="gsd < 30")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from ._api import create_api_app, serve_api
    from ._browser import LintResult, find_catalogs, lint_catalog, stac_browser_url
    from ._search import CAPTION_TEXT, find_mirrors, search
    from ._serve import CatalogServer, make_catalog_server, serve_catalogs

_LAZY = {
    "CAPTION_TEXT": "._search",
    "CatalogServer": "._serve",
    "LintResult": "._browser",
    "create_api_app": "._api",
    "find_catalogs": "._browser",
    "find_mirrors": "._search",
    "lint_catalog": "._browser",
    "make_catalog_server": "._serve",
    "search": "._search",
    "serve_api": "._api",
    "serve_catalogs": "._serve",
    "stac_browser_url": "._browser",
}

__all__ = [
    "CAPTION_TEXT",
    "CatalogServer",
    "LintResult",
    "create_api_app",
    "find_catalogs",
    "find_mirrors",
    "lint_catalog",
    "make_catalog_server",
    "search",
    "serve_api",
    "serve_catalogs",
    "stac_browser_url",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
