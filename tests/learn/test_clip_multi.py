"""Training on an imported benchmark (geometry null) mixed with a gaia catalog."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gaia_geo.datasets import GaiaCaptions
from gaia_geo.evaluate import import_benchmark
from gaia_geo.train.clip import main

TINY = ["--model", "gaia-tiny-vit", "--pretrained", "none", "--accelerator", "cpu"]


@pytest.fixture(scope="module")
def benchmark_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An RSICD-layout benchmark of 6 images (4 train, 1 val, 1 test), imported."""
    root = tmp_path_factory.mktemp("bench")
    (root / "images").mkdir()
    rng = np.random.default_rng(0)
    entries = []
    for number, split in enumerate(["train"] * 4 + ["val", "test"]):
        name = f"scene_{number}.png"
        pixels = rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(root / "images" / name)
        sentences = [{"raw": f"scene {number} seen from above ."}] * 5  # duplicates, as published
        entries.append({"filename": name, "imgid": number, "split": split, "sentences": sentences})
    (root / "dataset_rsicd.json").write_text(json.dumps({"images": entries}))
    return import_benchmark(root / "dataset_rsicd.json", root / "catalog")


def test_datasets_read_null_geometry_and_mix_catalogs(
    learn_catalog: Path, benchmark_catalog: Path
) -> None:
    alone = GaiaCaptions(benchmark_catalog, split="train", caption=0)
    assert len(alone) == 4 and alone[0]["text"] == "scene 0 seen from above ."
    mixed = GaiaCaptions([learn_catalog, benchmark_catalog], split="train", caption=0)
    assert len(mixed) == len(GaiaCaptions(learn_catalog, split="train")) + 4
    assert {r.id for r in mixed.records} >= {"rsicd-scene_0", "rsicd-scene_3"}
    with pytest.raises(ValueError, match="at least one catalog"):
        GaiaCaptions([], split="train")


@pytest.mark.slow
def test_train_clip_on_a_mix_of_catalogs(
    tmp_path: Path, learn_catalog: Path, benchmark_catalog: Path
) -> None:
    out = tmp_path / "run"
    argv = ["--catalog", str(learn_catalog), "--catalog", str(benchmark_catalog)]
    result = main([*argv, "--out", str(out), *TINY, "--epochs", "1", "--batch-size", "8"])
    assert result["global_step"] == 2  # (12 + 4) train items / 8
    assert result["catalog"] == [str(learn_catalog), str(benchmark_catalog)]
    assert 0.0 <= result["metrics"]["val/mean_recall"] <= 100.0  # 4 + 1 validate items


@pytest.mark.slow
def test_train_clip_on_an_imported_benchmark_alone(tmp_path: Path, benchmark_catalog: Path) -> None:
    out = tmp_path / "run"
    result = main(["--catalog", str(benchmark_catalog), "--out", str(out), *TINY, "--epochs", "1"])
    assert result["global_step"] == 1 and (out / "model.pt").is_file()
