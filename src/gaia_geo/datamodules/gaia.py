"""GaiaDataModule: train/validate/test loaders over a catalog's ``ml-aoi:split``, for CLIP."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import lightning
from torch import Tensor
from torch.utils.data import DataLoader

from ..datasets import CaptionChoice, EmptySplitError, GaiaCaptions
from ..models import OPENAI_MEAN, OPENAI_STD, ClipImageTransform, register_model_configs
from ._clip_batches import ClipCollate

log = logging.getLogger(__name__)


class GaiaDataModule(lightning.LightningDataModule):
    """Lightning data module over a gaia_geo catalog for CLIP-style training.

    Batches are ``{"image": Tensor[B, 3, S, S] (normalised), "text": Tensor[B, L] (token ids),
    "caption": list[str], "id": list[str]}``. Training draws a random caption per item, afresh
    each epoch; validation and test use each item's first caption so metrics are comparable
    from epoch to epoch.

    Example:
        >>> dm = GaiaDataModule("catalogs/demo", model="ViT-B-32", batch_size=32)  # doctest: +SKIP
        >>> dm.setup("fit"); batch = next(iter(dm.train_dataloader()))  # doctest: +SKIP

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        catalog: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
        model: str = "ViT-B-32",
        batch_size: int = 32,
        num_workers: int = 0,
        pin_memory: bool | None = None,
        caption: CaptionChoice = "random",
        seed: int = 0,
        image_size: int | None = None,
        mean: Sequence[float] | None = None,
        std: Sequence[float] | None = None,
        tokenizer: Callable[[list[str]], Tensor] | None = None,
        bands: Sequence[int] | None = None,
        asset: str = "image",
    ) -> None:
        """Configure the loaders (nothing is read until :meth:`setup`).

        Args:
            catalog: a catalog directory, its ``catalog.json``, or a stac-geoparquet file; or a
                list of them, mixed into one dataset per split.
            model: the open_clip model name, for its image size, normalisation and tokenizer.
            batch_size: samples per batch.
            num_workers: data-loader worker processes.
            pin_memory: pin host memory (default: when CUDA is available).
            caption: the training caption choice (see :class:`~gaia_geo.datasets.GaiaCaptions`).
            seed: the seed of the random caption choice.
            image_size: override the model's input size.
            mean: override the model's normalisation mean.
            std: override the model's normalisation standard deviation.
            tokenizer: override open_clip's tokenizer for ``model``.
            bands: 1-based GeoTIFF bands (default RGB).
            asset: the asset holding each Item's image (default ``image``).

        Raises:
            ValueError: for a non-positive ``batch_size`` or negative ``num_workers``.
        """
        super().__init__()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if num_workers < 0:
            raise ValueError(f"num_workers must be >= 0, got {num_workers}")
        import open_clip
        import torch

        register_model_configs()
        config = open_clip.get_model_config(model) or {}
        preprocess = config.get("preprocess_cfg", {})
        self.catalog = catalog
        self.model = model
        self.batch_size = batch_size
        self.num_workers = num_workers
        self.pin_memory = torch.cuda.is_available() if pin_memory is None else pin_memory
        self.caption = caption
        self.seed = seed
        self.bands = bands
        self.asset = asset
        self.image_size = int(image_size or config.get("vision_cfg", {}).get("image_size", 224))
        self.mean = tuple(mean or preprocess.get("mean", OPENAI_MEAN))
        self.std = tuple(std or preprocess.get("std", OPENAI_STD))
        self.tokenizer = tokenizer or open_clip.get_tokenizer(model)
        self.train_dataset: GaiaCaptions | None = None
        self.val_dataset: GaiaCaptions | None = None
        self.test_dataset: GaiaCaptions | None = None

    def _dataset(self, split: str, train: bool) -> GaiaCaptions:
        transform = ClipImageTransform(self.image_size, self.mean, self.std, train=train)
        return GaiaCaptions(
            self.catalog,
            split=split,
            transforms=transform,
            caption=self.caption if train else 0,
            bands=self.bands,
            seed=self.seed,
            asset=self.asset,
        )

    def setup(self, stage: str | None = None) -> None:
        """Load the split indexes the stage needs (``fit``, ``validate``, ``test``)."""
        if stage in ("fit", None) and self.train_dataset is None:
            self.train_dataset = self._dataset("train", train=True)
        if stage in ("fit", "validate", None) and self.val_dataset is None:
            try:
                self.val_dataset = self._dataset("validate", train=False)
            except EmptySplitError:
                log.warning("%s has no 'validate' items: validation is skipped", self.catalog)
        if stage in ("test", None) and self.test_dataset is None:
            self.test_dataset = self._dataset("test", train=False)

    def _loader(self, dataset: GaiaCaptions, shuffle: bool) -> DataLoader[dict[str, Any]]:
        return DataLoader(
            dataset,
            batch_size=self.batch_size,
            shuffle=shuffle,
            num_workers=self.num_workers,
            pin_memory=self.pin_memory,
            collate_fn=ClipCollate(self.tokenizer),
            drop_last=False,
        )

    def train_dataloader(self) -> DataLoader[dict[str, Any]]:
        """The shuffled training loader (caption sample set to the trainer's current epoch)."""
        dataset = self.train_dataset or self._dataset("train", train=True)
        self.train_dataset = dataset
        if self.trainer is not None:
            dataset.set_epoch(self.trainer.current_epoch)
        return self._loader(dataset, shuffle=True)

    def val_dataloader(self) -> Any:
        """The validation loader, or an empty list when the catalog has no validate split."""
        if self.val_dataset is None:
            return []
        return self._loader(self.val_dataset, shuffle=False)

    def test_dataloader(self) -> DataLoader[dict[str, Any]]:
        """The test loader."""
        dataset = self.test_dataset or self._dataset("test", train=False)
        self.test_dataset = dataset
        return self._loader(dataset, shuffle=False)
