"""The JSON Schemas gaia_geo validates against offline: where each public URL lives on disk.

This module is the one map from a schema URL to a file. Schemas ship inside the package under
``gaia_geo/stac/schemas`` (their origin, tag and licence are listed in ``schemas/PROVENANCE.md``);
a user folder laid out the same way can be searched first. Nothing is ever fetched: a URL with no
file here makes the object it belongs to *unchecked*, not invalid.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import orjson
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT7

from ..errors import ValidationError
from ._extension import captions_schema_path

#: Public URL prefix -> folder below a schema directory (the layout of ``gaia_geo/stac/schemas``).
SCHEMA_PREFIXES: dict[str, str] = {
    "https://schemas.stacspec.org/": "stacspec/",
    "https://geojson.org/schema/": "geojson/",
    "https://stac-extensions.github.io/": "extensions/",
    "https://proj.org/schemas/": "proj/",
    "https://gaia-geo.github.io/stac-extensions/": "",
}

#: The schemas bundled with gaia_geo.
PACKAGE_SCHEMAS = Path(__file__).parent / "schemas"

#: The core schema of each STAC object type, by STAC version.
CORE_SCHEMAS: dict[str, str] = {
    "Feature": "https://schemas.stacspec.org/v{v}/item-spec/json-schema/item.json",
    "Collection": "https://schemas.stacspec.org/v{v}/collection-spec/json-schema/collection.json",
    "Catalog": "https://schemas.stacspec.org/v{v}/catalog-spec/json-schema/catalog.json",
}


def schema_dirs(*folders: str | os.PathLike[str] | None) -> tuple[Path, ...]:
    """Return the folders searched for schemas: ``folders`` first, then the bundled ones.

    Args:
        folders: folders laid out like ``gaia_geo/stac/schemas`` (URL prefixes mapped to
            sub-folders); ``None`` entries are skipped.

    Raises:
        ValidationError: if a folder given does not exist (a typo would otherwise validate
            against the bundled schemas alone, silently).
    """
    dirs: list[Path] = []
    for schema_dir in folders:
        if schema_dir is None:
            continue
        folder = Path(schema_dir)
        if not folder.is_dir():
            raise ValidationError(
                f"schema folder {str(folder)!r} does not exist or is not a folder; pass a folder "
                "laid out like gaia_geo/stac/schemas (URL prefixes mapped to sub-folders), or "
                "leave it out to use the bundled schemas"
            )
        dirs.append(folder.resolve())
    dirs.extend([PACKAGE_SCHEMAS, PACKAGE_SCHEMAS / "captions"])
    return tuple(dirs)


def find_schema(uri: str, dirs: tuple[Path, ...]) -> Path | None:
    """Return the local file of a schema URL, or ``None`` when no folder holds it.

    Args:
        uri: the schema's public URL (a trailing ``#`` is ignored).
        dirs: folders from :func:`schema_dirs`.
    """
    uri = uri.split("#", 1)[0]
    for prefix, folder in SCHEMA_PREFIXES.items():
        if not uri.startswith(prefix):
            continue
        rel = folder + uri[len(prefix) :]
        if ".." in Path(rel).parts:
            return None
        for base in dirs:
            candidate = base / rel
            if candidate.is_file():
                return candidate
    # the captions schema hosted anywhere (write_catalog's captions_schema_uri): the bundled copy
    hosted = captions_schema_path(uri)
    if hosted is None:
        return None
    return next((base / hosted for base in dirs if (base / hosted).is_file()), None)


class _SchemaStore:
    """Loads schemas from local folders for a :class:`referencing.Registry`; never the network."""

    def __init__(self, dirs: tuple[Path, ...]) -> None:
        self.dirs = dirs
        # jsonschema looks a $ref up again on every use: parse each file once, not per lookup
        self.resources: dict[str, Resource[Any]] = {}

    def contents(self, uri: str) -> dict[str, Any] | None:
        path = find_schema(uri, self.dirs)
        if path is None:
            return None
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as err:
            raise ValidationError(
                f"schema file {str(path)!r} for {uri} is unreadable: {err}"
            ) from err
        if not isinstance(data, dict):
            raise ValidationError(f"schema file {str(path)!r} for {uri} is not a JSON object")
        # Some published schemas declare another version's $id (ml-aoi v0.1.0, processing
        # v1.1.0); register each under the URL it was asked for so its own #/definitions resolve
        # to itself, not to a sibling version.
        data["$id"] = uri.split("#", 1)[0]
        return data

    def retrieve(self, uri: str) -> Resource[Any]:
        if uri not in self.resources:
            data = self.contents(uri)
            if data is None:
                raise Unresolvable(ref=uri)
            self.resources[uri] = Resource.from_contents(data, default_specification=DRAFT7)
        return self.resources[uri]


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` string in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _registry(store: _SchemaStore, uri: str) -> Registry[Any]:
    """A registry holding ``uri`` and every schema it refers to, crawled once.

    Without this, jsonschema retrieves and re-crawls a referenced schema on every lookup (most of
    the validation time).
    """
    registry: Registry[Any] = Registry(retrieve=store.retrieve)  # type: ignore[call-arg]
    pending, seen = [uri.split("#", 1)[0]], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            resource = store.retrieve(current)
        except Unresolvable:
            continue  # reported as unchecked when validation reaches it
        registry = registry.with_resource(current, resource)
        for ref in _refs(resource.contents):
            target = urljoin(current, ref).split("#", 1)[0]
            if target and target not in seen:
                pending.append(target)
    return registry.crawl()


@functools.cache
def schema_validator(uri: str, dirs: tuple[Path, ...]) -> Draft7Validator | None:
    """Return a validator for a schema URL from local files, or ``None`` if it is not held.

    Schemas it ``$ref``-s are loaded from the same folders; one that is missing raises
    :class:`referencing.exceptions.Unresolvable` while validating.

    Args:
        uri: the schema's public URL.
        dirs: folders from :func:`schema_dirs`.
    """
    store = _SchemaStore(dirs)
    schema = store.contents(uri)
    if schema is None:
        return None
    return Draft7Validator(schema, registry=_registry(store, uri))
