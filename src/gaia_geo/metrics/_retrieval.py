"""Image-text retrieval recall by the RSICD/RSITMD protocol, tie-aware, vectorised and chunked.

An image query hits at ``k`` when any of its captions ranks in the top ``k`` captions; a caption
query hits at ``k`` when its image ranks in the top ``k`` images. For every query the ranking is
summarised by three counts taken at the score ``s`` of its best relevant gallery entry:
``ahead`` (entries scoring strictly above ``s``), ``tied`` (other entries scoring exactly ``s``)
and ``relevant`` (relevant entries scoring exactly ``s``). One chunked matrix product and a few
vectorised comparisons per chunk give them (no Python loop over queries), so the cost is that of
the similarity matrix and memory stays bounded by ``chunk_elements``.

Ties: real caption sets repeat sentences (RSICD's test split holds 3,331 distinct texts among
5,465 captions) and identical texts embed identically, so exact ties are common. The headline
recall is the expected value under uniformly random tie-breaking, computed exactly: with
``j = k - ahead`` places left, the query misses only if the first ``j`` of its ``tied +
relevant`` tied entries, drawn without replacement, are all irrelevant, which has the
hypergeometric probability ``C(tied, j) / C(tied + relevant, j)``. It is deterministic and does
not depend on the order of the files. The optimistic bound ranks every tie in the query's favour
(rank ``ahead``), the pessimistic one against it (rank ``ahead + tied``). Peers break ties
arbitrarily: clip_benchmark (and RemoteCLIP and GeoRSCLIP, which evaluate with it) ranks with
``torch.topk``, whose order among equal values is unspecified; a stable sort favours the lower
gallery index.

A query's own score is taken from the same products as the scores it is compared with (a caption
whose own score came out differently, in the last bit, from two products is ranked again from
one product), so duplicated captions or images tie exactly; the tests check that the counts do
not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The cut-offs every RS retrieval paper reports.
DEFAULT_KS: tuple[int, ...] = (1, 5, 10)

#: How a recall treats exact ties: their expectation under random order, or either bound.
TieRule = Literal["expected", "optimistic", "pessimistic"]


@dataclass(frozen=True)
class QueryRanks:
    """Where each query's best relevant gallery entry lands, ties kept apart.

    Attributes:
        ahead: gallery entries scoring strictly above the query's best relevant entry.
        tied: irrelevant gallery entries scoring exactly the same as it.
        relevant: relevant entries at that score (0: not a query, e.g. an image without
            captions).
    """

    ahead: NDArray[np.int64]
    tied: NDArray[np.int64]
    relevant: NDArray[np.int64]

    @classmethod
    def from_ranks(cls, ranks: ArrayLike) -> QueryRanks:
        """Wrap plain 0-based ranks (no ties; a negative rank marks a non-query)."""
        values = np.asarray(ranks, dtype=np.int64).reshape(-1)
        return cls(
            ahead=np.maximum(values, 0),
            tied=np.zeros_like(values),
            relevant=(values >= 0).astype(np.int64),
        )

    @property
    def is_query(self) -> NDArray[np.bool_]:
        """True for queries (at least one relevant gallery entry)."""
        return self.relevant > 0

    @property
    def n_tied(self) -> int:
        """Queries whose best relevant entry ties with an irrelevant one."""
        return int(np.count_nonzero(self.is_query & (self.tied > 0)))

    def ranks(self, ties: TieRule = "optimistic") -> NDArray[np.int64]:
        """0-based ranks with every tie broken for (``optimistic``) or against the query.

        Non-queries get -1. ``expected`` is not a rank; use :meth:`hit_probability`.
        """
        if ties == "optimistic":
            ranks = self.ahead.copy()
        elif ties == "pessimistic":
            ranks = self.ahead + self.tied
        else:
            raise ValueError(f"ties must be 'optimistic' or 'pessimistic' here, got {ties!r}")
        ranks[~self.is_query] = -1
        return ranks

    def hit_probability(self, k: int, ties: TieRule = "expected") -> NDArray[np.float64]:
        """Per query, the probability that a relevant entry ranks in the top ``k``.

        Args:
            k: the cut-off.
            ties: ``expected`` (uniformly random order among tied entries), ``optimistic``
                or ``pessimistic``.

        Returns:
            One probability per query (non-queries included, as 0).
        """
        if ties != "expected":
            ranks = self.ranks(ties)
            return ((ranks >= 0) & (ranks < k)).astype(np.float64)
        places = k - self.ahead  # places left for the tied block
        tied = self.tied.astype(np.float64)
        block = tied + self.relevant
        miss = np.where(places > 0, 1.0, 0.0)  # probability that none of them is relevant
        for i in range(max(0, int(places.max(initial=0)))):
            step = (places > i) & (block > i)
            factor = np.clip(tied - i, 0.0, None) / np.where(step, block - i, 1.0)
            miss = np.where(step, miss * factor, miss)
        hit = np.where(places > 0, 1.0 - miss, 0.0)
        return np.where(self.is_query, hit, 0.0)


@dataclass(frozen=True)
class RetrievalResult:
    """Recall at k (percent) in both directions and their mean, with tie bounds.

    Attributes:
        i2t: image-to-text recall in percent by k, expected under random tie-breaking.
        t2i: text-to-image recall in percent by k, expected under random tie-breaking.
        mean_recall: the mean of all ``i2t`` and ``t2i`` values (the papers' "mR").
        n_images: image queries counted (images with at least one caption).
        n_captions: caption queries.
        n_images_without_captions: images in the gallery with no caption (not queries).
        i2t_bounds: by k, the (pessimistic, optimistic) image-to-text recall.
        t2i_bounds: by k, the (pessimistic, optimistic) text-to-image recall.
        mean_recall_bounds: the (pessimistic, optimistic) mean recall.
        i2t_ranks: the image queries' :class:`QueryRanks`.
        t2i_ranks: the caption queries' :class:`QueryRanks`.
    """

    i2t: dict[int, float]
    t2i: dict[int, float]
    mean_recall: float
    n_images: int
    n_captions: int
    n_images_without_captions: int = 0
    i2t_bounds: dict[int, tuple[float, float]] = field(default_factory=dict)
    t2i_bounds: dict[int, tuple[float, float]] = field(default_factory=dict)
    mean_recall_bounds: tuple[float, float] = (0.0, 0.0)
    i2t_ranks: QueryRanks = field(
        default_factory=lambda: QueryRanks.from_ranks(np.zeros(0, np.int64)), repr=False
    )
    t2i_ranks: QueryRanks = field(
        default_factory=lambda: QueryRanks.from_ranks(np.zeros(0, np.int64)), repr=False
    )

    @property
    def n_tied_i2t(self) -> int:
        """Image queries whose best caption ties with another image's caption."""
        return self.i2t_ranks.n_tied

    @property
    def n_tied_t2i(self) -> int:
        """Caption queries whose image ties with another image."""
        return self.t2i_ranks.n_tied

    def as_dict(self) -> dict[str, float | int]:
        """Return the flat metric dict used in reports.

        ``i2t_r1`` ... ``t2i_r10`` and ``mR`` (expected under random tie-breaking), the same with
        ``_pessimistic`` and ``_optimistic`` suffixes, and the counts (``n_...``).
        """
        out: dict[str, float | int] = {}
        for name, values in (("i2t", self.i2t), ("t2i", self.t2i)):
            out.update({f"{name}_r{k}": value for k, value in values.items()})
        out["mR"] = self.mean_recall
        for side, index in (("pessimistic", 0), ("optimistic", 1)):
            for name, bounds in (("i2t", self.i2t_bounds), ("t2i", self.t2i_bounds)):
                out.update({f"{name}_r{k}_{side}": pair[index] for k, pair in bounds.items()})
            out[f"mR_{side}"] = self.mean_recall_bounds[index]
        out["n_images"] = self.n_images
        out["n_captions"] = self.n_captions
        out["n_images_without_captions"] = self.n_images_without_captions
        out["n_tied_i2t_queries"] = self.n_tied_i2t
        out["n_tied_t2i_queries"] = self.n_tied_t2i
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
) -> tuple[QueryRanks, QueryRanks]:
    """Rank every image query among the captions and every caption query among the images.

    Args:
        image_embeddings: (n_images, dim) array.
        text_embeddings: (n_captions, dim) array.
        text_image: for each caption, the index of its image.
        normalize: L2-normalise both sides first (cosine similarity).
        chunk_elements: at most this many similarity values are held at once.

    Returns:
        ``(i2t, t2i)``: the :class:`QueryRanks` of the image queries (an image without captions
        has ``relevant == 0``) and of the caption queries.

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
    i2t = [np.zeros(n_images, dtype=np.int64) for _ in range(3)]
    t2i_ahead = np.zeros(n_texts, dtype=np.int64)
    t2i_equal = np.zeros(n_texts, dtype=np.int64)
    consistent = np.ones(n_texts, dtype=bool)
    # one buffer for every chunk: a fresh 100+ MB array per chunk costs its page faults each time
    buffer = np.empty((min(rows_per_chunk, n_images), n_texts), dtype=np.float32)
    flags = np.empty(buffer.shape, dtype=bool)
    for start in range(0, n_images, rows_per_chunk):
        stop = min(start + rows_per_chunk, n_images)
        scores = np.matmul(images[start:stop], texts.T, out=buffer[: stop - start])
        work = flags[: stop - start]
        counts = _count_images(scores, table[start:stop], work)
        for total, part in zip(i2t, counts, strict=True):
            total[start:stop] = part
        t2i_ahead += np.count_nonzero(np.greater(scores, own[None, :], out=work), axis=0)
        t2i_equal += np.count_nonzero(np.equal(scores, own[None, :], out=work), axis=0)
        inside = np.nonzero((owner >= start) & (owner < stop))[0]
        same = scores[owner[inside] - start, inside] == own[inside]
        consistent[inside[~same]] = False
    redo = np.nonzero(~consistent)[0]
    step = max(1, chunk_elements // max(n_images, 1))
    for first in range(0, len(redo), step):
        # the own score differed in the last bit between two products: count these captions
        # again from one product so that every comparison is between values of one product
        cols = redo[first : first + step]
        scores = images @ texts[cols].T  # (n_images, len(cols))
        mine = scores[owner[cols], np.arange(len(cols))]
        t2i_ahead[cols] = (scores > mine).sum(axis=0)
        t2i_equal[cols] = (scores == mine).sum(axis=0)
    t2i = QueryRanks(
        ahead=t2i_ahead,
        tied=t2i_equal - 1,  # the caption's own image is among the equal ones
        relevant=np.ones(n_texts, dtype=np.int64),
    )
    return QueryRanks(*i2t), t2i


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


def _count_images(
    scores: NDArray[np.float32], table: NDArray[np.int64], work: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """``(ahead, tied, relevant)`` of a chunk of image queries (rows of ``scores``)."""
    padded = table < 0
    gt = np.take_along_axis(scores, np.where(padded, 0, table), axis=1)
    gt[padded] = -np.inf
    best = gt.max(axis=1, keepdims=True)
    relevant = np.count_nonzero((gt == best) & ~padded, axis=1)
    ahead = np.count_nonzero(np.greater(scores, best, out=work), axis=1)
    equal = np.count_nonzero(np.equal(scores, best, out=work), axis=1)
    return ahead.astype(np.int64), (equal - relevant).astype(np.int64), relevant.astype(np.int64)


def recall_at_k(
    ranks: QueryRanks | ArrayLike,
    ks: Sequence[int] = DEFAULT_KS,
    *,
    ties: TieRule = "expected",
) -> dict[int, float]:
    """Return recall at each k, in percent, over the queries.

    Args:
        ranks: :class:`QueryRanks`, or plain 0-based ranks without ties (negative: skipped).
        ks: cut-offs.
        ties: ``expected`` (uniformly random tie-breaking), ``optimistic`` or ``pessimistic``.

    Example:
        >>> recall_at_k([0, 3, -1], ks=(1, 5))
        {1: 50.0, 5: 100.0}
    """
    query_ranks = ranks if isinstance(ranks, QueryRanks) else QueryRanks.from_ranks(ranks)
    queries = query_ranks.is_query
    if not queries.any():
        return {int(k): 0.0 for k in ks}
    return {
        int(k): float(100.0 * query_ranks.hit_probability(int(k), ties)[queries].mean()) for k in ks
    }


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

    The recalls are expected values under uniformly random tie-breaking; the result also holds
    the optimistic and pessimistic bounds and the number of queries with ties.

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
        >>> tied = retrieval_metrics(np.eye(2), np.ones((2, 2)), [0, 1], ks=(1,))
        >>> tied.i2t[1], tied.i2t_bounds[1]
        (50.0, (0.0, 100.0))
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
    recalls: dict[TieRule, tuple[dict[int, float], dict[int, float]]] = {
        rule: (recall_at_k(i2t_ranks, ks, ties=rule), recall_at_k(t2i_ranks, ks, ties=rule))
        for rule in ("expected", "pessimistic", "optimistic")
    }

    def mean(rule: TieRule) -> float:
        i2t, t2i = recalls[rule]
        return float(np.mean([*i2t.values(), *t2i.values()]))

    (i2t, t2i), (low_i2t, low_t2i), (high_i2t, high_t2i) = recalls.values()
    return RetrievalResult(
        i2t=i2t,
        t2i=t2i,
        mean_recall=mean("expected"),
        n_images=int(i2t_ranks.is_query.sum()),
        n_captions=len(t2i_ranks.ahead),
        n_images_without_captions=int((~i2t_ranks.is_query).sum()),
        i2t_bounds={k: (low_i2t[k], high_i2t[k]) for k in i2t},
        t2i_bounds={k: (low_t2i[k], high_t2i[k]) for k in t2i},
        mean_recall_bounds=(mean("pessimistic"), mean("optimistic")),
        i2t_ranks=i2t_ranks,
        t2i_ranks=t2i_ranks,
    )
