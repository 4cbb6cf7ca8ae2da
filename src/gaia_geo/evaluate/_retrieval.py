"""Image-text retrieval metrics by the RSICD/RSITMD protocol, vectorised and chunked.

An image query hits at ``k`` when any of its captions ranks in the top ``k`` captions; a caption
query hits at ``k`` when its image ranks in the top ``k`` images. Ranks are computed by counting,
for every query, the gallery entries that score above its best match (one chunked matrix product,
a few vectorised comparisons per chunk, no Python loop over queries), so the cost is that of the
similarity matrix itself and memory stays bounded by ``chunk_elements``.

Ties: among equal scores the gallery entry with the lower index ranks first (the order a stable
descending sort gives). A query's own score is taken from the same products as the scores it is
compared with (a caption whose own score came out differently, in the last bit, from two products
is re-ranked from one product), so duplicated captions or images tie exactly; the tests check that
the ranks do not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The cut-offs every RS retrieval paper reports.
DEFAULT_KS: tuple[int, ...] = (1, 5, 10)


@dataclass(frozen=True)
class RetrievalResult:
    """Recall at k (percent) in both directions and their mean.

    Attributes:
        i2t: image-to-text recall in percent, by k.
        t2i: text-to-image recall in percent, by k.
        mean_recall: the mean of all ``i2t`` and ``t2i`` values (the papers' "mR").
        n_images: image queries counted (images with at least one caption).
        n_captions: caption queries.
        n_images_without_captions: images in the gallery with no caption (not queries).
        i2t_ranks: the 0-based rank of each image's best caption (-1: no caption).
        t2i_ranks: the 0-based rank of each caption's image.
    """

    i2t: dict[int, float]
    t2i: dict[int, float]
    mean_recall: float
    n_images: int
    n_captions: int
    n_images_without_captions: int = 0
    i2t_ranks: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    t2i_ranks: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)

    def as_dict(self) -> dict[str, float | int]:
        """Return the flat metric dict used in reports (``i2t_r1`` ... ``t2i_r10``, ``mR``)."""
        out: dict[str, float | int] = {}
        for k, value in self.i2t.items():
            out[f"i2t_r{k}"] = value
        for k, value in self.t2i.items():
            out[f"t2i_r{k}"] = value
        out["mR"] = self.mean_recall
        out["n_images"] = self.n_images
        out["n_captions"] = self.n_captions
        out["n_images_without_captions"] = self.n_images_without_captions
        return out


def _as_matrix(values: ArrayLike, name: str, normalize: bool) -> NDArray[np.float32]:
    matrix = np.ascontiguousarray(np.asarray(values, dtype=np.float32))
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n, dim), got shape {matrix.shape}")
    if normalize:
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        safe = np.where(norms == 0, np.float32(1.0), norms).astype(np.float32)
        matrix = np.ascontiguousarray(matrix / safe, dtype=np.float32)
    return matrix


def _caption_table(text_image: NDArray[np.int64], n_images: int) -> NDArray[np.int64]:
    """Return an (n_images, max_captions) table of caption indices, ascending, padded with -1."""
    order = np.argsort(text_image, kind="stable")
    counts = np.bincount(text_image, minlength=n_images)
    width = max(int(counts.max(initial=0)), 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sorted_images = text_image[order]
    slot = np.arange(len(order)) - starts[sorted_images]
    table = np.full((n_images, width), -1, dtype=np.int64)
    table[sorted_images, slot] = order
    return table


def compute_ranks(
    image_embeddings: ArrayLike,
    text_embeddings: ArrayLike,
    text_image: ArrayLike,
    *,
    normalize: bool = True,
    chunk_elements: int = 1 << 25,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rank every image query among the captions and every caption query among the images.

    Args:
        image_embeddings: (n_images, dim) array.
        text_embeddings: (n_captions, dim) array.
        text_image: for each caption, the index of its image.
        normalize: L2-normalise both sides first (cosine similarity).
        chunk_elements: at most this many similarity values are held at once.

    Returns:
        ``(i2t_ranks, t2i_ranks)``: 0-based ranks of each image's best-ranked caption (-1 for an
        image without captions) and of each caption's image.

    Raises:
        ValueError: on mismatched shapes or caption-to-image indices out of range.
    """
    images = _as_matrix(image_embeddings, "image_embeddings", normalize)
    texts = _as_matrix(text_embeddings, "text_embeddings", normalize)
    owner = np.asarray(text_image, dtype=np.int64).reshape(-1)
    n_images, n_texts = len(images), len(texts)
    if images.shape[1] != texts.shape[1]:
        raise ValueError(f"embedding sizes differ: images {images.shape}, texts {texts.shape}")
    if len(owner) != n_texts:
        raise ValueError(f"text_image has {len(owner)} entries for {n_texts} captions")
    if n_texts and (owner.min() < 0 or owner.max() >= n_images):
        raise ValueError(f"text_image values must lie in [0, {n_images}), got {owner.min()}..")
    if chunk_elements < 1:
        raise ValueError(f"chunk_elements must be >= 1, got {chunk_elements}")

    table = _caption_table(owner, n_images)
    rows_per_chunk = max(1, chunk_elements // max(n_texts, 1))
    own = _own_scores(images, texts, owner, table, rows_per_chunk)
    i2t = np.full(n_images, -1, dtype=np.int64)
    t2i = np.zeros(n_texts, dtype=np.int64)
    consistent = np.ones(n_texts, dtype=bool)
    # one buffer for every chunk: a fresh 100+ MB array per chunk costs its page faults each time
    buffer = np.empty((min(rows_per_chunk, n_images), n_texts), dtype=np.float32)
    flags = np.empty(buffer.shape, dtype=bool)
    for start in range(0, n_images, rows_per_chunk):
        stop = min(start + rows_per_chunk, n_images)
        scores = np.matmul(images[start:stop], texts.T, out=buffer[: stop - start])
        work = flags[: stop - start]
        _rank_images(scores, table[start:stop], i2t[start:stop], work)
        _rank_texts(scores, start, owner, own, t2i, consistent, work)
    redo = np.nonzero(~consistent)[0]
    if len(redo):
        # the own score differed in the last bit between two products: rank these captions again
        # from one product so that every comparison is made between values of the same product
        for first in range(0, len(redo), max(1, chunk_elements // max(n_images, 1))):
            cols = redo[first : first + max(1, chunk_elements // max(n_images, 1))]
            scores = images @ texts[cols].T  # (n_images, len(cols))
            mine = scores[owner[cols], np.arange(len(cols))]
            rows = np.arange(n_images)[:, None]
            t2i[cols] = (scores > mine).sum(axis=0) + (
                (scores == mine) & (rows < owner[cols][None, :])
            ).sum(axis=0)
    i2t[table[:, 0] < 0] = -1
    return i2t, t2i


def _own_scores(
    images: NDArray[np.float32],
    texts: NDArray[np.float32],
    owner: NDArray[np.int64],
    table: NDArray[np.int64],
    rows_per_chunk: int,
) -> NDArray[np.float32]:
    """Each caption's score with its own image, from matrix products shaped like the main pass."""
    own = np.zeros(len(texts), dtype=np.float32)
    for start in range(0, len(images), rows_per_chunk):
        block = table[start : start + rows_per_chunk]
        cols = block[block >= 0]
        if not len(cols):
            continue
        scores = images[start : start + rows_per_chunk] @ texts[cols].T
        own[cols] = scores[owner[cols] - start, np.arange(len(cols))]
    return own


def _rank_images(
    scores: NDArray[np.float32],
    table: NDArray[np.int64],
    out: NDArray[np.int64],
    work: NDArray[np.bool_],
) -> None:
    padded = table < 0
    gt = np.take_along_axis(scores, np.where(padded, 0, table), axis=1)
    gt[padded] = -np.inf
    best_slot = np.argmax(gt, axis=1)  # first maximum: the lowest caption index among exact ties
    rows = np.arange(len(scores))
    best = gt[rows, best_slot][:, None]
    best_index = table[rows, best_slot]
    ahead = np.greater(scores, best, out=work).sum(axis=1)
    own_equal = (gt == best) & ~padded
    # exact ties are rare: one cheap whole-chunk count decides whether any row needs a closer look
    tied = np.zeros(0, dtype=np.int64)
    if np.count_nonzero(np.equal(scores, best, out=work)) > np.count_nonzero(own_equal):
        band = (scores == best).sum(axis=1) - own_equal.sum(axis=1)
        tied = np.nonzero(band > 0)[0]
    if len(tied):
        mask = (scores[tied] == best[tied]) & (
            np.arange(scores.shape[1])[None, :] < best_index[tied, None]
        )
        own = table[tied]
        np.put_along_axis(mask, np.where(own < 0, best_index[tied, None], own), False, axis=1)
        ahead[tied] += mask.sum(axis=1)
    out[:] = ahead


def _rank_texts(
    scores: NDArray[np.float32],
    start: int,
    owner: NDArray[np.int64],
    own: NDArray[np.float32],
    out: NDArray[np.int64],
    consistent: NDArray[np.bool_],
    work: NDArray[np.bool_],
) -> None:
    stop = start + len(scores)
    out += np.greater(scores, own[None, :], out=work).sum(axis=0)
    inside = np.nonzero((owner >= start) & (owner < stop))[0]
    same = scores[owner[inside] - start, inside] == own[inside]
    consistent[inside[~same]] = False
    tied = np.zeros(0, dtype=np.int64)
    if np.count_nonzero(np.equal(scores, own[None, :], out=work)) > np.count_nonzero(same):
        band = (scores == own[None, :]).sum(axis=0)
        band[inside[same]] -= 1
        tied = np.nonzero(band > 0)[0]
    if len(tied):
        rows = np.arange(start, stop)[:, None]
        mask = (scores[:, tied] == own[tied][None, :]) & (rows < owner[tied][None, :])
        out[tied] += mask.sum(axis=0)


def recall_at_k(ranks: ArrayLike, ks: Sequence[int] = DEFAULT_KS) -> dict[int, float]:
    """Return recall at each k, in percent, from 0-based ranks (negative ranks are skipped).

    Args:
        ranks: one 0-based rank per query.
        ks: cut-offs.
    """
    values = np.asarray(ranks)
    values = values[values >= 0]
    if not len(values):
        return {int(k): 0.0 for k in ks}
    return {int(k): float(100.0 * np.mean(values < k)) for k in ks}


def retrieval_metrics(
    image_embeddings: ArrayLike,
    text_embeddings: ArrayLike,
    text_image: ArrayLike,
    *,
    ks: Sequence[int] = DEFAULT_KS,
    normalize: bool = True,
    chunk_elements: int = 1 << 25,
) -> RetrievalResult:
    """Compute I2T and T2I recall at ``ks`` and the mean recall (RSICD/RSITMD protocol).

    Args:
        image_embeddings: (n_images, dim) array.
        text_embeddings: (n_captions, dim) array; any number of captions per image.
        text_image: for each caption, the index of its image.
        ks: recall cut-offs.
        normalize: L2-normalise both sides first.
        chunk_elements: bound on similarity values held in memory at once.

    Returns:
        The :class:`RetrievalResult`.

    Example:
        >>> import numpy as np
        >>> r = retrieval_metrics(np.eye(2), np.eye(2), [0, 1], ks=(1,))
        >>> r.i2t[1], r.t2i[1]
        (100.0, 100.0)
    """
    if not ks or any(int(k) < 1 for k in ks):
        raise ValueError(f"ks must be positive integers, got {list(ks)}")
    i2t_ranks, t2i_ranks = compute_ranks(
        image_embeddings,
        text_embeddings,
        text_image,
        normalize=normalize,
        chunk_elements=chunk_elements,
    )
    i2t = recall_at_k(i2t_ranks, ks)
    t2i = recall_at_k(t2i_ranks, ks)
    values = [*i2t.values(), *t2i.values()]
    return RetrievalResult(
        i2t=i2t,
        t2i=t2i,
        mean_recall=float(np.mean(values)),
        n_images=int((i2t_ranks >= 0).sum()),
        n_captions=len(t2i_ranks),
        n_images_without_captions=int((i2t_ranks < 0).sum()),
        i2t_ranks=i2t_ranks,
        t2i_ranks=t2i_ranks,
    )
