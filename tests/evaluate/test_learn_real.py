"""The learning check on real images: benchmarks/learn_real.py on a local copy of UCM-Captions.

The images and captions are not in the repository: the test runs where ``GAIA_GEO_REAL_DATA``
names a folder holding ``benchmarks/ucm_captions/`` (made with ``learn_real.py --prepare``, see
docs/evaluate.md), and skips elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _helpers import ROOT, load_script, real_data, real_data_reason

UCM = real_data("benchmarks", "ucm_captions")
HOW = "make it with benchmarks/learn_real.py --prepare: docs/evaluate.md, learning check"


@pytest.mark.skipif(UCM is None, reason=real_data_reason("benchmarks", "ucm_captions", how=HOW))
@pytest.mark.slow  # ~60 s of CPU, one thread: import 1,050 images, 6 epochs, two evaluations
def test_tiny_clip_learns_real_ucm_captions(tmp_path: Path) -> None:
    import torch

    learn_real = load_script(ROOT / "benchmarks" / "learn_real.py")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the tiny model runs fastest on one thread
    try:
        assert UCM is not None
        figures = learn_real.run(tmp_path, data=UCM, epochs=6, batch_size=32, lr=3e-3)
    finally:
        torch.set_num_threads(threads)
    assert figures["items"] == {"train": 840, "test": 210}
    assert figures["trained"]["n_captions"] == 1050  # the whole published test split
    # chance level: R@k of 210 images is k/210, so the random-init mR is near 2.5
    assert figures["random_init"]["mR"] < 6.0
    assert figures["ratio"] >= 3.0, figures


def test_prepare_builds_the_check_folder_from_the_originals(tmp_path: Path) -> None:
    from PIL import Image

    learn_real = load_script(ROOT / "benchmarks" / "learn_real.py")
    classes = sorted(f"class{c:02d}" for c in range(21))
    source = tmp_path / "UCMerced_LandUse" / "Images"
    for c, name in enumerate(classes):
        (source / name).mkdir(parents=True)
        for n in range(3):  # UCM-Captions' image 100 * c + n + 1
            shade = (c * 12, n * 80, 40)
            size = (256, 247) if n == 2 else (256, 256)  # a few originals are not square
            Image.new("RGB", size, shade).save(source / name / f"{name}{n:02d}.tif")
    captions = tmp_path / "ucm_precomp"
    captions.mkdir()
    # the test file names each image once a caption, the train file once an image
    (captions / "test_filename.txt").write_text("3.tif\n" * 5)
    (captions / "test_caps.txt").write_text("".join(f"test {i}\n" for i in range(5)))
    train = ["1.tif", "2.tif", "2003.tif", "2001.tif"]
    (captions / "train_filename.txt").write_text("\n".join(train) + "\n")
    (captions / "train_caps.txt").write_text(
        "".join(f"{name} {i}\n" for name in train for i in range(5))
    )
    data = tmp_path / "real" / "benchmarks" / "ucm_captions"

    assert learn_real.prepare(source.parent, captions, data, per_class=1) == 3

    out = data / "ucm_precomp"
    assert (out / "test_filename.txt").read_text() == "3.jpg\n" * 5
    assert (out / "test_caps.txt").read_text() == (captions / "test_caps.txt").read_text()
    assert (out / "train_filename.txt").read_text() == "1.jpg\n2003.jpg\n"  # 1 per class
    assert (out / "train_caps.txt").read_text().splitlines()[5:] == [
        f"2003.tif {i}" for i in range(5)
    ]
    assert sorted(p.name for p in (data / "images").iterdir()) == ["1.jpg", "2003.jpg", "3.jpg"]
    with Image.open(data / "images" / "2003.jpg") as image:  # class20, image 02
        assert (image.format, image.size) == ("JPEG", (64, 64))
        pixel = image.getpixel((32, 32))
    assert isinstance(pixel, tuple)
    assert abs(pixel[0] - 240) < 8 and abs(pixel[1] - 160) < 8
    with pytest.raises(FileExistsError, match="ucm_captions exists"):
        learn_real.prepare(source.parent, captions, data)
    with pytest.raises(FileNotFoundError, match="holds no test_caps.txt"):
        learn_real.prepare(source.parent, tmp_path, tmp_path / "other")
    assert not (tmp_path / "other").exists()
