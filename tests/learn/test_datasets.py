from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
import torch
from matplotlib.figure import Figure
from rasterio.transform import from_origin
from torch.utils.data import DataLoader
from torchgeo.datasets import NonGeoDataset, stack_samples
from torchgeo.samplers import GridGeoSampler, RandomGeoSampler

from gaia_geo.datasets import (
    BandCountError,
    CaptionCountError,
    EmptySplitError,
    GaiaCaptions,
    GaiaGeoDataset,
    ImageReadError,
)
from gaia_geo.errors import CatalogError


def test_splits_and_sample(learn_catalog: Path) -> None:
    train = GaiaCaptions(learn_catalog, split="train")
    assert isinstance(train, NonGeoDataset)
    assert len(train) == 12
    assert len(GaiaCaptions(learn_catalog, split="val")) == 4
    assert len(GaiaCaptions(learn_catalog, split=None)) == 20
    sample = train[0]
    assert set(sample) == {"image", "text", "bounds", "datetime", "id"}
    assert sample["id"] == "train-00"
    assert sample["image"].dtype == torch.float32
    assert sample["image"].shape == (3, 64, 64)
    assert 0.0 <= float(sample["image"].min()) and float(sample["image"].max()) <= 1.0
    assert sample["text"].startswith("The image showcases: a red field number 0")
    assert sample["bounds"].tolist() == pytest.approx([15.0, 45.14, 15.0082, 45.146])
    assert sample["datetime"][0] == pd.Timestamp("2020-01-01", tz="UTC").value
    png = train[1]
    assert png["image"].shape == (3, 40, 48)
    # item train-01 has a month range, not an instant
    assert png["datetime"][1] > png["datetime"][0]


def test_rgb_selection_from_band_metadata(learn_catalog: Path) -> None:
    # train-00 is a red GeoTIFF whose bands are blue, green, red, nir: RGB must pick 3, 2, 1.
    train = GaiaCaptions(learn_catalog, split="train", caption=0)
    means = train[0]["image"].mean(dim=(1, 2))
    assert means[0] > 0.8 and means[1] < 0.3 and means[2] < 0.3
    raw = GaiaCaptions(learn_catalog, split="train", caption=0, bands=(1, 2, 3))
    raw_means = raw[0]["image"].mean(dim=(1, 2))
    assert raw_means[2] > 0.8 and raw_means[0] < 0.3
    nir = GaiaCaptions(learn_catalog, split="train", caption=0, bands=(4,))
    assert nir[0]["image"].shape == (1, 64, 64)


def test_caption_choices(learn_catalog: Path) -> None:
    first = GaiaCaptions(learn_catalog, split="train", caption="random", seed=3)
    draws = [first[2]["text"] for _ in range(20)]
    assert len(set(draws)) > 1  # fresh per access
    again = GaiaCaptions(learn_catalog, split="train", caption="random", seed=3)
    assert [again[2]["text"] for _ in range(20)] == draws  # reproducible from the seed
    epoch0 = [GaiaCaptions(learn_catalog, caption="random")[i]["text"] for i in range(12)]
    shifted = GaiaCaptions(learn_catalog, caption="random")
    shifted.set_epoch(1)
    assert [shifted[i]["text"] for i in range(12)] != epoch0
    every = GaiaCaptions(learn_catalog, split="train", caption="all")[2]["text"]
    assert isinstance(every, list) and len(every) == 5
    assert GaiaCaptions(learn_catalog, caption=4)[2]["text"] == every[4]
    with pytest.raises(ValueError, match="caption"):
        GaiaCaptions(learn_catalog, caption="first")  # type: ignore[arg-type]


def test_filters(learn_catalog: Path) -> None:
    west = GaiaCaptions(learn_catalog, bbox=(14.9, 45.0, 15.01, 45.2))
    assert [r.id for r in west.records] == ["train-00", "train-01"]
    spring = GaiaCaptions(learn_catalog, time=("2020-01-15", "2020-03-15"))
    assert [r.id for r in spring.records] == ["train-01", "train-02"]
    iss = GaiaCaptions(learn_catalog, sensors=["ISS"])
    assert {r.id for r in iss.records} == {f"train-{k:02d}" for k in range(1, 12, 2)}
    with pytest.raises(EmptySplitError, match="'train'.*holds no items"):
        GaiaCaptions(learn_catalog, sensors=["landsat-8"])


def test_plot(learn_catalog: Path) -> None:
    ds = GaiaCaptions(learn_catalog, caption="all")
    figure = ds.plot(ds[1], suptitle="pair")
    assert isinstance(figure, Figure)
    texts = " ".join(t.get_text() for ax in figure.axes for t in ax.texts)
    assert "5. The image showcases" in texts


