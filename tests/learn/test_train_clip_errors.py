"""Common mistakes with ``gaia-geo train clip``: one line naming the fix, exit 1, no traceback."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gaia_geo.cli.main import main as cli
from gaia_geo.train import TrainingOptionError
from gaia_geo.train.clip import train_clip

TINY = ["--model", "gaia-tiny-vit", "--pretrained", "none", "--accelerator", "cpu"]


def _error_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        cli(["train", "clip", *args])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--model", "ViT-B-99"], r"--model 'ViT-B-99' is not an open_clip architecture.*ViT-B-"),
        (["--precision", "x"], r"--precision 'x' is not one of 32-true.*pick one"),
        (["--epochs", "0"], r"--epochs must be at least 1, got 0"),
        (["--batch-size", "0"], r"--batch-size must be at least 1"),
        (["--workers", "-1"], r"--workers must be at least 0"),
    ],
)
def test_bad_options_fail_before_training(
    tmp_path: Path,
    learn_catalog: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    expected: str,
) -> None:
    args = ["--catalog", str(learn_catalog), "--out", str(tmp_path / "run"), *TINY, *extra]
    line = _error_line(args, capsys)
    assert re.search(expected, line), line
    assert not (tmp_path / "run").exists()  # refused before anything was written


def test_an_accelerator_this_machine_lacks(tmp_path: Path, learn_catalog: Path) -> None:
    with pytest.raises(TrainingOptionError, match=r"--accelerator tpu .*--accelerator cpu"):
        train_clip(
            learn_catalog,
            tmp_path / "run",
            model="gaia-tiny-vit",
            pretrained=None,
            accelerator="tpu",
        )


def test_missing_catalog_and_empty_split(
    tmp_path: Path,
    build_catalog: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = ["--out", str(tmp_path / "run"), *TINY, "--epochs", "1"]
    line = _error_line(["--catalog", str(tmp_path / "nowhere"), *out], capsys)
    assert "no catalog at" in line and "pass a catalog directory" in line
    test_only = build_catalog(tmp_path / "test-only", splits={"test": 4})
    line = _error_line(["--catalog", str(test_only), *out], capsys)
    assert "split 'train'" in line and "holds no items" in line and "ml-aoi:split" in line


def test_missing_image_asset(
    tmp_path: Path, learn_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(learn_catalog, catalog)
    image = next((catalog / "train").glob("*/*.png"))
    image.unlink()
    args = ["--catalog", str(catalog), "--out", str(tmp_path / "run"), *TINY, "--epochs", "1"]
    line = _error_line([*args, "--batch-size", "12"], capsys)
    assert f"cannot read image '{image}'" in line and "re-download the asset" in line
