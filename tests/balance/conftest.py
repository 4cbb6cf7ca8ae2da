from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from _helpers import load_script

generator = load_script("data/balance/data.py")
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
