"""The published split sizes, from the real annotation files.

The files are not in the repository: the tests run where ``GAIA_GEO_REAL_DATA`` names a folder
holding ``benchmarks/splits/{rsicd,rsitmd,ucm}_precomp/`` (AMFMN's text files, plain or gzipped)
or ``benchmarks/rsicd_json/dataset_*.json`` (the ``dataset_rsicd.json`` layout, one file per
benchmark; docs/evaluate.md says where they come from), and skip elsewhere, each with its reason.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from _helpers import real_data, real_data_reason
from gaia_geo.evaluate import import_benchmark, load_amfmn, load_rsicd
from gaia_geo.stac import read_catalog

SPLITS = real_data("benchmarks", "splits")
JSONS = real_data("benchmarks", "rsicd_json")
HOW = "docs/evaluate.md, import a published benchmark"
needs_splits = pytest.mark.skipif(
    SPLITS is None, reason=real_data_reason("benchmarks", "splits", how=HOW)
)
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")  # a JPEG header, no pixels


#: (images, captions) per split, as published
PUBLISHED = [
    # RSICD test: 1,093 images / 5,465 captions (Lu et al. 2017; AMFMN's files)
    ("rsicd", {"test": (1093, 5465)}),
    # RSITMD test: 452 / 2,260 (Yuan et al. 2021)
    ("rsitmd", {"test": (452, 2260)}),
    # UCM-Captions 1,680 / 210 / 210 (Qu et al. 2016): these files merge train and val
    ("ucm", {"train": (1680 + 210, 5 * (1680 + 210)), "test": (210, 1050)}),
]


def _unpack(name: str, tmp_path: Path, *, images: bool = True) -> tuple[Path, Path]:
    """The real ``*_precomp`` files ungzipped, and a folder holding a stand-in for each image."""
    assert SPLITS is not None
    folder, image_dir = tmp_path / f"{name}_precomp", tmp_path / "images"
    folder.mkdir()
    image_dir.mkdir()
    for text in sorted((SPLITS / folder.name).glob("*.txt")):
        (folder / text.name).write_bytes(text.read_bytes())
    for packed in sorted((SPLITS / folder.name).glob("*.txt.gz")):
        (folder / packed.stem).write_bytes(gzip.decompress(packed.read_bytes()))
    for names in folder.glob("*_filename.txt") if images else ():
        for image in set(names.read_text().split()):
            (image_dir / image).write_bytes(JPEG)
    return folder, image_dir


@needs_splits
@pytest.mark.parametrize(("name", "expected"), PUBLISHED)
def test_amfmn_reader_gives_published_split_sizes(
    name: str, expected: dict[str, tuple[int, int]], tmp_path: Path
) -> None:
    folder, _ = _unpack(name, tmp_path, images=False)
    found = {}
    for split in expected:
        records = load_amfmn(folder, split=split, check_images=False)
        found[split] = (len(records), sum(len(r.captions) for r in records))
    assert found == expected


@needs_splits
@pytest.mark.slow  # 2-15 s each: thousands of Items written
@pytest.mark.parametrize(("name", "expected"), PUBLISHED)
def test_import_reproduces_published_split_sizes(
    name: str, expected: dict[str, tuple[int, int]], tmp_path: Path
) -> None:
    folder, images = _unpack(name, tmp_path)
    out = import_benchmark(folder, tmp_path / "cat", images=images, assets="reference")
    frame = read_catalog(out)
    found = {
        split: (len(group), int(group["gaia:captions"].map(len).sum()))
        for split, group in frame.groupby("ml-aoi:split")
    }
    assert found == expected
    assert frame["id"].str.startswith(f"{name}-").all()  # the name from the folder


@needs_splits
def test_ucm_split_is_ten_test_images_per_class(tmp_path: Path) -> None:
    # UCM-Captions numbers the 2,100 UC Merced images class by class (1-100 agricultural,
    # 101-200 airplane, ...): the published test split takes 10 of each of the 21 classes
    folder, _ = _unpack("ucm", tmp_path, images=False)
    test = set((folder / "test_filename.txt").read_text().split())
    per_class = {c: sum((int(n.split(".")[0]) - 1) // 100 == c for n in test) for c in range(21)}
    assert set(per_class.values()) == {10}
    train = set((folder / "train_filename.txt").read_text().split())
    assert not train & test and len(train | test) == 2100


#: (file, {split: (images, captions)}) of the dataset_rsicd.json layout, as published ("all":
#: every split together)
PUBLISHED_JSON = [
    # RSICD (Lu et al. 2017): 10,921 images, five captions each; its test split is the 1,093
    # images of AMFMN's rsicd_precomp test files
    ("dataset_rsicd.json", {"train": (8734, 43670), "val": (1094, 5470), "test": (1093, 5465)}),
    # RSITMD (Yuan et al. 2021): test 452 / 2,260
    ("dataset_RSITMD.json", {"test": (452, 2260)}),
    # UCM-Captions (Qu et al. 2016): 1,680 / 210 / 210 images, five captions each
    ("dataset_ucm.json", {"train": (1680, 8400), "val": (210, 1050), "test": (210, 1050)}),
    # Sydney-Captions (Qu et al. 2016): 497 / 58 / 58 images, five captions each
    ("dataset_sydney.json", {"train": (497, 2485), "val": (58, 290), "test": (58, 290)}),
    # NWPU-Captions (Cheng et al. 2022): 31,500 images, 157,500 captions in all (the dataset's
    # page states no per-split sizes)
    ("dataset_nwpu.json", {"all": (31500, 157500)}),
]


def _json_file(name: str) -> Path:
    """The real file, or a skip that says which one is missing and where to put it."""
    if JSONS is None:
        pytest.skip(real_data_reason("benchmarks", "rsicd_json", how=HOW))
    path = JSONS / name
    if not path.is_file():
        pytest.skip(f"{path} is missing: put {name} there to check its split sizes ({HOW})")
    return path


@pytest.mark.parametrize(("file", "expected"), PUBLISHED_JSON, ids=[f for f, _ in PUBLISHED_JSON])
def test_rsicd_json_reader_gives_published_split_sizes(
    file: str, expected: dict[str, tuple[int, int]]
) -> None:
    path = _json_file(file)
    found = {}
    for split in expected:
        records = load_rsicd(path, split=split, check_images=False)
        found[split] = (len(records), sum(len(r.captions) for r in records))
    assert found == expected
    everything = load_rsicd(path, split="all", check_images=False)
    assert len({r.id for r in everything}) == len(everything)  # one record per image file


@pytest.mark.slow  # 2-4 s each: thousands of Items written
@pytest.mark.parametrize(("file", "expected"), PUBLISHED_JSON[2:4], ids=["ucm", "sydney"])
def test_import_of_rsicd_json_reproduces_published_split_sizes(
    file: str, expected: dict[str, tuple[int, int]], tmp_path: Path
) -> None:
    path = _json_file(file)
    images = tmp_path / "images"
    images.mkdir()
    for record in load_rsicd(path, split="all", check_images=False):
        (images / record.id).write_bytes(JPEG)
    out = import_benchmark(path, tmp_path / "cat", images=images, assets="reference")
    frame = read_catalog(out)
    found = {
        split: (len(group), int(group["gaia:captions"].map(len).sum()))
        for split, group in frame.groupby("ml-aoi:split")
    }
    assert found == {"validate" if s == "val" else s: n for s, n in expected.items()}
