"""Published benchmarks as catalogs: real RSITMD annotations (AMFMN layout), RSICD JSON, classes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gaia_geo.cli.main import main
from gaia_geo.evaluate import (
    BenchmarkImportError,
    EvalDataError,
    import_benchmark,
    load_amfmn,
    load_rsicd,
)
from gaia_geo.stac import read_catalog, validate

REAL = Path(__file__).parents[1] / "data" / "real" / "benchmarks" / "rsitmd_precomp"


def _images_for(names: set[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for name in names:
        Image.fromarray(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)).save(folder / name)
    return folder


@pytest.fixture
def rsitmd_images(tmp_path: Path) -> Path:
    names = {
        n
        for f in ("test_filename.txt", "train_filename.txt")
        for n in (REAL / f).read_text().split()
    }
    return _images_for(names, tmp_path / "images")


def test_amfmn_layout_pairs_captions_with_images(rsitmd_images: Path) -> None:
    test = load_amfmn(REAL, rsitmd_images, split="test")  # one file name per caption line
    train = load_amfmn(REAL, rsitmd_images, split="train")  # one name per image, five captions
    assert [r.id for r in test] == ["boat_0.tif", "playground_1.tif", "airport_2.tif"]
    assert [len(r.captions) for r in test + train] == [5] * 6
    assert train[0].captions[0].startswith("There is a baseball field beside the green")
    with pytest.raises(EvalDataError, match="val_caps.txt"):
        load_amfmn(REAL, rsitmd_images, split="val")


def test_import_real_rsitmd_excerpt(rsitmd_images: Path, tmp_path: Path) -> None:
    out = import_benchmark(REAL, tmp_path / "cat", images=rsitmd_images, name="rsitmd")
    frame = read_catalog(out).set_index("id")
    assert frame["ml-aoi:split"].value_counts().to_dict() == {"test": 3, "train": 3}
    assert frame.geometry.isna().all()  # no invented location
    assert (frame["gaia:geometry_kind"] == "unknown").all()
    boat = frame.loc["rsitmd-boat_0"]
    published = (REAL / "test_caps.txt").read_text().splitlines()[:5]
    assert list(boat["gaia:captions"]) == published  # as published, order and all
    assert boat["gaia:caption_provenance"]["generator"] == "human"
    assert boat["end_datetime"].year == 2021  # acquired before RSITMD's publication
    assert validate(out).problems == []
    item = json.loads(next(out.rglob("rsitmd-boat_0.json")).read_text())
    assert item["geometry"] is None and "bbox" not in item


def test_import_rsicd_json_keeps_duplicates_and_splits(rsicd_json: Path, tmp_path: Path) -> None:
    data = json.loads(rsicd_json.read_text())
    data["images"][0]["sentences"].append(dict(data["images"][0]["sentences"][0]))
    annotations = tmp_path / "dataset_rsicd.json"
    annotations.write_text(json.dumps(data))
    out = import_benchmark(annotations, tmp_path / "cat", images=rsicd_json.parent / "images")
    frame = read_catalog(out)
    records = load_rsicd(annotations, rsicd_json.parent / "images", split="all")
    assert len(frame) == len(records)
    assert frame["id"].str.startswith("rsicd-").all()
    first = frame.set_index("id").loc["rsicd-" + Path(records[0].id).stem, "gaia:captions"]
    assert list(first) == records[0].captions and first[-1] == first[0]  # duplicate kept
    expected = {"val": "validate"}
    splits = sorted(expected.get(str(r.split), str(r.split)) for r in records)
    assert sorted(frame["ml-aoi:split"]) == splits


def test_import_class_folders_labels_items(tmp_path: Path) -> None:
    root = tmp_path / "UCMerced"
    _images_for({"a_00.png", "a_01.png"}, root / "denseresidential")
    _images_for({"b_00.png"}, root / "tenniscourt")
    out = import_benchmark(root, tmp_path / "cat", name="ucmerced")
    frame = read_catalog(out).set_index("id")
    assert frame.loc["ucmerced-a_00", "gaia:class"] == "denseresidential"
    assert frame.loc["ucmerced-b_00", "gaia:class"] == "tenniscourt"
    assert frame["gaia:captions"].isna().all() if "gaia:captions" in frame else True
    assert validate(out).problems == []


def test_cli_imports_and_refuses_an_existing_folder(
    rsitmd_images: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cat"
    argv = ["import-benchmark", str(REAL), "--images", str(rsitmd_images), "--out", str(out)]
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0 and (out / "catalog.json").is_file()
    with pytest.raises(SystemExit) as again:
        main(argv)
    assert again.value.code == 1
    assert "already exists; choose a new --out folder" in capsys.readouterr().err
    with pytest.raises(BenchmarkImportError, match="neither an annotation JSON"):
        import_benchmark(tmp_path / "missing.json", tmp_path / "other")


def test_coco_json_and_georsclip_csv_layouts(rsitmd_images: Path, tmp_path: Path) -> None:
    # the real RSITMD test excerpt, written in the two other published layouts
    names = (REAL / "test_filename.txt").read_text().split()
    captions = (REAL / "test_caps.txt").read_text().splitlines()
    ids = {name: number for number, name in enumerate(dict.fromkeys(names))}
    coco = {
        "images": [{"id": i, "file_name": n} for n, i in ids.items()]
        + [{"id": 99, "file_name": "bareland_13.tif"}],  # an image without a caption
        "annotations": [
            {"id": k, "image_id": ids[n], "caption": c}
            for k, (n, c) in enumerate(zip(names, captions, strict=True))
        ],
    }
    (tmp_path / "captions_test.json").write_text(json.dumps(coco))
    _images_for({"bareland_13.tif"}, rsitmd_images)
    lines = ["filename,title", *(f'{n},"{c}"' for n, c in zip(names, captions, strict=True))]
    (tmp_path / "rsitmd_test.csv").write_text("\n".join(lines) + "\n")
    for source in ("captions_test.json", "rsitmd_test.csv"):
        out = import_benchmark(
            tmp_path / source, tmp_path / f"cat-{source}", images=rsitmd_images, name="rsitmd"
        )
        frame = read_catalog(out).set_index("id")
        assert (frame["ml-aoi:split"] == "test").all()  # from the file name
        assert list(frame.loc["rsitmd-boat_0", "gaia:captions"]) == captions[:5]
    assert len(frame) == 3 and len(read_catalog(tmp_path / "cat-captions_test.json")) == 4
    (tmp_path / "bad.csv").write_text("file,caption\na.tif,x\n")
    with pytest.raises(EvalDataError, match="needs the columns 'filename' and 'title'"):
        import_benchmark(tmp_path / "bad.csv", tmp_path / "cat-bad")


def test_unlisted_benchmark_ends_today(rsitmd_images: Path, tmp_path: Path) -> None:
    # a name without a publication year: acquired before now, never in the future
    out = import_benchmark(REAL, tmp_path / "cat", images=rsitmd_images, name="my-set")
    frame = read_catalog(out)
    assert (frame["end_datetime"] <= dt.datetime.now(dt.UTC)).all()
    assert validate(out).problems == []


def _nwpu_entry(name: str, split: str, imgid: int) -> dict[str, object]:
    # NWPU-Captions' entry: five numbered caption fields instead of a "sentences" list
    entry: dict[str, object] = {"filename": name, "split": split, "imgid": imgid}
    for k in range(5):
        key = "raw" if k == 0 else f"raw_{k}"
        entry[key] = f"caption {k} of {name} ."
        entry["sentids" if k == 0 else f"sentids_{k}"] = 5 * imgid + k
    return entry


def test_nwpu_captions_layout_grouped_by_class(tmp_path: Path) -> None:
    # dataset_nwpu.json: {class: [entry, ...]}, images in NWPU_images/<class>/<filename>
    data = {
        "airplane": [_nwpu_entry("airplane_001.jpg", "train", 0)],
        "beach": [_nwpu_entry("beach_001.jpg", "val", 1), _nwpu_entry("beach_002.jpg", "test", 2)],
    }
    data["beach"][1] = {k: data["beach"][1][k] for k in sorted(data["beach"][1], reverse=True)}
    annotations = tmp_path / "dataset_nwpu.json"
    annotations.write_text(json.dumps(data))
    images = tmp_path / "NWPU_images"
    _images_for({"airplane_001.jpg"}, images / "airplane")
    _images_for({"beach_001.jpg", "beach_002.jpg"}, images / "beach")
    test = load_rsicd(annotations, images, split="test")
    assert [(r.id, r.label, r.split) for r in test] == [("beach_002.jpg", "beach", "test")]
    assert test[0].image == images / "beach" / "beach_002.jpg"
    assert test[0].captions == [f"caption {k} of beach_002.jpg ." for k in range(5)]  # key order
    out = import_benchmark(annotations, tmp_path / "cat", images=images)
    frame = read_catalog(out).set_index("id")
    assert frame.loc["nwpu-airplane_001", "gaia:class"] == "airplane"
    assert frame["ml-aoi:split"].to_dict() == {
        "nwpu-airplane_001": "train",
        "nwpu-beach_001": "validate",
        "nwpu-beach_002": "test",
    }
    assert (frame["end_datetime"].dt.year == 2022).all()  # NWPU-Captions' publication year
    assert validate(out).problems == []
    (images / "beach" / "beach_001.jpg").rename(images / "beach_001.jpg")  # a flattened copy
    assert load_rsicd(annotations, images, split="val")[0].image == images / "beach_001.jpg"
    (images / "beach_001.jpg").unlink()
    with pytest.raises(EvalDataError, match=r"'beach_001.jpg' not found in .*beach'"):
        load_rsicd(annotations, images, split="val")
    data["beach"][0] = {"filename": "beach_001.jpg", "split": "val"}  # no caption field
    annotations.write_text(json.dumps(data))
    with pytest.raises(EvalDataError, match=r"beach\[0\] lacks 'filename' or 'sentences"):
        load_rsicd(annotations, images, split="all", check_images=False)
