"""Write a static STAC catalog of image-text Items, fast, atomically, with GeoParquet mirrors.

Layout (docs/data-model.md)::

    <root>/catalog.json
    <root>/<split>/collection.json          one Collection per split
    <root>/<split>/items.parquet            stac-geoparquet mirror (role "collection-mirror")
    <root>/<split>/<id>/<id>.json           Items, their images and thumbnails beside them
    <root>/<split>/part-0001/catalog.json   sub-catalogs when a split has > max_items_per_catalog

The writer works on plain dicts and writes each JSON with orjson, which is what makes 205k items
take about a minute here instead of pystac's ~13 (``benchmarks/catalog_io.py``). The whole tree is
written beside ``root`` and swapped in with two renames, so an interrupted write leaves the
previous catalog readable.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import orjson
import pandas as pd
import pystac
from tqdm.auto import tqdm

from .._atomic import swap_directory
from .._paths import check_output_folder, fresh_temporary_folder
from ..errors import CatalogError
from ._arrow import write_items_parquet
from ._extension import SCHEMA_URI as CAPTIONS_SCHEMA_URI
from ._extension import captions_schema_path
from ._extension import captions_schema_uri as chosen_captions_schema_uri
from ._fingerprint import item_digest, write_fingerprint
from ._item import ML_AOI_SCHEMA_URI, SPLITS, is_remote
from ._partitioned import PartitionBy
from ._ranges import check_item_ranges
from ._read_dask import is_dask

STAC_VERSION = "1.1.0"
UNSPLIT = "unsplit"
#: Marks a group of Items kept in their source Collection (not a split) inside write_catalog.
COLLECTION_PREFIX = "collection:"
PARQUET_NAME = "items.parquet"
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
#: Links kept inside Items when they are mirrored to GeoParquet (structural ones are rebuilt).
STRUCTURAL_RELS = frozenset({"self", "root", "parent", "collection"})
AssetPolicy = Literal["copy", "reference"]

_JSON_OPTS = orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY


def _dump(path: Path, obj: Any) -> bytes:
    data = orjson.dumps(obj, option=_JSON_OPTS) + b"\n"
    path.write_bytes(data)
    return data


#: Properties written first, in this order; the rest follow sorted by name (``gaia:*`` last).
_PROPERTY_ORDER = (
    "title", "description", "datetime", "start_datetime", "end_datetime", "created", "updated",
    "platform", "constellation", "instruments", "mission", "gsd", "eo:cloud_cover",
    "ml-aoi:split",
)  # fmt: skip


def _ordered_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties in one readable, stable order, however the Item was built or read."""
    first = [k for k in _PROPERTY_ORDER if k in props]
    rest = sorted(
        (k for k in props if k not in _PROPERTY_ORDER), key=lambda k: (k.startswith("gaia:"), k)
    )
    return {k: props[k] for k in (*first, *rest)}


