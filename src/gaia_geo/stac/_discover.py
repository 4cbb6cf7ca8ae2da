"""Find the Items of any STAC input: a Catalog, Collection, ItemCollection, Item, folder or ndjson.

What :func:`~gaia_geo.read_catalog` accepts, found the way pystac's ``get_items(recursive=True)``
finds them: every ``item`` link of every Catalog and Collection reached through ``child`` links
(Items directly under a Catalog included), an ItemCollection's ``features`` (a GeoJSON
FeatureCollection, a JSON array of Items, or newline-delimited JSON), or a single Item. STAC
0.8-1.1 is read: objects older than 1.0.0 (which may lack ``type``) are migrated with pystac's
migration, so their ``stac_version`` reads as the version they were migrated to.

A Collection with a GeoParquet mirror (an asset with role ``collection-mirror``) is read from the
mirror instead of its Item files, when the caller prefers mirrors.

Links to ``http(s)`` URLs are not followed unless ``allow_remote=True``; each skipped link is
named in one warning, never joined to a local path.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
import pystac

from ..errors import CatalogError
from ._assets import is_remote
from ._fingerprint import mirror_is_current
from ._partitioned import collection_partitions

#: Link relations that locate an Item in a catalog; ``read_catalog`` drops them.
STRUCTURAL_RELS = frozenset({"self", "root", "parent", "collection"})

Kind = Literal["Catalog", "Collection", "Feature", "FeatureCollection"]


@dataclass
class ItemGroup:
    """Items found together: those of one Collection or Catalog, or one mirror file.

    Attributes:
        items: the Item dicts (asset hrefs absolute, structural links dropped), when read as JSON.
        parquet: the GeoParquet mirror to read instead, when one is preferred.
        source: the file the group came from.
        collection: the Collection dict the Items belong to, if any.
        prefetched: what ``read_mirror`` made of the mirror, begun while the mirror's
            freshness was checked (see :func:`discover`).
    """

    source: str
    items: list[dict[str, Any]] = field(default_factory=list)
    parquet: Path | None = None
    collection: dict[str, Any] | None = None
    prefetched: Future[Any] | None = None


def _fetch(href: str) -> bytes:
    import httpx

    try:
        response = httpx.get(href, timeout=30.0, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as err:
        raise CatalogError(f"cannot fetch {href}: {err}") from None
    return response.content


def load_json(href: str | Path) -> Any:
    """Parse a local STAC JSON file (or a URL, fetched) with a clear error naming it."""
    text = str(href)
    try:
        raw = _fetch(text) if is_remote(text) else Path(text).read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{text!r} does not exist") from None
    except IsADirectoryError:
        raise CatalogError(f"{text!r} is a folder, not a STAC JSON file") from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise CatalogError(f"{text!r} is not valid JSON: {err}") from None


def kind_of(data: Any) -> Kind | None:
    """The STAC object type of a parsed JSON document, also for pre-1.0 objects without ``type``."""
    if isinstance(data, list):
        return "FeatureCollection"
    if not isinstance(data, dict):
        return None
    kind = data.get("type")
    if kind in ("Catalog", "Collection", "Feature", "FeatureCollection"):
        return kind
    if "features" in data:
        return "FeatureCollection"
    if "geometry" in data and "properties" in data:
        return "Feature"
    if "extent" in data or "license" in data:
        return "Collection"
    if "links" in data and "id" in data:
        return "Catalog"
    return None


def _version(data: dict[str, Any]) -> tuple[int, ...]:
    """``(major, minor, patch, final)``: a pre-release (``1.0.0-rc.3``) sorts before its release."""
    raw, _, pre = str(data.get("stac_version") or "0.0.0").partition("-")
    try:
        return (*(int(p) for p in raw.split(".")), 0 if pre else 1)
    except ValueError:
        return (0,)


def migrate_item(data: dict[str, Any], source: str) -> dict[str, Any]:
    """An Item dict as STAC 1.x: Items before 1.0.0 (pre-releases too) go through pystac."""
    if _version(data) >= (1, 0, 0, 1):
        return data
    try:
        item = pystac.Item.from_dict(data, migrate=True, preserve_dict=True)
    except Exception as err:  # pystac raises several types for malformed old Items
        version = data.get("stac_version")
        raise CatalogError(f"{source}: cannot migrate STAC {version} Item: {err}") from None
    return item.to_dict(include_self_link=False, transform_hrefs=False)


def _absolute(href: str, base: str) -> str:
    if is_remote(href) or os.path.isabs(href):
        return href
    if is_remote(base):
        from urllib.parse import urljoin

        return urljoin(base, href)
    return os.path.normpath(os.path.join(os.path.dirname(base), href))


def prepare_item(data: dict[str, Any], source: str) -> dict[str, Any]:
    """An Item dict as ``read_catalog`` keeps it: migrated, absolute hrefs, no structural links."""
    if not isinstance(data, dict) or kind_of(data) != "Feature":
        raise CatalogError(f"{source}: expected a STAC Item (a GeoJSON Feature)")
    item = migrate_item(data, source)
    item.setdefault("type", "Feature")
    for asset in (item.get("assets") or {}).values():
        if isinstance(asset, dict) and isinstance(asset.get("href"), str):
            asset["href"] = _absolute(asset["href"], source)
    item["links"] = [
        link
        for link in item.get("links") or []
        if isinstance(link, dict) and link.get("rel") not in STRUCTURAL_RELS
    ]
    return item


def _mirror(path: str, data: dict[str, Any]) -> Path | None:
    from ._write import PARQUET_MEDIA_TYPE

    for asset in (data.get("assets") or {}).values():
        if "collection-mirror" in (asset.get("roles") or []) and asset.get("type") == (
            PARQUET_MEDIA_TYPE
        ):
            href = _absolute(asset["href"], path)
            if not is_remote(href) and Path(href).is_file():
                return Path(href)
    return None


@dataclass
class _Walk:
    prefer_geoparquet: bool
    allow_remote: bool
    seen: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    read_mirror: Callable[[Path], Any] | None = None
    pool: ThreadPoolExecutor | None = None

    def follow(self, href: str) -> bool:
        if is_remote(href) and not self.allow_remote:
            self.skipped.append(href)
            return False
        key = href if is_remote(href) else os.path.realpath(href)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def links(self, links: list[dict[str, Any]], rel: str, path: str) -> Iterator[tuple[str, str]]:
        """The ``rel`` links of the object at ``path`` to follow: (href as written, absolute)."""
        for link in links:
            href = link.get("href")
            if link.get("rel") == rel and isinstance(href, str):
                absolute = _absolute(href, path)
                if self.follow(absolute):
                    yield href, absolute

    def container(
        self, path: str, data: dict[str, Any], parent_collection: dict[str, Any] | None
    ) -> Iterator[ItemGroup]:
        kind = kind_of(data)
        collection = data if kind == "Collection" else parent_collection
        parts = collection_partitions(path, data) if kind == "Collection" else None
        if parts is not None:  # layout="geoparquet": the partitions are the Items, no JSON
            yield from (ItemGroup(source=str(p), parquet=p, collection=data) for p in parts)
            return
        if kind == "Collection" and self.prefer_geoparquet:
            mirror = _mirror(path, data)
            if mirror is not None:
                # read the mirror (mostly without the GIL) while its Item files are stat()ed
                prefetched = None
                if self.read_mirror is not None:
                    self.pool = self.pool or ThreadPoolExecutor(1, thread_name_prefix="mirror")
                    prefetched = self.pool.submit(self.read_mirror, mirror)
                if mirror_is_current(Path(path), data, mirror):
                    yield ItemGroup(path, parquet=mirror, collection=data, prefetched=prefetched)
                    return
                if prefetched is not None:
                    prefetched.cancel()
        group = ItemGroup(source=path, collection=collection)
        links = [link for link in data.get("links") or [] if isinstance(link, dict)]
        for _, href in self.links(links, "item", path):
            item = prepare_item(load_json(href), href)
            if collection is not None and not item.get("collection"):
                item["collection"] = collection.get("id")
            group.items.append(item)
        if group.items:
            yield group
        for written, href in self.links(links, "child", path):
            child = load_json(href)
            if kind_of(child) not in ("Catalog", "Collection"):
                raise CatalogError(f"{path}: child link {written!r} is not a Catalog")
            yield from self.container(href, child, collection)


def _ndjson(path: Path) -> list[dict[str, Any]]:
    items = []
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                items.append(orjson.loads(line))
            except orjson.JSONDecodeError as err:
                raise CatalogError(f"{path}:{number}: not valid JSON: {err}") from None
    return items


def _entry(path: Path) -> Path:
    """The file to start from when ``path`` is a folder."""
    for name in ("catalog.json", "collection.json"):
        if (path / name).is_file():
            return path / name
    raise CatalogError(
        f"{str(path)!r} holds no catalog.json or collection.json; name the STAC file, an "
        "ItemCollection (.json/.ndjson) or a stac-geoparquet file or folder"
    )


def parquet_files(path: Path) -> list[Path]:
    """The stac-geoparquet files named by ``path``: one file, or a folder's partitions."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.parquet") if p.is_file())


