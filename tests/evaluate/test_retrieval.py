from __future__ import annotations

import numpy as np
import pytest

from gaia_geo.evaluate import compute_ranks, recall_at_k, retrieval_metrics

# A similarity matrix S (3 images x 6 captions) is realised exactly as embeddings:
# images = identity, captions = S.T, so images @ captions.T == S (normalize=False).
S = np.array(
    [
        [0.9, 0.1, 0.8, 0.2, 0.3, 0.0],
        [0.9, 0.6, 0.4, 0.7, 0.1, 0.95],
        [0.3, 0.3, 0.3, 0.3, 0.3, 0.3],
    ],
    dtype=np.float32,
)
OWNER = [0, 0, 1, 1, 1, 2]  # image 2 has a single caption (fewer than five)


def _ranks(similarity: np.ndarray, owner: list[int], **kw: int) -> tuple[list[int], list[int]]:
    i2t, t2i = compute_ranks(np.eye(len(similarity)), similarity.T, owner, normalize=False, **kw)
    return i2t.tolist(), t2i.tolist()


def test_hand_computed_ranks_with_ties_and_fewer_captions() -> None:
    i2t, t2i = _ranks(S, OWNER)
    # image 0: its caption 0 (0.9) is first; image 1: captions 5 (0.95) and 0 (0.9) beat its best
    # caption 3 (0.7); image 2: all six tie and its caption has the highest index -> 5 ahead
    assert i2t == [0, 2, 5]
    # caption 0: image 1 ties at 0.9 but has the higher index; caption 1: 0.6 and 0.3 beat 0.1
    assert t2i == [0, 2, 1, 0, 2, 1]


def test_hand_computed_recalls_and_mean_recall() -> None:
    result = retrieval_metrics(np.eye(3), S.T, OWNER, normalize=False)
    assert result.i2t == pytest.approx({1: 100 / 3, 5: 200 / 3, 10: 100.0})
    assert result.t2i == pytest.approx({1: 100 / 3, 5: 100.0, 10: 100.0})
    assert result.mean_recall == pytest.approx((100 / 3 + 200 / 3 + 100 + 100 / 3 + 100 + 100) / 6)
    assert (result.n_images, result.n_captions) == (3, 6)
    flat = result.as_dict()
    assert flat["i2t_r5"] == pytest.approx(200 / 3) and flat["mR"] == result.mean_recall


def test_duplicate_captions_tie_by_index() -> None:
    # the same caption text for both images: identical embeddings, every score equal
    images = np.array([[1.0, 0.0], [0.0, 1.0]])
    captions = np.array([[1.0, 1.0], [1.0, 1.0]])
    i2t, t2i = compute_ranks(images, captions, [0, 1], normalize=False)
    assert i2t.tolist() == [0, 1]  # image 1's caption comes after the tied caption 0
    assert t2i.tolist() == [0, 1]  # caption 1's image comes after the tied image 0
    result = retrieval_metrics(images, captions, [0, 1], normalize=False, ks=(1, 2))
    assert result.i2t == {1: 50.0, 2: 100.0} and result.t2i == {1: 50.0, 2: 100.0}


def test_own_duplicate_captions_do_not_count_against_the_image() -> None:
    # image 0's two captions are the same text and tie with each other; neither is "ahead"
    sim = np.array([[0.5, 0.5, 0.7], [0.1, 0.1, 0.2]], dtype=np.float32)
    i2t, _ = _ranks(sim, [0, 0, 1])
    assert i2t == [1, 0]  # image 0: only caption 2 (0.7) is ahead; image 1: 0.2 is its best


def test_image_without_captions_is_not_a_query() -> None:
    sim = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], dtype=np.float32)
    result = retrieval_metrics(np.eye(3), sim.T, [0, 1], normalize=False)
    assert result.i2t_ranks.tolist() == [0, 0, -1]
    assert result.n_images == 2 and result.n_images_without_captions == 1
    assert result.i2t[1] == 100.0
    # it still competes as a gallery image for caption queries: caption 0 -> 0.9 vs 0.2, 0.5
    assert result.t2i_ranks.tolist() == [0, 0]


def _stable_sort_reference(sim: np.ndarray, owner: np.ndarray) -> tuple[list[int], list[int]]:
    """The protocol spelled out with full stable sorts, one query at a time."""
    i2t = []
    for i in range(sim.shape[0]):
        order = sorted(range(sim.shape[1]), key=lambda m: (-sim[i, m], m))
        own = [pos for pos, m in enumerate(order) if owner[m] == i]
        if not own:
            i2t.append(-1)
            continue
        i2t.append(sum(1 for m in order[: own[0]] if owner[m] != i))
    t2i = []
    for j in range(sim.shape[1]):
        order = sorted(range(sim.shape[0]), key=lambda n: (-sim[n, j], n))
        t2i.append(order.index(owner[j]))
    return i2t, t2i


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_stable_sort_reference_for_any_chunk_size(seed: int) -> None:
    rng = np.random.default_rng(seed)
    images = rng.integers(-2, 3, (9, 3)).astype(np.float32)  # small integers: many exact ties
    texts = rng.integers(-2, 3, (25, 3)).astype(np.float32)
    owner = rng.integers(0, 9, 25)
    expected = _stable_sort_reference(images @ texts.T, owner)
    for chunk in (1, 7, 30, 1 << 20):
        i2t, t2i = compute_ranks(images, texts, owner, normalize=False, chunk_elements=chunk)
        assert (i2t.tolist(), t2i.tolist()) == expected, chunk


def test_normalised_duplicates_tie_whatever_the_chunk() -> None:
    rng = np.random.default_rng(3)
    images = rng.standard_normal((40, 16)).astype(np.float32)
    images[25] = images[3]  # a duplicated image
    texts = rng.standard_normal((120, 16)).astype(np.float32)
    owner = np.repeat(np.arange(40), 3)
    texts[76] = texts[9]  # a duplicated caption (image 3's and image 25's)
    results = [compute_ranks(images, texts, owner, chunk_elements=c) for c in (50, 999, 1 << 20)]
    for i2t, t2i in results[1:]:
        assert np.array_equal(i2t, results[0][0]) and np.array_equal(t2i, results[0][1])
    _, t2i = results[0]
    # captions of image 25 always find the identical image 3 first (lower index), never the reverse
    assert all(t2i[j] >= 1 for j in range(75, 78))


def test_recall_at_k_skips_negative_ranks() -> None:
    assert recall_at_k([0, 4, 9, -1], ks=(1, 5, 10)) == pytest.approx(
        {1: 100 / 3, 5: 200 / 3, 10: 100.0}
    )
    assert recall_at_k([-1], ks=(1,)) == {1: 0.0}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="embedding sizes differ"):
        compute_ranks(np.ones((2, 3)), np.ones((2, 4)), [0, 1])
    with pytest.raises(ValueError, match="text_image has 1 entries"):
        compute_ranks(np.ones((2, 3)), np.ones((2, 3)), [0])
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\)"):
        compute_ranks(np.ones((2, 3)), np.ones((2, 3)), [0, 2])
    with pytest.raises(ValueError, match="2-D"):
        compute_ranks(np.ones(3), np.ones((2, 3)), [0, 1])
    with pytest.raises(ValueError, match="positive"):
        retrieval_metrics(np.eye(2), np.eye(2), [0, 1], ks=(0,))
