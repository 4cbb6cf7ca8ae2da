from __future__ import annotations

import os
import sys
from pathlib import Path

import geopandas as gpd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

DATA = Path(__file__).resolve().parents[1] / "data" / "balance"
sys.path.insert(0, str(DATA))

from data import make_images, make_items  # noqa: E402


@pytest.fixture()
def items() -> gpd.GeoDataFrame:
    """400 skewed items: points and footprints, an antimeridian one, some without place/date."""
    return make_items(400, seed=0)


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """12 distinct PNGs, then near-duplicates of the first three."""
    return make_images(tmp_path_factory.mktemp("balance-images"))
