"""Fixtures of the evaluate tests: generated RSICD/EuroSAT folders and a tiny open_clip model."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from _helpers import load_script

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluate"
TINY = "tiny-eval-clip"


def _generator() -> ModuleType:  # tests/data/evaluate/data.py, the seeded generator
    return load_script("data/evaluate/data.py")


@pytest.fixture(scope="session")
def rsicd_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generator().make_rsicd(tmp_path_factory.mktemp("rsicd"), seed=0)


@pytest.fixture(scope="session")
def eurosat_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generator().make_eurosat(tmp_path_factory.mktemp("eurosat"), seed=0)


@pytest.fixture(scope="session")
def tiny_model() -> str:
    """The name of a tiny random-init open_clip architecture (registered from tests/data)."""
    import open_clip

    open_clip.add_model_config(DATA / f"{TINY}.json")
    return TINY
