from __future__ import annotations

import itertools

import numpy as np
import pytest

from gaia_geo.evaluate import QueryRanks, compute_ranks, recall_at_k, retrieval_metrics

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


def _counts(ranks: QueryRanks) -> list[tuple[int, int, int]]:
    return list(
        zip(ranks.ahead.tolist(), ranks.tied.tolist(), ranks.relevant.tolist(), strict=True)
    )


def test_hand_computed_ranks_with_ties_and_fewer_captions() -> None:
    i2t, t2i = compute_ranks(np.eye(3), S.T, OWNER, normalize=False)
    # image 0: its caption 0 (0.9) is first; image 1: captions 5 (0.95) and 0 (0.9) beat its best
    # caption 3 (0.7); image 2: all six tie, five of them another image's
    assert _counts(i2t) == [(0, 0, 1), (2, 0, 1), (0, 5, 1)]
    assert i2t.ranks("optimistic").tolist() == [0, 2, 0]
    assert i2t.ranks("pessimistic").tolist() == [0, 2, 5]
    # caption 0: image 1 ties at 0.9; caption 1: 0.6 and 0.3 beat 0.1
    assert t2i.ahead.tolist() == [0, 2, 1, 0, 2, 1]
    assert t2i.tied.tolist() == [1, 0, 0, 0, 0, 0]
    assert (i2t.n_tied, t2i.n_tied) == (1, 1)


def test_hand_computed_recalls_and_mean_recall() -> None:
    result = retrieval_metrics(np.eye(3), S.T, OWNER, normalize=False)
    # image 2 hits at 1 with probability 1/6 (its caption first among six tied) and at 5 with 5/6
    assert result.i2t == pytest.approx(
        {1: 100 * (1 + 1 / 6) / 3, 5: 100 * (2 + 5 / 6) / 3, 10: 100}
    )
    assert result.t2i == pytest.approx({1: 100 * 1.5 / 6, 5: 100.0, 10: 100.0})
    assert result.mean_recall == pytest.approx(
        (100 * (7 / 6) / 3 + 100 * (17 / 6) / 3 + 100 + 25 + 100 + 100) / 6
    )
    expected_bounds = {1: (100 / 3, 200 / 3), 5: (200 / 3, 100), 10: (100, 100)}
    for k, bounds in expected_bounds.items():
        assert result.i2t_bounds[k] == pytest.approx(bounds)
    assert result.t2i_bounds[1] == pytest.approx((100 / 6, 200 / 6))
    low, high = result.mean_recall_bounds
    assert low < result.mean_recall < high
    assert (result.n_images, result.n_captions) == (3, 6)
    flat = result.as_dict()
    assert flat["i2t_r5"] == pytest.approx(result.i2t[5]) and flat["mR"] == result.mean_recall
    assert flat["mR_pessimistic"] == low and flat["mR_optimistic"] == high
    assert flat["i2t_r1_pessimistic"] == pytest.approx(100 / 3)
    assert (flat["n_tied_i2t_queries"], flat["n_tied_t2i_queries"]) == (1, 1)


def test_duplicate_captions_tie_as_a_coin_flip() -> None:
    # the same caption text for both images: identical embeddings, every score equal
    images = np.array([[1.0, 0.0], [0.0, 1.0]])
    captions = np.array([[1.0, 1.0], [1.0, 1.0]])
    result = retrieval_metrics(images, captions, [0, 1], normalize=False, ks=(1, 2))
    assert result.i2t == {1: 50.0, 2: 100.0} and result.t2i == {1: 50.0, 2: 100.0}
    assert result.i2t_bounds == {1: (0.0, 100.0), 2: (100.0, 100.0)}
    # the file order does not matter: swapping the images gives the same numbers
    swapped = retrieval_metrics(images[::-1], captions, [1, 0], normalize=False, ks=(1, 2))
    assert swapped.as_dict() == result.as_dict()


def test_own_duplicate_captions_do_not_count_against_the_image() -> None:
    # image 0's two captions are the same text and tie with each other; neither is "ahead"
    sim = np.array([[0.5, 0.5, 0.7], [0.1, 0.1, 0.2]], dtype=np.float32)
    i2t, _ = compute_ranks(np.eye(2), sim.T, [0, 0, 1], normalize=False)
    assert _counts(i2t) == [(1, 0, 2), (0, 0, 1)]


