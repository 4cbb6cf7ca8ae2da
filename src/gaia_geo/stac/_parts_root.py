"""The static root of a partitioned catalog: a Catalog, and Collections computed from columns.

Extents and summaries are accumulated from the Arrow columns of every partition as
:mod:`gaia_geo.stac._write_parts` writes it (no Item is ever a Python dict here); the summary and
``item_assets`` code of the static layout is reused, fed one pseudo-Item per distinct value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._extension import SCHEMA_URI as CAPTIONS_SCHEMA_URI
from ._extension import captions_schema_path
from ._item import ML_AOI_SCHEMA_URI, SPLITS
from ._partitioned import ITEMS_ASSET, ITEMS_FOLDER, ITEMS_ROLE

#: Properties whose distinct values become Collection summaries (lists are flattened).
_SUMMARY_KEYS = (
    "platform", "constellation", "mission", "gaia:resolution_class", "gaia:geometry_kind",
    "instruments", "gaia:modalities",
)  # fmt: skip


@dataclass
class CollectionStats:
    """What a Collection's extent and summaries need, accumulated over its rows."""

    count: int = 0
    bbox: list[float] = field(default_factory=lambda: [180.0, 90.0, -180.0, -90.0])
    crosses: bool = False
    start: int | None = None
    end: int | None = None
    values: dict[str, set[Any]] = field(default_factory=lambda: defaultdict(set))
    gsd: list[float] = field(default_factory=list)
    extensions: set[str] = field(default_factory=set)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    gaia_fields: bool = False

    def update(self, table: pa.Table) -> None:
        self.count += table.num_rows
        names = table.column_names
        if "bbox" in names and pa.types.is_struct(table.column("bbox").type):
            bbox = table.column("bbox")
            parts = {k: pc.struct_field(bbox, k) for k in ("xmin", "ymin", "xmax", "ymax")}
            if pc.count(parts["xmin"]).as_py():
                lows = [pc.min(parts[k]).as_py() for k in ("xmin", "ymin")]
                highs = [pc.max(parts[k]).as_py() for k in ("xmax", "ymax")]
                box = [*lows, *highs]
                self.bbox = [
                    min(self.bbox[0], box[0]),
                    min(self.bbox[1], box[1]),
                    max(self.bbox[2], box[2]),
                    max(self.bbox[3], box[3]),
                ]
                self.crosses |= bool(pc.any(pc.greater(parts["xmin"], parts["xmax"])).as_py())
        for first, last in (("datetime", "datetime"), ("start_datetime", "end_datetime")):
            if first in names and last in names:
                low = pc.min(table.column(first).cast(pa.timestamp("us", "UTC"))).as_py()
                high = pc.max(table.column(last).cast(pa.timestamp("us", "UTC"))).as_py()
                if low is not None:
                    stamp = int(pd.Timestamp(low).value)
                    self.start = stamp if self.start is None else min(self.start, stamp)
                if high is not None:
                    stamp = int(pd.Timestamp(high).value)
                    self.end = stamp if self.end is None else max(self.end, stamp)
        for key in _SUMMARY_KEYS:
            if key not in names or json_encoded(table.schema.field(key)):
                continue
            column = table.column(key)
            if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
                column = pc.list_flatten(column)
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                self.values[key].update(v for v in pc.unique(column).to_pylist() if v is not None)
        if "gsd" in names and pa.types.is_floating(table.column("gsd").type):
            low, high = pc.min_max(table.column("gsd")).values()
            self.gsd += [float(v.as_py()) for v in (low, high) if v.as_py() is not None]
        if "stac_extensions" in names:
            flat = pc.list_flatten(table.column("stac_extensions"))
            self.extensions.update(v for v in pc.unique(flat).to_pylist() if v)
        self.gaia_fields |= any(n.startswith("gaia:") for n in names)
        if "assets" in names and pa.types.is_struct(table.column("assets").type):
            self._assets(table.column("assets"))

    def _assets(self, assets: pa.ChunkedArray) -> None:
        for index in range(assets.type.num_fields):
            key = assets.type.field(index).name
            asset = pc.struct_field(assets, [index])
            entry = self.assets.setdefault(key, {"types": set()})
            names = [f.name for f in asset.type] if pa.types.is_struct(asset.type) else []
            if "type" in names:
                types = pc.unique(pc.struct_field(asset, "type")).to_pylist()
                entry["types"].update(t for t in types if t)
            for name in ("title", "roles"):
                if name in names and name not in entry:
                    values = pc.drop_null(pc.struct_field(asset, name))
                    if len(values):
                        entry[name] = values[0].as_py()


def json_encoded(column: pa.Field) -> bool:
    return (column.metadata or {}).get(b"gaia:encoding") == b"json"


