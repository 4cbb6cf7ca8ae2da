"""STAC Browser readiness: catalog discovery, STAC Browser URLs and an offline stac-check lint.

stac-check (with stac-validator underneath) fetches every JSON Schema from the web. The lint here
points stac-validator at the schemas that ship inside gaia_geo (``gaia_geo/stac/schemas``, or any
folder laid out the same way) through its ``schema_map``, so it
runs with no network; best-practice checks are stac-check's own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LintResult", "find_catalogs", "lint_catalog", "stac_browser_url"]

#: Radiant Earth's hosted STAC Browser; ``#/external/<url>`` opens any catalog URL.
HOSTED_STAC_BROWSER = "https://radiantearth.github.io/stac-browser/"


def stac_browser_url(catalog_url: str, browser: str | None = None) -> str:
    """Return the URL that opens ``catalog_url`` in STAC Browser.

    Args:
        catalog_url: the absolute URL of a ``catalog.json`` (or a STAC API landing page).
        browser: base URL of a STAC Browser build (hash routing); default the hosted one.

    Returns:
        ``<browser>#/external/<catalog_url>``.

    Example:
        >>> stac_browser_url("http://127.0.0.1:8000/demo/catalog.json")
        'https://radiantearth.github.io/stac-browser/#/external/http://127.0.0.1:8000/demo/catalog.json'
    """
    if "://" not in catalog_url:
        raise ValueError(f"catalog_url must be absolute (http://...), got {catalog_url!r}")
    base = browser or HOSTED_STAC_BROWSER
    if not base.endswith("/"):
        base += "/"
    return f"{base}#/external/{catalog_url}"


def find_catalogs(root: str | os.PathLike[str], max_depth: int = 2) -> list[Path]:
    """Find root ``catalog.json`` files under ``root`` (relative paths, sorted).

    A root catalog is one whose ``root`` link points to itself (or which has no ``root`` link); the
    sub-catalogs a large split is cut into are skipped.

    Args:
        root: the folder to look in (``catalogs/``).
        max_depth: how many folder levels below ``root`` to look (``0``: ``root`` only).
    """
    base = Path(root)
    found: list[Path] = []
    for depth in range(max_depth + 1):
        pattern = "/".join(["*"] * depth + ["catalog.json"])
        for path in sorted(base.glob(pattern)):
            if _is_root_catalog(path):
                found.append(path.relative_to(base))
    return found


def _is_root_catalog(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("type") != "Catalog":
        return False
    roots = [link for link in data.get("links", []) if link.get("rel") == "root"]
    if not roots:
        return True
    href = str(roots[0].get("href", ""))
    return href in ("./catalog.json", "catalog.json") or href.endswith(
        f"/{path.parent.name}/catalog.json"
    )


#: Public URL prefix -> sub-folder, the layout of ``gaia_geo/stac/schemas``.
URL_PREFIXES: dict[str, str] = {
    "https://schemas.stacspec.org/": "stacspec",
    "https://geojson.org/schema/": "geojson",
    "https://stac-extensions.github.io/": "extensions",
    "https://proj.org/schemas/": "proj",
}


def schema_map(schema_dirs: Iterable[str | os.PathLike[str]]) -> dict[str, str]:
    """Map each JSON Schema's public URL (its ``$id``, and its path under a known prefix).

    Args:
        schema_dirs: folders holding JSON Schemas (searched recursively).
    """
    mapping: dict[str, str] = {}
    for folder in schema_dirs:
        for prefix, sub in URL_PREFIXES.items():
            for path in sorted((Path(folder) / sub).rglob("*.json")):
                rel = path.relative_to(Path(folder) / sub).as_posix()
                mapping[prefix + rel] = str(path.resolve())
        for path in sorted(Path(folder).rglob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            schema_id = data.get("$id") if isinstance(data, dict) else None
            if isinstance(schema_id, str) and schema_id.startswith("http"):
                mapping[schema_id.rstrip("#")] = str(path.resolve())
    return mapping


def packaged_schema_dir() -> Path:
    """Return the folder of JSON Schemas that ships inside gaia_geo."""
    return Path(__file__).resolve().parent.parent / "stac" / "schemas"


@dataclass
class LintResult:
    """What stac-check said about one STAC file.

    Attributes:
        path: the file linted.
        kind: ``Catalog``, ``Collection`` or ``Item`` (``asset_type`` in stac-check).
        valid: whether the schema validation passed (``None`` when it was not run).
        error: the validation error, if any.
        best_practices: stac-check's best-practice messages (empty when all are met).
    """

    path: Path
    kind: str
    valid: bool | None
    error: str = ""
    best_practices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "path": str(self.path),
            "kind": self.kind,
            "valid": self.valid,
            "error": self.error,
            "best_practices": self.best_practices,
        }


def _stac_files(catalog_dir: Path, items_per_collection: int | None) -> Iterator[Path]:
    seen: set[Path] = set()
    stack = [catalog_dir / "catalog.json"]
    while stack:
        path = stack.pop(0).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        yield path
        data = json.loads(path.read_text(encoding="utf-8"))
        n_items = 0
        for link in data.get("links", []):
            rel, href = link.get("rel"), link.get("href", "")
            if "://" in href:
                continue
            if rel == "child":
                stack.append(path.parent / href)
            elif rel == "item" and (items_per_collection is None or n_items < items_per_collection):
                n_items += 1
                stack.append(path.parent / href)


def lint_catalog(
    catalog: str | os.PathLike[str],
    schemas: Iterable[str | os.PathLike[str]] | None = None,
    items_per_collection: int | None = 5,
) -> list[LintResult]:
    """Run stac-check's lint, offline, on a catalog, its collections and some of its items.

    Args:
        catalog: the catalog folder (holding ``catalog.json``) or the ``catalog.json`` itself.
        schemas: folders of local JSON Schemas; default the schemas shipped in gaia_geo. Schema
            validation of any URL not found there would need the network, so such files report
            ``valid=False`` with the URL in ``error``.
        items_per_collection: how many items per catalog/collection to lint (``None``: all).

    Returns:
        One :class:`LintResult` per STAC file, catalog first.
    """
    from stac_check.lint import Linter
    from stac_validator.validate import StacValidate

    root = Path(catalog)
    if root.name == "catalog.json":
        root = root.parent
    if not (root / "catalog.json").is_file():
        raise ValueError(f"no catalog.json in {str(root)!r}: pass a catalog folder")
    mapping = schema_map(schemas if schemas is not None else [packaged_schema_dir()])

    class _OfflineLinter(Linter):
        def validate_file(self, file: str | dict[str, Any]) -> dict[str, Any]:
            stac = StacValidate(str(file), schema_map=dict(mapping), verbose=False)
            stac.run()
            return dict(stac.message[0])

    results: list[LintResult] = []
    for path in _stac_files(root, items_per_collection):
        try:
            linter = _OfflineLinter(str(path))
        except (TypeError, ValueError, KeyError, IndexError) as err:
            # stac-check's best-practice checks assume schema-valid input and crash on some
            # invalid files (a string bbox): report the schema result alone
            stac = StacValidate(str(path), schema_map=dict(mapping), verbose=False)
            stac.run()
            message = dict(stac.message[0])
            results.append(
                LintResult(
                    path=path,
                    kind=str(message.get("asset_type") or ""),
                    valid=bool(message.get("valid_stac")),
                    error=str(message.get("error_message") or f"stac-check failed: {err}"),
                    best_practices=[f"stac-check could not check best practices: {err}"],
                )
            )
            continue
        message = linter.message
        results.append(
            LintResult(
                path=path,
                kind=str(message.get("asset_type") or linter.asset_type),
                valid=bool(message.get("valid_stac")),
                error=str(message.get("error_message") or ""),
                best_practices=[str(m) for m in linter.best_practices_msg[1:] if str(m).strip()],
            )
        )
    return results
