"""Published RS benchmarks as gaia_geo catalogs: their images, human captions and own splits.

RSICD, RSITMD, UCM-Captions, Sydney-Captions (``dataset_rsicd.json``) and NWPU-Captions
(``dataset_nwpu.json``, the same layout grouped by class), the same sets in AMFMN's ``*_precomp``
text files, COCO captions JSON, GeoRSCLIP's CSV, and class-folder classification sets (UCMerced,
AID, RESISC45, EuroSAT, PatternNet, WHU-RS19) become one STAC Item per image, so ``gaia-geo train
clip`` can fine-tune on a benchmark's train split the way the published "-FT" models did.
Nothing is invented: the benchmarks publish no location, so ``geometry`` is null with
``gaia:geometry_kind: unknown``; they publish no acquisition date, so the Item carries the range
from 1970 to the end of the benchmark's publication year; the captions keep ``human`` provenance
and every duplicate sentence as published.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import (
    BenchmarkImportError as BenchmarkImportError,
)
from ._caption_files import load_caption_csv, load_coco_captions
from ._datasets import CaptionedImage, load_amfmn, load_classification, load_rsicd

if TYPE_CHECKING:
    import pystac

PathLike = str | os.PathLike[str]
Layout = Literal["auto", "rsicd-json", "coco-json", "csv", "amfmn", "folder"]

#: The year each benchmark was published: the acquisition happened before its end.
PUBLISHED_YEAR: dict[str, int] = {
    "rsicd": 2017,
    "rsitmd": 2021,
    "ucm-captions": 2016,
    "ucm": 2016,  # AMFMN's ucm_precomp, dataset_ucm.json
    "sydney-captions": 2016,
    "sydney": 2016,
    "nwpu-captions": 2022,
    "nwpu": 2022,
    "ucmerced": 2010,
    "aid": 2017,
    "resisc45": 2017,
    "eurosat": 2019,
    "patternnet": 2018,
    "whu-rs19": 2010,
}

#: The earliest acquisition date an imported Item admits (its real date is not published).
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

#: (file name, image path, captions, split, class) of one benchmark image.
_Record = tuple[str, Path, list[str], str | None, str | None]

_SPLITS = {"train": "train", "val": "validate", "validate": "validate", "test": "test"}


def detect_layout(annotations: PathLike) -> Layout:
    """Tell the layout of a benchmark from its path.

    A ``.json`` file is the COCO captions layout when it has ``annotations``, else the
    ``dataset_rsicd.json`` layout (NWPU-Captions' per-class variant included); a ``.csv`` is
    GeoRSCLIP's (``filename,title``); a folder holding ``test_caps.txt`` or ``train_caps.txt`` is
    AMFMN's; any other folder is a class-folder classification set.

    Raises:
        BenchmarkImportError: if the path does not exist.
    """
    path = Path(annotations)
    if path.is_file() and path.suffix.lower() == ".json":
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
        return "coco-json" if b'"annotations"' in head else "rsicd-json"
    if path.is_file() and path.suffix.lower() == ".csv":
        return "csv"
    if path.is_dir():
        if any((path / f"{s}_caps.txt").is_file() for s in ("train", "val", "test")):
            return "amfmn"
        return "folder"
    raise BenchmarkImportError(
        f"{str(path)!r} is neither an annotation JSON nor a folder; pass dataset_rsicd.json, "
        "an AMFMN *_precomp folder or a class-folder root"
    )


def _item_id(name: str, filename: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(filename).stem).strip("-._") or "image"
    return f"{name}-{stem}"[:200]


def _captioned(
    layout: Layout, annotations: Path, images: Path | None, split: str | None
) -> Iterator[CaptionedImage]:
    if layout == "rsicd-json":
        yield from load_rsicd(annotations, images, split="all")
        return
    if layout == "coco-json":
        yield from load_coco_captions(annotations, images, split=split)
        return
    if layout == "csv":
        yield from load_caption_csv(annotations, images, split=split)
        return
    for split in ("train", "val", "test"):
        if (annotations / f"{split}_caps.txt").is_file():
            yield from load_amfmn(annotations, images, split=split)


def _items(
    records: Iterator[_Record],
    name: str,
) -> Iterator[pystac.Item]:
    from ..stac import CaptionProvenance, build_item

    year = PUBLISHED_YEAR.get(name)
    # an unknown benchmark was acquired before today at the latest
    end = (
        dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
        if year
        else dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    provenance = CaptionProvenance(
        generator="human", model=name, prompt_version="published", created=end
    )
    seen: set[str] = set()
    for filename, image, captions, split, label in records:
        item_id = _item_id(name, filename)
        if item_id in seen:
            raise BenchmarkImportError(
                f"{name}: two images give the id {item_id!r} ({filename!r}); rename one file"
            )
        seen.add(item_id)
        properties: dict[str, object] = {"gaia:class": label} if label else {}
        yield build_item(
            item_id,
            geometry=None,
            geometry_kind="unknown",
            start_datetime=EARLIEST,
            end_datetime=end,
            title=filename,
            captions=captions or None,
            provenance=provenance if captions else None,
            image=image,
            split=_SPLITS.get(split or ""),  # type: ignore[arg-type]
            properties=properties,
        )


def benchmark_items(
    annotations: PathLike,
    images: PathLike | None = None,
    *,
    name: str | None = None,
    layout: Layout = "auto",
    split: str | None = None,
) -> list[pystac.Item]:
    """Build the Items of a benchmark (see :func:`import_benchmark`), without writing them."""
    path = Path(annotations)
    found = detect_layout(path) if layout == "auto" else layout
    label = (name or _default_name(path)).lower()
    if found == "folder":
        data = load_classification(path, "folder", split="all")
        rows: Iterator[_Record] = (
            (p.name, p, [], None, data.classes[int(c)])
            for p, c in zip(data.paths, data.labels, strict=True)
        )
        return list(_items(rows, label))
    folder = Path(images) if images is not None else None
    captioned = (
        (r.id, r.image, r.captions, r.split, r.label)
        for r in _captioned(found, path, folder, split)
    )
    return list(_items(captioned, label))


def _default_name(path: Path) -> str:
    stem = path.stem.lower()
    return stem.removeprefix("dataset_").removesuffix("_precomp") or "benchmark"


def import_benchmark(
    annotations: PathLike,
    out: PathLike,
    *,
    images: PathLike | None = None,
    name: str | None = None,
    layout: Layout = "auto",
    split: str | None = None,
    assets: Literal["copy", "reference"] = "copy",
) -> Path:
    """Write a published RS benchmark as a gaia_geo STAC catalog.

    Args:
        annotations: ``dataset_rsicd.json`` (RSICD, RSITMD, UCM-Captions, Sydney-Captions;
            NWPU-Captions' ``dataset_nwpu.json``, its class as ``gaia:class``), a COCO captions
            JSON, GeoRSCLIP's CSV (``filename,title``), an AMFMN ``*_precomp`` folder, or a
            class-folder root (``ROOT/<class>/<image>``: UCMerced, AID, RESISC45, EuroSAT,
            PatternNet, WHU-RS19).
        out: the catalog folder to create (it must not exist).
        images: the image folder (default: ``images/`` beside the annotations).
        name: the benchmark's name (``rsitmd``...): the catalog id, the item id prefix and the
            key of its publication year (default: from the file name).
        layout: ``auto`` (see :func:`detect_layout`), ``rsicd-json``, ``coco-json``, ``csv``,
            ``amfmn`` or ``folder``.
        split: the split of a COCO JSON or CSV file (default: from its name, e.g.
            ``captions_test2017.json``); the other layouts state their own.
        assets: ``copy`` the images beside the Items (hard links when possible) or
            ``reference`` them where they are.

    Returns:
        The catalog folder.

    Raises:
        BenchmarkImportError: if ``out`` exists or the benchmark holds no image.
        EvalDataError: if the annotations are malformed or an image is missing.

    Example:
        >>> import_benchmark("RSITMD/dataset_RSITMD.json", "catalogs/rsitmd")  # doctest: +SKIP
    """
    from ..stac import write_catalog

    target = Path(out)
    if target.exists():
        raise BenchmarkImportError(
            f"{str(target)!r} already exists; choose a new --out folder (nothing was written)"
        )
    label = (name or _default_name(Path(annotations))).lower()
    items = benchmark_items(annotations, images, name=label, layout=layout, split=split)
    if not items:
        raise BenchmarkImportError(f"{str(annotations)!r} lists no image; check the layout")
    return write_catalog(
        items,
        target,
        id=label,
        title=f"{label} (imported benchmark)",
        description=(
            f"The {label} benchmark with its published captions and splits; locations and "
            "acquisition dates are not published (geometry null, gaia:geometry_kind unknown)."
        ),
        keywords=("remote sensing", "benchmark", label),
        assets=assets,
    )
