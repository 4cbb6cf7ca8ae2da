"""The collect stage: image-text records from article sites, the GAIA release and STAC APIs.

- :func:`crawl` walks article sites politely and resumably (robots.txt, per-host limits,
  conditional GET, SQLite frontier) and stores one :class:`ImageRecord` per image, parsed by
  the site's parser (NASA Earth Observatory, ESA/Copernicus, or the generic fallback).
- :func:`extract_metadata` reads acquisition date, sensors and places from article text, by
  rules, by a language model (:class:`LLMExtractor`, checked against the text) or both;
  :func:`extract_metadata_many` does it for many articles, asking the model once for all.
- :func:`records_to_items` turns stored records into STAC Items with offline captions.
- :func:`import_gaia`, :func:`collect_stac_chips` and :func:`download_assets` bring in the GAIA
  release, exact chips from STAC APIs, and remote images.
- :func:`import_rasters` and :func:`items_from_rasters` turn local GeoTIFF/COG/JP2 files and a
  captions file into Items with exact footprints (read with rio-stac).

Example:
    >>> from gaia_geo.collect import extract_metadata
    >>> meta = extract_metadata("MODIS on NASA's Terra satellite acquired this image of "
    ...                         "Dhaka, Bangladesh, on 3 July 2020.")
    >>> meta.platforms, meta.precision
    (('terra',), 'day')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ._config import DEFAULT_USER_AGENT, CrawlConfig
from ._crawler import Crawler, crawl, read_records
from ._dates import DateMention
from ._extract import ExtractedMetadata, extract_metadata, extract_metadata_many
from ._extract_llm import EXTRACTION_PROMPT_VERSION, EXTRACTION_SCHEMA, LLMExtractor
from ._extract_places import PlaceMention
from ._extract_regions import RegionMention
from ._extract_sensors import SensorMention
from ._gazetteer import Gazetteer, Place, load_gazetteer
from ._items import ConversionReport, records_to_items
from ._records import CrawlFailure, CrawlReport, ImageRecord
from ._urls import canonicalize_url
from .parsers import ParsedImage, ParsedPage, parse_page

#: Names defined by the sources modules, imported on first use.
_LAZY: dict[str, str] = {
    "import_gaia": "._gaia_import",
    "collect_stac_chips": "._stac_chips",
    "download_assets": "._download",
    "import_rasters": "._rasters",
    "items_from_rasters": "._rasters",
    "RasterError": "._rasters",
}

__all__ = [
    "DEFAULT_USER_AGENT",
    "EXTRACTION_PROMPT_VERSION",
    "EXTRACTION_SCHEMA",
    "LLMExtractor",
    "ConversionReport",
    "CrawlConfig",
    "CrawlFailure",
    "CrawlReport",
    "Crawler",
    "DateMention",
    "ExtractedMetadata",
    "Gazetteer",
    "ImageRecord",
    "ParsedImage",
    "ParsedPage",
    "Place",
    "PlaceMention",
    "RasterError",
    "RegionMention",
    "SensorMention",
    "canonicalize_url",
    "collect_stac_chips",
    "crawl",
    "download_assets",
    "extract_metadata",
    "extract_metadata_many",
    "import_gaia",
    "import_rasters",
    "items_from_rasters",
    "load_gazetteer",
    "parse_page",
    "read_records",
    "records_to_items",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


if TYPE_CHECKING:  # pragma: no cover
    from ._download import download_assets
    from ._gaia_import import import_gaia
    from ._rasters import RasterError, import_rasters, items_from_rasters
    from ._stac_chips import collect_stac_chips
