from __future__ import annotations

from pathlib import Path

import pytest
import torch

from gaia_geo.datamodules import ClipImageTransform, GaiaDataModule


def test_batches(learn_catalog: Path) -> None:
    dm = GaiaDataModule(learn_catalog, model="gaia-tiny-vit", batch_size=5, seed=1)
    dm.setup("fit")
    batch = next(iter(dm.train_dataloader()))
    assert batch["image"].shape == (5, 3, 64, 64)
    assert batch["text"].shape == (5, 32) and batch["text"].dtype == torch.long
    assert len(batch["caption"]) == len(batch["id"]) == 5
    # normalised with OpenAI CLIP's statistics: values leave [0, 1]
    assert float(batch["image"].min()) < 0.0
    val = next(iter(dm.val_dataloader()))
    assert val["id"] == ["validate-00", "validate-01", "validate-02", "validate-03"]
    assert all(c.endswith("variant 0.") for c in val["caption"])  # first caption, stable
    test = next(iter(dm.test_dataloader()))
    assert test["image"].shape == (4, 3, 64, 64)
    assert not dm.pin_memory  # no CUDA here


@pytest.mark.slow
def test_fresh_captions_each_epoch_with_workers(learn_catalog: Path) -> None:
    dm = GaiaDataModule(learn_catalog, model="gaia-tiny-vit", batch_size=12, num_workers=2)
    dm.setup("fit")
    assert dm.train_dataset is not None

    def captions() -> dict[str, str]:
        batch = next(iter(dm.train_dataloader()))
        return dict(zip(batch["id"], batch["caption"], strict=True))

    dm.train_dataset.set_epoch(0)
    first = captions()
    dm.train_dataset.set_epoch(0)
    assert captions() == first  # reproducible in worker processes
    dm.train_dataset.set_epoch(1)
    assert captions() != first


def test_transform_and_arguments(learn_catalog: Path) -> None:
    transform = ClipImageTransform(16, train=False)
    out = transform({"image": torch.rand(4, 40, 48)})["image"]
    assert out.shape == (3, 16, 16)
    with pytest.raises(ValueError, match="batch_size"):
        GaiaDataModule(learn_catalog, model="gaia-tiny-vit", batch_size=0)
    with pytest.raises(ValueError, match="num_workers"):
        GaiaDataModule(learn_catalog, model="gaia-tiny-vit", num_workers=-1)
