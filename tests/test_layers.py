"""Imports point down the pipeline: no package imports one on its own layer or above."""

from __future__ import annotations

from pathlib import Path

import pytest

from _helpers import ROOT, load_script

architecture = load_script(ROOT / "docs" / "make_architecture.py")


def test_no_import_points_up() -> None:
    assert architecture.upward_imports() == []


def test_every_package_has_a_layer() -> None:
    package = ROOT / "src" / "gaia_geo"
    units = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    units |= {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    placed = {name for layer in architecture.LAYERS for name in layer}
    assert units <= placed, f"add {sorted(units - placed)} to LAYERS in docs/make_architecture.py"


def test_an_upward_import_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "src" / "gaia_geo"
    (package / "stac").mkdir(parents=True)
    (package / "train").mkdir()
    (package / "__init__.py").write_text("")
    (package / "train" / "__init__.py").write_text("from ..stac import read_catalog\n")
    (package / "stac" / "__init__.py").write_text(
        "def f():\n    from gaia_geo.train import train_clip\n"  # nested imports count too
    )
    monkeypatch.setattr(architecture, "ROOT", tmp_path)
    monkeypatch.setattr(architecture, "PACKAGE", package)
    assert architecture.upward_imports() == [
        "src/gaia_geo/stac/__init__.py:2: stac -> train points up the layers"
    ]


def test_architecture_page_is_current() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert architecture.render(page) == page, "run: python docs/make_architecture.py"
