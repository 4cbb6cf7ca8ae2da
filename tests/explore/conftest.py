from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parents[1] / "data" / "explore"
sys.path.insert(0, str(DATA))

from data import make_catalog  # noqa: E402


@pytest.fixture(scope="session")
def explore_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded 3-split catalog (12 items each) with JSON items, binary images and mirrors."""
    root = tmp_path_factory.mktemp("explore-catalogs")
    make_catalog(root / "test-cat", n_per_split=12, seed=0)
    return root / "test-cat"