def test_several_relevant_in_the_tied_block_is_hypergeometric() -> None:
    # image 0 has two captions tied with three others at the top: P(hit@1) = 2/5,
    # P(hit@2) = 1 - C(3,2)/C(5,2) = 7/10
    sim = np.array([[1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.9, 0.9, 0.9]], dtype=np.float32)
    result = retrieval_metrics(np.eye(2), sim.T, [0, 0, 1, 1, 1], normalize=False, ks=(1, 2))
    hits = result.i2t_ranks.hit_probability(1), result.i2t_ranks.hit_probability(2)
    assert hits[0][0] == pytest.approx(2 / 5) and hits[1][0] == pytest.approx(7 / 10)


def test_image_without_captions_is_not_a_query() -> None:
    sim = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], dtype=np.float32)
    result = retrieval_metrics(np.eye(3), sim.T, [0, 1], normalize=False)
    assert result.i2t_ranks.ranks().tolist() == [0, 0, -1]
    assert result.n_images == 2 and result.n_images_without_captions == 1
    assert result.i2t[1] == 100.0
    # it still competes as a gallery image for caption queries: caption 0 -> 0.9 vs 0.2, 0.5
    assert result.t2i_ranks.ranks().tolist() == [0, 0]


def _recall_with_order(
    sim: np.ndarray, owner: np.ndarray, text_order: np.ndarray, image_order: np.ndarray, k: int
) -> tuple[float, float]:
    """R@k of both directions when ties break by the given gallery priorities, with full sorts."""
    i2t = []
    for i in range(sim.shape[0]):
        if not (owner == i).any():
            continue
        order = sorted(range(sim.shape[1]), key=lambda m: (-sim[i, m], text_order[m]))
        i2t.append(any(owner[m] == i for m in order[:k]))
    t2i = []
    for j in range(sim.shape[1]):
        order = sorted(range(sim.shape[0]), key=lambda n: (-sim[n, j], image_order[n]))
        t2i.append(owner[j] in order[:k])
    return 100 * float(np.mean(i2t)), 100 * float(np.mean(t2i))