def discover(
    path: str | os.PathLike[str],
    *,
    prefer_geoparquet: bool = True,
    allow_remote: bool = False,
    read_mirror: Callable[[Path], Any] | None = None,
) -> list[ItemGroup]:
    """The groups of Items under any STAC input (see the module's notes).

    Args:
        path: the input.
        prefer_geoparquet: read a Collection's mirror when it still matches its Item JSON.
        allow_remote: follow ``http(s)`` links.
        read_mirror: called on each mirror in a background thread, while the mirror's freshness
            is checked; a group whose mirror is used holds the call's future in ``prefetched``.

    Raises:
        CatalogError: naming the file, for a missing or unreadable input.
    """
    text = os.fspath(path)
    if not is_remote(text):
        local = Path(text)
        if not local.exists():
            raise CatalogError(f"{text!r} does not exist")
        if local.suffix == ".parquet" or (
            local.is_dir()
            and not (local / "catalog.json").exists()
            and parquet_files(local)
            and not (local / "collection.json").exists()
        ):
            return [ItemGroup(source=str(p), parquet=p) for p in parquet_files(local)]
        if local.is_dir():
            local = _entry(local)
        if local.suffix in (".ndjson", ".jsonl", ".geojsonl"):
            return [
                ItemGroup(source=str(local), items=[
                    prepare_item(d, f"{local}:{n}") for n, d in enumerate(_ndjson(local), 1)
                ])
            ]  # fmt: skip
        text = str(local.resolve())
    data = load_json(text)
    kind = kind_of(data)
    walk = _Walk(prefer_geoparquet, allow_remote, seen={text}, read_mirror=read_mirror)
    if kind == "Feature":
        groups = [ItemGroup(source=text, items=[prepare_item(data, text)])]
    elif kind == "FeatureCollection":
        features = data if isinstance(data, list) else data.get("features") or []
        groups = [
            ItemGroup(
                source=text,
                items=[prepare_item(d, f"{text}: feature {n}") for n, d in enumerate(features)],
            )
        ]
    elif kind in ("Catalog", "Collection"):
        try:
            groups = list(walk.container(text, data, None))
        finally:
            if walk.pool is not None:
                walk.pool.shutdown(wait=False)
    else:
        raise CatalogError(
            f"{text!r} is not a STAC Catalog, Collection, ItemCollection or Item "
            f"(type {data.get('type') if isinstance(data, dict) else type(data).__name__!r})"
        )
    if walk.skipped:
        warnings.warn(
            f"{len(walk.skipped)} remote link(s) not followed under {text!r} (first: "
            f"{walk.skipped[0]}); pass allow_remote=True (--remote) to read them",
            UserWarning,
            stacklevel=3,
        )
    return groups
