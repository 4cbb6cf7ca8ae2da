from __future__ import annotations

import numpy as np
import pytest

from gaia_geo.evaluate import find_near_duplicates, load_rsicd, perceptual_hashes
from gaia_geo.evaluate._dedup import hamming_pairs


def test_hamming_pairs_hand_computed() -> None:
    first = np.array([0b0000, 0b1111, 0xFFFF_FFFF_FFFF_FFFF], dtype=np.uint64)
    second = np.array([0b0001, 0b1111_0000_0000], dtype=np.uint64)
    assert hamming_pairs(first, second, max_distance=1) == [(0, 0, 1)]
    pairs = hamming_pairs(first, second, max_distance=4, chunk=1)
    assert pairs == [(0, 0, 1), (1, 0, 3), (0, 1, 4)]
    with pytest.raises(ValueError, match="max_distance"):
        hamming_pairs(first, second, max_distance=-1)


def test_brightened_copy_across_splits_is_found(rsicd_json) -> None:
    train = load_rsicd(rsicd_json, split="train")
    test = load_rsicd(rsicd_json, split="test")
    pairs = find_near_duplicates([(r.id, r.image) for r in train], [(r.id, r.image) for r in test])
    # the generator copies train image 0 into the test split, 6 grey levels brighter
    assert [(p.train_id, p.test_id) for p in pairs] == [("beach_00.png", "farmland_09.png")]
    assert pairs[0].distance <= 4
    hashes = perceptual_hashes([r.image for r in test])
    assert hashes.dtype == np.uint64 and len(set(hashes.tolist())) == len(test)
