"""CLIP models (open_clip names, pretrained tags, or learn-stage checkpoints) and cached embeddings.

Embeddings are computed in batches and cached on disk under ``CACHE/<fingerprint>/<kind>/`` as
``part-*.npz`` files (keys + float32 vectors), one written atomically per batch, so an interrupted
run resumes where it stopped. The fingerprint is the model name plus the sha256 of its weights
(checkpoint file, or the random-init state dict); image keys are the sha256 of the image file
bytes (or of the pixels for in-memory images), text keys the sha256 of the text.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from .._atomic import atomic_write_bytes
from .._hashing import file_sha256
from .._hub import expand, hub_or_cache, looks_local
from ..errors import (
    ModelLoadError as ModelLoadError,
)
from ..errors import (
    missing_dependency,
)
from ..models import register_model_configs
from ._datasets import open_rgb

log = logging.getLogger(__name__)

ImageSource = str | os.PathLike[str] | Image.Image
T = TypeVar("T")


@dataclass
class ClipModel:
    """An open_clip model with its preprocessing, tokenizer and identity.

    Attributes:
        model: the open_clip model, in eval mode.
        preprocess: PIL image -> tensor transform of the model.
        tokenizer: list of str -> token tensor.
        name: open_clip architecture name.
        pretrained: the pretrained tag or weights file, or None for random init.
        checkpoint: the learn-stage checkpoint directory, when loaded from one.
        fingerprint: model name + weights hash (+ precision unless fp32); the embedding cache key.
        device: torch device string.
        precision: ``"fp32"``, or ``"bf16"`` / ``"fp16"`` for autocast forward passes.
    """

    model: Any
    preprocess: Callable[[Image.Image], Any]
    tokenizer: Callable[..., Any]
    name: str
    pretrained: str | None
    checkpoint: str | None
    fingerprint: str
    device: str = "cpu"
    precision: str = "fp32"

    def autocast(self) -> Any:
        """The autocast context of :attr:`precision` (a no-op for fp32)."""
        import torch

        dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)
        device_type = torch.device(self.device).type
        return torch.autocast(device_type, dtype=dtype, enabled=dtype is not None)


#: precisions of the forward passes (fp32, or autocast to bf16 / fp16)
PRECISIONS = ("fp32", "bf16", "fp16")


def _sha256_state(model: Any) -> str:
    digest = hashlib.sha256()
    for key, tensor in sorted(model.state_dict().items()):
        digest.update(key.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def load_clip(
    model: str | os.PathLike[str],
    pretrained: str | None = None,
    *,
    device: str = "cpu",
    seed: int = 0,
    precision: str = "fp32",
) -> ClipModel:
    """Load a CLIP model: an open_clip name (+ pretrained tag or file) or a checkpoint directory.

    Args:
        model: an open_clip architecture (``"ViT-B-32"``, ``"gaia-tiny-vit"``) or a directory
            written by the learn stage (``model.pt`` + ``config.json`` naming the architecture).
        pretrained: an open_clip pretrained tag (needs the network or a filled hub cache), a
            weights file, or None for random init (seeded by ``seed``; for tests).
        device: torch device.
        seed: torch seed for random init.
        precision: ``"fp32"``; or ``"bf16"`` / ``"fp16"``: forward passes under autocast, as
            open_clip's own evaluation runs on GPUs (about twice as fast there; embeddings
            differ in the last digits, so they are cached apart).

    Returns:
        The :class:`ClipModel`.

    Raises:
        ModelLoadError: if the directory lacks its files or open_clip cannot build the model.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    try:
        import open_clip
        import torch
    except ImportError as err:  # pragma: no cover - the ml extra is installed in development
        raise missing_dependency(err.name or "open_clip_torch", "ml") from err

    register_model_configs()
    checkpoint: str | None = None
    name = str(model)
    path = Path(expand(name))
    if looks_local(name) and not path.is_dir():
        raise ModelLoadError(
            f"checkpoint directory {name!r} not found: pass a folder written by `gaia-geo train "
            "clip` (model.pt + config.json) or an open_clip architecture such as ViT-B-32"
        )
    if pretrained is not None and looks_local(pretrained):
        if not Path(expand(pretrained)).is_file():
            raise ModelLoadError(f"weights file {pretrained!r} not found")
        pretrained = expand(pretrained)
    if path.is_dir():
        config_file, weights = path / "config.json", path / "model.pt"
        if not config_file.is_file() or not weights.is_file():
            raise ModelLoadError(
                f"checkpoint directory {str(path)!r} needs model.pt and config.json "
                "(as written by `gaia-geo train clip`)"
            )
        name = str(json.loads(config_file.read_text())["model"])
        checkpoint, pretrained = str(path), str(weights)
    if name not in open_clip.list_models():
        raise ModelLoadError(
            f"unknown open_clip architecture {name!r}; see open_clip.list_models() or pass a "
            "checkpoint directory"
        )
    torch.manual_seed(seed)
    local = pretrained is None or Path(pretrained).is_file()
    try:
        with contextlib.nullcontext() if local else hub_or_cache() as offline:
            net, _, preprocess = open_clip.create_model_and_transforms(
                name, pretrained=pretrained, device=device
            )
    except (RuntimeError, OSError, ValueError) as err:
        if offline is not None and pretrained in open_clip.list_pretrained_tags_by_model(name):
            raise ModelLoadError(
                f"pretrained weights {pretrained!r} for {name!r} are not in the local Hugging "
                f"Face cache, and the hub is not used ({offline}): run once with a network to "
                "fill the cache, or pass a weights file or a checkpoint directory"
            ) from None
        raise ModelLoadError(
            f"cannot load {name!r} with pretrained={pretrained!r}: {err}. Pretrained tags need "
            "the network (or HF cache); offline, pass a weights file or a checkpoint directory"
        ) from err
    net.eval()
    if pretrained is not None and Path(pretrained).is_file():
        weights_id = file_sha256(pretrained)
    elif pretrained is not None:
        weights_id = f"tag:{pretrained}"
    else:
        weights_id = _sha256_state(net)
    identity = f"{name}\n{weights_id}" + ("" if precision == "fp32" else f"\n{precision}")
    fingerprint = hashlib.sha256(identity.encode()).hexdigest()[:24]
    return ClipModel(
        model=net,
        preprocess=preprocess,
        tokenizer=open_clip.get_tokenizer(name),
        name=name,
        pretrained=pretrained,
        checkpoint=checkpoint,
        fingerprint=fingerprint,
        device=device,
        precision=precision,
    )