def _item_dict(item: pystac.Item | Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """An Item as a dict, and the directory its relative hrefs are relative to."""
    if isinstance(item, pystac.Item):
        self_href = item.get_self_href()
        data = item.to_dict(include_self_link=False, transform_hrefs=False)
        base = os.path.dirname(self_href) if self_href else None
    else:
        data, base = dict(item), None
    data["properties"] = _ordered_properties(data["properties"])
    return data, base


def _place_asset(href: str, base: str | None, item_dir: Path, policy: AssetPolicy) -> str:
    """Copy (or hard-link) a local asset into the item folder; return its relative href."""
    if is_remote(href):
        return href
    source = Path(href if os.path.isabs(href) or base is None else os.path.join(base, href))
    if not source.is_file():
        raise CatalogError(f"asset file {str(source)!r} does not exist")
    if policy == "reference":
        return os.path.relpath(source.resolve(), item_dir)
    target = item_dir / source.name
    if not target.exists():
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return f"./{source.name}"


def _temporal(items: Sequence[Mapping[str, Any]]) -> list[str | None]:
    starts: list[str] = []
    ends: list[str] = []
    for item in items:
        props = item["properties"]
        start = props.get("datetime") or props.get("start_datetime")
        end = props.get("datetime") or props.get("end_datetime")
        if start:
            starts.append(start)
        if end:
            ends.append(end)
    # RFC 3339 UTC strings with a Z sort like the instants they name when precision matches;
    # normalise through pandas to be safe about fractional seconds.
    import pandas as pd

    if not starts:
        return [None, None]
    lo = pd.to_datetime(starts, utc=True, format="ISO8601").min()
    hi = pd.to_datetime(ends, utc=True, format="ISO8601").max()
    return [lo.strftime("%Y-%m-%dT%H:%M:%SZ"), hi.strftime("%Y-%m-%dT%H:%M:%SZ")]


def _spatial(items: Sequence[Mapping[str, Any]]) -> list[float]:
    west, south, east, north = 180.0, 90.0, -180.0, -90.0
    for item in items:
        b = item.get("bbox")
        if not b:  # geometry: null (location unknown)
            continue
        w, s, e, n = (b[0], b[1], b[2], b[3]) if len(b) == 4 else (b[0], b[1], b[3], b[4])
        if w > e:  # crosses the antimeridian: the extent spans all longitudes
            w, e = -180.0, 180.0
        west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    if west > east:  # no Item has a location: the extent is the whole globe
        return [-180.0, -90.0, 180.0, 90.0]
    return [west, south, east, north]


def _summaries(items: Sequence[Mapping[str, Any]], split: str) -> dict[str, Any]:
    values: dict[str, set[Any]] = defaultdict(set)
    gsds: list[float] = []
    for item in items:
        props = item["properties"]
        for key in ("platform", "constellation", "mission", "gaia:resolution_class"):
            if props.get(key) is not None:
                values[key].add(props[key])
        for key in ("instruments", "gaia:modalities"):
            values[key].update(props.get(key) or ())
        if props.get("gaia:geometry_kind"):
            values["gaia:geometry_kind"].add(props["gaia:geometry_kind"])
        if props.get("gsd") is not None:
            gsds.append(float(props["gsd"]))
    out: dict[str, Any] = {k: sorted(v) for k, v in sorted(values.items()) if v}
    if gsds:
        out["gsd"] = {"minimum": min(gsds), "maximum": max(gsds)}
    if split in SPLITS:
        out["ml-aoi:split"] = [split]
    return out


def _item_assets(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        for key, asset in item.get("assets", {}).items():
            if key not in out:
                out[key] = {k: asset[k] for k in ("title", "roles") if k in asset}
            if "type" in asset:
                types = out[key].setdefault("_types", set())
                types.add(asset["type"])
    for key, value in out.items():
        types = value.pop("_types", set())
        if len(types) == 1:
            value["type"] = next(iter(types))
        if len(value) < 2:  # an asset definition needs two fields (the Collection schema)
            value.setdefault("title", key)
            if len(value) < 2:
                value["description"] = f"The {key!r} asset of each Item"
    return dict(sorted(out.items()))


def _group_folder(group: str) -> str:
    """A folder name for a Collection id (ids from other catalogs may hold any character)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", group).strip("-.") or UNSPLIT
    return name[:120]


def write_catalog(
    items: Iterable[pystac.Item | Mapping[str, Any]] | Any,
    root: str | os.PathLike[str],
    *,
    id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    license: str = "other",
    license_href: str | None = None,
    providers: Sequence[Mapping[str, Any]] | None = None,
    keywords: Sequence[str] = ("remote sensing", "image captioning", "vision-language"),
    max_items_per_catalog: int = 20_000,
    assets: AssetPolicy = "copy",
    geoparquet: bool = True,
    progress: bool | None = None,
    captions_schema_uri: str | None = None,
    layout: Literal["static", "geoparquet"] = "static",
    partition_by: PartitionBy = "year",
) -> Path:
    """Write Items as a static STAC catalog: one Collection per split, with GeoParquet mirrors.

    Args:
        items: pystac Items or Item dicts (``build_item`` output, or
            ``to_items(read_catalog(...))``), or a ``read_catalog`` frame: a GeoDataFrame, or
            a dask-geopandas one (``read_catalog(..., engine="dask")`` and what ``balance`` or
            ``split`` make of it), computed one partition at a time.
        root: the catalog folder, e.g. ``catalogs/demo``; replaced atomically if it exists. It
            must be new, empty, or a catalog gaia_geo wrote holding nothing else (reports
            aside): a folder with other files is refused, never deleted.
        id: catalog id (default: the folder name).
        title: catalog title (default: the id).
        description: catalog description.
        license: SPDX license id of the data, or ``"other"``.
        license_href: URL of the license text (written as a ``license`` link).
        providers: STAC provider dicts (name, roles, url).
        keywords: Collection keywords.
        max_items_per_catalog: the most Items one catalog or collection lists directly; larger
            splits are cut into ``part-NNNN`` sub-catalogs (STAC Browser stays responsive).
        assets: ``"copy"`` puts local asset files beside each Item (hard links when possible);
            ``"reference"`` leaves them where they are and writes relative hrefs to them.
        geoparquet: write ``items.parquet`` per Collection (stac-geoparquet, via rustac).
        progress: show a progress bar (default: when there are more than 5,000 items).
        captions_schema_uri: the captions extension schema URI to declare, for a copy you
            host (ending in ``/captions/v1.0.0/schema.json``); default ``GAIA_CAPTIONS_SCHEMA_URI``
            or the published URI. Offline validation maps it to the bundled schema.
        layout: ``"static"`` (one JSON file per Item, with GeoParquet mirrors) or
            ``"geoparquet"``: no Item JSON, only hive-partitioned stac-geoparquet under
            ``items/split=<split>/<year or h3>=<value>/`` and a static root (Catalog and
            Collections) that STAC Browser opens, for millions of Items (docs/scale.md).
            ``items`` may then also hold Arrow tables in the stac-geoparquet layout;
            ``max_items_per_catalog`` and ``geoparquet`` do not apply.
        partition_by: with ``layout="geoparquet"``, the second partition key: ``"year"`` (of
            ``datetime``) or ``"h3"`` (H3 cell at resolution 0 of the bbox centre).

    Returns:
        The catalog root folder.

    Raises:
        CatalogError: for duplicate ids, missing asset files or an unwritable root.
        GeometryError: for a geometry or bbox outside [-180, 180] x [-90, 90].
        UnsafeOutputError: when ``root`` holds files gaia_geo did not write.
        ValueError: for a ``captions_schema_uri`` that does not end in the schema's path.
    """
    given = root
    root = check_output_folder(root)
    if is_dask(items) or isinstance(items, pd.DataFrame):
        from ._read import frame_item_dicts

        items = frame_item_dicts(items)
    schema_uri = chosen_captions_schema_uri(captions_schema_uri)
    catalog_id = id or root.name
    if layout == "geoparquet":
        from ._parts_root import RootInfo
        from ._write_parts import write_partitioned_catalog

        info = RootInfo(
            catalog_id, title or catalog_id, description, license, license_href, providers, keywords
        )
        write_partitioned_catalog(
            items,
            root,
            assets=assets,
            captions_schema_uri=schema_uri,
            info=info,
            partition_by=partition_by,
            progress=progress,
        )
        return Path(given)
    if layout != "static":
        raise ValueError(f"layout must be 'static' or 'geoparquet', got {layout!r}")
    if max_items_per_catalog < 1:
        raise ValueError("max_items_per_catalog must be at least 1")
    by_split: dict[str, list[tuple[dict[str, Any], str | None]]] = defaultdict(list)
    seen: set[str] = set()
    for item in items:
        data, base = _item_dict(item)
        if data["id"] in seen:
            raise CatalogError(f"duplicate item id {data['id']!r}; item ids must be unique")
        seen.add(data["id"])
        check_item_ranges(data)
        if schema_uri != CAPTIONS_SCHEMA_URI and CAPTIONS_SCHEMA_URI in data.get(
            "stac_extensions", ()
        ):
            data["stac_extensions"] = [
                schema_uri if uri == CAPTIONS_SCHEMA_URI else uri for uri in data["stac_extensions"]
            ]
        split = data["properties"].get("ml-aoi:split") or UNSPLIT
        if split != UNSPLIT:
            # A split assigned after build_item (e.g. by gaia_geo.split) declares its extension.
            extensions = data.setdefault("stac_extensions", [])
            if ML_AOI_SCHEMA_URI not in extensions:
                extensions.append(ML_AOI_SCHEMA_URI)
        elif data.get("collection"):
            # Items from another catalog keep their source Collection.
            split = f"{COLLECTION_PREFIX}{data['collection']}"
        by_split[split].append((data, base))
    total = len(seen)
    if total == 0:
        raise CatalogError(f"no items to write to {str(root)!r}")

    tmp = fresh_temporary_folder(root)
    try:
        bar = tqdm(
            total=total,
            desc=f"writing {catalog_id}",
            unit="item",
            disable=not (progress if progress is not None else total > 5000),
        )
        children = []
        order = SPLITS + (UNSPLIT,)
        for split in sorted(by_split, key=lambda s: (order.index(s) if s in order else 9, s)):
            entries = sorted(by_split[split], key=lambda e: e[0]["id"])
            collection = _write_collection(
                tmp,
                catalog_id,
                split,
                entries,
                title=title or catalog_id,
                license=license,
                license_href=license_href,
                providers=providers,
                keywords=keywords,
                max_items=max_items_per_catalog,
                assets=assets,
                geoparquet=geoparquet,
                bar=bar,
            )
            children.append(
                {
                    "rel": "child",
                    "href": f"./{_group_folder(split.removeprefix(COLLECTION_PREFIX))}"
                    "/collection.json",
                    "type": "application/json",
                    "title": collection["title"],
                }
            )
        bar.close()
        catalog = {
            "type": "Catalog",
            "id": catalog_id,
            "stac_version": STAC_VERSION,
            "title": title or catalog_id,
            "description": description
            or f"{title or catalog_id}: remote-sensing images with captions, as STAC Items.",
            "links": [
                {
                    "rel": "root",
                    "href": "./catalog.json",
                    "type": "application/json",
                    "title": title or catalog_id,
                },
                *children,
            ],
        }
        _dump(tmp / "catalog.json", catalog)
        swap_directory(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Path(given)


def _write_collection(
    tmp: Path,
    catalog_id: str,
    split: str,
    entries: list[tuple[dict[str, Any], str | None]],
    *,
    title: str,
    license: str,
    license_href: str | None,
    providers: Sequence[Mapping[str, Any]] | None,
    keywords: Sequence[str],
    max_items: int,
    assets: AssetPolicy,
    geoparquet: bool,
    bar: Any,
) -> dict[str, Any]:
    source = split.removeprefix(COLLECTION_PREFIX) if split.startswith(COLLECTION_PREFIX) else None
    if source is not None:
        split = source
    cdir = tmp / _group_folder(split)
    if cdir.exists():
        raise CatalogError(
            f"the Collections {split!r} and another one need the same folder "
            f"{cdir.name!r}; rename one of them"
        )
    cdir.mkdir()
    collection_id = source or f"{catalog_id}-{split}"
    parts = [entries[i : i + max_items] for i in range(0, len(entries), max_items)]
    chunked = len(parts) > 1
    coll_title = f"{title} - {split}"
    root_link = {"rel": "root", "type": "application/json", "title": title}
    coll_links: list[dict[str, Any]] = [
        {**root_link, "href": "../catalog.json"},
        {"rel": "parent", "href": "../catalog.json", "type": "application/json", "title": title},
    ]
    mirror: list[dict[str, Any]] = []
    fingerprint: list[tuple[str, int, str]] = []
    written: list[dict[str, Any]] = []
    for number, part in enumerate(parts, start=1):
        pdir = cdir / f"part-{number:04d}" if chunked else cdir
        depth = 2 if chunked else 1  # folders between the item folder's parent and the collection
        part_links: list[dict[str, Any]] = []
        if chunked:
            pdir.mkdir()
        for data, base in part:
            item_id = data["id"]
            idir = pdir / item_id
            idir.mkdir()
            for key, asset in data.get("assets", {}).items():
                try:
                    asset["href"] = _place_asset(asset["href"], base, idir, assets)
                except CatalogError as err:
                    raise CatalogError(f"item {item_id!r}, asset {key!r}: {err}") from None
            kept = [link for link in data.get("links", []) if link["rel"] not in STRUCTURAL_RELS]
            up = "../" * (depth + 1)
            data["links"] = [
                {**root_link, "href": f"{up}catalog.json"},
                {
                    "rel": "parent",
                    "href": "../catalog.json" if chunked else "../collection.json",
                    "type": "application/json",
                    "title": f"{coll_title} part {number}" if chunked else coll_title,
                },
                {
                    "rel": "collection",
                    "href": f"{'../' * depth}collection.json",
                    "type": "application/json",
                    "title": coll_title,
                },
                *kept,
            ]
            data["collection"] = collection_id
            raw = _dump(idir / f"{item_id}.json", data)
            rel = (
                f"part-{number:04d}/{item_id}/{item_id}.json"
                if chunked
                else f"{item_id}/{item_id}.json"
            )
            fingerprint.append((rel, len(raw), item_digest(raw)))
            part_links.append(
                {
                    "rel": "item",
                    "href": f"./{item_id}/{item_id}.json",
                    "type": "application/geo+json",
                }
            )
            if geoparquet:
                mirror.append(_mirror_item(data, Path(os.path.relpath(idir, cdir))))
            written.append(data)
            bar.update(1)
        if chunked:
            _dump(
                pdir / "catalog.json",
                {
                    "type": "Catalog",
                    "id": f"{collection_id}-part-{number:04d}",
                    "stac_version": STAC_VERSION,
                    "title": f"{coll_title} part {number}",
                    "description": f"Items {(number - 1) * max_items + 1}-"
                    f"{(number - 1) * max_items + len(part)} of the {split} split.",
                    "links": [
                        {**root_link, "href": "../../catalog.json"},
                        {
                            "rel": "parent",
                            "href": "../collection.json",
                            "type": "application/json",
                            "title": coll_title,
                        },
                        *part_links,
                    ],
                },
            )
            coll_links.append(
                {
                    "rel": "child",
                    "href": f"./part-{number:04d}/catalog.json",
                    "type": "application/json",
                    "title": f"{split} part {number}",
                }
            )
        else:
            coll_links.extend(part_links)
    if license_href:
        coll_links.append({"rel": "license", "href": license_href, "title": "License"})
    coll_assets: dict[str, Any] = {}
    if geoparquet:
        write_geoparquet(cdir / PARQUET_NAME, mirror)
        write_fingerprint(cdir / PARQUET_NAME, fingerprint, coll_links)
        coll_assets["geoparquet"] = {
            "href": f"./{PARQUET_NAME}",
            "type": PARQUET_MEDIA_TYPE,
            "title": "GeoParquet mirror of the Items (stac-geoparquet)",
            "roles": ["collection-mirror"],
        }
    thumb = next(
        (
            (d, a["thumbnail"]["href"])
            for d in written
            if (a := d.get("assets", {})).get("thumbnail") and not is_remote(a["thumbnail"]["href"])
        ),
        None,
    )
    if thumb is not None:
        data, href = thumb
        prefix = "" if not chunked else f"part-{(written.index(data) // max_items) + 1:04d}/"
        # One Item's chip illustrates the split; it is not a preview of the Collection's extent.
        # STAC Browser (ol-stac / stac-js) lays any asset keyed or roled `thumbnail`/`overview`
        # over the extent on its map, but shows role `graphic` on cards and pages only.
        coll_assets["graphic"] = {
            "href": f"./{prefix}{data['id']}/{href.removeprefix('./')}",
            "type": data["assets"]["thumbnail"].get("type", "image/png"),
            "title": f"Example image: {data.get('properties', {}).get('title') or data['id']}",
            "roles": ["graphic"],
        }
    # the Collection declares the extensions its own fields use, as every Item does
    declared = {
        uri for d in written for uri in d.get("stac_extensions", ()) if captions_schema_path(uri)
    }
    extensions = (
        [min(declared, default=CAPTIONS_SCHEMA_URI)]
        if any(_has_gaia_fields(d) for d in written)
        else []
    )
    if split in SPLITS:
        extensions.append(ML_AOI_SCHEMA_URI)
    names = {"train": "training", "validate": "validation", "test": "test"}
    collection: dict[str, Any] = {
        "type": "Collection",
        "id": collection_id,
        "stac_version": STAC_VERSION,
        "stac_extensions": extensions,
        "title": coll_title,
        "description": (
            f"The {split} Collection of {title}: {len(written)} Items."
            if source is not None
            else f"The {names.get(split, 'unsplit')} split of {title}: {len(written)} "
            "remote-sensing images, each a STAC Item with its captions, sensor, footprint and date."
        ),
        "keywords": list(keywords),
        "license": license,
        "extent": {
            "spatial": {"bbox": [_spatial(written)]},
            "temporal": {"interval": [_temporal(written)]},
        },
        "summaries": _summaries(written, split),
        "item_assets": _item_assets(written),
        "links": coll_links,
    }
    if providers:
        collection["providers"] = [dict(p) for p in providers]
    if coll_assets:
        collection["assets"] = coll_assets
    _dump(cdir / "collection.json", collection)
    return collection


def _has_gaia_fields(item: Mapping[str, Any]) -> bool:
    return any(key.startswith("gaia:") for key in item.get("properties", {}))


def write_geoparquet(path: Path, items: list[dict[str, Any]]) -> None:
    """Write Item dicts as a stac-geoparquet file (any Items; see :mod:`gaia_geo.stac._arrow`)."""
    write_items_parquet(path, items)


def _mirror_item(data: dict[str, Any], rel_dir: Path) -> dict[str, Any]:
    """The Item as stored in the GeoParquet mirror: hrefs relative to the mirror's folder."""
    out = dict(data)
    out["assets"] = {}
    for key, asset in data.get("assets", {}).items():
        asset = dict(asset)
        href = asset["href"]
        if not is_remote(href) and not os.path.isabs(href):
            asset["href"] = "./" + os.path.normpath(os.path.join(rel_dir, href)).replace(
                os.sep, "/"
            )
        out["assets"][key] = asset
    out["links"] = [link for link in data["links"] if link["rel"] not in STRUCTURAL_RELS]
    return out
