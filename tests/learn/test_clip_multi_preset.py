"""The georsclip-ft preset: published hyper-parameters as data, applied where not given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gaia_geo.cli.main import main
from gaia_geo.train._presets import list_presets, load_preset


def test_preset_holds_the_published_recipe_with_sources() -> None:
    assert "georsclip-ft" in list_presets()
    preset = load_preset("georsclip-ft")
    assert preset["train_clip"]["lr"] == 1e-6 and preset["train_clip"]["weight_decay"] == 0.5
    assert any("arXiv:2306.11300" in source for source in preset["sources"])
    with pytest.raises(ValueError, match="unknown preset 'nope'; known: georsclip-ft"):
        load_preset("nope")


@pytest.mark.slow
def test_cli_applies_the_preset_except_what_is_given(
    tmp_path: Path, learn_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["train", "clip", "--catalog", str(learn_catalog), "--out", str(out), "--preset"]
    tiny = ["--model", "gaia-tiny-vit", "--pretrained", "none", "--accelerator", "cpu"]
    with pytest.raises(SystemExit) as done:
        main([*argv, "georsclip-ft", *tiny, "--epochs", "1", "--precision", "32-true"])
    assert done.value.code == 0
    said = capsys.readouterr().out
    assert "preset georsclip-ft: {'lr': 1e-06, 'weight_decay': 0.5, 'warmup_steps': 0}" in said
    assert json.loads((out / "config.json").read_text())["epochs"] == 1  # given: kept
    with pytest.raises(SystemExit) as bad:
        main([*argv, "nope", *tiny])
    assert bad.value.code == 2
