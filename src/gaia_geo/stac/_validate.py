"""Validate every object of a catalog offline, with three verdicts: valid, invalid, unchecked.

Each Catalog, Collection and Item reachable through ``child`` and ``item`` links is read (a file
that is missing, truncated or not UTF-8 is *invalid*, named with the reason; the walk goes on),
checked against its STAC core schema and each schema in ``stac_extensions`` (resolved offline by
``_schemas``; a schema not held makes the object *unchecked*, never invalid), and Items are also
checked for geometry validity and range, bbox consistency and ids unique across the catalog's
Collections and splits. Remote (http, s3...) links are reported and not followed: nothing here
uses the network.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from referencing.exceptions import Unresolvable

from ..errors import ValidationError
from ._assets import is_remote
from ._checks import find_duplicate_ids, geometry_problems
from ._schemas import CORE_SCHEMAS, schema_dirs, schema_validator

#: The verdict on one STAC object.
Verdict = Literal["valid", "invalid", "unchecked"]

#: Links followed from each object to reach the rest of the catalog.
FOLLOWED_RELS = ("child", "item")


@dataclass
class Problem:
    """Why one object is invalid (or could not be checked fully).

    Attributes:
        path: the object's file (or URL, for a remote link not followed).
        schema: the schema URL that failed, or the check: ``json``, ``link``, ``geometry``,
            ``unique-ids``, ``stac``.
        reason: what is wrong, and where in the object.
        verdict: ``invalid``, or ``unchecked`` when the check needs something not held offline.
    """

    path: str
    schema: str
    reason: str
    verdict: Literal["invalid", "unchecked"] = "invalid"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason} (schema {self.schema})"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        checked: how many objects were examined (files read or missing, remote links seen).
        problems: the findings that make objects invalid.
        unchecked: the findings that leave objects unchecked (a schema not held offline, a
            remote link not followed).
        verdicts: each object's verdict, by path.
    """

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    unchecked: list[Problem] = field(default_factory=list)
    verdicts: dict[str, Verdict] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether no object is invalid (unchecked objects do not count against it)."""
        return not self.problems

    @property
    def counts(self) -> dict[Verdict, int]:
        """How many objects got each verdict."""
        counts: dict[Verdict, int] = {"valid": 0, "invalid": 0, "unchecked": 0}
        for verdict in self.verdicts.values():
            counts[verdict] += 1
        return counts

    def add(self, path: str, findings: list[Problem]) -> None:
        """Record one object's findings and verdict."""
        self.checked += 1
        self.problems.extend(p for p in findings if p.verdict == "invalid")
        self.unchecked.extend(p for p in findings if p.verdict == "unchecked")
        self.verdicts[path] = verdict_of(findings)

    def summary(self) -> str:
        """One line: objects checked and how many are valid, invalid and unchecked."""
        c = self.counts
        return (
            f"{self.checked} STAC objects checked: {c['valid']} valid, {c['invalid']} invalid, "
            f"{c['unchecked']} unchecked"
        )

    def raise_for_problems(self) -> None:
        """Raise :class:`~gaia_geo.errors.ValidationError` listing the problems, if any."""
        if self.problems:
            lines = "\n".join(f"  {p}" for p in self.problems[:20])
            more = len(self.problems) - 20
            raise ValidationError(
                f"{self.counts['invalid']} of {self.checked} STAC objects are invalid:\n{lines}"
                + (f"\n  ... and {more} more" if more > 0 else "")
            )


def verdict_of(findings: list[Problem]) -> Verdict:
    """The verdict of an object from its findings: any invalid wins, then any unchecked."""
    if any(p.verdict == "invalid" for p in findings):
        return "invalid"
    return "unchecked" if findings else "valid"


@dataclass
class StacFile:
    """One object met while walking a catalog (see :func:`walk_catalog`).

    Attributes:
        path: the file, or the URL of a remote link.
        data: the parsed JSON object, or ``None`` when it could not be read (see ``problems``).
        problems: why it could not be read, or why it was not followed.
        collection: the id of the nearest Collection above it in the walk, if any.
    """

    path: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    collection: str | None = None


def _read(path: Path, source: str) -> StacFile:
    where = f"{path}"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return StacFile(where, None, [Problem(where, "link", f"does not exist (linked {source})")])
    except OSError as err:
        return StacFile(where, None, [Problem(where, "link", f"cannot be read ({err.strerror})")])
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            byte = raw[bad.start : bad.start + 1].hex()
            reason = f"is not UTF-8 text (byte 0x{byte} at offset {bad.start}); re-save it as UTF-8"
        else:
            reason = f"is not valid JSON ({err}); the file may be truncated: rewrite or restore it"
        return StacFile(where, None, [Problem(where, "json", reason)])
    if not isinstance(data, dict):
        return StacFile(where, None, [Problem(where, "json", "is not a JSON object")])
    return StacFile(where, data)