class EmbeddingCache:
    """On-disk embedding store for one model and one kind (``image`` or ``text``).

    Each :meth:`add` writes one part file atomically, so a killed run keeps every finished
    batch. Past :attr:`MAX_PARTS` part files, opening the cache merges them into one
    (:meth:`compact`), so a cache that grew over many runs still opens with a few reads.

    Args:
        root: the cache directory (shared by models; each has its own folder).
        fingerprint: :attr:`ClipModel.fingerprint`.
        kind: ``"image"``, ``"text"`` or another namespace (e.g. an image view).
    """

    #: part files beyond which opening the cache compacts it
    MAX_PARTS = 64

    def __init__(self, root: str | os.PathLike[str], fingerprint: str, kind: str) -> None:
        self.folder = Path(root) / fingerprint / kind
        self._index: dict[str, NDArray[np.float32]] = {}
        self._files: list[Path] = sorted(self.folder.glob("part-*.npz"))
        for part in self._files:
            with np.load(part) as data:
                for key, vector in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self._index[str(key)] = vector
        if len(self._files) > self.MAX_PARTS:
            self.compact()

    def __len__(self) -> int:
        return len(self._index)

    def get(self, key: str) -> NDArray[np.float32] | None:
        """Return the cached vector for ``key``, or None."""
        return self._index.get(key)

    def add(self, keys: Sequence[str], vectors: NDArray[np.float32]) -> None:
        """Store a batch of vectors (one atomic part file)."""
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors")
        self._files.append(self._write(list(keys), vectors))
        for key, vector in zip(keys, vectors, strict=True):
            self._index[key] = vector

    def compact(self) -> None:
        """Merge every part file this cache has read or written into one.

        The merged file is written (atomically) before the parts are deleted, so a reader in
        another process sees every vector at any moment; parts that another process wrote
        after this one opened the cache are left alone.
        """
        if len(self._files) < 2:
            return
        keys = list(self._index)
        merged = self._write(keys, np.stack([self._index[k] for k in keys]))
        for part in self._files:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
        self._files = [merged]

    def _write(self, keys: list[str], vectors: NDArray[np.float32]) -> Path:
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.asarray(keys, dtype=str), vectors=vectors.astype(np.float32))
        # a name no other writer can take: the order of parts does not matter (same key, same
        # vector), only that none is overwritten
        path = self.folder / f"part-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.npz"
        atomic_write_bytes(path, buffer.getvalue())
        return path


def image_key(source: ImageSource) -> str:
    """Return the cache key of an image: sha256 of the file bytes, or of mode/size/pixels."""
    if isinstance(source, Image.Image):
        digest = hashlib.sha256(f"{source.mode}{source.size}".encode())
        digest.update(source.tobytes())
        return digest.hexdigest()
    return file_sha256(source)


