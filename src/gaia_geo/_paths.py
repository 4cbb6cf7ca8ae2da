"""Where a command may write: never over its own input, never over files gaia_geo did not write.

Every command that writes a folder replaces it whole (built beside it, then swapped in), so the
folder it is given must be new, empty, or an earlier output of gaia_geo of the same kind, and it
must not be, hold or lie inside the command's input. :func:`check_output_folder` enforces that
rule in one place; :func:`fresh_temporary_folder` makes the folder a write is built in, after
removing what earlier writes killed with ``kill -9`` left behind.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import orjson

from .errors import UnsafeOutputError

log = logging.getLogger(__name__)

#: What an output folder holds: a STAC catalog (``write_catalog``) or webdataset shards.
OutputKind = Literal["catalog", "shards"]

#: Files a split folder of a gaia_geo catalog holds beside its Item folders.
SPLIT_FILES = frozenset({"collection.json", "items.parquet", "items.fingerprint.json"})
#: Reports the commands write at a catalog's top (import, download, chip reports).
REPORT_SUFFIX = "-report.json"
_CHILD = re.compile(r"^\./([A-Za-z0-9._-]+)/collection\.json$")


def _foreign_in_catalog(folder: Path, names: list[str]) -> list[str] | None:
    """Entries of ``folder`` gaia_geo did not write, or ``None`` if it is no gaia_geo catalog."""
    try:
        data = orjson.loads((folder / "catalog.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("type") != "Catalog":
        return None
    splits = set()
    for link in data.get("links", []):
        if isinstance(link, dict) and link.get("rel") == "child":
            match = _CHILD.match(str(link.get("href", "")))
            if match is None:
                return None  # not the layout write_catalog writes
            splits.add(match.group(1))
    foreign = []
    for name in names:
        path = folder / name
        if name == "catalog.json" or (name.endswith(REPORT_SUFFIX) and path.is_file()):
            continue
        if name in ("items", "assets") and path.is_dir() and _partitioned(folder):
            continue  # write_catalog(layout="geoparquet") wrote them
        if name in splits and path.is_dir() and not path.is_symlink():
            foreign += [
                f"{name}/{entry.name}"
                for entry in path.iterdir()
                if not entry.is_dir() and entry.name not in SPLIT_FILES
            ]
            continue
        foreign.append(name)
    return foreign


def _partitioned(folder: Path) -> bool:
    """Whether ``folder`` is a catalog written with ``layout="geoparquet"`` (hive ``items/``)."""
    items = folder / "items"
    return items.is_dir() and all(
        entry.is_dir() and entry.name.startswith("split=") for entry in items.iterdir()
    )


def _foreign_in_shards(names: list[str]) -> list[str]:
    return [name for name in names if not name.endswith(".tar")]


def _listed(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in sorted(names)[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def check_output_folder(
    out: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    kind: OutputKind = "catalog",
    inside_input: bool = False,
) -> Path:
    """Refuse an output folder that would replace an input or files gaia_geo did not write.

    The folder is accepted when it does not exist, is empty, or holds only what gaia_geo writes
    there (for a catalog: ``catalog.json``, the split folders and ``*-report.json``; for shards:
    ``*.tar``), and it is neither an input, nor inside one, nor holding one. Rewriting a catalog
    in place (``split``, ``caption``, ``download``) passes the catalog as ``out`` and no inputs.

    Args:
        out: the folder the command will replace.
        inputs: the files and folders the command reads.
        kind: what the folder holds once written.
        inside_input: allow ``out`` inside an input folder (a crawl directory's catalog).

    Returns:
        ``out``, absolute, with symbolic links resolved.

    Raises:
        UnsafeOutputError: naming both paths and what to do instead.
    """
    target = Path(out).expanduser().resolve()
    for given in inputs:
        source = Path(given).expanduser().resolve()
        if target == source:
            relation = "is the input"
        elif target in source.parents:
            relation = "holds the input"
        elif source in target.parents and not inside_input:
            relation = "lies inside the input"
        else:
            continue
        base = source.parent if source.is_file() else source
        raise UnsafeOutputError(
            f"output folder {str(target)!r} {relation} {str(source)!r}; writing it would replace "
            "the input. Choose a new folder outside the input, e.g. "
            f"{str(base.with_name(base.name + '-out'))!r}"
        )
    if target.exists() and not target.is_dir():
        raise UnsafeOutputError(
            f"output {str(target)!r} is a file, not a folder; choose a new folder"
        )
    if not target.is_dir():
        return target
    names = [entry.name for entry in target.iterdir()]
    if not names:
        return target
    what = "webdataset shards" if kind == "shards" else "a catalog written by gaia_geo"
    foreign = _foreign_in_shards(names) if kind == "shards" else _foreign_in_catalog(target, names)
    if foreign is None:
        raise UnsafeOutputError(
            f"output folder {str(target)!r} is not empty and is not {what} (it holds "
            f"{_listed(names)}); gaia_geo replaces its output folder whole, so choose a new or "
            "empty folder"
        )
    if foreign:
        raise UnsafeOutputError(
            f"output folder {str(target)!r} holds {_listed(foreign)}, which gaia_geo did not "
            "write and would delete when it replaces the folder; move them out, or choose a "
            "new or empty folder"
        )
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_dead_leftovers(target: Path) -> list[Path]:
    """Remove ``.<name>.tmp-<pid>`` folders beside ``target`` whose process is gone.

    Returns:
        The folders removed (each also named in a warning).
    """
    prefix = f".{target.name}.tmp-"
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for entry in target.parent.iterdir():
        pid = entry.name.removeprefix(prefix)
        if entry.name == pid or not pid.isdigit() or int(pid) == os.getpid():
            continue
        if _alive(int(pid)):
            continue
        log.warning("removing %s, left by an interrupted write (process %s is gone)", entry, pid)
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def fresh_temporary_folder(target: Path) -> Path:
    """An empty ``.<name>.tmp-<pid>`` folder beside ``target`` to build a new version in.

    Leftovers of earlier writes to ``target`` whose process was killed are removed first.
    """
    remove_dead_leftovers(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    return tmp


def check_crawl_folder(folder: Path) -> None:
    """Refuse to remove ``folder`` unless it is absent, empty or a crawl folder (``state.sqlite``).

    Raises:
        UnsafeOutputError: naming the folder and what to do.
    """
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return
    if folder.is_dir() and (folder / "state.sqlite").is_file():
        return
    raise UnsafeOutputError(
        f"{str(folder)!r} exists and is not a crawl folder of gaia_geo (no state.sqlite); the "
        "demo crawl would replace it: move it away, or choose another --out"
    )
