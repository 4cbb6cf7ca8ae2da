from __future__ import annotations

from pathlib import Path

import pytest

from _helpers import load_script

make_catalog = load_script("data/explore/data.py").make_catalog


@pytest.fixture(scope="session")
def explore_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded 3-split catalog (12 items each) with JSON items, binary images and mirrors."""
    root = tmp_path_factory.mktemp("explore-catalogs")
    make_catalog(root / "test-cat", n_per_split=12, seed=0)
    return root / "test-cat"