def _small_tied_case(seed: int, n_images: int, n_texts: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    images = rng.integers(-1, 2, (n_images, 2)).astype(np.float32)  # few values: many ties
    texts = rng.integers(-1, 2, (n_texts, 2)).astype(np.float32)
    owner = rng.integers(0, n_images, n_texts)
    return images, texts, owner


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_expected_recall_equals_the_average_over_every_tie_break(seed: int) -> None:
    images, texts, owner = _small_tied_case(seed, 4, 6)
    sim = images @ texts.T
    result = retrieval_metrics(images, texts, owner, normalize=False, ks=(1, 2, 3))
    assert result.n_tied_i2t + result.n_tied_t2i > 0  # the case does exercise ties
    for k in (1, 2, 3):
        # every permutation of the gallery, each equally likely: the exact expectation
        i2t = [
            _recall_with_order(sim, owner, np.array(p), np.arange(4), k)[0]
            for p in itertools.permutations(range(6))
        ]
        t2i = [
            _recall_with_order(sim, owner, np.arange(6), np.array(p), k)[1]
            for p in itertools.permutations(range(4))
        ]
        assert result.i2t[k] == pytest.approx(np.mean(i2t))
        assert result.t2i[k] == pytest.approx(np.mean(t2i))
        # the bounds break each query's ties for or against it alone (as a per-row top-k may):
        # no single gallery order does worse or better
        low, high = result.i2t_bounds[k]
        assert low <= min(i2t) and max(i2t) <= high


def test_expected_recall_matches_many_seeded_random_tie_breaks() -> None:
    images, texts, owner = _small_tied_case(7, 8, 24)
    sim = images @ texts.T
    result = retrieval_metrics(images, texts, owner, normalize=False, ks=(1, 5))
    rng = np.random.default_rng(0)
    draws = np.array(
        [
            [
                _recall_with_order(sim, owner, rng.permutation(24), rng.permutation(8), k)
                for k in (1, 5)
            ]
            for _ in range(400)
        ]
    )  # (draws, k, direction)
    for index, k in enumerate((1, 5)):
        for direction, value in ((0, result.i2t[k]), (1, result.t2i[k])):
            sample = draws[:, index, direction]
            assert abs(sample.mean() - value) < 4 * sample.std() / np.sqrt(len(sample)) + 1e-9
            low, high = (result.i2t_bounds if direction == 0 else result.t2i_bounds)[k]
            assert low <= sample.min() and sample.max() <= high


def test_independent_of_file_order() -> None:
    images, texts, owner = _small_tied_case(11, 10, 30)
    result = retrieval_metrics(images, texts, owner, normalize=False)
    rng = np.random.default_rng(1)
    image_perm, text_perm = rng.permutation(10), rng.permutation(30)
    new_index = np.argsort(image_perm)  # old image index -> new position
    shuffled = retrieval_metrics(
        images[image_perm], texts[text_perm], new_index[owner[text_perm]], normalize=False
    )
    for key, value in result.as_dict().items():
        assert shuffled.as_dict()[key] == pytest.approx(value), key


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


def test_without_ties_equals_the_plain_recall() -> None:
    rng = np.random.default_rng(5)
    images = rng.standard_normal((15, 8)).astype(np.float32)
    texts = rng.standard_normal((45, 8)).astype(np.float32)
    owner = np.repeat(np.arange(15), 3)
    sim = (images / np.linalg.norm(images, axis=1, keepdims=True)) @ (
        texts / np.linalg.norm(texts, axis=1, keepdims=True)
    ).T
    i2t_ranks, t2i_ranks = _stable_sort_reference(sim, owner)
    result = retrieval_metrics(images, texts, owner)
    assert result.n_tied_i2t == result.n_tied_t2i == 0
    assert result.i2t == recall_at_k(i2t_ranks) and result.t2i == recall_at_k(t2i_ranks)
    assert result.mean_recall_bounds == (result.mean_recall, result.mean_recall)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bounds_match_stable_sort_reference_for_any_chunk_size(seed: int) -> None:
    rng = np.random.default_rng(seed)
    images = rng.integers(-2, 3, (9, 3)).astype(np.float32)  # small integers: many exact ties
    texts = rng.integers(-2, 3, (25, 3)).astype(np.float32)
    owner = rng.integers(0, 9, 25)
    stable_i2t, stable_t2i = _stable_sort_reference(images @ texts.T, owner)
    first = None
    for chunk in (1, 7, 30, 1 << 20):
        i2t, t2i = compute_ranks(images, texts, owner, normalize=False, chunk_elements=chunk)
        counts = (_counts(i2t), _counts(t2i))
        first = first or counts
        assert counts == first, chunk
        # a stable sort is one particular tie-break: it lies between the bounds
        for ranks, stable in ((i2t, stable_i2t), (t2i, stable_t2i)):
            low, high = ranks.ranks("optimistic"), ranks.ranks("pessimistic")
            assert ((low <= np.array(stable)) & (np.array(stable) <= high)).all()


def test_normalised_duplicates_tie_whatever_the_chunk() -> None:
    rng = np.random.default_rng(3)
    images = rng.standard_normal((40, 16)).astype(np.float32)
    images[25] = images[3]  # a duplicated image
    texts = rng.standard_normal((120, 16)).astype(np.float32)
    owner = np.repeat(np.arange(40), 3)
    texts[76] = texts[9]  # a duplicated caption (image 3's and image 25's)
    results = [compute_ranks(images, texts, owner, chunk_elements=c) for c in (50, 999, 1 << 20)]
    for i2t, t2i in results[1:]:
        assert _counts(i2t) == _counts(results[0][0]) and _counts(t2i) == _counts(results[0][1])
    _, t2i = results[0]
    # captions of images 3 and 25 tie between the two identical images, whichever is theirs
    assert all(t2i.tied[j] == 1 for j in (*range(9, 12), *range(75, 78)))


def test_recall_at_k_skips_negative_ranks() -> None:
    assert recall_at_k([0, 4, 9, -1], ks=(1, 5, 10)) == pytest.approx(
        {1: 100 / 3, 5: 200 / 3, 10: 100.0}
    )
    assert recall_at_k([-1], ks=(1,)) == {1: 0.0}
    with pytest.raises(ValueError, match="'optimistic' or 'pessimistic'"):
        QueryRanks.from_ranks([0]).ranks("expected")


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
