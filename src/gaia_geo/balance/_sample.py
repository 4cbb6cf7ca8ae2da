"""Stratified sampling: water-filling quotas per stratum, then one vectorised draw."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import Literal

import geopandas as gpd
import numpy as np

from ..stac._read_dask import is_dask
from ._allocate import allocate_grouped, nested_quotas
from ._frame import BalanceWarning, ItemsLike, load_items
from ._strata import MissingPolicy, Strata, TemporalBin, compute_strata

logger = logging.getLogger(__name__)

Strategy = Literal["uniform", "sqrt", "proportional"]


def allocate(
    counts: np.ndarray,
    n: int,
    *,
    weights: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Split ``n`` draws over strata: ``quota_s = min(counts_s, lambda * weights_s)``, summing to n.

    This is water-filling: the level ``lambda`` rises until the quotas add up to ``n``; a stratum
    with fewer items than its share gives all it has and the rest spreads over the others. The
    integer remainder goes to the largest fractional parts, ties broken at random (``rng``).

    Args:
        counts: items available per stratum (the capacity).
        n: total to draw, ``0 <= n <= counts.sum()``.
        weights: relative share per stratum (``1`` = uniform).
        rng: generator for tie-breaking.

    Returns:
        Integer quotas, ``0 <= quota <= counts``, summing to ``n``.
    """
    counts = np.asarray(counts, dtype=np.int64)
    return allocate_grouped(
        counts,
        np.zeros(len(counts), dtype=np.int64),
        np.array([n], dtype=np.int64),
        weights=weights,
        rng=rng,
    )