def walk_catalog(root: Path, *, items_per_parent: int | None = None) -> Iterator[StacFile]:
    """Read every object reachable from ``root`` through ``child`` and ``item`` links.

    Never raises for a bad file: an unreadable, missing or non-JSON file is yielded with its
    problem, and a remote link with an *unchecked* note (it is not followed). Each file is read
    once, however many links lead to it.

    Args:
        root: the root JSON file (Catalog, Collection, Item or FeatureCollection).
        items_per_parent: follow at most this many ``item`` links per object (``None``: all).
    """
    seen: set[str] = set()
    queue: deque[tuple[Path, str, str | None]] = deque([(root.resolve(), "as the root", None)])
    while queue:
        path, source, collection = queue.popleft()
        key = str(path)
        if key in seen:
            continue
        seen.add(key)
        node = _read(path, source)
        node.collection = collection
        yield node
        if node.data is None:
            continue
        if _kind(node.data) == "Collection":
            collection = str(node.data.get("id"))
        n_items = 0
        for link in node.data.get("links") or []:
            if not isinstance(link, dict) or link.get("rel") not in FOLLOWED_RELS:
                continue
            href = link.get("href")
            if not isinstance(href, str) or not href:
                continue  # the core schema reports it
            rel = str(link["rel"])
            if rel == "item":
                if items_per_parent is not None and n_items >= items_per_parent:
                    continue
                n_items += 1
            how = f"as {rel!r} from {path}"
            if is_remote(href):
                if href not in seen:
                    seen.add(href)
                    reason = (
                        f"remote link {how} not followed: validation is offline; download the "
                        "catalog and validate the copy"
                    )
                    yield StacFile(href, None, [Problem(href, "link", reason, "unchecked")])
                continue
            target = Path(href.removeprefix("file://"))
            queue.append(((path.parent / target).resolve(), how, collection))


def _kind(data: dict[str, Any]) -> str | None:
    """The object type; pre-1.0 objects without ``type`` are recognised by their fields."""
    kind = data.get("type")
    if kind is None:
        if "extent" in data:
            return "Collection"
        if "properties" in data and "geometry" in data:
            return "Feature"
        if "links" in data and "description" in data:
            return "Catalog"
    return kind if isinstance(kind, str) else None


def _schema_findings(
    data: dict[str, Any], uri: str, dirs: tuple[Path, ...], path: str
) -> list[Problem]:
    validator = schema_validator(uri, dirs)
    if validator is None:
        reason = "schema not bundled with gaia_geo (no network lookups); pass --schema-dir "
        reason += "with a copy of it to check this object fully"
        return [Problem(path, uri, reason, "unchecked")]
    try:
        errors = list(validator.iter_errors(data))
    except Unresolvable as err:
        reason = f"the schema refers to {err.ref}, which is not bundled"
        return [Problem(path, uri, reason, "unchecked")]
    if not errors:
        return []
    best = _deepest(errors)
    where = "/".join(str(p) for p in best.absolute_path) or "(root)"
    return [Problem(path, uri, f"at {where}: {best.message[:300]}")]


def check_object(data: dict[str, Any], dirs: tuple[Path, ...], path: str) -> list[Problem]:
    """Check one parsed object against its schemas and, for Items, the geometry checks.

    Args:
        data: the object.
        dirs: schema folders from :func:`~gaia_geo.stac._schemas.schema_dirs`.
        path: what to call it in the findings.
    """
    kind = _kind(data)
    if kind == "FeatureCollection":
        findings = []
        for index, feature in enumerate(data.get("features") or []):
            where = f"{path}#features/{index}"
            if isinstance(feature, dict):
                findings.extend(check_object(feature, dirs, where))
            else:
                findings.append(Problem(where, "stac", "is not a JSON object"))
        return findings
    if kind not in CORE_SCHEMAS:
        reason = f"'type' is {data.get('type')!r}, not Feature, Collection or Catalog"
        return [Problem(path, "stac", reason)]
    version = data.get("stac_version")
    if not isinstance(version, str):
        return [Problem(path, "stac", f"'stac_version' is {version!r}, not a version string")]
    findings = _schema_findings(data, CORE_SCHEMAS[kind].format(v=version), dirs, path)
    if findings and findings[0].verdict == "unchecked":
        findings[0].reason = f"no bundled core schema for STAC {version} {kind}s; " + (
            "migrate it to 1.0 or later (e.g. pystac's read and save), or pass --schema-dir"
        )
    extensions = data.get("stac_extensions") or []
    for uri in extensions if isinstance(extensions, list) else []:
        if not isinstance(uri, str):
            continue  # the core schema reports it
        if not is_remote(uri):  # STAC < 1.0 names extensions ("eo") instead of schema URLs
            note = f"extension {uri!r} is named, not a schema URL (STAC < 1.0): not checked"
            findings.append(Problem(path, uri, note, "unchecked"))
            continue
        findings.extend(_schema_findings(data, uri, dirs, path))
    if kind == "Feature":
        reasons = geometry_problems(data.get("geometry"), data.get("bbox"))
        findings.extend(Problem(path, "geometry", reason) for reason in reasons)
    return findings


