"""Helpers shared by the test modules (on ``sys.path`` through pytest's ``pythonpath`` option).

Example:
    >>> from _helpers import load_script  # doctest: +SKIP
    >>> data = load_script("data/collect_sources/data.py")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]


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
