"""Water-filling quotas, vectorised over many groups at once, and their nested (per-axis) use."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def allocate_grouped(
    counts: np.ndarray,
    group: np.ndarray,
    totals: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Water-fill every group at once: ``quota_s = min(counts_s, lambda_g * weights_s)``.

    Within each group ``g`` the level ``lambda_g`` is the one at which the quotas of its strata
    add up to ``totals[g]``; a stratum with fewer items than its share gives all it has. Integer
    remainders go to the largest fractional parts, ties broken at random (``rng``).

    Args:
        counts: capacity per stratum.
        group: group index (``0..G-1``) per stratum.
        totals: draws per group, at most the group's capacity.
        weights: relative share per stratum (``None`` = equal).
        rng: generator for tie-breaking.

    Returns:
        Integer quotas per stratum.

    Raises:
        ValueError: a total is negative or larger than its group's capacity.
    """
    counts = np.asarray(counts, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    n_groups = len(totals)
    capacity = np.bincount(group, weights=counts, minlength=n_groups)
    if (totals < 0).any() or (totals > capacity + 0.5).any():
        bad = int(np.flatnonzero((totals < 0) | (totals > capacity + 0.5))[0])
        raise ValueError(
            f"n={int(totals[bad])} must lie between 0 and the {int(capacity[bad])} items available"
        )
    size = len(counts)
    if size == 0:
        return counts.copy()
    w = np.ones(size) if weights is None else np.asarray(weights, dtype=np.float64)
    w = np.where(counts > 0, np.maximum(w, 1e-12), 0.0)
    ratio = np.where(w > 0, counts / np.where(w > 0, w, 1.0), np.inf)
    order = np.lexsort((ratio, group))
    g = group[order]
    c = counts[order].astype(np.float64)
    ws = w[order]
    members = np.bincount(group, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(members)[:-1]])
    excl_c = np.cumsum(c) - c
    excl_w = np.cumsum(ws) - ws
    filled = members > 0
    base_c = np.zeros(n_groups)
    base_w = np.zeros(n_groups)
    base_c[filled] = excl_c[start[filled]]
    base_w[filled] = excl_w[start[filled]]
    total_w = np.bincount(group, weights=w, minlength=n_groups)
    # With the strata before this one (in ratio order) saturated, the level that spends the total
    rest_w = total_w[g] - (excl_w - base_w[g])
    with np.errstate(divide="ignore", invalid="ignore"):
        level = (totals[g] - (excl_c - base_c[g])) / rest_w
    candidate = np.where(level <= ratio[order], np.arange(size), size)
    first = np.full(n_groups, size)
    first[filled] = np.minimum.reduceat(candidate, start[filled])
    lam = np.full(n_groups, np.inf)  # no level found: the group gives everything
    found = first < size
    lam[found] = level[first[found]]
    quota_f = np.minimum(counts, lam[group] * w)
    quota = np.minimum(np.floor(quota_f + 1e-9).astype(np.int64), counts)
    remainder = totals - np.bincount(group, weights=quota, minlength=n_groups).astype(np.int64)
    if (remainder != 0).any():
        rng = rng or np.random.default_rng(0)
        noise = rng.random(size)
        frac = np.where(quota < counts, quota_f - quota, -np.inf)
        ranked = np.lexsort((noise, -frac, group))
        rank = np.arange(size) - start[group[ranked]]
        give = (rank < remainder[group[ranked]]) & (frac[ranked] > -np.inf)
        quota[ranked[give]] += 1
        # float rounding overshoot: take back from the largest quotas
        ranked = np.lexsort((noise, -quota, group))
        rank = np.arange(size) - start[group[ranked]]
        quota[ranked[rank < -remainder[group[ranked]]]] -= 1
    return quota


def nested_quotas(
    axis_codes: Sequence[np.ndarray],
    stratum: np.ndarray,
    capacity: np.ndarray,
    n: int,
    weigh: object,
    rng: np.random.Generator,
) -> np.ndarray:
    """Quotas per joint stratum, water-filled one axis at a time.

    First ``n`` is spread over the categories of the first axis (spatial cells), then each
    cell's share over its categories of the second axis (time bins), and so on; the last level
    is the joint stratum, whose ``capacity`` (counts, after any cap) bounds every level above.

    Args:
        axis_codes: per axis, its code per row.
        stratum: joint stratum per row (``0..S-1``).
        capacity: capacity per joint stratum.
        n: total to draw.
        weigh: ``callable(capacities) -> weights`` for the strategy.
        rng: generator for tie-breaking.
    """
    n_strata = len(capacity)
    if n_strata == 0:
        return capacity.copy()
    _, first_row = np.unique(stratum, return_index=True)
    prefix = np.zeros(len(stratum), dtype=np.int64)
    parent_of_unit = np.zeros(1, dtype=np.int64)  # the root
    totals = np.array([n], dtype=np.int64)
    quota = totals
    unit_of_stratum = np.zeros(n_strata, dtype=np.int64)
    for codes in axis_codes:
        key = prefix * (int(codes.max()) + 1 if len(codes) else 1) + codes
        new_prefix = pd.factorize(key, sort=True)[0].astype(np.int64)
        unit_of_stratum = new_prefix[first_row]
        n_units = int(new_prefix.max()) + 1
        unit_capacity = np.bincount(unit_of_stratum, weights=capacity, minlength=n_units)
        parent_of_unit = np.zeros(n_units, dtype=np.int64)
        parent_of_unit[unit_of_stratum] = prefix[first_row]
        quota = allocate_grouped(
            unit_capacity.astype(np.int64),
            parent_of_unit,
            totals,
            weights=weigh(unit_capacity),  # type: ignore[operator]
            rng=rng,
        )
        totals = quota
        prefix = new_prefix
    return quota[unit_of_stratum]
