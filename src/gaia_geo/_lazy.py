"""Lazy re-exports for packages whose public names live in heavy submodules (PEP 562)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a module ``__getattr__`` and ``__dir__`` that import ``names`` on first access.

    Args:
        package: the package's ``__name__``.
        names: public name -> module defining it, absolute (``gaia_geo.stac``) or relative to
            ``package`` (``._api``).

    The first access imports the module and caches the value in the package's namespace, so
    later lookups are plain attribute reads.

    Example:
        >>> __getattr__, __dir__ = lazy_exports(__name__, {"serve_api": "._api"})  # doctest: +SKIP
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
