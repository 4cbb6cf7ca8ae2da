"""The fingerprint that ties a Collection's GeoParquet mirror to the Item JSON it mirrors.

The Item JSON files are the source of truth; ``items.parquet`` is a fast copy. ``write_catalog``
writes ``items.fingerprint.json`` beside the mirror: the relative path, size and BLAKE2b-64 digest
of every Item file, and the mirror's size. A reader checks it without parsing any Item: one
``stat()`` per Item file, and the bytes of only those files modified at or after the mirror
(normally none; a handful right after a write; all of them after a copy that does not keep
modification times, which then costs a read but never a false alarm). Any difference means the
JSON was edited, or Items added or removed, after the mirror was written: the mirror is stale.

The fingerprint holds no times, so the same catalog written twice has the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

FINGERPRINT_NAME = "items.fingerprint.json"
_VERSION = 1


def item_digest(data: bytes) -> str:
    """The digest an Item file's bytes are fingerprinted by (BLAKE2b, 8 bytes, hex)."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def write_fingerprint(mirror: Path, files: Iterable[tuple[str, int, str]]) -> Path:
    """Write the fingerprint of ``mirror``: ``(path relative to its folder, size, digest)``."""
    path = mirror.with_name(FINGERPRINT_NAME)
    payload = {
        "gaia_geo_fingerprint": _VERSION,
        "mirror": mirror.name,
        "mirror_size": mirror.stat().st_size,
        "items": sorted(files),
    }
    path.write_bytes(orjson.dumps(payload) + b"\n")
    return path


def _example(paths: set[str]) -> str:
    first = sorted(paths)[0]
    return f"{first!r}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")


def stale_reason(mirror: Path, folder: Path, item_files: Iterable[str]) -> str | None:
    """Why ``mirror`` no longer matches the Item JSON files, or ``None`` when it does.

    Args:
        mirror: the ``items.parquet`` file.
        folder: the Collection's folder.
        item_files: the Item files the Collection links to now, relative to ``folder`` (POSIX
            separators), in any order.
    """
    side = mirror.with_name(FINGERPRINT_NAME)
    try:
        payload = orjson.loads(side.read_bytes())
        recorded = {str(p): (int(s), str(d)) for p, s, d in payload["items"]}
        mirror_size = int(payload["mirror_size"])
    except FileNotFoundError:
        return f"it has no {FINGERPRINT_NAME} (written by another tool or an older gaia_geo)"
    except (OSError, ValueError, TypeError, KeyError) as err:
        return f"its {FINGERPRINT_NAME} is unreadable ({err})"
    stat = mirror.stat()
    if stat.st_size != mirror_size:
        return "the mirror was replaced after its fingerprint was written"
    base = str(folder) + os.sep
    current = {rel: base + rel for rel in item_files}
    removed, added = recorded.keys() - current.keys(), current.keys() - recorded.keys()
    if removed:
        return f"Item file {_example(removed)} is no longer linked from the Collection"
    if added:
        return f"Item file {_example(added)} was added after the mirror was written"
    for rel, file in current.items():
        try:
            item = os.stat(file)
        except FileNotFoundError:
            return f"Item file {rel!r} is missing"
        size, digest = recorded[rel]
        if item.st_size != size or (
            item.st_mtime_ns >= stat.st_mtime_ns and item_digest(Path(file).read_bytes()) != digest
        ):
            return f"Item file {rel!r} was edited after the mirror was written"
    return None


def linked_item_paths(folder: Path, data: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Item file paths a Collection in ``folder`` links to, relative to ``folder`` (POSIX).

    String work only (``./x/x.json`` is the usual href), for a cheap check of 205k links.

    Raises:
        OSError, ValueError: a child catalog cannot be read.
    """
    for link in data.get("links") or []:
        rel = link.get("rel") if isinstance(link, dict) else None
        if rel not in ("item", "child"):
            continue
        href = str(link.get("href", ""))
        if href.startswith("./") and "/." not in href[1:]:
            joined = prefix + href[2:]
        else:
            joined = posixpath.normpath(posixpath.join(prefix, href))
        if rel == "item":
            yield joined
        else:
            child = orjson.loads((folder / joined).read_bytes())
            yield from linked_item_paths(folder, child, posixpath.dirname(joined) + "/")


def mirror_is_current(collection: Path, data: dict[str, Any], mirror: Path) -> bool:
    """Whether the mirror of the Collection file ``collection`` still matches its Item JSON.

    A stale mirror is named in a warning with the reason; the caller then reads the JSON.
    """
    try:
        reason = stale_reason(mirror, collection.parent, linked_item_paths(collection.parent, data))
    except (OSError, ValueError) as err:  # a child catalog the JSON walk will report
        reason = f"a linked catalog cannot be read ({err})"
    if reason is None:
        return True
    log.warning(
        "the GeoParquet mirror %s is out of date and is not used: %s. The Item JSON is read "
        "instead (it is the source of truth); writing the catalog again (e.g. "
        "gaia_geo.write_catalog) refreshes the mirror",
        mirror,
        reason,
    )
    return False
