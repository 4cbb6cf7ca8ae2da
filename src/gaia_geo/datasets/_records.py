"""Load the items of a catalog (static JSON or stac-geoparquet) into light records.

The datasets need only a few fields per item, so they read them once into :class:`ItemRecord`
objects: no pystac objects are kept alive and the records pickle cheaply into data-loader workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CatalogError, EmptySplitError

#: Media types and suffixes read with rasterio (everything else goes through PIL).
GEOTIFF_SUFFIXES = (".tif", ".tiff")
SPLITS = ("train", "validate", "test", "unsplit")


@dataclass(frozen=True)
class ItemRecord:
    """What the datasets need of one Item.

    Attributes:
        id: the item id.
        href: absolute path of the ``image`` asset.
        media_type: the asset's ``type`` ("" when absent).
        captions: the item's ``gaia:captions``.
        bbox: ``(west, south, east, north)`` in WGS84.
        start: the acquisition instant, or the start of the range.
        end: the acquisition instant, or the end of the range.
        split: ``ml-aoi:split`` or ``None``.
        platform: STAC ``platform`` or ``None``.
        constellation: STAC ``constellation`` or ``None``.
        instruments: STAC ``instruments``.
        rgb_bands: 1-based band indexes of red, green, blue from the asset's band metadata, if any.
    """

    id: str
    href: str
    media_type: str
    captions: tuple[str, ...]
    bbox: tuple[float, float, float, float]
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    split: str | None
    platform: str | None = None
    constellation: str | None = None
    instruments: tuple[str, ...] = field(default_factory=tuple)
    rgb_bands: tuple[int, int, int] | None = None

    @property
    def is_geotiff(self) -> bool:
        """Whether the image is a (Cloud-Optimized) GeoTIFF, read with rasterio."""
        return "tiff" in self.media_type or self.href.lower().endswith(GEOTIFF_SUFFIXES)

    @property
    def sensors(self) -> set[str]:
        """Platform, constellation and instruments, lower case, for sensor filters."""
        names = {self.platform, self.constellation, *self.instruments}
        return {name.lower() for name in names if name}


def _timestamp(value: Any) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _rgb_bands(asset: dict[str, Any]) -> tuple[int, int, int] | None:
    bands = asset.get("bands") or asset.get("eo:bands") or []
    names = [str(b.get("eo:common_name") or b.get("common_name") or "").lower() for b in bands]
    try:
        return names.index("red") + 1, names.index("green") + 1, names.index("blue") + 1
    except ValueError:
        return None


def _resolve(href: str, bases: Sequence[Path]) -> str:
    if "://" in href and not href.startswith("file://"):
        return href
    href = href.removeprefix("file://")
    if os.path.isabs(href):
        return href
    for base in bases:
        candidate = (base / href).resolve()
        if candidate.exists():
            return str(candidate)
    return str((bases[0] / href).resolve())


def record_from_dict(
    item: dict[str, Any], bases: Sequence[Path], asset_key: str = "image"
) -> ItemRecord:
    """Build a record from a STAC Item dict.

    Args:
        item: the Item as a dict (static JSON or a stac-geoparquet row).
        bases: directories that relative asset hrefs may be relative to, most likely first.
        asset_key: the asset that holds the image (``image``; ``visual``, ``rendered_preview``
            or ``thumbnail`` in catalogs from others).

    Raises:
        CatalogError: if the item has no such asset.
    """
    props = item.get("properties", item)
    assets = item.get("assets") or {}
    asset = assets.get(asset_key)
    if asset is None:
        raise CatalogError(
            f"item {item.get('id')!r} has no {asset_key!r} asset (it has {sorted(assets)}); "
            "name the image asset with asset= (--asset), e.g. asset='visual'"
        )
    start = _timestamp(props.get("datetime")) or _timestamp(props.get("start_datetime"))
    end = _timestamp(props.get("datetime")) or _timestamp(props.get("end_datetime"))
    bbox = item.get("bbox")
    if isinstance(bbox, dict):  # stac-geoparquet stores bbox as a struct
        bbox = [bbox["xmin"], bbox["ymin"], bbox["xmax"], bbox["ymax"]]
    bbox = list(bbox or (0.0, 0.0, 0.0, 0.0))
    if len(bbox) == 6:
        bbox = [bbox[0], bbox[1], bbox[3], bbox[4]]
    return ItemRecord(
        id=str(item["id"]),
        href=_resolve(str(asset["href"]), bases),
        media_type=str(asset.get("type") or ""),
        captions=tuple(str(c) for c in (props.get("gaia:captions") or ())),
        bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])),
        start=start,
        end=end,
        split=props.get("ml-aoi:split"),
        platform=props.get("platform"),
        constellation=props.get("constellation"),
        instruments=tuple(props.get("instruments") or ()),
        rgb_bands=_rgb_bands(asset),
    )


def _read_json_catalog(path: Path, asset_key: str = "image") -> list[ItemRecord]:
    import pystac

    try:
        root = pystac.read_file(str(path))
    except Exception as err:  # pystac raises many types for bad files
        raise CatalogError(f"cannot read catalog {str(path)!r}: {err}") from err
    if isinstance(root, pystac.Item):
        items: Iterable[pystac.Item] = [root]
    elif isinstance(root, pystac.Catalog):
        items = _walk_items(root, pystac)
    else:
        raise CatalogError(f"{str(path)!r} is not a STAC catalog, collection or item")
    records = []
    for item in items:
        self_href = item.get_self_href()
        base = Path(self_href).parent if self_href else path.parent
        records.append(record_from_dict(item.to_dict(transform_hrefs=False), [base], asset_key))
    return records


def _walk_items(catalog: Any, pystac: Any) -> Iterator[Any]:
    """Yield every Item below ``catalog`` in pystac's ``get_items(recursive=True)`` order.

    A bad linked file (missing, not JSON, rejected by pystac) raises a CatalogError naming it,
    not pystac's bare STACError.
    """
    for link in catalog.get_item_links():
        yield _resolve_link(catalog, link)
    for link in catalog.get_child_links():
        child = _resolve_link(catalog, link)
        if isinstance(child, pystac.Catalog):
            yield from _walk_items(child, pystac)


def _resolve_link(parent: Any, link: Any) -> Any:
    try:
        return link.resolve_stac_object(root=parent.get_root()).target
    except Exception as err:  # pystac raises STACError, JSON, OS and key errors here
        href = link.get_absolute_href() or link.href
        raise CatalogError(
            f"cannot read {str(href)!r} (linked as {link.rel!r} from "
            f"{parent.get_self_href()!r}): {type(err).__name__}: {err}; run gaia-geo validate "
            "on the catalog to list every bad file"
        ) from err


def _read_parquet(path: Path, asset_key: str = "image") -> list[ItemRecord]:
    import rustac

    try:
        collection = rustac.read_sync(str(path))
    except Exception as err:  # rustac raises its own error types
        raise CatalogError(f"cannot read stac-geoparquet {str(path)!r}: {err}") from err
    features = collection.get("features", []) if isinstance(collection, dict) else []
    records = []
    for feature in features:
        bases = [path.parent / str(feature["id"]), path.parent]
        records.append(record_from_dict(feature, bases, asset_key))
    return records


def load_records(root: str | os.PathLike[str], asset: str = "image") -> list[ItemRecord]:
    """Read every Item of a catalog.

    Args:
        root: a catalog directory (holding ``catalog.json``), a ``catalog.json``/``collection.json``
            file, or a stac-geoparquet file (``.parquet``); a directory of ``*/items.parquet``
            mirrors is not needed: the JSON catalog is read.
        asset: the asset that holds each Item's image (default ``image``).

    Returns:
        One record per item, in catalog order.

    Raises:
        CatalogError: if the path is not a readable catalog, a linked file is bad (named), or
            an Item id is in two splits (test Items would leak into training).
    """
    path = Path(root)
    if path.is_dir():
        path = path / "catalog.json"
    if not path.exists():
        raise CatalogError(
            f"no catalog at {str(path)!r}; pass a catalog directory, a catalog.json or a "
            ".parquet file"
        )
    records = (
        _read_parquet(path, asset) if path.suffix == ".parquet" else _read_json_catalog(path, asset)
    )
    check_split_leaks(records, source=str(path))
    return records


def check_split_leaks(records: Sequence[ItemRecord], source: str) -> None:
    """Refuse a catalog whose Item ids repeat across splits (the check ``validate`` also makes).

    Raises:
        CatalogError: naming the first repeated id and its splits and image files.
    """
    from ..stac._checks import find_duplicate_ids

    leaks = find_duplicate_ids((r.id, r.split or "unsplit", r) for r in records)
    if leaks:
        item_id, found = next(iter(leaks.items()))
        where = ", ".join(f"{r.split or 'unsplit'} ({r.href})" for r in found)
        raise CatalogError(
            f"Item id {item_id!r} is in more than one split of {source!r}: {where}"
            + (f" (and {len(leaks) - 1} more ids)" if len(leaks) > 1 else "")
            + "; an Item in two splits leaks test data into training: keep it in one split "
            "(gaia-geo validate lists every repeated id)"
        )


def select_records(
    records: Sequence[ItemRecord],
    split: str | None,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    time: tuple[Any, Any] | None = None,
    sensors: Sequence[str] | None = None,
    source: str = "catalog",
) -> list[ItemRecord]:
    """Keep the records of one split that pass the filters.

    Args:
        records: all records.
        split: ``train``, ``validate`` (``val`` is accepted), ``test``, ``unsplit`` (no split), or
            ``None`` for every item.
        bbox: keep items whose bbox intersects ``(west, south, east, north)``.
        time: keep items whose time range overlaps ``(start, end)`` (either may be ``None``).
        sensors: keep items whose platform, constellation or an instrument is one of these.
        source: the catalog path, for the error message.

    Raises:
        ValueError: for an unknown split.
        EmptySplitError: if nothing is left.
    """
    if split == "val":
        split = "validate"
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} or None, got {split!r}")
    kept = [
        r
        for r in records
        if split is None or r.split == split or (split == "unsplit" and not r.split)
    ]
    if bbox is not None:
        west, south, east, north = bbox
        kept = [
            r
            for r in kept
            if r.bbox[0] <= east and r.bbox[2] >= west and r.bbox[1] <= north and r.bbox[3] >= south
        ]
    if time is not None:
        lo, hi = _timestamp(time[0]), _timestamp(time[1])
        kept = [
            r
            for r in kept
            if r.start is not None
            and r.end is not None
            and (hi is None or r.start <= hi)
            and (lo is None or r.end >= lo)
        ]
    if sensors:
        wanted = {s.lower() for s in sensors}
        kept = [r for r in kept if r.sensors & wanted]
    if not kept:
        raise EmptySplitError(
            f"split {split!r} of {source!r} holds no items after the filters (bbox={bbox}, "
            f"time={time}, sensors={sensors}); check ml-aoi:split in the items or loosen "
            "the filters"
        )
    return kept
