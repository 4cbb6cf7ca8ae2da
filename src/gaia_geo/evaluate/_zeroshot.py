"""Zero-shot classification: RS prompt templates, prompt ensembling, top-k and per-class scores."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Remote-sensing prompt templates (the RemoteCLIP / GeoRSCLIP style); ``{}`` is the class name.
RS_TEMPLATES: tuple[str, ...] = (
    "a satellite image of {}.",
    "a satellite photo of {}.",
    "an aerial image of {}.",
    "an aerial photograph of {}.",
    "a remote sensing image of {}.",
    "a remote sensing image of a {}.",
    "a high resolution satellite image of {}.",
    "an overhead view of {}.",
    "a top-down view of {}.",
    "{} seen from above.",
)

#: The one-prompt baseline ("a satellite image of {}.").
SIMPLE_TEMPLATES: tuple[str, ...] = (RS_TEMPLATES[0],)


#: The datasets whose class folders the bundled name table covers.
NAMED_DATASETS: tuple[str, ...] = (
    "ucmerced",
    "aid",
    "resisc45",
    "eurosat",
    "patternnet",
    "whu-rs19",
)


def _key(folder: str) -> str:
    return re.sub(r"[_\-\s]+", "", folder).lower()


@cache
def class_name_table() -> dict[tuple[str, str], str]:
    """The bundled table ``(dataset, folder) -> words`` (``data/class_names.csv``).

    Folder names are matched without case, spaces, ``_`` or ``-`` (``DenseResidential``,
    ``dense_residential`` and ``denseresidential`` are one key). The folders are those of the
    datasets' own archives, as torchgeo lists them.
    """
    text = resources.files("gaia_geo.evaluate").joinpath("data/class_names.csv").read_text("utf-8")
    return {
        (row["dataset"], _key(row["folder"])): row["name"]
        for row in csv.DictReader(io.StringIO(text))
    }


def class_prompt_name(folder: str, dataset: str | None = None) -> str:
    """Turn a class folder name into the words a prompt uses.

    The bundled table gives the name for the folders of UCMerced, AID, RESISC45, EuroSAT,
    PatternNet and WHU-RS19 (``denseresidential`` -> ``dense residential``, ``SeaLake`` ->
    ``sea or lake``); ``dataset`` picks one dataset's entry where two disagree (EuroSAT's
    ``Industrial`` is ``industrial buildings``, AID's ``industrial area``), and without it any
    dataset's entry is used. Other folders are split at ``_``, ``-`` and case changes.

    Example:
        >>> class_prompt_name("denseresidential"), class_prompt_name("HerbaceousVegetation")
        ('dense residential', 'herbaceous vegetation')
        >>> class_prompt_name("Industrial", "eurosat"), class_prompt_name("my_class")
        ('industrial buildings', 'my class')
    """
    table = class_name_table()
    key = _key(folder)
    if dataset is not None and (dataset.lower(), key) in table:
        return table[dataset.lower(), key]
    for name in NAMED_DATASETS:
        if (name, key) in table:
            return table[name, key]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", folder)
    return re.sub(r"[_\-\s]+", " ", spaced).strip().lower()


def build_prompts(
    classes: Sequence[str], templates: Sequence[str], dataset: str | None = None
) -> list[list[str]]:
    """Return, per class, the prompts of every template (class names made readable).

    Args:
        classes: class folder names.
        templates: prompt templates with ``{}`` for the class name.
        dataset: the dataset the folders come from (see :func:`class_prompt_name`).
    """
    if not templates or any("{}" not in t for t in templates):
        raise ValueError("every template must contain '{}' for the class name")
    return [[t.format(class_prompt_name(c, dataset)) for t in templates] for c in classes]


def ensemble_classifier(prompt_embeddings: ArrayLike, n_classes: int) -> NDArray[np.float32]:
    """Average each class's normalised prompt embeddings and renormalise (prompt ensembling).

    Args:
        prompt_embeddings: (n_classes * n_templates, dim), grouped by class.
        n_classes: number of classes.

    Returns:
        (n_classes, dim) unit vectors.
    """
    emb = np.asarray(prompt_embeddings, dtype=np.float32)
    if n_classes < 1 or len(emb) % n_classes:
        raise ValueError(f"{len(emb)} prompt embeddings do not split into {n_classes} classes")
    emb = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    mean = emb.reshape(n_classes, -1, emb.shape[1]).mean(axis=1)
    return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)).astype(
        np.float32
    )


@dataclass(frozen=True)
class ZeroShotResult:
    """Zero-shot accuracies in percent.

    Attributes:
        top1: top-1 accuracy over all images.
        top5: top-5 accuracy (top-k with k = number of classes when fewer than 5).
        per_class: top-1 accuracy per class name (classes without images are left out).
        mean_per_class: the mean of ``per_class``.
        n_images: images evaluated.
    """

    top1: float
    top5: float
    per_class: dict[str, float]
    mean_per_class: float
    n_images: int

    def as_dict(self) -> dict[str, float | int]:
        """Return the flat metric dict used in reports."""
        out: dict[str, float | int] = {
            "top1": self.top1,
            "top5": self.top5,
            "mean_per_class": self.mean_per_class,
            "n_images": self.n_images,
        }
        out.update({f"class/{k}": v for k, v in self.per_class.items()})
        return out


def zeroshot_metrics(
    logits: ArrayLike, labels: ArrayLike, classes: Sequence[str]
) -> ZeroShotResult:
    """Top-1, top-5 and per-class accuracy from a score matrix.

    Ties: a class is ranked above the true class only when its score is strictly higher, or
    equal with a lower class index (the order of a stable descending sort).

    Args:
        logits: (n_images, n_classes) scores.
        labels: true class index per image.
        classes: class names, in index order.
    """
    scores = np.asarray(logits, dtype=np.float64)
    truth = np.asarray(labels, dtype=np.int64).reshape(-1)
    if scores.ndim != 2 or scores.shape[1] != len(classes) or len(scores) != len(truth):
        raise ValueError(
            f"logits {scores.shape} must be (n_images={len(truth)}, n_classes={len(classes)})"
        )
    if len(truth) and (truth.min() < 0 or truth.max() >= len(classes)):
        raise ValueError("labels must index into classes")
    if not len(truth):
        raise ValueError("no images to evaluate")
    own = scores[np.arange(len(truth)), truth][:, None]
    lower = np.arange(len(classes))[None, :] < truth[:, None]
    rank = (scores > own).sum(axis=1) + ((scores == own) & lower).sum(axis=1)
    per_class = {
        str(name): float(100.0 * np.mean(rank[truth == index] < 1))
        for index, name in enumerate(classes)
        if np.any(truth == index)
    }
    return ZeroShotResult(
        top1=float(100.0 * np.mean(rank < 1)),
        top5=float(100.0 * np.mean(rank < 5)),
        per_class=per_class,
        mean_per_class=float(np.mean(list(per_class.values()))),
        n_images=len(truth),
    )
