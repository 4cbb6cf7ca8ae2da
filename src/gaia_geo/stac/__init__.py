"""The Item model and catalog I/O: the caption extension, item building, read/write, validation."""

from .._hashing import file_sha256 as sha256_file
from ._assets import is_remote, local_asset, multihash_sha256
from ._extension import (
    PREFIX,
    SCHEMA_URI,
    CaptionExtension,
    CaptionProvenance,
    GeometryKind,
    format_datetime,
    parse_datetime,
)
from ._item import SPLITS, Split, build_item, make_item_id, temporal_range
from ._read import absolutize_asset_hrefs, frame_to_dicts, read_catalog, table_to_frame, to_items
from ._summary import acquisition_midpoints, summarize_catalog
from ._validate import Problem, ValidationReport, validate, validate_object
from ._write import write_catalog

__all__ = [
    "PREFIX",
    "SCHEMA_URI",
    "SPLITS",
    "CaptionExtension",
    "CaptionProvenance",
    "GeometryKind",
    "Problem",
    "Split",
    "absolutize_asset_hrefs",
    "acquisition_midpoints",
    "summarize_catalog",
    "ValidationReport",
    "build_item",
    "format_datetime",
    "frame_to_dicts",
    "is_remote",
    "local_asset",
    "make_item_id",
    "multihash_sha256",
    "parse_datetime",
    "read_catalog",
    "sha256_file",
    "table_to_frame",
    "temporal_range",
    "to_items",
    "validate",
    "validate_object",
    "write_catalog",
]
