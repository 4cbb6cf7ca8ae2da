"""Fixtures of the learn stage: the seeded tiny catalog of tests/data/learn/data.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from _helpers import load_script


@pytest.fixture(scope="session")
def build_catalog() -> Callable[..., Path]:
    """The seeded builder: ``build_catalog(out, seed=0, captions_per_item=5, splits=None)``."""
    return load_script("data/learn/data.py").build_catalog  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def learn_catalog(
    tmp_path_factory: pytest.TempPathFactory, build_catalog: Callable[..., Path]
) -> Path:
    """12 train / 4 validate / 4 test items, GeoTIFF and PNG alternating. Do not modify."""
    return build_catalog(tmp_path_factory.mktemp("learn") / "catalog")


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Iterator[None]:
    """Tiny models run fastest on one thread; on a shared 2-core box more threads thrash.

    Restored after each test, so nothing leaks into other stages' tests.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
