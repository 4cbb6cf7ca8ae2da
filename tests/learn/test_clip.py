from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from gaia_geo.metrics import retrieval_metrics
from gaia_geo.train import CheckpointError, register_model_configs, retrieval_recalls
from gaia_geo.train.clip import main

TINY = ["--model", "gaia-tiny-vit", "--pretrained", "none", "--accelerator", "cpu"]


def _rows(out: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((out / "logs").glob("version_*/metrics.csv")):
        with path.open() as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _column(rows: list[dict[str, str]], name: str) -> list[float]:
    return [float(r[name]) for r in rows if r.get(name)]


def test_retrieval_recalls() -> None:
    features = torch.eye(12)
    perfect = retrieval_recalls(features, features)
    assert perfect["i2t_r1"] == perfect["t2i_r1"] == perfect["mean_recall"] == 100.0
    # every true match (score 0) is beaten by exactly one other caption (score 1) and ties with
    # the ten others: under random tie-breaking it lands in the top 5 with probability 4/11
    shuffled = retrieval_recalls(features, features[torch.roll(torch.arange(12), 1)])
    assert shuffled["i2t_r1"] == shuffled["t2i_r1"] == 0.0
    assert shuffled["i2t_r5"] == pytest.approx(100 * 4 / 11)
    assert shuffled["t2i_r10"] == pytest.approx(100 * 9 / 11)
    # the same numbers as the evaluation stage's recall, caption i belonging to image i
    evaluated = retrieval_metrics(features.numpy(), features.roll(1, 0).numpy(), range(12))
    assert shuffled["mean_recall"] == evaluated.mean_recall
    half = torch.cat([features[:6], -features[6:]])
    assert retrieval_recalls(features, half)["i2t_r1"] == 50.0
    with pytest.raises(ValueError, match="N x D"):
        retrieval_recalls(features, features[:3])


@pytest.mark.slow
def test_one_epoch_on_demo_catalog(tmp_path: Path, demo_catalog: Path) -> None:
    import open_clip

    out = tmp_path / "run"
    result = main(
        [
            "--catalog",
            str(demo_catalog),
            "--out",
            str(out),
            *TINY,
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--workers",
            "0",
        ]
    )
    assert result["epochs"] == 1 and result["global_step"] == 3  # 18 train items / 8
    assert 0.0 <= result["metrics"]["val/mean_recall"] <= 100.0
    assert (out / "checkpoints" / "last.ckpt").exists()
    config = json.loads((out / "config.json").read_text())
    assert config["model"] == "gaia-tiny-vit" and config["pretrained"] is None
    assert "train/loss_epoch" in config["metrics"]
    # the evaluate stage's way of loading it
    register_model_configs()
    model, _, preprocess = open_clip.create_model_and_transforms(
        config["model"], pretrained=str(out / "model.pt")
    )
    saved = torch.load(out / "model.pt", weights_only=True)
    assert torch.equal(model.state_dict()["text_projection"], saved["text_projection"])
    rows = _rows(out)
    assert _column(rows, "val/i2t_r1") and _column(rows, "train/loss_epoch")


@pytest.mark.slow  # ~20 s: 40 optimisation steps
def test_overfit_eight_pairs(tmp_path: Path, build_catalog: Callable[..., Path]) -> None:
    catalog = build_catalog(tmp_path / "eight", splits={"train": 8})
    out = tmp_path / "overfit"
    main(
        [
            "--catalog",
            str(catalog),
            "--out",
            str(out),
            *TINY,
            "--epochs",
            "25",
            "--batch-size",
            "8",
            "--lr",
            "2e-3",
            "--warmup-steps",
            "2",
        ]
    )
    rows = _rows(out)
    losses = _column(rows, "train/loss_epoch")
    recall = _column(rows, "train/r1_epoch")
    assert len(losses) == 25
    assert sum(losses[-3:]) / 3 < 0.5 * sum(losses[:3]) / 3
    assert recall[-1] >= 0.75 > recall[0]


@pytest.mark.slow
def test_resume_continues(tmp_path: Path, learn_catalog: Path) -> None:
    out = tmp_path / "resume"
    args = ["--catalog", str(learn_catalog), "--out", str(out), *TINY, "--batch-size", "6"]
    first = main([*args, "--epochs", "1"])
    assert first["global_step"] == 2
    second = main([*args, "--epochs", "3", "--resume"])
    assert second["global_step"] == 6 and second["epochs"] == 3
    epochs = sorted({int(r["epoch"]) for r in _rows(out) if r.get("train/loss_epoch")})
    assert epochs == [0, 1, 2]  # epoch 0 from the first run, 1-2 from the resumed one
    with pytest.raises(CheckpointError, match="gaia-tiny-vit.*not 'ViT-B-32'"):
        main(
            [
                "--catalog",
                str(learn_catalog),
                "--out",
                str(out),
                "--model",
                "ViT-B-32",
                "--pretrained",
                "none",
                "--resume",
            ]
        )
    with pytest.raises(CheckpointError, match="does not exist"):
        main([*args, "--out", str(tmp_path / "nothing"), "--resume"])


def test_pretrained_of_another_architecture(tmp_path: Path, learn_catalog: Path) -> None:
    import open_clip

    register_model_configs()
    other = open_clip.create_model("gaia-tiny-vit", pretrained=None)
    state = {k: v for k, v in other.state_dict().items()}
    state["text_projection"] = torch.zeros(64, 16)
    path = tmp_path / "other.pt"
    torch.save(state, path)
    with pytest.raises(CheckpointError, match="other.pt.*does not fit.*gaia-tiny-vit"):
        main(
            [
                "--catalog",
                str(learn_catalog),
                "--out",
                str(tmp_path / "x"),
                "--model",
                "gaia-tiny-vit",
                "--pretrained",
                str(path),
                "--epochs",
                "1",
            ]
        )


@pytest.mark.slow
def test_fresh_caption_sample_each_epoch(learn_catalog: Path) -> None:
    import lightning

    from gaia_geo.datamodules import GaiaDataModule
    from gaia_geo.train._clip_module import ClipModule

    seen: list[dict[str, str]] = []

    class Record(lightning.Callback):
        def on_train_epoch_start(self, trainer: lightning.Trainer, module: object) -> None:
            seen.append({})

        def on_train_batch_start(
            self, trainer: object, module: object, batch: dict, i: int
        ) -> None:
            seen[-1].update(zip(batch["id"], batch["caption"], strict=True))

    datamodule = GaiaDataModule(learn_catalog, model="gaia-tiny-vit", batch_size=6, num_workers=1)
    trainer = lightning.Trainer(
        max_epochs=2,
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        callbacks=[Record()],
        limit_val_batches=0,
    )
    trainer.fit(ClipModule("gaia-tiny-vit", None), datamodule=datamodule)
    assert len(seen) == 2 and set(seen[0]) == set(seen[1]) and len(seen[0]) == 12
    assert seen[0] != seen[1]  # the workers of epoch 1 drew another caption set


@pytest.mark.slow  # ~40 s: two DDP processes
def test_ddp_on_two_cpu_processes(tmp_path: Path, learn_catalog: Path) -> None:
    """``--strategy ddp --devices 2``: Lightning relaunches the command for rank 1 (gloo)."""
    import subprocess
    import sys

    out = tmp_path / "ddp"
    command = [
        sys.executable, "-m", "gaia_geo.cli.main", "train", "clip", "--catalog",
        str(learn_catalog), "--out", str(out), *TINY, "--batch-size", "3", "--epochs", "1",
        "--devices", "2", "--strategy", "ddp",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count('"val/mean_recall"') == 1  # rank 0 reports, rank 1 does not
    config = json.loads((out / "config.json").read_text())
    # 12 train pairs over 2 ranks x 3 per batch: 2 steps; the loss gathered features of both
    assert config["global_step"] == 2
    assert (out / "model.pt").exists() and (out / "checkpoints" / "last.ckpt").exists()


def test_unknown_pretrained_tag_is_a_clear_error(tmp_path: Path, learn_catalog: Path) -> None:
    with pytest.raises(CheckpointError, match="no pretrained weights 'openai' for 'gaia-tiny-vit'"):
        main(["--catalog", str(learn_catalog), "--out", str(tmp_path / "x"), "--model",
              "gaia-tiny-vit", "--pretrained", "openai"])  # fmt: skip
