from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parents[1] / "data" / "explore" / "data.py"


def _load_generator() -> ModuleType:
    """Import tests/data/explore/data.py under a name no other stage's data.py can shadow."""
    spec = importlib.util.spec_from_file_location("explore_test_data", DATA)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_catalog = _load_generator().make_catalog


@pytest.fixture(scope="session")
def explore_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded 3-split catalog (12 items each) with JSON items, binary images and mirrors."""
    root = tmp_path_factory.mktemp("explore-catalogs")
    make_catalog(root / "test-cat", n_per_split=12, seed=0)
    return root / "test-cat"
