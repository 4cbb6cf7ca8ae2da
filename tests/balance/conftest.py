from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import geopandas as gpd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

DATA = Path(__file__).resolve().parents[1] / "data" / "balance" / "data.py"

# A unique module name: other stages have a tests/data/<stage>/data.py module too.
_spec = importlib.util.spec_from_file_location("gaia_balance_test_data", DATA)
assert _spec is not None and _spec.loader is not None
generator = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = generator
_spec.loader.exec_module(generator)
make_items = generator.make_items
make_images = generator.make_images


@pytest.fixture()
def items() -> gpd.GeoDataFrame:
    """400 skewed items: points and footprints, an antimeridian one, some without place/date."""
    return make_items(400, seed=0)


@pytest.fixture()
def skewed_items() -> gpd.GeoDataFrame:
    """3,000 skewed items (seed 5)."""
    return make_items(3000, seed=5)


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """12 distinct PNGs, then near-duplicates of the first three."""
    return make_images(tmp_path_factory.mktemp("balance-images"))
