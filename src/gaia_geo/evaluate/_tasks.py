"""End-to-end evaluation runs: data in, model embeddings, metrics, an :class:`EvalReport` out."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import GaiaError
from ..metrics import RetrievalResult, retrieval_metrics
from ._captioning import match_references, read_candidates, score_captions
from ._datasets import (
    CaptionedImage,
    ClassificationName,
    load_catalog_split,
    load_classification,
    load_rsicd,
)
from ._dedup import find_near_duplicates
from ._embed import embed_images, embed_texts, load_clip
from ._report import EvalReport
from ._zeroshot import (
    RS_TEMPLATES,
    build_prompts,
    class_prompt_name,
    ensemble_classifier,
    zeroshot_metrics,
)

log = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]


def _dataset_name(catalog: PathLike | None, annotations: PathLike | None) -> str:
    if catalog is not None:
        path = Path(catalog)
        return (path.parent if path.suffix else path).name or "catalog"
    stem = Path(str(annotations)).stem.lower()
    return stem.removeprefix("dataset_") or stem


def load_captioned(
    *,
    catalog: PathLike | None = None,
    annotations: PathLike | None = None,
    images: PathLike | None = None,
    split: str | None = "test",
    check_images: bool = True,
) -> list[CaptionedImage]:
    """Load captioned images from exactly one of a catalog or an RSICD-format annotation file.

    Raises:
        ValueError: unless exactly one source is given.
    """
    if (catalog is None) == (annotations is None):
        raise ValueError("give exactly one of catalog= or annotations=")
    if catalog is not None:
        return load_catalog_split(catalog, split=split)
    if annotations is None:  # pragma: no cover - excluded above; narrows the type
        raise ValueError("annotations is required")
    return load_rsicd(annotations, images, split=split, check_images=check_images)


def _is_catalog(path: PathLike) -> bool:
    file = Path(path)
    return (
        file.is_dir()
        or file.name in ("catalog.json", "collection.json")
        or (file.suffix == ".parquet")
    )


def _train_counterpart(
    catalog: PathLike | None,
    annotations: PathLike | None,
    images: PathLike | None,
    split: str | None,
    train_source: PathLike | None,
) -> list[CaptionedImage]:
    """The train images to look for near-duplicates in (empty when there are none)."""
    if train_source is not None:
        if _is_catalog(train_source):
            return load_catalog_split(train_source, split="train")
        return load_rsicd(train_source, split="train")
    if split in (None, "all", "train"):
        return []
    try:
        return load_captioned(
            catalog=catalog, annotations=annotations, images=images, split="train"
        )
    except GaiaError as err:  # no train split in the source: nothing to compare against
        log.info("no train split to check for near-duplicates: %s", err)
        return []


def _tie_note(result: RetrievalResult) -> str:
    """One line for the report: how ties were counted and how far they could move mR."""
    low, high = result.mean_recall_bounds
    return (
        "recalls are expected values under uniformly random tie-breaking; "
        f"mR lies in [{low:.2f}, {high:.2f}] depending on how ties break; queries with ties: "
        f"{result.n_tied_i2t} of {result.n_images} images, "
        f"{result.n_tied_t2i} of {result.n_captions} captions"
    )


def evaluate_retrieval(
    model: PathLike,
    pretrained: str | None = None,
    *,
    catalog: PathLike | None = None,
    annotations: PathLike | None = None,
    images: PathLike | None = None,
    split: str | None = "test",
    dataset: str | None = None,
    batch_size: int = 64,
    cache_dir: PathLike | None = None,
    max_distance: int | None = 4,
    train_source: PathLike | None = None,
    num_workers: int = 0,
    device: str = "cpu",
    precision: str = "fp32",
) -> EvalReport:
    """Image-text retrieval (I2T/T2I R@1/5/10, mR) of a CLIP model on a catalog or RSICD-format set.

    Args:
        model: open_clip architecture or learn-stage checkpoint directory.
        pretrained: open_clip pretrained tag or weights file (None: random init / checkpoint).
        catalog: a gaia_geo catalog (its ``split`` items are evaluated).
        annotations: an RSICD-format JSON (RSICD, RSITMD, UCM-Captions, Sydney-Captions).
        images: the image folder of ``annotations`` (default ``images/`` beside it).
        split: the split to evaluate.
        dataset: the name to report (default: the catalog folder or the JSON name).
        batch_size: images per forward pass.
        cache_dir: embedding cache root (None: no cache).
        max_distance: pHash distance for train/test near-duplicates; None skips the check.
        train_source: a catalog or RSICD-format JSON whose train split the model was trained
            on (e.g. a GAIA catalog when testing on RSICD); default: the evaluated source's own
            train split.
        num_workers: image-decoding and tokenizing workers.
        device: torch device.
        precision: ``"fp32"``, ``"bf16"`` or ``"fp16"`` (autocast; see :func:`load_clip`).

    Returns:
        The run's report (``details["near_duplicates"]`` lists train/test look-alikes).
    """
    records = load_captioned(catalog=catalog, annotations=annotations, images=images, split=split)
    clip = load_clip(model, pretrained, device=device, precision=precision)
    image_emb = embed_images(
        clip,
        [r.image for r in records],
        batch_size=batch_size,
        cache_dir=cache_dir,
        num_workers=num_workers,
    )
    texts = [c for r in records for c in r.captions]
    owner = np.repeat(np.arange(len(records)), [len(r.captions) for r in records])
    text_emb = embed_texts(clip, texts, cache_dir=cache_dir, num_workers=num_workers)
    result = retrieval_metrics(image_emb, text_emb, owner)
    details: dict[str, object] = {"precision": precision, "ties": _tie_note(result)}
    if max_distance is not None:
        train = _train_counterpart(catalog, annotations, images, split, train_source)
        pairs = (
            find_near_duplicates(
                [(r.id, r.image) for r in train if r.image.is_file()],
                [(r.id, r.image) for r in records],
                max_distance=max_distance,
            )
            if train
            else []
        )
        details["near_duplicates"] = [asdict(p) for p in pairs]
        details["near_duplicate_max_distance"] = max_distance
        details["near_duplicate_train_source"] = str(train_source or catalog or annotations)
    return EvalReport(
        task="retrieval",
        model=clip.name,
        pretrained=None if clip.checkpoint else pretrained,
        checkpoint=clip.checkpoint,
        dataset=dataset or _dataset_name(catalog, annotations),
        split=split,
        metrics=result.as_dict(),
        details=details,
        source=str(catalog or annotations),
    )


def evaluate_zeroshot(
    model: PathLike,
    pretrained: str | None = None,
    *,
    root: PathLike,
    dataset: ClassificationName = "eurosat",
    split: str | None = "test",
    templates: Sequence[str] = RS_TEMPLATES,
    batch_size: int = 64,
    cache_dir: PathLike | None = None,
    num_workers: int = 0,
    device: str = "cpu",
    precision: str = "fp32",
) -> EvalReport:
    """Zero-shot classification with prompt ensembling (top-1, top-5, per-class accuracy).

    Args:
        model: open_clip architecture or learn-stage checkpoint directory.
        pretrained: open_clip pretrained tag or weights file.
        root: the dataset root in torchgeo's layout.
        dataset: ``eurosat``, ``ucmerced``, ``resisc45``, ``patternnet`` or ``folder``.
        split: the split (datasets with split files), or None / ``all``.
        templates: prompt templates with ``{}`` for the class name; embeddings are averaged.
        batch_size: images per forward pass.
        cache_dir: embedding cache root.
        num_workers: image-decoding and tokenizing workers.
        device: torch device.
        precision: ``"fp32"``, ``"bf16"`` or ``"fp16"`` (autocast; see :func:`load_clip`).
    """
    data = load_classification(root, dataset, split=split)
    prompts = build_prompts(data.classes, templates, dataset)
    clip = load_clip(model, pretrained, device=device, precision=precision)
    image_emb = embed_images(
        clip, data.paths, batch_size=batch_size, cache_dir=cache_dir, num_workers=num_workers
    )
    prompt_emb = embed_texts(
        clip,
        [p for group in prompts for p in group],
        cache_dir=cache_dir,
        num_workers=num_workers,
    )
    classifier = ensemble_classifier(prompt_emb, len(data.classes))
    result = zeroshot_metrics(image_emb @ classifier.T, data.labels, data.classes)
    return EvalReport(
        task="zeroshot",
        model=clip.name,
        pretrained=None if clip.checkpoint else pretrained,
        checkpoint=clip.checkpoint,
        dataset=dataset if dataset != "folder" else Path(root).name,
        split=split,
        metrics=result.as_dict(),
        prompts=list(templates),
        details={
            "reader": data.reader,
            "precision": precision,
            "class_names": "; ".join(
                f"{folder} -> {class_prompt_name(folder, dataset)}" for folder in data.classes
            ),
        },
        source=str(root),
    )


def evaluate_captioning(
    captions: PathLike,
    *,
    catalog: PathLike | None = None,
    annotations: PathLike | None = None,
    split: str | None = "test",
    dataset: str | None = None,
    model: str = "captions-file",
    spice: Literal["auto", "never", "always"] = "auto",
) -> EvalReport:
    """Score a captions file against the references of a catalog split or an RSICD-format JSON.

    Args:
        captions: generated captions (see :func:`read_candidates` for the accepted forms).
        catalog: a gaia_geo catalog (references: ``gaia:captions``; ids: item ids).
        annotations: an RSICD-format JSON (ids: image file names or their stems).
        split: the split the captions were generated for.
        dataset: name to report.
        model: the captioning model's name, for the report.
        spice: see :func:`score_captions`.
    """
    records = load_captioned(
        catalog=catalog, annotations=annotations, split=split, check_images=False
    )
    candidates, references = match_references(read_candidates(captions), records)
    result = score_captions(candidates, references, spice=spice)
    return EvalReport(
        task="captioning",
        model=model,
        dataset=dataset or _dataset_name(catalog, annotations),
        split=split,
        metrics=result.as_dict(),
        details={**result.skipped, "captions_file": str(captions)},
        source=str(catalog or annotations),
    )
