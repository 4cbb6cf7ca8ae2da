"""Shared fixtures: the demo catalog (built once per session) and the offline STAC schemas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Offline for every test, set once here (before any test module imports gaia_geo).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_schemas() -> Path:
    """The offline STAC schema folder: the copies bundled with the package."""
    import gaia_geo.stac._schemas as schemas

    return schemas.PACKAGE_SCHEMAS


@pytest.fixture(scope="session")
def demo_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo catalog (24 items, all three splits), built once per test session.

    Tests must not modify it; copy it first (``shutil.copytree``) to change it.
    """
    from gaia_geo.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("catalogs") / "demo", n=24, seed=0)
