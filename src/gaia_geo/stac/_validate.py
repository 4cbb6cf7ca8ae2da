"""Validate every object of a catalog offline against the core and extension JSON Schemas.

Schemas are resolved from a local folder laid out like ``gaia_geo/stac/schemas`` (URL prefixes map
to folders) plus this package's own caption extension schema; nothing is fetched. The package ships
copies of the schemas it writes, so ``validate(path)`` works offline with no ``schema_dir``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from ..errors import ValidationError

_PREFIXES = {
    "https://schemas.stacspec.org/": "stacspec/",
    "https://geojson.org/schema/": "geojson/",
    "https://stac-extensions.github.io/": "extensions/",
    "https://proj.org/schemas/": "proj/",
    "https://gaia-geo.github.io/stac-extensions/": "",
}
_CORE = {
    "Feature": "https://schemas.stacspec.org/v{v}/item-spec/json-schema/item.json",
    "Collection": "https://schemas.stacspec.org/v{v}/collection-spec/json-schema/collection.json",
    "Catalog": "https://schemas.stacspec.org/v{v}/catalog-spec/json-schema/catalog.json",
}
PACKAGE_SCHEMAS = Path(__file__).parent / "schemas"


@dataclass
class Problem:
    """One invalid object: its file, the schema it failed and why."""

    path: str
    schema: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason} (schema {self.schema})"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Whether every object validated."""
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise :class:`~gaia_geo.errors.ValidationError` listing the problems, if any."""
        if self.problems:
            lines = "\n".join(f"  {p}" for p in self.problems[:20])
            more = len(self.problems) - 20
            raise ValidationError(
                f"{len(self.problems)} of {self.checked} STAC objects are invalid:\n{lines}"
                + (f"\n  ... and {more} more" if more > 0 else "")
            )


class _SchemaStore:
    def __init__(self, dirs: tuple[Path, ...]) -> None:
        self.dirs = dirs

    def path_for(self, uri: str) -> Path | None:
        uri = uri.rstrip("#")
        for prefix, folder in _PREFIXES.items():
            if uri.startswith(prefix):
                rel = folder + uri[len(prefix) :]
                for base in self.dirs:
                    candidate = base / rel
                    if candidate.is_file():
                        return candidate
        return None

    def retrieve(self, uri: str) -> Resource[Any]:
        path = self.path_for(uri)
        if path is None:
            raise Unresolvable(ref=uri)
        return Resource.from_contents(orjson.loads(path.read_bytes()))


@functools.cache
def _validator(uri: str, dirs: tuple[Path, ...]) -> Draft7Validator:
    store = _SchemaStore(dirs)
    registry: Registry[Any] = Registry(retrieve=store.retrieve)  # type: ignore[call-arg]
    path = store.path_for(uri)
    if path is None:
        raise ValidationError(
            f"schema {uri} is not in {', '.join(str(d) for d in dirs)}; add it to the schema "
            "folder (laid out like gaia_geo/stac/schemas) to validate offline"
        )
    schema = orjson.loads(path.read_bytes())
    return Draft7Validator(schema, registry=registry)


def _objects(root: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    seen: set[Path] = set()
    stack = [root]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        data = orjson.loads(path.read_bytes())
        yield path, data
        for link in data.get("links", []):
            if link.get("rel") in ("child", "item"):
                stack.append((path.parent / link["href"]).resolve())


def validate_object(
    data: dict[str, Any],
    *,
    schema_dir: str | os.PathLike[str] | None = None,
    path: str = "<object>",
) -> list[Problem]:
    """Validate one STAC object dict; return its problems (empty when valid)."""
    dirs = _dirs(schema_dir)
    kind = data.get("type")
    if kind not in _CORE:
        return [Problem(path, "-", f"'type' is {kind!r}, not Feature, Collection or Catalog")]
    uris = [_CORE[kind].format(v=data.get("stac_version", "1.1.0"))]
    uris.extend(data.get("stac_extensions", []))
    problems = []
    for uri in uris:
        try:
            validator = _validator(uri, dirs)
        except ValidationError as err:
            problems.append(Problem(path, uri, str(err)))
            continue
        errors = list(validator.iter_errors(data))
        if errors:
            best = _deepest(errors)
            where = "/".join(str(p) for p in best.absolute_path) or "(root)"
            problems.append(Problem(path, uri, f"at {where}: {best.message[:300]}"))
    return problems


def _leaves(errors: list[Any]) -> Iterator[Any]:
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _deepest(errors: list[Any]) -> Any:
    """The most specific error: oneOf/allOf wrap the real reason in their context."""
    return max(_leaves(errors), key=lambda e: (len(e.absolute_path), e.validator != "const"))


def _dirs(schema_dir: str | os.PathLike[str] | None) -> tuple[Path, ...]:
    dirs = [Path(schema_dir).resolve()] if schema_dir is not None else []
    dirs.extend([PACKAGE_SCHEMAS, PACKAGE_SCHEMAS / "captions"])
    return tuple(dirs)


def validate(
    path: str | os.PathLike[str], schema_dir: str | os.PathLike[str] | None = None
) -> ValidationReport:
    """Validate every Catalog, Collection and Item of a catalog offline.

    Args:
        path: the catalog folder or its root JSON file.
        schema_dir: a folder laid out like ``gaia_geo/stac/schemas`` (URL prefixes mapped to
            folders), searched before the schemas bundled with gaia_geo.

    Returns:
        A report with the number of objects checked and each invalid object's file and reason.

    Example:
        >>> report = validate("catalogs/demo")  # doctest: +SKIP
        >>> report.valid, report.checked  # doctest: +SKIP
        (True, 64)
    """
    root = Path(path)
    if root.is_dir():
        root = root / "catalog.json"
    if not root.is_file():
        raise ValidationError(f"{str(root)!r} does not exist")
    report = ValidationReport()
    for file, data in _objects(root.resolve()):
        report.checked += 1
        report.problems.extend(validate_object(data, schema_dir=schema_dir, path=str(file)))
    return report