def validate_object(
    data: dict[str, Any],
    *,
    schema_dir: str | os.PathLike[str] | None = None,
    path: str = "<object>",
) -> list[Problem]:
    """Validate one STAC object dict offline.

    Args:
        data: a Catalog, Collection, Item or FeatureCollection as a dict.
        schema_dir: a folder of schemas searched before the bundled ones.
        path: what to call the object in the findings.

    Returns:
        Its findings (empty when valid); each has ``verdict`` ``invalid`` or ``unchecked``.

    Raises:
        ValidationError: if ``schema_dir`` is not a folder.
    """
    return check_object(data, schema_dirs(schema_dir), path)


def _leaves(errors: list[Any]) -> Iterator[Any]:
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _deepest(errors: list[Any]) -> Any:
    """The most specific error: oneOf/allOf wrap the real reason in their context."""
    return max(_leaves(errors), key=lambda e: (len(e.absolute_path), e.validator != "const"))


def _root_file(path: str | os.PathLike[str]) -> Path:
    root = Path(path)
    if root.is_dir():
        root = root / "catalog.json"
    if not root.is_file():
        raise ValidationError(
            f"{str(root)!r} does not exist; pass a catalog folder or a STAC JSON file"
        )
    return root


def _item_group(node: StacFile) -> tuple[str | None, str | None]:
    """The Collection and split of an Item: ids must not repeat across these."""
    data = node.data or {}
    props = data.get("properties")
    split = props.get("ml-aoi:split") if isinstance(props, dict) else None
    collection = data.get("collection")
    return (
        collection if isinstance(collection, str) else node.collection,
        split if isinstance(split, str) else None,
    )


def _duplicate_findings(items: list[tuple[str, Any, str]]) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for item_id, places in find_duplicate_ids(items).items():
        for place in places:
            others = ", ".join(repr(p) for p in places if p != place)
            reason = (
                f"Item id {item_id!r} is also used by {others}; ids must be unique across the "
                "catalog's Collections and splits (an Item in two splits leaks test data into "
                "training): rename or remove one"
            )
            found.setdefault(place, []).append(Problem(place, "unique-ids", reason))
    return found


def validate(
    path: str | os.PathLike[str], schema_dir: str | os.PathLike[str] | None = None
) -> ValidationReport:
    """Validate every Catalog, Collection and Item of a catalog offline.

    Every object is read and checked, whatever is wrong with the others, and gets one verdict:
    *valid*; *invalid* (a schema failed, the file is missing or not JSON, the geometry is invalid
    or out of range, the bbox does not hold the geometry, the Item id is used twice); or
    *unchecked* (a schema or STAC version not bundled, a remote link not followed).

    Args:
        path: the catalog folder, its root JSON file, or any Collection or Item file.
        schema_dir: a folder laid out like ``gaia_geo/stac/schemas`` (URL prefixes mapped to
            folders), searched before the schemas bundled with gaia_geo.

    Returns:
        A report; ``report.valid`` is ``False`` only when some object is invalid.

    Raises:
        ValidationError: if ``path`` or ``schema_dir`` does not exist.

    Example:
        >>> report = validate("catalogs/demo")  # doctest: +SKIP
        >>> report.valid, report.counts  # doctest: +SKIP
        (True, {'valid': 64, 'invalid': 0, 'unchecked': 0})
    """
    dirs = schema_dirs(schema_dir)
    root = _root_file(path)
    findings: dict[str, list[Problem]] = {}
    items: list[tuple[str, Any, str]] = []
    for node in walk_catalog(root):
        found = list(node.problems)
        if node.data is not None:
            found.extend(check_object(node.data, dirs, node.path))
            if _kind(node.data) == "Feature" and isinstance(node.data.get("id"), str):
                items.append((node.data["id"], _item_group(node), node.path))
        findings[node.path] = found
    for place, extra in _duplicate_findings(items).items():
        findings[place].extend(extra)
    report = ValidationReport()
    for place, found in findings.items():
        report.add(place, found)
    return report