def text_key(text: str) -> str:
    """Return the cache key of a caption or prompt."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _ImageBatches:
    """A map-style dataset: index -> preprocessed tensor (decoding off the main process)."""

    def __init__(self, sources: Sequence[ImageSource], preprocess: Callable[[Image.Image], Any]):
        self.sources = sources
        self.preprocess = preprocess

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, index: int) -> Any:
        source = self.sources[index]
        image = source.convert("RGB") if isinstance(source, Image.Image) else open_rgb(source)
        return self.preprocess(image)


def _progress(total: int, what: str, show: bool | None) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=f"embed {what}",
        unit=what.rstrip("s"),
        disable=not (show or sys.stderr.isatty()),
    )


def embed_images(
    clip: ClipModel,
    images: Sequence[ImageSource],
    *,
    batch_size: int = 64,
    cache_dir: str | os.PathLike[str] | None = None,
    num_workers: int = 0,
    progress: bool | None = None,
) -> NDArray[np.float32]:
    """Return L2-normalised image embeddings, (len(images), dim), computed in batches.

    Args:
        clip: the model.
        images: file paths (PNG, JPEG, GeoTIFF) or PIL images.
        batch_size: images per forward pass.
        cache_dir: embedding cache root; None disables caching.
        num_workers: DataLoader workers decoding images in parallel with the forward pass.
        progress: show a tqdm bar (default: when stderr is a terminal).
    """
    import torch

    cache, keys, out, todo = _cached(clip, "image", images, image_key, cache_dir, batch_size)
    if todo:
        dataset: Any = _ImageBatches([images[i] for i in todo], clip.preprocess)
        loader: Any = torch.utils.data.DataLoader(
            dataset,
            batch_size=batch_size,
            num_workers=num_workers,
        )
        _encode_into(
            out, todo, loader, clip.model.encode_image, clip, cache, keys, "images", progress
        )
    return _stack(out)


class _Tokenized:
    """A map-style dataset of caption batches, tokenized where it is read (a worker, if any)."""

    def __init__(self, texts: Sequence[str], tokenizer: Callable[..., Any], size: int) -> None:
        self.texts, self.tokenizer, self.size = texts, tokenizer, size

    def __len__(self) -> int:
        return -(-len(self.texts) // self.size)

    def __getitem__(self, index: int) -> Any:
        return self.tokenizer(list(self.texts[index * self.size : (index + 1) * self.size]))


def embed_texts(
    clip: ClipModel,
    texts: Sequence[str],
    *,
    batch_size: int = 256,
    cache_dir: str | os.PathLike[str] | None = None,
    num_workers: int = 0,
    progress: bool | None = None,
) -> NDArray[np.float32]:
    """Return L2-normalised text embeddings, (len(texts), dim), computed in batches.

    Args:
        clip: the model.
        texts: captions or prompts.
        batch_size: texts per forward pass.
        cache_dir: embedding cache root; None disables caching.
        num_workers: DataLoader workers tokenizing while the model runs (the tokenizer then
            stops being in series with the forward passes).
        progress: show a tqdm bar (default: when stderr is a terminal).
    """
    import torch

    cache, keys, out, todo = _cached(clip, "text", texts, text_key, cache_dir, batch_size)
    dataset: Any = _Tokenized([texts[i] for i in todo], clip.tokenizer, batch_size)
    batches: Any = torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=num_workers)
    _encode_into(out, todo, batches, clip.model.encode_text, clip, cache, keys, "texts", progress)
    return _stack(out)


def _cached(
    clip: ClipModel,
    kind: str,
    sources: Sequence[T],
    key: Callable[[T], str],
    cache_dir: str | os.PathLike[str] | None,
    batch_size: int,
) -> tuple[EmbeddingCache | None, list[str], list[NDArray[np.float32] | None], list[int]]:
    """Open the cache of ``kind``: its vectors for ``sources`` and what is left to embed.

    Returns:
        The cache (``None`` without ``cache_dir``), the sources' keys, the vectors the cache
        holds (``None`` where it has none) and the positions still to do.

    Raises:
        ValueError: if ``batch_size`` is below 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    cache = EmbeddingCache(cache_dir, clip.fingerprint, kind) if cache_dir else None
    if cache is None:
        return None, [], [None] * len(sources), list(range(len(sources)))
    keys = [key(source) for source in sources]
    out = [cache.get(k) for k in keys]
    return cache, keys, out, [i for i, v in enumerate(out) if v is None]


def _encode_into(
    out: list[NDArray[np.float32] | None],
    todo: list[int],
    batches: Any,
    encode: Callable[..., Any],
    clip: ClipModel,
    cache: EmbeddingCache | None,
    keys: Sequence[str],
    what: str,
    progress: bool | None,
) -> None:
    """Fill ``out[todo]`` from ``encode`` over ``batches`` (their inputs in ``todo``'s order)."""
    import torch

    done = 0
    with (
        torch.inference_mode(),
        clip.autocast(),
        _progress(len(todo), what, progress) as bar,
    ):
        for batch in batches:
            vectors = encode(batch.to(clip.device), normalize=True).float().cpu().numpy()
            idx = todo[done : done + len(vectors)]
            for i, vector in zip(idx, vectors, strict=True):
                out[i] = vector
            if cache is not None:
                cache.add([keys[i] for i in idx], vectors)
            done += len(vectors)
            bar.update(len(idx))


def _stack(vectors: list[NDArray[np.float32] | None]) -> NDArray[np.float32]:
    rows = [v for v in vectors if v is not None]
    if len(rows) != len(vectors):  # pragma: no cover - every slot is filled above
        raise RuntimeError("missing embeddings")
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.ascontiguousarray(np.stack(rows).astype(np.float32))
