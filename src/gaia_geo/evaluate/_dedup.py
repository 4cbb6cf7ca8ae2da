"""Near-identical images across splits, by perceptual hash (RSICD and RSITMD share images)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._datasets import open_rgb


@dataclass(frozen=True)
class NearDuplicate:
    """A pair of near-identical images.

    Attributes:
        train_id: the id in the first (reference, e.g. train) set.
        test_id: the id in the second (query, e.g. test) set.
        distance: Hamming distance between their 64-bit perceptual hashes.
    """

    train_id: str
    test_id: str
    distance: int


def perceptual_hashes(paths: Sequence[str | os.PathLike[str]]) -> NDArray[np.uint64]:
    """Return the 64-bit pHash (``imagehash.phash``, 8x8 DCT) of each image as uint64."""
    import imagehash

    out = np.zeros(len(paths), dtype=np.uint64)
    for index, path in enumerate(paths):
        bits = imagehash.phash(open_rgb(path)).hash.reshape(-1)
        out[index] = np.uint64(int("".join("1" if b else "0" for b in bits), 2))
    return out


def hamming_pairs(
    first: NDArray[np.uint64], second: NDArray[np.uint64], max_distance: int, chunk: int = 2048
) -> list[tuple[int, int, int]]:
    """Return ``(i, j, distance)`` for each pair within ``max_distance`` bits (vectorised)."""
    if max_distance < 0:
        raise ValueError(f"max_distance must be >= 0, got {max_distance}")
    pairs: list[tuple[int, int, int]] = []
    for start in range(0, len(second), chunk):
        block = second[start : start + chunk]
        distance = np.bitwise_count(first[:, None] ^ block[None, :])
        rows, cols = np.nonzero(distance <= max_distance)
        pairs.extend(
            (int(r), int(c) + start, int(distance[r, c])) for r, c in zip(rows, cols, strict=True)
        )
    return sorted(pairs, key=lambda p: (p[1], p[2], p[0]))


def find_near_duplicates(
    train: Sequence[tuple[str, str | os.PathLike[str]]],
    test: Sequence[tuple[str, str | os.PathLike[str]]],
    *,
    max_distance: int = 4,
) -> list[NearDuplicate]:
    """Find test images that are near-identical to a train image.

    Args:
        train: ``(id, image path)`` pairs of the reference set.
        test: ``(id, image path)`` pairs of the evaluated set.
        max_distance: largest Hamming distance (of 64 bits) still called a duplicate; 4 catches
            re-encodings and small crops/brightness changes without merging distinct scenes.

    Returns:
        The pairs, ordered by test image then distance.
    """
    train_hashes = perceptual_hashes([p for _, p in train])
    test_hashes = perceptual_hashes([p for _, p in test])
    return [
        NearDuplicate(train_id=train[i][0], test_id=test[j][0], distance=d)
        for i, j, d in hamming_pairs(train_hashes, test_hashes, max_distance)
    ]
