"""gaia_geo: build, curate and train on remote-sensing image-text datasets as STAC catalogs.

The public API is re-exported here and imported lazily, so ``import gaia_geo`` stays fast and does
not pull in torch or the HTTP stack until a function that needs them is used.

Example:
    >>> import gaia_geo
    >>> frame = gaia_geo.read_catalog("catalogs/demo")  # doctest: +SKIP
    >>> subset = gaia_geo.balance(frame, n=40, spatial="h3:1", temporal="year")  # doctest: +SKIP
"""

from __future__ import annotations

from ._lazy import lazy_exports
from .errors import (
    CatalogError,
    DependencyError,
    GaiaError,
    GeometryError,
    ItemError,
    UnknownSensorError,
    ValidationError,
)

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    # sensors
    "Sensor": "gaia_geo.sensors",
    "lookup_sensor": "gaia_geo.sensors",
    "get_sensor": "gaia_geo.sensors",
    "resolution_class": "gaia_geo.sensors",
    # stac: the item model and catalog I/O
    "CaptionExtension": "gaia_geo.stac",
    "CaptionProvenance": "gaia_geo.stac",
    "build_item": "gaia_geo.stac",
    "read_catalog": "gaia_geo.stac",
    "write_catalog": "gaia_geo.stac",
    "to_items": "gaia_geo.stac",
    "validate": "gaia_geo.stac",
    "ValidationReport": "gaia_geo.stac",
    # collect
    "extract_metadata": "gaia_geo.collect",
    "extract_metadata_many": "gaia_geo.collect",
    "ExtractedMetadata": "gaia_geo.collect",
    "crawl": "gaia_geo.collect",
    "CrawlConfig": "gaia_geo.collect",
    "read_records": "gaia_geo.collect",
    "records_to_items": "gaia_geo.collect",
    "import_gaia": "gaia_geo.collect",
    "collect_stac_chips": "gaia_geo.collect",
    "download_assets": "gaia_geo.collect",
    "import_rasters": "gaia_geo.collect",
    "items_from_rasters": "gaia_geo.collect",
    # describe
    "caption_items": "gaia_geo.describe",
    "caption_catalog": "gaia_geo.describe",
    "OfflineCaptioner": "gaia_geo.describe",
    "CaptionReport": "gaia_geo.describe",
    "PriceTable": "gaia_geo.describe",
    # balance
    "balance": "gaia_geo.balance",
    "balance_parquet": "gaia_geo.balance",
    "balance_report": "gaia_geo.balance",
    "BalanceReport": "gaia_geo.balance",
    "split": "gaia_geo.balance",
    "sample_locations": "gaia_geo.balance",
    # learn
    "GaiaCaptions": "gaia_geo.datasets",
    "GaiaGeoDataset": "gaia_geo.datasets",
    "GaiaDataModule": "gaia_geo.datamodules",
    "train_clip": "gaia_geo.train",
    "train_blip2": "gaia_geo.train",
    "caption_with_model": "gaia_geo.train",
    "register_model_configs": "gaia_geo.models",
    # evaluate
    "evaluate_retrieval": "gaia_geo.evaluate",
    "import_benchmark": "gaia_geo.evaluate",
    "evaluate_zeroshot": "gaia_geo.evaluate",
    "evaluate_captioning": "gaia_geo.evaluate",
    "retrieval_metrics": "gaia_geo.evaluate",
    "zeroshot_metrics": "gaia_geo.evaluate",
    "score_captions": "gaia_geo.evaluate",
    "compare_reports": "gaia_geo.evaluate",
    # explore
    "search": "gaia_geo.explore",
}

__all__ = [
    "CatalogError",
    "DependencyError",
    "GaiaError",
    "GeometryError",
    "ItemError",
    "UnknownSensorError",
    "ValidationError",
    "__version__",
    *sorted(_LAZY),
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
