from __future__ import annotations

import json
from pathlib import Path

import pytest

from gaia_geo.cli.main import main as cli


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        cli(args)
    return int(exit_info.value.code or 0)


def test_train_clip_and_blip2_commands(
    tmp_path: Path, learn_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clip"
    code = _run(
        [
            "train",
            "clip",
            "--catalog",
            str(learn_catalog),
            "--out",
            str(out),
            "--model",
            "gaia-tiny-vit",
            "--pretrained",
            "none",
            "--epochs",
            "1",
            "--batch-size",
            "12",
            "--accelerator",
            "cpu",
            "--devices",
            "1",
        ]
    )
    assert code == 0
    assert json.loads((out / "config.json").read_text())["global_step"] == 1
    assert "val/mean_recall" in capsys.readouterr().out
    code = _run(
        [
            "train",
            "blip2",
            "--catalog",
            str(learn_catalog),
            "--out",
            str(tmp_path / "b"),
            "--model",
            "tiny",
            "--lora",
            "2",
            "--max-steps",
            "2",
            "--batch-size",
            "4",
        ]
    )
    assert code == 0
    assert "2 steps; loss" in capsys.readouterr().out


def test_errors_are_one_line(
    tmp_path: Path, learn_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        [
            "train",
            "clip",
            "--catalog",
            str(learn_catalog),
            "--out",
            str(tmp_path / "none"),
            "--model",
            "gaia-tiny-vit",
            "--resume",
        ]
    )
    assert code == 1
    assert "does not exist; run without --resume" in capsys.readouterr().err
