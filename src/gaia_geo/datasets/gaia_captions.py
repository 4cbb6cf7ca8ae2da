"""GaiaCaptions: the image-caption pairs of a gaia_geo catalog as a TorchGeo NonGeoDataset."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure
from torchgeo.datasets import NonGeoDataset

from ._captions import CaptionChoice, CaptionPicker
from ._images import read_image
from ._records import ItemRecord, load_records, select_records


class GaiaCaptions(NonGeoDataset):
    """Image-text pairs of a gaia_geo catalog, one sample per Item.

    Images are PNG/JPEG (via PIL) or GeoTIFFs (via rasterio, RGB bands selected), returned as float
    tensors in [0, 1]. Each sample is a dict::

        {"image": Tensor[C, H, W], "text": str | list[str], "bounds": Tensor[4] (west, south,
         east, north), "datetime": Tensor[2] (start, end; ns since the epoch, -1 if unknown),
         "id": str}

    Example:
        >>> ds = GaiaCaptions("catalogs/demo", split="train", caption="random")  # doctest: +SKIP
        >>> ds[0]["text"]  # doctest: +SKIP
        'The image showcases: ...'

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        root: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = "catalogs/demo",
        split: str | None = "train",
        transforms: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        caption: CaptionChoice = "random",
        bands: Sequence[int] | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        time: tuple[Any, Any] | None = None,
        sensors: Sequence[str] | None = None,
        seed: int = 0,
        asset: str = "image",
    ) -> None:
        """Load the index of a split.

        Args:
            root: a catalog directory, its ``catalog.json``, or a stac-geoparquet file; or a
                list of them, whose Items are read one catalog after the other (e.g. a GAIA-style
                catalog and an imported benchmark's train split).
            split: ``train``, ``validate`` (or ``val``), ``test``, ``unsplit`` or ``None`` (all).
            transforms: a function that takes a sample dict and returns a transformed one.
            caption: ``"random"`` (one of the captions, drawn afresh on every access by a
                hash of ``seed``, the epoch, the index and the access count), ``"all"`` (the list of
                five), or an index (0-4).
            bands: 1-based band indexes for GeoTIFFs (``None``: red, green, blue).
            bbox: keep items intersecting ``(west, south, east, north)`` (WGS84).
            time: keep items overlapping ``(start, end)``; either end may be ``None``.
            sensors: keep items whose platform, constellation or instrument is listed.
            seed: the seed of the random caption choice.
            asset: the asset holding each Item's image (``visual``, ``rendered_preview``,
                ``thumbnail`` in catalogs from others).

        Raises:
            ValueError: for a bad ``caption`` or ``split``.
            CatalogError: if ``root`` is not a catalog.
            EmptySplitError: if the split holds no items after the filters.
            CaptionCountError: if an item has fewer captions than ``caption`` needs.
        """
        self.picker = CaptionPicker(caption, seed)
        self.root = root
        self.split = split
        self.transforms = transforms
        self.caption = caption
        self.bands = tuple(bands) if bands is not None else None
        roots = [root] if isinstance(root, str | os.PathLike) else list(root)
        if not roots:
            raise ValueError("root must name at least one catalog")
        self.records: list[ItemRecord] = select_records(
            [record for one in roots for record in load_records(one, asset)],
            split,
            bbox=bbox,
            time=time,
            sensors=sensors,
            source=", ".join(str(one) for one in roots),
        )
        self.picker.check(self.records)

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, so that ``caption="random"`` draws a fresh, reproducible caption set.

        Data-loader workers get a copy of the dataset when they start, so call this before each
        epoch with non-persistent workers (GaiaDataModule and the trainer do).
        """
        self.picker.set_epoch(epoch)

    def __len__(self) -> int:
        """Return the number of items."""
        return len(self.records)

    def choose_text(self, record: ItemRecord, index: int) -> str | list[str]:
        """Return the caption(s) of ``record`` for this dataset's caption choice."""
        return self.picker.choose(record, index)

    def __getitem__(self, index: int) -> dict[str, Any]:
        """Return the sample at ``index``.

        Raises:
            ImageReadError: if the image cannot be read.
            BandCountError: if the bands do not fit the image.
        """
        import torch

        record = self.records[index]
        image = read_image(record, self.bands)
        times = [t.value if t is not None else -1 for t in (record.start, record.end)]
        sample: dict[str, Any] = {
            "image": image,
            "text": self.choose_text(record, index),
            "bounds": torch.tensor(record.bbox, dtype=torch.float64),
            "datetime": torch.tensor(times, dtype=torch.int64),
            "id": record.id,
        }
        if self.transforms is not None:
            sample = self.transforms(sample)
        return sample

    def plot(
        self,
        sample: dict[str, Any],
        show_titles: bool = True,
        suptitle: str | None = None,
    ) -> Figure:
        """Plot a sample: the image and, below it, its caption(s).

        Args:
            sample: a sample from :meth:`__getitem__` (an image in [0, 1] or any float range).
            show_titles: show the item id as the title.
            suptitle: an optional figure title.

        Returns:
            a matplotlib Figure.
        """
        image = sample["image"][:3].float()
        lo, hi = float(image.min()), float(image.max())
        image = (image - lo) / (hi - lo) if hi > lo else image
        array = image.permute(1, 2, 0).cpu().numpy()
        texts = sample["text"] if isinstance(sample["text"], list) else [sample["text"]]
        wrapped = "\n".join(textwrap.fill(f"{i + 1}. {t}", 70) for i, t in enumerate(texts))
        figure = Figure(figsize=(6, 6 + 0.35 * wrapped.count("\n")))
        axes = figure.add_subplot(2, 1, 1)
        axes.imshow(array)
        axes.axis("off")
        if show_titles:
            axes.set_title(str(sample.get("id", "")))
        text_axes = figure.add_subplot(2, 1, 2)
        text_axes.axis("off")
        text_axes.text(0.0, 1.0, wrapped, va="top", ha="left", fontsize=8, wrap=True)
        if suptitle is not None:
            figure.suptitle(suptitle)
        return figure
