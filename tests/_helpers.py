"""Helpers shared by the test modules (on ``sys.path`` through pytest's ``pythonpath`` option).

Example:
    >>> from _helpers import load_script  # doctest: +SKIP
    >>> data = load_script("data/collect_sources/data.py")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]
#: The environment variable naming the local copy of real third-party data the repository does
#: not hold (``<it>/benchmarks/ucm_captions``, ``<it>/benchmarks/splits``; docs/evaluate.md).
REAL_DATA = "GAIA_GEO_REAL_DATA"


def real_data(*parts: str) -> Path | None:
    """The folder ``$GAIA_GEO_REAL_DATA/<parts>``; None if the variable is unset or it is missing.

    Example:
        >>> UCM = real_data("benchmarks", "ucm_captions")  # doctest: +SKIP
        >>> why = real_data_reason("benchmarks", "ucm_captions", how="see docs/evaluate.md")
        >>> pytestmark = pytest.mark.skipif(UCM is None, reason=why)  # doctest: +SKIP

    Args:
        parts: the path below the variable's folder.

    Returns:
        The existing folder, or None.
    """
    root = os.environ.get(REAL_DATA)
    folder = Path(root).joinpath(*parts) if root else None
    return folder if folder is not None and folder.is_dir() else None


def real_data_reason(*parts: str, how: str) -> str:
    """Why a test of ``real_data(*parts)`` skips: the variable unset, or the folder missing.

    Args:
        parts: the path below the variable's folder.
        how: where the docs say how to make that folder.

    Returns:
        One line for ``pytest.mark.skipif(reason=...)``.
    """
    root = os.environ.get(REAL_DATA)
    where = "/".join(parts)
    if not root:
        return f"{REAL_DATA} is unset: set it to a folder holding {where}/ ({how})"
    return f"{REAL_DATA}={root} holds no {where}/ ({how})"


def load_script(path: str | Path) -> ModuleType:
    """Import a Python file that is not in a package (a seeded data generator, a docs script).

    The module is registered in ``sys.modules`` (dataclasses and pickling need that) under a name
    made from its path, and loaded once per session: later calls return the same module.

    Args:
        path: the file, absolute or relative to ``tests/``.

    Returns:
        The loaded module.
    """
    path = Path(path)
    if not path.is_absolute():
        path = Path(__file__).resolve().parent / path
    rel = path.resolve().relative_to(ROOT).with_suffix("")
    name = "gaia_test_scripts." + "_".join(rel.parts).replace("-", "_")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
