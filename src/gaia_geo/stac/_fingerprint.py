"""The fingerprint that ties a Collection's GeoParquet mirror to the Item JSON it mirrors.

The Item JSON files are the source of truth; ``items.parquet`` is a fast copy. ``write_catalog``
writes ``items.fingerprint.json`` beside the mirror: the relative path, size and BLAKE2b-64 digest
of every Item file, the mirror's size, a digest of the Collection's ``item`` and ``child`` links,
and the path, size and digest of every child catalog file those links reach (``part-NNNN``).

A reader checks it without parsing any Item:

- **Which Items.** When the Collection's ``item``/``child`` links (already parsed by the caller)
  have the recorded digest and every child catalog file is unchanged (checked as Item files are,
  below), the Items are those recorded; otherwise the links are walked (string work, about 0.5 s
  per 100k links here) and the set compared: an Item added or removed makes the mirror stale.
- **Their bytes.** One ``stat()`` per file, and the bytes of only those files modified at or
  after the mirror (normally none; a handful right after a write; all of them after a copy that
  does not keep modification times, which then costs a read but never a false alarm).

Any difference means the JSON was edited, or Items added or removed, after the mirror was written:
the mirror is stale. The fingerprint holds no times, so the same catalog written twice has the same
bytes. Version 1 fingerprints (no link or catalog digests) are still checked, by the walk.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow.fs as pafs

log = logging.getLogger(__name__)

FINGERPRINT_NAME = "items.fingerprint.json"
_VERSION = 2
_KNOWN_VERSIONS = (1, 2)
_WALKED_RELS = ("item", "child")
#: From this many Item files on, they are stat()ed in two threads (see :func:`_file_infos`).
_PARALLEL_FROM = 8_192
_LOCAL = pafs.LocalFileSystem()


def item_digest(data: bytes) -> str:
    """The digest an Item file's bytes are fingerprinted by (BLAKE2b, 8 bytes, hex)."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def links_digest(links: Any) -> str:
    """The digest of the ``item`` and ``child`` links of a Collection (its rel and href, in order).

    Only what decides which Item files the Collection holds; titles, media types and other links
    (license, parent) can change without making the recorded Item list doubtful.
    """
    walked = [
        [link.get("rel"), link.get("href")]
        for link in links or []
        if isinstance(link, dict) and link.get("rel") in _WALKED_RELS
    ]
    return item_digest(orjson.dumps(walked))


def write_fingerprint(
    mirror: Path,
    files: Iterable[tuple[str, int, str]],
    collection_links: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    """Write the fingerprint of ``mirror``.

    Args:
        mirror: the ``items.parquet`` file, written.
        files: ``(path relative to the mirror's folder, size, digest)`` of every Item file.
        collection_links: the links of the Collection the mirror belongs to, with its child
            catalogs already written: their digests let a reader skip the link walk. Without
            them the reader walks the links every time.
    """
    path = mirror.with_name(FINGERPRINT_NAME)
    ordered = sorted(files)
    payload: dict[str, Any] = {
        "gaia_geo_fingerprint": _VERSION,
        "mirror": mirror.name,
        "mirror_size": mirror.stat().st_size,
    }
    if collection_links is not None:
        catalogs: list[tuple[str, int, str]] = []
        for _ in _walk(mirror.parent, {"links": collection_links}, "", catalogs, set()):
            pass
        payload["links"] = links_digest(collection_links)
        payload["catalogs"] = sorted(catalogs)
    # parallel lists: parsed in a third of the time a list of triples takes (205k Items)
    payload["items"] = {
        "paths": [p for p, _, _ in ordered],
        "sizes": [s for _, s, _ in ordered],
        "digests": [d for _, _, d in ordered],
    }
    path.write_bytes(orjson.dumps(payload) + b"\n")
    return path


@dataclass(frozen=True)
class _Recorded:
    """A parsed fingerprint."""

    mirror_size: int
    paths: list[str]
    sizes: list[int]
    digests: list[str]
    links: str | None = None
    catalogs: tuple[tuple[str, int, str], ...] | None = None


def _parse(raw: bytes) -> _Recorded | str:
    """The recorded fingerprint, or why it cannot be used."""
    payload = orjson.loads(raw)
    version = payload.get("gaia_geo_fingerprint") if isinstance(payload, dict) else None
    if version not in _KNOWN_VERSIONS:
        return (
            f"its {FINGERPRINT_NAME} has version {version!r}, which this gaia_geo does not know "
            "(upgrade gaia_geo, or write the catalog again)"
        )
    items = payload["items"]
    if version == 1:
        triples = [(str(p), int(s), str(d)) for p, s, d in items]
        return _Recorded(
            int(payload["mirror_size"]),
            [p for p, _, _ in triples],
            [s for _, s, _ in triples],
            [d for _, _, d in triples],
        )
    paths, sizes, digests = items["paths"], items["sizes"], items["digests"]
    if not (len(paths) == len(sizes) == len(digests)):
        raise ValueError("'paths', 'sizes' and 'digests' differ in length")
    catalogs = payload.get("catalogs")
    return _Recorded(
        int(payload["mirror_size"]),
        paths,
        sizes,
        digests,
        None if payload.get("links") is None else str(payload["links"]),
        None if catalogs is None else tuple((str(p), int(s), str(d)) for p, s, d in catalogs),
    )


def _example(paths: set[str]) -> str:
    first = sorted(paths)[0]
    return f"{first!r}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")


