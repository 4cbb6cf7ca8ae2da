from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from gaia_geo.evaluate import EvalDataError, load_classification, load_rsicd, open_rgb


def test_rsicd_splits_and_caption_counts(rsicd_json) -> None:
    test = load_rsicd(rsicd_json, split="test")
    assert [r.split for r in test] == ["test"] * 5
    assert sorted(len(r.captions) for r in test) == [3, 5, 5, 5, 5]
    assert len(load_rsicd(rsicd_json, split="validate")) == 1  # alias of "val"
    assert len(load_rsicd(rsicd_json, split=None)) == 10
    assert all(r.image.is_file() for r in test)


def test_rsicd_errors_name_the_file(rsicd_json, tmp_path) -> None:
    with pytest.raises(EvalDataError, match="does not exist"):
        load_rsicd(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"data": []}))
    with pytest.raises(EvalDataError, match="dataset_rsicd.json layout"):
        load_rsicd(bad)
    with pytest.raises(EvalDataError, match="not found in"):
        load_rsicd(rsicd_json, tmp_path)
    assert len(load_rsicd(rsicd_json, tmp_path, check_images=False)) == 5


def test_eurosat_through_torchgeo_and_folder_fallback(eurosat_root, tmp_path) -> None:
    data = load_classification(eurosat_root, "eurosat", split="test")
    assert data.reader == "torchgeo"
    assert data.classes == ["AnnualCrop", "Forest", "Highway", "Industrial", "River"]
    assert len(data.paths) == 10 and np.bincount(data.labels).tolist() == [2] * 5
    train = load_classification(eurosat_root, "eurosat", split="train")
    assert len(train.paths) == 5
    # the same layout read by the ImageFolder-style reader gives the same listing
    folder = load_classification(
        eurosat_root / "ds/images/remote_sensing/otherDatasets/sentinel_2/tif", "folder", split=None
    )
    assert folder.reader == "folder" and len(folder.paths) == 15
    # UCMerced layout, no torchgeo split file for "all": folder reader
    ucm = tmp_path / "UCMerced_LandUse" / "Images"
    for cls in ("beach", "river"):
        shutil.copytree(
            eurosat_root / "ds/images/remote_sensing/otherDatasets/sentinel_2/tif/Forest", ucm / cls
        )
    listed = load_classification(tmp_path, "ucmerced", split=None)
    assert listed.classes == ["beach", "river"] and len(listed.paths) == 6
    with pytest.raises(EvalDataError, match="split file"):
        load_classification(tmp_path, "ucmerced", split="test")
    with pytest.raises(EvalDataError, match="class folders expected"):
        load_classification(tmp_path, "resisc45", split=None)
    with pytest.raises(ValueError, match="dataset must be one of"):
        load_classification(tmp_path, "mnist", split=None)  # type: ignore[arg-type]


def test_open_rgb_stretches_sentinel2(eurosat_root) -> None:
    path = next((eurosat_root / "ds").rglob("*.tif"))
    image = open_rgb(path)
    assert image.mode == "RGB" and image.size == (32, 32)
    pixels = np.asarray(image)
    assert pixels.min() == 0 and pixels.max() == 255  # 2-98 % stretch saturates the tails