def _dump(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")


def _stamp(ns: int | None) -> str | None:
    return None if ns is None else pd.Timestamp(ns, tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RootInfo:
    """What ``write_catalog``'s caller says about the catalog (see its arguments)."""

    catalog_id: str
    title: str
    description: str | None = None
    license: str = "other"
    license_href: str | None = None
    providers: Sequence[Mapping[str, Any]] | None = None
    keywords: Sequence[str] = ()


def write_root(tmp: Path, stats: Mapping[str, CollectionStats], info: RootInfo) -> None:
    """The Catalog and one Collection per split, extents and summaries from the columns."""
    from ._write import STAC_VERSION, UNSPLIT, _item_assets, _summaries

    catalog_id, title, description = info.catalog_id, info.title, info.description
    license, license_href, providers, keywords = (
        info.license, info.license_href, info.providers, info.keywords
    )  # fmt: skip

    order = (*SPLITS, UNSPLIT)
    names = {"train": "training", "validate": "validation", "test": "test"}
    root_link = {"rel": "root", "type": "application/json", "title": title}
    children = []
    for group in sorted(stats, key=lambda s: (order.index(s) if s in order else 9, s)):
        s = stats[group]
        is_split = group in order
        collection_id = f"{catalog_id}-{group}" if is_split else group
        coll_title = f"{title} - {group}"
        # the static layout's summary and item_assets code, fed one pseudo-Item per value
        pseudo: list[dict[str, Any]] = [
            {"properties": {key: ([v] if key in ("instruments", "gaia:modalities") else v)}}
            for key, values in s.values.items()
            for v in sorted(values)
        ]
        pseudo += [{"properties": {"gsd": g}} for g in s.gsd]
        assets = [
            {
                "assets": {
                    key: {
                        **{k: v for k, v in a.items() if k != "types"},
                        **({"type": t} if t else {}),
                    }
                }
            }
            for key, a in s.assets.items()
            for t in (sorted(a["types"]) or [None])
        ]
        west, south, east, north = s.bbox
        if s.crosses:
            west, east = -180.0, 180.0
        if west > east:
            west, south, east, north = -180.0, -90.0, 180.0, 90.0
        declared = {uri for uri in s.extensions if captions_schema_path(uri)}
        extensions = [min(declared, default=CAPTIONS_SCHEMA_URI)] if s.gaia_fields else []
        if group in SPLITS:
            extensions.append(ML_AOI_SCHEMA_URI)
        links: list[dict[str, Any]] = [
            {**root_link, "href": "../catalog.json"},
            {
                "rel": "parent",
                "href": "../catalog.json",
                "type": "application/json",
                "title": title,
            },
        ]
        if license_href:
            links.append({"rel": "license", "href": license_href, "title": "License"})
        what = (
            f"The {names.get(group, 'unsplit')} split of {title}"
            if is_split
            else f"The {group} Collection of {title}"
        )
        collection: dict[str, Any] = {
            "type": "Collection",
            "id": collection_id,
            "stac_version": STAC_VERSION,
            "stac_extensions": extensions,
            "title": coll_title,
            "description": f"{what}: {s.count} Items, stored as partitioned stac-geoparquet "
            f"(no Item JSON; open the '{ITEMS_ASSET}' asset with DuckDB, pyarrow or "
            "gaia_geo.read_catalog).",
            "keywords": list(keywords),
            "license": license,
            "extent": {
                "spatial": {"bbox": [[west, south, east, north]]},
                "temporal": {"interval": [[_stamp(s.start), _stamp(s.end)]]},
            },
            "summaries": _summaries(pseudo, group),
            "item_assets": _item_assets(assets),
            "links": links,
            "assets": {
                ITEMS_ASSET: {
                    "href": f"../{ITEMS_FOLDER}/split={group}/",
                    "type": "application/vnd.apache.parquet",
                    "title": f"The {s.count} Items (stac-geoparquet, hive-partitioned)",
                    "roles": [ITEMS_ROLE],
                }
            },
        }
        if providers:
            collection["providers"] = [dict(p) for p in providers]
        _dump(tmp / group / "collection.json", collection)
        children.append(
            {
                "rel": "child",
                "href": f"./{group}/collection.json",
                "type": "application/json",
                "title": coll_title,
            }
        )
    _dump(
        tmp / "catalog.json",
        {
            "type": "Catalog",
            "id": catalog_id,
            "stac_version": STAC_VERSION,
            "title": title,
            "description": description
            or f"{title}: remote-sensing images with captions, as STAC Items in partitioned "
            "stac-geoparquet.",
            "links": [{**root_link, "href": "./catalog.json"}, *children],
        },
    )
