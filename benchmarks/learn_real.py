"""The learning check on real images: UCM-Captions, imported, trained from random init, evaluated.

Real UC Merced Land Use images (USGS National Map orthoimagery, public domain) with their real
human captions from UCM-Captions (Qu et al. 2016), in AMFMN's ``*_precomp`` layout, 64 x 64 JPEG:
the whole published test split (210 images, 1,050 captions) and the first 40 train images of each
of the 21 classes (840 images). The data are not part of the repository: ``--prepare`` builds the
folder once from the public sources (docs/evaluate.md, "Learning check on real images"), into
``$GAIA_GEO_REAL_DATA/benchmarks/ucm_captions`` or ``--data DIR``:

    python benchmarks/learn_real.py --prepare UCMerced_LandUse --captions ucm_precomp

The check then runs what a user runs:

1. ``gaia-geo import-benchmark`` makes a catalog (``ml-aoi:split`` train / test, null geometry);
2. ``gaia-geo train clip`` trains the tiny CLIP (``gaia-tiny-vit``, random init, CPU) on the
   train split;
3. ``gaia-geo eval retrieval``'s code path ranks the test split with the trained weights and with
   the same architecture at random init (seeded), tie-aware recall.

It prints both mean recalls (mR) and their ratio; the slow test of ``tests/evaluate`` asserts
the ratio is at least 3.

    python benchmarks/learn_real.py [--data DIR] [--epochs 12] [--batch-size 64] [--lr 2e-3]

The GPU check (prepared; the weights are random, the device has no network): ViT-B-32 at real
size on the same data, with training images/s and peak memory in the output:

    python benchmarks/learn_real.py --model ViT-B-32 --accelerator gpu --precision bf16-mixed \
        --batch-size 256 --epochs 30 --lr 5e-4 --threads 8
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: The environment variable naming the folder of real data (``<it>/benchmarks/ucm_captions``).
ENV = "GAIA_GEO_REAL_DATA"
MODEL = "gaia-tiny-vit"
#: Train images kept per class (of 80 train + 10 val in UCM-Captions' train files).
TRAIN_PER_CLASS = 40
SIZE = 64


def default_data() -> Path | None:
    """``$GAIA_GEO_REAL_DATA/benchmarks/ucm_captions``, or None when the variable is unset."""
    root = os.environ.get(ENV)
    return Path(root) / "benchmarks" / "ucm_captions" if root else None


def _caption_blocks(folder: Path, split: str) -> list[tuple[str, list[str], list[str]]]:
    """``(image, its file-name lines, its 5 caption lines)`` in file order, from ``<split>_*.txt``.

    AMFMN's ``*_filename.txt`` names each image once (UCM-Captions' train file) or once per
    caption line (its test file); the blocks keep the file's own form.
    """
    names = (folder / f"{split}_filename.txt").read_text().splitlines(keepends=True)
    caps = (folder / f"{split}_caps.txt").read_text().splitlines(keepends=True)
    step = 5 if len(names) == len(caps) else 1
    if len(caps) != 5 * len(names) // step:
        raise ValueError(
            f"{folder / f'{split}_caps.txt'}: {len(caps)} lines for {len(names)} lines in "
            f"{split}_filename.txt, expected 5 captions an image: give UCM-Captions' "
            "ucm_precomp folder"
        )
    return [
        (names[i].strip(), names[i : i + step], caps[5 * i // step : 5 * i // step + 5])
        for i in range(0, len(names), step)
    ]


def prepare(source: Path, captions: Path, data: Path, *, per_class: int = TRAIN_PER_CLASS) -> int:
    """Build the check's folder from the original UC Merced images and UCM-Captions' files.

    UCM-Captions numbers the 2,100 UC Merced images class by class in alphabetical class order:
    ``N.tif`` is image ``NN`` of class ``c`` with ``N = 100 * c + NN + 1`` (agricultural00 is
    ``1.tif``, tenniscourt99 is ``2100.tif``). Each image used is centre-cropped to a square (a few
    originals are 242-255 px on a side), resized to 64 x 64 (Lanczos) and saved as JPEG quality
    85, ``N.jpg``. The test split is kept whole; the train split keeps the first ``per_class``
    images of each class in file order, with their 5 caption lines each.

    Args:
        source: the ``UCMerced_LandUse`` folder (``Images/<class>/<class>NN.tif``) of the
            official download, or its ``Images`` folder.
        captions: UCM-Captions' ``ucm_precomp`` folder (``{test,train}_{caps,filename}.txt``).
        data: the folder to make (``images/``, ``ucm_precomp/``); it must not exist.
        per_class: train images kept per class.

    Returns:
        The number of images written.

    Raises:
        FileExistsError: ``data`` exists.
        FileNotFoundError: an input folder, file or image is missing.
        ValueError: a caption file does not hold 5 lines per image.
    """
    from PIL import Image
    from tqdm import tqdm

    if data.exists():
        raise FileExistsError(f"{data} exists: give --data a new folder (nothing is replaced)")
    images = source / "Images" if (source / "Images").is_dir() else source
    classes = sorted(p.name for p in images.glob("*") if p.is_dir())
    if len(classes) != 21:
        raise FileNotFoundError(
            f"{images}: {len(classes)} class folders, expected UC Merced's 21: give the "
            "UCMerced_LandUse folder of the download"
        )
    for split in ("test", "train"):
        for kind in ("caps", "filename"):
            if not (captions / f"{split}_{kind}.txt").is_file():
                raise FileNotFoundError(
                    f"{captions} holds no {split}_{kind}.txt: give UCM-Captions' ucm_precomp "
                    "folder ({test,train}_{caps,filename}.txt)"
                )
    test = _caption_blocks(captions, "test")
    kept: dict[int, int] = {}
    train = []
    for block in _caption_blocks(captions, "train"):
        label = (int(Path(block[0]).stem) - 1) // 100
        if kept.get(label, 0) < per_class:
            kept[label] = kept.get(label, 0) + 1
            train.append(block)
    data.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{data.name}.", dir=data.parent))
    try:
        (tmp / "images").mkdir()
        (tmp / "ucm_precomp").mkdir()
        for split, blocks in (("test", test), ("train", train)):
            caps = "".join(line for _, _, lines in blocks for line in lines)
            files = "".join(line for _, lines, _ in blocks for line in lines)
            (tmp / "ucm_precomp" / f"{split}_caps.txt").write_text(caps)
            (tmp / "ucm_precomp" / f"{split}_filename.txt").write_text(
                files.replace(".tif", ".jpg")
            )
        names = [name for name, _, _ in test + train]
        for name in tqdm(names, desc="UC Merced -> 64 px JPEG", unit="image"):
            number = int(Path(name).stem) - 1
            folder = classes[number // 100]
            original = images / folder / f"{folder}{number % 100:02d}.tif"
            if not original.is_file():
                raise FileNotFoundError(f"{original} is missing: give the whole UC Merced download")
            with Image.open(original) as image:
                rgb = image.convert("RGB")
            side = min(rgb.size)
            left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
            square = rgb.crop((left, top, left + side, top + side))
            small = square.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
            small.save(tmp / "images" / f"{number + 1}.jpg", quality=85)
        os.replace(tmp, data)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return len(names)


def _cli(argv: list[str]) -> None:
    from gaia_geo.cli.main import main

    try:
        main(argv)
    except SystemExit as done:
        if done.code not in (0, None):
            raise RuntimeError(f"gaia-geo {argv[0]} exited with {done.code}") from None


def _recall(model: str, catalog: Path, seed: int, device: str) -> dict[str, float]:
    import torch

    from gaia_geo.evaluate import evaluate_retrieval

    torch.manual_seed(seed)  # the random-init weights are drawn here
    report = evaluate_retrieval(
        model, None, catalog=catalog, split="test", max_distance=None, device=device
    )
    return {k: float(v) for k, v in report.metrics.items()}


def run(
    out: Path,
    *,
    data: Path,
    epochs: int = 12,
    batch_size: int = 64,
    lr: float = 2e-3,
    seed: int = 0,
    model: str = MODEL,
    accelerator: str = "cpu",
    precision: str = "32-true",
) -> dict[str, Any]:
    """Import, train and evaluate; return the figures (mR in percent, seconds per stage).

    Args:
        out: an empty or missing folder for the catalog and the training run.
        data: the folder holding ``ucm_precomp/`` and ``images/`` (made by :func:`prepare`).
        epochs: training epochs.
        batch_size: pairs per batch.
        lr: peak learning rate (AdamW, cosine after one epoch of warm-up).
        seed: the seed of the weights, shuffling and caption draws.
        model: the open_clip architecture (``gaia-tiny-vit``; ``ViT-B-32`` on a GPU).
        accelerator: ``cpu`` or ``gpu`` (training and evaluation).
        precision: the training precision (``32-true``, ``bf16-mixed``...).

    Returns:
        ``trained`` and ``random_init`` metrics, ``ratio`` of their mean recalls, item counts,
        timings, training images/s and (on a GPU) peak memory.
    """
    import torch

    from gaia_geo.stac import read_catalog
    from gaia_geo.train import register_model_configs

    register_model_configs()
    catalog, run_dir = out / "catalog", out / "run"
    times: dict[str, float] = {}
    start = time.perf_counter()
    _cli(
        [
            "import-benchmark",
            str(data / "ucm_precomp"),
            "--images",
            str(data / "images"),
            "--out",
            str(catalog),
            "--name",
            "ucm-captions",
        ]
    )
    times["import_s"] = time.perf_counter() - start
    splits = read_catalog(catalog)["ml-aoi:split"].value_counts().to_dict()
    steps_per_epoch = -(-splits.get("train", 0) // batch_size)
    start = time.perf_counter()
    _cli(
        [
            "train",
            "clip",
            "--catalog",
            str(catalog),
            "--out",
            str(run_dir),
            "--model",
            model,
            "--pretrained",
            "none",
            "--accelerator",
            accelerator,
            "--precision",
            precision,
            "--devices",
            "1",
            "--epochs",
            str(epochs),
            "--batch-size",
            str(batch_size),
            "--lr",
            str(lr),
            "--warmup-steps",
            str(steps_per_epoch),
            "--seed",
            str(seed),
        ]
    )
    times["train_s"] = time.perf_counter() - start
    device = "cuda" if accelerator == "gpu" else "cpu"
    gpu = {"peak_gib": torch.cuda.max_memory_allocated() / 2**30} if device == "cuda" else {}
    start = time.perf_counter()
    trained = _recall(str(run_dir), catalog, seed, device)
    random_init = _recall(model, catalog, seed, device)
    times["eval_s"] = time.perf_counter() - start
    return {
        "model": model,
        "items": {str(k): int(v) for k, v in splits.items()},
        "train_images_per_s": splits.get("train", 0) * epochs / times["train_s"],
        **gpu,
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "trained": trained,
        "random_init": random_init,
        "ratio": trained["mR"] / max(random_init["mR"], 1e-9),
        **times,
    }


def _stop(message: str) -> None:
    """One line on stderr, exit code 2."""
    print(f"learn_real.py: {message}", file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=default_data(),
        help=f"the check's folder (default: ${ENV}/benchmarks/ucm_captions)",
    )
    parser.add_argument(
        "--prepare",
        type=Path,
        metavar="SRC",
        help="make --data from the UCMerced_LandUse folder SRC and --captions, then stop",
    )
    parser.add_argument("--captions", type=Path, help="UCM-Captions' ucm_precomp folder")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=MODEL, help="ViT-B-32 for the GPU check")
    parser.add_argument("--accelerator", default="cpu", choices=("cpu", "gpu"))
    parser.add_argument("--precision", default="32-true", help="bf16-mixed on a GPU")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--out", type=Path, help="keep the catalog and run here")
    args = parser.parse_args()
    if args.data is None:
        _stop(
            f"no data folder: set {ENV} to a folder for real data (or pass --data DIR) and make "
            "it once with --prepare UCMerced_LandUse --captions ucm_precomp "
            "(docs/evaluate.md, 'Learning check on real images')"
        )
    if args.prepare is not None:
        if args.captions is None:
            _stop("--prepare needs --captions, UCM-Captions' ucm_precomp folder")
        try:
            count = prepare(args.prepare, args.captions, args.data)
        except (OSError, ValueError) as error:
            _stop(str(error))
        print(f"wrote {count} images and their captions to {args.data}")
        return
    if not (args.data / "ucm_precomp").is_dir() or not (args.data / "images").is_dir():
        _stop(
            f"{args.data} holds no ucm_precomp/ and images/: make it once with --prepare "
            "UCMerced_LandUse --captions ucm_precomp (docs/evaluate.md, "
            "'Learning check on real images')"
        )
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        figures = run(
            out,
            data=args.data,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            seed=args.seed,
            model=args.model,
            accelerator=args.accelerator,
            precision=args.precision,
        )
    print(json.dumps(figures, indent=2))
    keys = ("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10", "mR")
    print("| weights | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name in ("random_init", "trained"):
        row = figures[name]
        print(f"| {name} | " + " | ".join(f"{row[k]:.2f}" for k in keys) + " |")
    print(f"trained mR / random-init mR = {figures['ratio']:.2f}")


if __name__ == "__main__":
    main()
