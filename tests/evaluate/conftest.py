"""Fixtures of the evaluate tests: generated RSICD/EuroSAT folders and a tiny open_clip model."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATA = Path(__file__).resolve().parents[1] / "data" / "evaluate"
TINY = "tiny-eval-clip"


def _generator():  # tests/data/evaluate/data.py, the seeded generator
    spec = importlib.util.spec_from_file_location("evaluate_test_data", DATA / "data.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


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
