from __future__ import annotations

import json
from pathlib import Path

import pytest

from gaia_geo.cli.main import main as cli


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        cli(args)
    return int(exit_info.value.code or 0)


@pytest.mark.slow
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
    out = capsys.readouterr().out
    assert (
        "2 steps (--max-steps 2 reached; 3 steps per epoch: 12 train images / batch size 4)" in out
    )
    # --max-steps beyond the epoch: the report says why the run stopped earlier
    args = ["train", "blip2", "--catalog", str(learn_catalog), "--out", str(tmp_path / "b20"),
            "--model", "tiny", "--lora", "2", "--max-steps", "20", "--batch-size", "4"]  # fmt: skip
    assert _run(args) == 0
    assert (
        "3 steps (--epochs 1 done, 3 steps per epoch: 12 train images / batch size 4; "
        "--max-steps 20 not reached: raise --epochs for more)" in capsys.readouterr().out
    )


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


@pytest.mark.slow  # a real CLI process: imports torch and Lightning
def test_a_training_run_prints_each_line_once_without_adverts_or_paths(
    tmp_path: Path, learn_catalog: Path
) -> None:
    import os
    import subprocess
    import sys

    args = ["train", "clip", "--catalog", str(learn_catalog), "--out", str(tmp_path / "clip"),
            "--model", "gaia-tiny-vit", "--pretrained", "none", "--epochs", "1",
            "--batch-size", "12", "--accelerator", "cpu", "--devices", "1"]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "gaia_geo.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    messages = [line.split(": ", 1)[-1] for line in lines]  # the text, whatever the prefix
    assert len(messages) == len(set(messages)), done.stderr  # no event printed twice
    assert any("GPU available" in m for m in messages)
    assert "litlogger" not in done.stderr and "lightning.ai" not in done.stderr
    assert "site-packages" not in done.stderr and ".py:" not in done.stderr  # no source paths
    assert "INFO root: Parsing model identifier" not in done.stderr