def _links_unchanged(
    folder: Path, data: Mapping[str, Any], recorded: _Recorded, mirror_mtime_ns: int
) -> bool:
    """Whether the Collection's links and its child catalog files are those recorded."""
    if recorded.links is None or recorded.catalogs is None:
        return False
    if links_digest(data.get("links")) != recorded.links:
        return False
    infos = _file_infos(folder, [rel for rel, _, _ in recorded.catalogs])
    return all(
        _difference(folder, *catalog, info, mirror_mtime_ns) is None
        for catalog, info in zip(recorded.catalogs, infos, strict=True)
    )


def _file_infos(folder: Path, paths: Sequence[str]) -> list[pafs.FileInfo]:
    """Type, size and ``mtime_ns`` of the files ``paths`` (relative to ``folder``), in order.

    pyarrow stats a list of paths in C++ without holding the GIL, so halves run in two threads:
    143,556 Item files took 0.28 s here, against 0.57 s for an ``os.stat`` loop (which holds the
    GIL between calls: the same loop in two threads took 0.8 s).
    """
    base = folder.as_posix().rstrip("/") + "/"
    full = [base + rel for rel in paths]
    if len(full) < _PARALLEL_FROM:
        return list(_LOCAL.get_file_info(full))
    half = len(full) // 2
    with ThreadPoolExecutor(2, thread_name_prefix="fingerprint") as pool:
        first, second = pool.map(_LOCAL.get_file_info, (full[:half], full[half:]))
    return [*first, *second]


def _difference(
    folder: Path, rel: str, size: int, digest: str, info: pafs.FileInfo, mirror_mtime_ns: int
) -> str | None:
    """How the file ``rel`` differs from its recorded size and digest, or ``None``.

    Its bytes are read only when it was modified at or after the mirror.
    """
    if info.size == size and info.mtime_ns < mirror_mtime_ns:
        return None  # the usual case: unchanged since the mirror was written
    if info.type != pafs.FileType.File:
        return "is missing"
    if info.size == size:
        try:
            if item_digest((folder / rel).read_bytes()) == digest:
                return None
        except OSError as err:
            return f"cannot be read ({err})"
    return "was edited after the mirror was written"


def _changed_item(folder: Path, recorded: _Recorded, mirror_mtime_ns: int) -> str | None:
    """Why one of the recorded Item files differs from its fingerprint, or ``None``."""
    infos = _file_infos(folder, recorded.paths)
    for index, (info, size) in enumerate(zip(infos, recorded.sizes, strict=True)):
        if info.size == size and info.mtime_ns < mirror_mtime_ns:
            continue  # inlined from _difference: 205k times
        rel = recorded.paths[index]
        how = _difference(folder, rel, size, recorded.digests[index], info, mirror_mtime_ns)
        if how is not None:
            return f"Item file {rel!r} {how}"
    return None


def stale_reason(mirror: Path, folder: Path, data: Mapping[str, Any]) -> str | None:
    """Why ``mirror`` no longer matches the Item JSON files, or ``None`` when it does.

    Args:
        mirror: the ``items.parquet`` file.
        folder: the Collection's folder.
        data: the Collection, as parsed from its file.

    Raises:
        OSError, ValueError: a child catalog cannot be read.
    """
    side = mirror.with_name(FINGERPRINT_NAME)
    try:
        recorded = _parse(side.read_bytes())
    except FileNotFoundError:
        return f"it has no {FINGERPRINT_NAME} (written by another tool or an older gaia_geo)"
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
        return f"its {FINGERPRINT_NAME} is unreadable ({err})"
    if isinstance(recorded, str):
        return recorded
    stat = mirror.stat()
    if stat.st_size != recorded.mirror_size:
        return "the mirror was replaced after its fingerprint was written"
    if not _links_unchanged(folder, data, recorded, stat.st_mtime_ns):
        current = set(linked_item_paths(folder, data))
        known = set(recorded.paths)
        removed, added = known - current, current - known
        if removed:
            return f"Item file {_example(removed)} is no longer linked from the Collection"
        if added:
            return f"Item file {_example(added)} was added after the mirror was written"
    return _changed_item(folder, recorded, stat.st_mtime_ns)


def _walk(
    folder: Path,
    data: Mapping[str, Any],
    prefix: str,
    catalogs: list[tuple[str, int, str]] | None,
    seen: set[str],
) -> Iterator[str]:
    for link in data.get("links") or []:
        rel = link.get("rel") if isinstance(link, dict) else None
        if rel not in _WALKED_RELS:
            continue
        href = str(link.get("href", ""))
        if href.startswith("./") and "/." not in href[1:]:
            joined = prefix + href[2:]
        else:
            joined = posixpath.normpath(posixpath.join(prefix, href))
        if rel == "item":
            yield joined
        elif joined not in seen:  # a child linked twice, or a loop, is read once
            seen.add(joined)
            raw = (folder / joined).read_bytes()
            if catalogs is not None:
                catalogs.append((joined, len(raw), item_digest(raw)))
            child = orjson.loads(raw)
            yield from _walk(folder, child, posixpath.dirname(joined) + "/", catalogs, seen)


def linked_item_paths(folder: Path, data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Item file paths a Collection in ``folder`` links to, relative to ``folder`` (POSIX).

    String work only (``./x/x.json`` is the usual href), for a cheap check of 205k links.

    Raises:
        OSError, ValueError: a child catalog cannot be read.
    """
    return _walk(folder, data, prefix, None, set())


def mirror_is_current(collection: Path, data: Mapping[str, Any], mirror: Path) -> bool:
    """Whether the mirror of the Collection file ``collection`` still matches its Item JSON.

    A stale mirror is named in a warning with the reason; the caller then reads the JSON.
    """
    try:
        reason = stale_reason(mirror, collection.parent, data)
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
