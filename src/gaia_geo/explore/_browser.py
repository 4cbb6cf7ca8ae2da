"""STAC Browser readiness: catalog discovery, STAC Browser URLs and an offline stac-check lint.

stac-check (with stac-validator underneath) fetches JSON Schemas, and linked files, from the web.
The lint here takes its schema verdict from :func:`gaia_geo.validate` (the schemas bundled in
gaia_geo, no network) and hands it to stac-check, whose best-practice checks run on the local file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
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


@dataclass
class LintResult:
    """What the lint said about one STAC file.

    Attributes:
        path: the file linted, or the URL (a string) of a remote link, which is not followed.
        kind: ``Catalog``, ``Collection``, ``Item`` (``Feature``), or ``""`` when unreadable.
        valid: ``True`` valid, ``False`` invalid, ``None`` unchecked (a schema not bundled, a
            remote link not followed): the verdict of :func:`gaia_geo.validate`.
        error: why it is invalid (empty when it is not).
        best_practices: stac-check's best-practice messages (empty when all are met).
        note: why it is unchecked (empty when it was checked fully).
    """

    path: Path | str
    kind: str
    valid: bool | None
    error: str = ""
    best_practices: list[str] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "path": str(self.path),
            "kind": self.kind,
            "valid": self.valid,
            "error": self.error,
            "best_practices": self.best_practices,
            "note": self.note,
        }


def lint_catalog(
    catalog: str | os.PathLike[str],
    schemas: Iterable[str | os.PathLike[str]] | None = None,
    items_per_collection: int | None = 5,
) -> list[LintResult]:
    """Lint a catalog offline: gaia_geo's schema verdict plus stac-check's best practices.

    Schema validation is :func:`gaia_geo.validate`'s, against the schemas bundled with gaia_geo
    (and ``schemas``); stac-check only adds its best-practice messages and is handed the verdict,
    so nothing goes to the network. Missing, unreadable and non-JSON files are reported as
    invalid, and remote links as unchecked (not followed).

    Args:
        catalog: the catalog folder (holding ``catalog.json``) or the ``catalog.json`` itself.
        schemas: extra folders of JSON Schemas (laid out like ``gaia_geo/stac/schemas``),
            searched before the bundled ones.
        items_per_collection: how many items per catalog/collection to lint (``None``: all).

    Returns:
        One :class:`LintResult` per STAC file, catalog first.

    Raises:
        ValueError: if there is no ``catalog.json`` there.
        ValidationError: if a folder in ``schemas`` does not exist.
    """
    from stac_check.lint import Linter

    from ..stac._schemas import schema_dirs
    from ..stac._validate import check_object, walk_catalog

    root = Path(catalog)
    if root.name == "catalog.json":
        root = root.parent
    if not (root / "catalog.json").is_file():
        raise ValueError(f"no catalog.json in {str(root)!r}: pass a catalog folder")
    dirs = schema_dirs(*(schemas or ()))
    verdict: dict[str, Any] = {}

    class _OfflineLinter(Linter):
        def validate_file(self, file: str | dict[str, Any]) -> dict[str, Any]:
            return dict(verdict)

    results: list[LintResult] = []
    for node in walk_catalog(root / "catalog.json", items_per_parent=items_per_collection):
        findings = list(node.problems)
        data = node.data
        kind = ""
        if data is not None:
            findings.extend(check_object(data, dirs, node.path))
            kind = str(data.get("type") or "")
        invalid = [
            str(p.reason) + f" (schema {p.schema})" for p in findings if p.verdict == "invalid"
        ]
        notes = [
            str(p.reason) + f" (schema {p.schema})" for p in findings if p.verdict == "unchecked"
        ]
        valid = False if invalid else (None if notes else True)
        kind = {"Feature": "Item"}.get(kind, kind)
        verdict.clear()
        verdict.update(
            asset_type=kind.upper(),
            version=str((data or {}).get("stac_version") or ""),
            valid_stac=bool(valid),
            error_message="; ".join(invalid),
            error_type="JSONSchemaValidationError" if invalid else "",
            schema=[],
        )
        practices: list[str] = []
        if data is not None:
            try:
                linter = _OfflineLinter(node.path)
                practices = [str(m) for m in linter.best_practices_msg[1:] if str(m).strip()]
            except (TypeError, ValueError, KeyError, IndexError, AttributeError) as err:
                # stac-check's best-practice checks assume schema-valid input and crash on some
                # invalid files (a string bbox)
                practices = [f"stac-check could not check best practices: {err}"]
        results.append(
            LintResult(
                path=node.path if "://" in node.path else Path(node.path),
                kind=kind,
                valid=valid,
                error="; ".join(invalid),
                best_practices=practices,
                note="; ".join(notes),
            )
        )
    return results
