"""Evaluation data: captioned images (catalog split, RSICD-format JSON), classification folders.

Retrieval and captioning read :class:`CaptionedImage` lists, from a gaia_geo catalog's split or
from the ``dataset_rsicd.json`` layout that RSICD, RSITMD, UCM-Captions and Sydney-Captions
publish (and NWPU-Captions' per-class variant of it), or from AMFMN's ``*_precomp`` text files.
Zero-shot classification reads a :class:`ClassificationSet` from torchgeo's folder layout of
EuroSAT, UCMerced, RESISC45 or PatternNet (through torchgeo's own class when it loads offline from
the folder, else an ImageFolder-style reader of the same layout), or any ``class/image`` folder.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from ..errors import (
    EvalDataError as EvalDataError,
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")

ClassificationName = Literal["eurosat", "ucmerced", "resisc45", "patternnet", "folder"]


@dataclass(frozen=True)
class CaptionedImage:
    """One image with its reference captions.

    Attributes:
        id: the item id (catalog) or image file name (RSICD JSON).
        image: path of the image file.
        captions: the reference captions (any number, five in the RS benchmarks).
        split: the split it came from.
        label: the scene class the benchmark gives it (NWPU-Captions' category), if any.
    """

    id: str
    image: Path
    captions: list[str]
    split: str | None = None
    label: str | None = None


@dataclass
class ClassificationSet:
    """Images with integer labels.

    Attributes:
        name: dataset name.
        split: split name, or None for all images.
        paths: image files.
        labels: class index per image.
        classes: class folder names, in label order.
        reader: ``torchgeo`` when torchgeo's class listed the files, else ``folder``.
    """

    name: str
    split: str | None
    paths: list[Path]
    labels: NDArray[np.int64]
    classes: list[str]
    reader: str = "folder"


_SPLIT_ALIASES = {"validate": "val", "validation": "val", "valid": "val"}


def _split_name(split: str | None) -> str | None:
    return None if split in (None, "all") else _SPLIT_ALIASES.get(str(split), str(split))


def annotation_paths(
    annotations: str | os.PathLike[str], images: str | os.PathLike[str] | None
) -> tuple[Path, Path]:
    """The annotation file and its image folder (default: ``images/`` beside the file)."""
    path = Path(annotations)
    return path, Path(images) if images is not None else path.parent / "images"


def read_annotations(path: Path) -> str:
    """The text of an annotation file, or an :class:`EvalDataError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalDataError(f"annotation file {str(path)!r} does not exist") from None


def _image_file(folder: Path, name: str, listed_in: Path, check: bool) -> Path:
    image = folder / name
    if check and not image.is_file():
        raise EvalDataError(
            f"{str(listed_in)!r}: image {name!r} not found in {str(folder)!r}; pass the image "
            "folder with --images"
        )
    return image


def _grouped_captions(
    pairs: Iterable[tuple[str, str]],
    folder: Path,
    listed_in: Path,
    split: str | None,
    check_images: bool,
    gallery: Iterable[str] = (),
) -> list[CaptionedImage]:
    """One record per image name, its captions (stripped) in file order.

    Args:
        pairs: ``(image file name, caption)`` in file order.
        folder: the image folder.
        listed_in: the file the names come from (for the missing-image message).
        split: every record's split.
        check_images: raise if an image file is missing.
        gallery: further image names; those without a caption follow, with none.
    """
    grouped: dict[str, list[str]] = {}
    for name, caption in pairs:
        grouped.setdefault(name, []).append(caption.strip())
    for name in gallery:
        grouped.setdefault(name, [])
    return [
        CaptionedImage(
            id=name,
            image=_image_file(folder, name, listed_in, check_images),
            captions=texts,
            split=split,
        )
        for name, texts in grouped.items()
    ]


_RAW_KEY = re.compile(r"raw(?:_(\d+))?")


def _rsicd_entries(data: Any, path: Path) -> list[tuple[str, str | None, Any]]:
    """``(where, class, entry)`` per image: the ``images`` list, or NWPU's ``{class: [entry]}``."""
    if isinstance(data, dict) and isinstance(data.get("images"), list):
        return [(f"images[{i}]", None, entry) for i, entry in enumerate(data["images"])]
    per_class = isinstance(data, dict) and all(isinstance(v, list) for v in data.values())
    if per_class and any(isinstance(e, dict) and "filename" in e for v in data.values() for e in v):
        return [
            (f"{label}[{i}]", str(label), entry)
            for label, entries in data.items()
            for i, entry in enumerate(entries)
        ]
    raise EvalDataError(
        f"{str(path)!r} is not in the dataset_rsicd.json layout (needs an 'images' list, or "
        "NWPU-Captions' lists of images per class)"
    )


def _entry_captions(entry: Any) -> list[str]:
    """The ``sentences[].raw`` of an entry, or NWPU-Captions' ``raw``, ``raw_1``, ... fields."""
    if "sentences" in entry:
        return [str(s["raw"]).strip() for s in entry["sentences"]]
    numbered = [(int(m[1] or 0), key) for key in entry if (m := _RAW_KEY.fullmatch(key))]
    if not numbered:
        raise KeyError("sentences")
    return [str(entry[key]).strip() for _, key in sorted(numbered)]


def _class_image(folder: Path, label: str, name: str, listed_in: Path, check: bool) -> Path:
    """NWPU-Captions' image: ``folder/<class>/<name>`` as published, else ``folder/<name>``."""
    nested = folder / label / name
    if nested.is_file() or not (folder / name).is_file():
        return _image_file(folder / label, name, listed_in, check)
    return folder / name


def load_rsicd(
    annotations: str | os.PathLike[str],
    images: str | os.PathLike[str] | None = None,
    *,
    split: str | None = "test",
    check_images: bool = True,
) -> list[CaptionedImage]:
    """Read an RSICD-format annotation file (``dataset_rsicd.json`` layout).

    The layout: ``{"images": [{"filename", "imgid", "split", "sentences": [{"raw", ...}]}]}``,
    shared by RSICD, RSITMD, UCM-Captions and Sydney-Captions. NWPU-Captions'
    ``dataset_nwpu.json`` varies it: ``{"<class>": [{"filename", "split", "raw", "raw_1", ...,
    "raw_4"}]}`` with the images in ``<images>/<class>/<filename>``; its class becomes the
    record's ``label``.

    Args:
        annotations: the JSON file.
        images: the image folder (default: ``images/`` beside the JSON).
        split: ``train``, ``val`` (or ``validate``), ``test``, or None / ``all``.
        check_images: raise if an image file is missing (captioning needs only the text).

    Returns:
        The images of that split, in file order.

    Raises:
        EvalDataError: if the file is not in that layout or an image is missing.
    """
    path, folder = annotation_paths(annotations, images)
    try:
        data = json.loads(read_annotations(path))
    except json.JSONDecodeError as err:
        raise EvalDataError(
            f"{str(path)!r} is not in the dataset_rsicd.json layout (not JSON: {err})"
        ) from None
    wanted = _split_name(split)
    out = []
    for where, label, entry in _rsicd_entries(data, path):
        try:
            name = str(entry["filename"])
            captions = _entry_captions(entry)
        except (KeyError, TypeError) as err:
            raise EvalDataError(
                f"{str(path)!r}: {where} lacks 'filename' or 'sentences[].raw' ({err})"
            ) from None
        entry_split = _split_name(entry.get("split"))
        if wanted is not None and entry_split != wanted:
            continue
        if label is None:
            image = _image_file(folder, name, path, check_images)
        else:
            image = _class_image(folder, label, name, path, check_images)
        out.append(
            CaptionedImage(id=name, image=image, captions=captions, split=entry_split, label=label)
        )
    return out


def load_amfmn(
    folder: str | os.PathLike[str],
    images: str | os.PathLike[str] | None = None,
    *,
    split: str = "test",
    check_images: bool = True,
) -> list[CaptionedImage]:
    """Read AMFMN's ``*_precomp`` layout: ``{split}_caps.txt`` beside ``{split}_filename.txt``.

    AMFMN (and the retrieval code built on it) ships RSICD, RSITMD, UCM and Sydney this way:
    one caption per line; the file names either one per caption line (the test files) or one
    per image with the same number of captions each (the train files, five per image).

    Args:
        folder: the ``*_precomp`` folder.
        images: the image folder (default: ``images/`` beside ``folder``).
        split: ``train``, ``val`` (or ``validate``) or ``test``.
        check_images: raise if an image file is missing.

    Returns:
        The images of that split, in file order, captions grouped per image.

    Raises:
        EvalDataError: if the files are missing or their line counts do not pair up.
    """
    root, image_dir = annotation_paths(folder, images)
    wanted = _split_name(split) or "test"
    caps_file, names_file = root / f"{wanted}_caps.txt", root / f"{wanted}_filename.txt"
    for file in (caps_file, names_file):
        if not file.is_file():
            raise EvalDataError(
                f"{str(file)!r} not found: AMFMN's layout needs {caps_file.name} and "
                f"{names_file.name} in the *_precomp folder"
            )
    captions = [line.strip() for line in caps_file.read_text(encoding="utf-8").splitlines()]
    names = [n.strip() for n in names_file.read_text(encoding="utf-8").splitlines() if n.strip()]
    if len(names) == len(captions):
        owners = names
    elif names and len(captions) % len(names) == 0:
        per_image = len(captions) // len(names)
        owners = [name for name in names for _ in range(per_image)]
    else:
        raise EvalDataError(
            f"{str(caps_file)!r} has {len(captions)} captions for {len(names)} file names in "
            f"{names_file.name}: expected one name per caption or the same number per image"
        )
    pairs = zip(owners, captions, strict=True)
    return _grouped_captions(pairs, image_dir, names_file, wanted, check_images)


def load_catalog_split(
    catalog: str | os.PathLike[str], *, split: str | None = "test", asset: str = "image"
) -> list[CaptionedImage]:
    """Read a gaia_geo catalog's split as captioned images (``gaia:captions`` + the image asset).

    Args:
        catalog: a catalog folder, ``catalog.json``, ``collection.json`` or ``items.parquet``.
        split: the ``ml-aoi:split`` value (``test``, ``validate``, ``train``), or None / ``all``.
        asset: the asset key of the image.

    Raises:
        EvalDataError: if the split is empty or an item lacks captions or a local image.
    """
    from ..stac import read_catalog

    frame = read_catalog(catalog)
    if split not in (None, "all"):
        wanted = "validate" if _split_name(split) == "val" else split
        column = frame.get("ml-aoi:split")
        if column is None:
            raise EvalDataError(f"catalog {str(catalog)!r} has no 'ml-aoi:split'; pass --split all")
        frame = frame[column == wanted]
    if not len(frame):
        raise EvalDataError(f"catalog {str(catalog)!r} has no items in split {split!r}")
    if "gaia:captions" not in frame.columns:
        raise EvalDataError(f"catalog {str(catalog)!r} has no 'gaia:captions'; caption it first")
    out = []
    for item_id, assets, captions in zip(
        frame["id"], frame["assets"], frame["gaia:captions"], strict=True
    ):
        href = ((assets or {}).get(asset) or {}).get("href")
        if not href or not Path(href).is_file():
            raise EvalDataError(
                f"item {item_id!r}: asset {asset!r} is not a local file ({href!r}); download the "
                "assets first"
            )
        texts = [] if captions is None else [str(c) for c in captions]
        out.append(CaptionedImage(id=str(item_id), image=Path(href), captions=texts, split=split))
    return out


def open_rgb(path: str | os.PathLike[str]) -> Image.Image:
    """Open an image file as 8-bit RGB.

    PNG/JPEG go through Pillow. GeoTIFFs go through rasterio: 13-band Sentinel-2 (EuroSAT order)
    gives B04/B03/B02, 3+ bands give bands 1-3, one band is repeated; values that are not 8-bit
    are stretched per band between their 2nd and 98th percentiles.
    """
    path = Path(path)
    if path.suffix.lower() not in (".tif", ".tiff"):
        with Image.open(path) as image:
            return image.convert("RGB")
    import rasterio

    with rasterio.open(path) as source:
        count = source.count
        bands = (4, 3, 2) if count >= 13 else (1, 2, 3) if count >= 3 else (1, 1, 1)
        data = source.read(list(bands)).astype(np.float32)
        dtype = source.dtypes[0]
    if dtype != "uint8":
        low = np.percentile(data, 2, axis=(1, 2), keepdims=True)
        high = np.percentile(data, 98, axis=(1, 2), keepdims=True)
        data = (data - low) / np.maximum(high - low, 1e-6) * 255.0
    pixels = np.clip(data, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    return Image.fromarray(pixels, mode="RGB")


#: torchgeo's folder layouts: (torchgeo class, class-folder root, split file pattern)
LAYOUTS: dict[str, tuple[str, str, str | None]] = {
    "eurosat": (
        "EuroSAT",
        "ds/images/remote_sensing/otherDatasets/sentinel_2/tif",
        "eurosat-{}.txt",
    ),
    "ucmerced": ("UCMerced", "UCMerced_LandUse/Images", "uc_merced-{}.txt"),
    "resisc45": ("RESISC45", "NWPU-RESISC45", "resisc45-{}.txt"),
    "patternnet": ("PatternNet", "PatternNet/images", None),
    "folder": ("", "", None),
}


def _from_torchgeo(name: str, root: Path, split: str | None) -> ClassificationSet | None:
    cls_name = LAYOUTS[name][0]
    if not cls_name:
        return None
    try:
        import torchgeo.datasets as tgd

        cls = getattr(tgd, cls_name)
        kwargs: dict[str, Any] = {"root": str(root), "download": False}
        if LAYOUTS[name][2] is not None:
            kwargs["split"] = split or "test"
        dataset = cls(**kwargs)
        samples = list(dataset.samples)
        classes = list(dataset.classes)
    except Exception:  # noqa: BLE001 - any failure falls back to the folder reader
        return None
    if not samples:
        return None
    return ClassificationSet(
        name=name,
        split=split,
        paths=[Path(p) for p, _ in samples],
        labels=np.asarray([int(label) for _, label in samples], dtype=np.int64),
        classes=classes,
        reader="torchgeo",
    )


def _from_folder(name: str, root: Path, split: str | None) -> ClassificationSet:
    _, sub, pattern = LAYOUTS[name]
    base = root / sub if sub else root
    if not base.is_dir():
        raise EvalDataError(
            f"{name}: class folders expected under {str(base)!r}; use the dataset's torchgeo "
            "layout (or --dataset folder for ROOT/<class>/<image>)"
        )
    allowed: set[str] | None = None
    if pattern is not None and split is not None:
        split_file = root / pattern.format(split)
        if not split_file.is_file():
            raise EvalDataError(
                f"{name}: split file {str(split_file)!r} not found; or use --split all"
            )
        names = split_file.read_text().split()
        allowed = {Path(n).stem for n in names}
    classes = sorted(d.name for d in base.iterdir() if d.is_dir())
    paths, labels = [], []
    for label, cls in enumerate(classes):
        for file in sorted((base / cls).iterdir()):
            if file.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            if allowed is not None and file.stem not in allowed:
                continue
            paths.append(file)
            labels.append(label)
    if not paths:
        raise EvalDataError(f"{name}: no images found under {str(base)!r} for split {split!r}")
    return ClassificationSet(
        name=name,
        split=split,
        paths=paths,
        labels=np.asarray(labels, dtype=np.int64),
        classes=classes,
    )


def load_classification(
    root: str | os.PathLike[str],
    dataset: ClassificationName = "folder",
    *,
    split: str | None = "test",
) -> ClassificationSet:
    """List a classification dataset under a local root (torchgeo layouts, offline).

    Args:
        root: the dataset root as torchgeo expects it (e.g. the folder holding ``ds/`` and
            ``eurosat-test.txt`` for EuroSAT), or a ``<class>/<image>`` folder for ``folder``.
        dataset: ``eurosat``, ``ucmerced``, ``resisc45``, ``patternnet`` or ``folder``.
        split: ``train``, ``val``, ``test`` or None / ``all`` (datasets with split files).

    Raises:
        ValueError: for an unknown dataset name.
        EvalDataError: if the folder does not hold the layout.
    """
    if dataset not in LAYOUTS:
        raise ValueError(f"dataset must be one of {sorted(LAYOUTS)}, got {dataset!r}")
    wanted = _split_name(split)
    root = Path(root)
    found = _from_torchgeo(dataset, root, wanted) if wanted is not None else None
    return found or _from_folder(dataset, root, wanted)
