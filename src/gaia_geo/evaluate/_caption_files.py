"""Caption files in the COCO layout and GeoRSCLIP's CSV layout, read as captioned images.

Both name the split only in the file name (``captions_test2017.json``, ``rsitmd_test.csv``), so
the split is taken from there (``train``, ``val``/``validate``, ``test``) unless given.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

from ._datasets import (
    CaptionedImage,
    EvalDataError,
    _grouped_captions,
    _split_name,
    annotation_paths,
    read_annotations,
)


def split_from_name(path: str | os.PathLike[str]) -> str | None:
    """The split a caption file's name states (``captions_val2017.json`` -> ``val``), or None."""
    words = re.split(r"[^a-z]+", Path(path).stem.lower())
    for word in reversed(words):
        if word in ("train", "val", "validate", "validation", "valid", "test"):
            return _split_name(word)
    return None


def load_coco_captions(
    annotations: str | os.PathLike[str],
    images: str | os.PathLike[str] | None = None,
    *,
    split: str | None = None,
    check_images: bool = True,
) -> list[CaptionedImage]:
    """Read a COCO captions JSON: one record per image, its captions in file order.

    The layout: ``images`` with ``id`` and ``file_name``, ``annotations`` with ``image_id`` and
    ``caption``; an image without annotations stays in the gallery with no captions.

    Args:
        annotations: the JSON file.
        images: the image folder (default: ``images/`` beside the JSON).
        split: the split of every image (default: from the file name).
        check_images: raise if an image file is missing.

    Raises:
        EvalDataError: if the file is not in that layout or an image is missing.
    """
    path, folder = annotation_paths(annotations, images)
    try:
        data = json.loads(read_annotations(path))
        names = {entry["id"]: str(entry["file_name"]) for entry in data["images"]}
        pairs = [(names[a["image_id"]], str(a["caption"])) for a in data["annotations"]]
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise EvalDataError(
            f"{str(path)!r} is not a COCO captions JSON (needs images[].id/file_name and "
            f"annotations[].image_id/caption): {err}"
        ) from None
    # images without a caption stay in the gallery, as in the dataset_rsicd.json layout
    split = split or split_from_name(path)
    return _grouped_captions(pairs, folder, path, split, check_images, gallery=names.values())


def load_caption_csv(
    annotations: str | os.PathLike[str],
    images: str | os.PathLike[str] | None = None,
    *,
    split: str | None = None,
    check_images: bool = True,
) -> list[CaptionedImage]:
    """Read GeoRSCLIP's CSV layout: a header with ``filename`` and ``title``, one caption a row.

    Args:
        annotations: the CSV file.
        images: the image folder (default: ``images/`` beside the CSV).
        split: the split of every image (default: from the file name).
        check_images: raise if an image file is missing.

    Raises:
        EvalDataError: if the columns are missing or an image is missing.
    """
    path, folder = annotation_paths(annotations, images)
    reader = csv.DictReader(io.StringIO(read_annotations(path), newline=""))
    columns = set(reader.fieldnames or ())
    if not {"filename", "title"} <= columns:
        raise EvalDataError(
            f"{str(path)!r} needs the columns 'filename' and 'title' (GeoRSCLIP's CSV), "
            f"found {sorted(columns)}"
        )
    pairs = [(row["filename"], row["title"]) for row in reader]
    return _grouped_captions(pairs, folder, path, split or split_from_name(path), check_images)