def test_bad_inputs(
    tmp_path: Path, learn_catalog: Path, build_catalog: Callable[..., Path]
) -> None:
    with pytest.raises(CatalogError, match="no catalog"):
        GaiaCaptions(tmp_path / "missing")
    with pytest.raises(ValueError, match="split"):
        GaiaCaptions(learn_catalog, split="training")
    few = build_catalog(tmp_path / "few", captions_per_item=3)
    assert len(GaiaCaptions(few, caption="random")) == 12
    with pytest.raises(CaptionCountError, match="train-00.*has 3 caption"):
        GaiaCaptions(few, caption="all")
    with pytest.raises(CaptionCountError, match="needs 4"):
        GaiaCaptions(few, caption=3)
    broken = tmp_path / "broken"
    shutil.copytree(learn_catalog, broken)
    (broken / "train" / "train-01" / "train-01.png").write_bytes(b"not a png")
    (broken / "train" / "train-02" / "train-02.tif").unlink()
    ds = GaiaCaptions(broken)
    with pytest.raises(ImageReadError, match="train-01.*train-01.png"):
        ds[1]
    with pytest.raises(ImageReadError, match="train-02"):
        ds[2]
    with pytest.raises(BandCountError, match="train-00.*4 band.*\\[5\\]"):
        GaiaCaptions(learn_catalog, bands=(5,))[0]


def test_parquet_catalog(demo_catalog: Path) -> None:
    mirror = demo_catalog / "train" / "items.parquet"
    from_parquet = GaiaCaptions(mirror, split="train", caption=0)
    from_json = GaiaCaptions(demo_catalog, split="train", caption=0)
    assert [r.id for r in from_parquet.records] == [r.id for r in from_json.records]
    assert torch.equal(from_parquet[0]["image"], from_json[0]["image"])
    assert from_parquet[0]["text"] == from_json[0]["text"]


def test_geo_dataset_index_and_samplers(learn_catalog: Path) -> None:
    # a regional catalog in one UTM zone: its own projected CRS, in metres, and no warning
    ds = GaiaGeoDataset(learn_catalog, split="train", caption=0, crs="EPSG:32633")
    assert len(ds) == 6  # the GeoTIFF half of the split
    assert isinstance(ds.index.index, pd.IntervalIndex)
    assert ds.index.index.name == "datetime"
    assert ds.res == (10.0, 10.0)
    assert ds.crs.to_epsg() == 32633
    sampler = RandomGeoSampler(ds, size=32, length=5)
    loader = DataLoader(ds, sampler=sampler, batch_size=5, collate_fn=stack_samples)
    batch = next(iter(loader))
    assert batch["image"].shape == (5, 3, 32, 32)
    for ids, texts in zip(batch["id"], batch["text"], strict=True):
        assert len(ids) == 1 and texts[0].startswith("The image showcases")
    grid = list(GridGeoSampler(ds, size=32, stride=32))
    assert len(grid) == 6 * 4
    first = ds[grid[0]]
    assert first["id"] == ["train-00"]
    assert "red field number 0" in first["text"][0]
    # red tile: the red band (3rd in the file) is brightest after RGB selection
    means = first["image"].mean(dim=(1, 2))
    assert means[0] > 2 * means[1]
    x, y, t = ds.bounds
    with pytest.raises(IndexError):
        ds[x.start - 5000 : x.start - 4000, y, t]


def test_geo_dataset_overlap_and_bands(tmp_path: Path, learn_catalog: Path) -> None:
    copy = tmp_path / "catalog"
    shutil.copytree(learn_catalog, copy)
    ds = GaiaGeoDataset(copy, split="train", caption="all", crs=32633)
    # a window straddling train-00 and train-02's gap still gets train-00 (largest overlap first)
    sample = ds[500_600:500_700:10.0, 5_000_000:5_000_100:10.0, pd.Timestamp.min : pd.Timestamp.max]
    assert sample["id"] == ["train-00"]
    assert len(sample["text"][0]) == 5
    with rasterio.open(
        copy / "train" / "train-02" / "train-02.tif",
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=2,
        dtype="uint8",
        crs="EPSG:32633",
        transform=from_origin(501_280.0, 5_000_640.0, 10.0, 10.0),
    ) as dst:
        dst.write(np.zeros((2, 8, 8), dtype="uint8"))
    with pytest.raises(BandCountError, match="train-02.*2 bands"):
        GaiaGeoDataset(copy, split="train", crs=32633)
    with pytest.raises(EmptySplitError, match="GeoTIFF"):
        GaiaGeoDataset(learn_catalog, split="unsplit")


def test_geo_dataset_defaults_to_lon_lat_and_warns_for_utm_across_zones(demo_catalog: Path) -> None:
    ds = GaiaGeoDataset(demo_catalog, split=None)  # a global catalog
    assert ds.crs.to_epsg() == 4326
    x, y, _ = ds.bounds
    assert -180 <= x.start < x.stop <= 180 and -90 <= y.start < y.stop <= 90
    with pytest.warns(UserWarning, match=r"span \d+ UTM zones .* EPSG:32633"):
        GaiaGeoDataset(demo_catalog, split=None, crs="EPSG:32633")
    # the first raster's CRS, the old default, only when asked for
    assert GaiaGeoDataset(demo_catalog, split=None, crs=None).crs.is_projected