def draw(stratum: np.ndarray, quota: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pick ``quota[s]`` random rows of each stratum ``s``; returns sorted row positions."""
    if len(stratum) == 0:
        return np.zeros(0, dtype=np.int64)
    return smallest_draws(stratum, rng.random(len(stratum)), quota)


def smallest_draws(stratum: np.ndarray, draws: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """Sorted positions of the ``quota[s]`` smallest ``draws`` in each stratum ``s``.

    Equal draws go to the earlier position, so the rows of a chunk, or the candidates of
    several chunks in row order, are chosen as in the whole.
    """
    order = np.lexsort((draws, stratum))
    counts = np.bincount(stratum, minlength=len(quota))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ordered = stratum[order]
    rank = np.arange(len(stratum)) - starts[ordered]
    return np.sort(order[rank < quota[ordered]])


def _weights(counts: np.ndarray, strategy: Strategy) -> np.ndarray:
    if strategy == "uniform":
        return np.ones(len(counts))
    if strategy == "sqrt":
        return np.sqrt(counts.astype(np.float64))
    if strategy == "proportional":
        return counts.astype(np.float64)
    raise ValueError(
        f"strategy={strategy!r} is not supported; use 'uniform', 'sqrt' or 'proportional'"
    )


def balance(
    items: ItemsLike,
    n: int | None = None,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
    cap: int | None = None,
    strategy: Strategy = "uniform",
    seed: int = 0,
    missing: MissingPolicy = "drop",
    nested: bool = False,
) -> gpd.GeoDataFrame:
    """Select a spatially and temporally balanced subset of the items.

    Items are grouped into strata (spatial cell x temporal bin x each ``by`` column) and ``n`` of
    them are drawn: ``"uniform"`` spreads them as evenly over the strata as the data allow
    (water-filling: a stratum with too few items gives them all and the others share the rest),
    ``"sqrt"`` in proportion to the square root of each stratum's size, ``"proportional"`` as a
    plain random sample. ``cap`` bounds every stratum. Polygons count at a representative point.

    Args:
        items: a frame as ``gaia_geo.read_catalog`` returns it, or a catalog path; or a
            dask-geopandas frame (``read_catalog(path, engine="dask")``), balanced partition
            by partition into a lazy dask frame of the same subset.
        n: how many items to keep; ``None`` keeps up to ``cap`` per stratum (``cap`` is then
            required). More than the (capped) strata hold returns them all with a BalanceWarning.
        spatial: ``"h3:<res>"``, ``"grid:<km>"``, ``"country"``, ``"continent"`` or ``"none"``.
        temporal: ``"year"``, ``"month"``, ``"season"``, ``"decade"`` or ``"none"``.
        by: extra stratum columns, e.g. ``("constellation", "gaia:resolution_class")``.
        cap: the most items any one stratum may give.
        strategy: ``"uniform"``, ``"sqrt"`` or ``"proportional"``.
        seed: random seed; the same seed and input give the same subset.
        missing: items without a geometry or date: ``"drop"`` (logged, and counted by
            ``balance_report``) or ``"unknown"`` (an ``unknown`` cell/bin of their own).
        nested: spread ``n`` over the spatial cells first, then each cell's share over its time
            bins, then over the ``by`` columns (evener per axis, above all in space); by default
            (``False``) ``n`` is spread over the joint strata at once.

    Returns:
        The selected rows, in input order, with the same columns and CRS (a lazy dask frame
        for a dask input: ``.compute()`` gives the in-memory result).

    Raises:
        ValueError: bad ``n``, ``cap``, spec or strategy.

    Example:
        >>> subset = gaia_geo.balance(frame, n=10_000, spatial="h3:2")  # doctest: +SKIP
    """
    check_counts(n, cap)
    if is_dask(items):
        from ._dask import balance_dask

        return balance_dask(
            items,
            n,
            spatial=spatial,
            temporal=temporal,
            by=by,
            cap=cap,
            strategy=strategy,
            seed=seed,
            missing=missing,
            nested=nested,
        )
    frame = load_items(items)
    strata = compute_strata(frame, spatial=spatial, temporal=temporal, by=by, missing=missing)
    rows = choose_rows(strata, n, cap=cap, strategy=strategy, seed=seed, nested=nested)
    return frame.iloc[rows]


def check_counts(n: int | None, cap: int | None) -> None:
    """Raise ValueError for a bad ``n`` or ``cap`` (see :func:`balance`)."""
    if n is not None and (isinstance(n, bool) or int(n) != n or n < 0):
        raise ValueError(f"n={n!r} must be a non-negative integer or None")
    if cap is not None and (isinstance(cap, bool) or int(cap) != cap or cap < 1):
        raise ValueError(f"cap={cap!r} must be a positive integer or None")
    if n is None and cap is None:
        raise ValueError("give n (how many items to keep), cap (the most per stratum), or both")


def choose_rows(
    strata: Strata,
    n: int | None,
    *,
    cap: int | None,
    strategy: Strategy,
    seed: int,
    nested: bool,
) -> np.ndarray:
    """The row positions :func:`balance` keeps, sorted: quotas per stratum, then one draw."""
    log_dropped(strata, len(strata.eligible))
    rng = np.random.default_rng(seed)
    quota = stratum_quotas(strata, n, cap=cap, strategy=strategy, rng=rng, nested=nested)
    chosen = draw(strata.stratum, quota, rng)
    return np.flatnonzero(strata.eligible)[chosen]


def log_dropped(strata: Strata, total: int) -> None:
    """Log how many of ``total`` items the strata leave out, and why."""
    dropped = int(total - strata.counts().sum())
    if dropped:
        logger.warning(
            "balance: %d of %d items left out (no place: %d, no time: %d); "
            "pass missing='unknown' to keep them in an 'unknown' stratum",
            dropped,
            total,
            strata.missing["place"],
            strata.missing["time"],
        )


def stratum_quotas(
    strata: Strata,
    n: int | None,
    *,
    cap: int | None,
    strategy: Strategy,
    rng: np.random.Generator,
    nested: bool,
) -> np.ndarray:
    """How many items :func:`balance` draws from each joint stratum (``rng`` breaks ties).

    Only the per-stratum counts matter, so ``strata`` may hold one row per item or one row
    per stratum weighted by its count: the quotas, and what ``rng`` has drawn, are the same.
    """
    capacity = strata.counts() if cap is None else np.minimum(strata.counts(), cap)
    available = int(capacity.sum())
    wanted = available if n is None else int(n)
    if wanted > available:
        warnings.warn(
            f"balance: n={wanted} but the {strata.n_strata} strata hold only {available} items"
            + (f" at cap={cap}" if cap is not None else "")
            + "; returning all of them",
            BalanceWarning,
            stacklevel=4,
        )
        wanted = available
    if nested:
        codes = [axis.codes for axis in strata.axes]
        return nested_quotas(
            codes, strata.stratum, capacity, wanted, lambda c: _weights(c, strategy), rng
        )
    return allocate(capacity, wanted, weights=_weights(capacity, strategy), rng=rng)
