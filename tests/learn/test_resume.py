"""``train clip --resume`` after a kill between ``epoch=NNN.ckpt`` and ``last.ckpt``."""

from __future__ import annotations

import csv
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch

from gaia_geo.train import CheckpointError
from gaia_geo.train._checkpoints import AtomicCheckpointIO, latest_checkpoint
from gaia_geo.train.clip import main

TINY = ["--model", "gaia-tiny-vit", "--pretrained", "none", "--accelerator", "cpu"]


def _fake(path: Path, step: int, epoch: int, model: str = "gaia-tiny-vit") -> None:
    state = {"global_step": step, "epoch": epoch, "hyper_parameters": {"model_name": model}}
    torch.save(state, path)


def test_latest_checkpoint_takes_the_furthest_that_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    # killed after the first epoch's checkpoint, before last.ckpt
    _fake(folder / "epoch=000.ckpt", 2, 0)
    assert latest_checkpoint(folder) == (folder / "epoch=000.ckpt", "gaia-tiny-vit")
    # killed between epoch=002.ckpt and last.ckpt: last.ckpt is one epoch behind
    _fake(folder / "last.ckpt", 4, 1)
    _fake(folder / "epoch=002.ckpt", 6, 2)
    assert latest_checkpoint(folder)[0] == folder / "epoch=002.ckpt"
    # a tie goes to last.ckpt; a truncated file is skipped with a warning
    _fake(folder / "last.ckpt", 6, 2)
    data = (folder / "epoch=002.ckpt").read_bytes()
    (folder / "epoch=003.ckpt").write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING, logger="gaia_geo.train"):
        assert latest_checkpoint(folder)[0] == folder / "last.ckpt"
    assert "epoch=003.ckpt" in caplog.text and "skipped" in caplog.text


def test_latest_checkpoint_errors(tmp_path: Path) -> None:
    with pytest.raises(
        CheckpointError,
        match=r"last\.ckpt' \(or an epoch=\*\.ckpt beside it\) does not exist; run without",
    ):
        latest_checkpoint(tmp_path / "none")
    (tmp_path / "last.ckpt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="none of the 1 checkpoints .* can be read"):
        latest_checkpoint(tmp_path)


class _Unpicklable:
    def __reduce__(self) -> Any:
        raise RuntimeError("killed mid-write")


def test_checkpoint_writes_are_atomic(tmp_path: Path) -> None:
    io = AtomicCheckpointIO()
    target = tmp_path / "last.ckpt"
    io.save_checkpoint({"global_step": 1, "epoch": 0}, target)
    before = target.read_bytes()
    with pytest.raises(RuntimeError, match="killed mid-write"):
        io.save_checkpoint({"global_step": 2, "epoch": 1, "bad": _Unpicklable()}, target)
    assert target.read_bytes() == before  # the old checkpoint is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.ckpt"]  # no temporary left
    with pytest.raises(TypeError, match="storage_options"):
        io.save_checkpoint({}, target, storage_options={"a": 1})


def _trained_epochs(out: Path, version: int) -> list[int]:
    with (out / "logs" / f"version_{version}" / "metrics.csv").open() as handle:
        return sorted({int(r["epoch"]) for r in csv.DictReader(handle) if r["train/loss_epoch"]})


@pytest.mark.slow
def test_resume_after_a_kill_between_epoch_and_last(tmp_path: Path, learn_catalog: Path) -> None:
    out = tmp_path / "run"
    args = ["--catalog", str(learn_catalog), "--out", str(out), *TINY, "--batch-size", "6"]
    main([*args, "--epochs", "1"])
    behind = tmp_path / "epoch0-last.ckpt"
    shutil.copy(out / "checkpoints" / "last.ckpt", behind)
    main([*args, "--epochs", "2", "--resume"])
    names = sorted(p.name for p in (out / "checkpoints").iterdir())
    assert names == ["epoch=001.ckpt", "last.ckpt"]  # nothing half-written beside them
    # the kill: epoch=001.ckpt was written, last.ckpt still holds epoch 0
    shutil.copy(behind, out / "checkpoints" / "last.ckpt")
    result = main([*args, "--epochs", "3", "--resume"])
    assert result["global_step"] == 6 and result["epochs"] == 3
    assert _trained_epochs(out, 2) == [2]  # epoch 1 is not redone
    # and with last.ckpt gone altogether, resume does not refuse
    (out / "checkpoints" / "last.ckpt").unlink()
    assert main([*args, "--epochs", "3", "--resume"])["global_step"] == 6
