"""Balance metrics: normalised Shannon entropy, Gini, KL divergence from a target, per axis.

For the counts ``c_1..c_K`` of one axis over its reference categories (``p_i = c_i / sum c``):

- normalised entropy ``H = -sum p_i ln p_i / ln min(K, N)``, ``N = sum c`` (1 = as even as N
  items can be over K categories, 0 = all in one);
- Gini ``G = sum_i sum_j |c_i - c_j| / (2 K sum c)`` (0 = even, towards 1 = concentrated);
- ``KL(p || q) = sum p_i ln(p_i / q_i)`` in nats, ``q`` the target (uniform ``1/K`` by default).

The reference categories are those the items occupy, or, when a before and an after set are
given, those the *before* set occupies, so both are measured against the same support.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..stac._read_dask import is_dask
from ._frame import ItemsLike, load_items
from ._strata import MissingPolicy, Strata, TemporalBin, compute_strata

JOINT = "strata"


@dataclass(frozen=True)
class AxisStats:
    """Balance of one axis (``spatial``, ``temporal``, an extra column, or the joint ``strata``).

    Attributes:
        items: items counted.
        occupied: categories holding at least one item.
        categories: reference categories ``K`` the metrics use.
        entropy: normalised Shannon entropy (1 = as even as the item count allows).
        gini: Gini coefficient of the counts over the reference categories (0 = even).
        kl: KL divergence from the target distribution, nats (0 = on target).
        largest: label and count of the fullest category.
        smallest: label and count of the emptiest occupied category.
    """

    items: int
    occupied: int
    categories: int
    entropy: float
    gini: float
    kl: float
    largest: tuple[str, int]
    smallest: tuple[str, int]


@dataclass(frozen=True)
class BalanceReport:
    """Per-axis balance of a set of items, and of a second (balanced) set when given.

    Attributes:
        before: stats per axis of the first set.
        after: stats per axis of the second set, or ``None``.
        dropped: items of the first set left out for lack of a place/time (``place``, ``time``).
        settings: the strata settings used.
    """

    before: dict[str, AxisStats]
    after: dict[str, AxisStats] | None
    dropped: dict[str, int]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "settings": self.settings,
            "dropped": self.dropped,
            "before": {k: asdict(v) for k, v in self.before.items()},
            "after": None if self.after is None else {k: asdict(v) for k, v in self.after.items()},
        }

    def __str__(self) -> str:
        sides = [("before", self.before)] + ([("after", self.after)] if self.after else [])
        head = f"{'axis':<20}{'metric':<16}" + "".join(f"{name:>26}" for name, _ in sides)
        lines = [self._title(), head, "-" * len(head)]
        rows: list[tuple[str, Any]] = [
            ("items", lambda s: f"{s.items:,}"),
            ("occupied", lambda s: f"{s.occupied:,} / {s.categories:,}"),
            ("entropy (norm)", lambda s: f"{s.entropy:.3f}"),
            ("gini", lambda s: f"{s.gini:.3f}"),
            ("KL to target", lambda s: f"{s.kl:.3f}"),
            ("largest", lambda s: _cell(s.largest)),
            ("smallest", lambda s: _cell(s.smallest)),
        ]
        for axis in self.before:
            for i, (metric, show) in enumerate(rows):
                label = axis[:19] if i == 0 else ""
                cells = "".join(
                    f"{(show(stats[axis]) if axis in stats else '-'):>26}" for _, stats in sides
                )
                lines.append(f"{label:<20}{metric:<16}{cells}")
        if any(self.dropped.values()):
            fate = (
                "counted as 'unknown'" if self.settings.get("missing") == "unknown" else "left out"
            )
            lines.append(
                f"{fate}: {self.dropped.get('place', 0)} items without a place, "
                f"{self.dropped.get('time', 0)} without a time"
            )
        return "\n".join(lines)

    def _title(self) -> str:
        """What was measured: the strata, and the size of each set."""
        s = self.settings
        strata = " x ".join(
            str(part) for part in (s.get("spatial"), s.get("temporal"), *s.get("by", ())) if part
        )
        joint = self.before.get(JOINT)
        total = joint.items if joint else 0
        if self.after is None:
            return f"Balance of {total:,} items over {strata} strata"
        kept = self.after[JOINT].items if JOINT in self.after else 0
        return (
            f"Balance over {strata} strata: before = {total:,} items, after = a subset of "
            f"{kept:,} ({kept / max(1, total):.0%}), both measured over the before set's categories"
        )


def _cell(pair: tuple[str, int]) -> str:
    label, count = pair
    label = label if len(label) <= 15 else label[:14] + "~"
    return f"{label} ({count:,})"


def axis_counts(strata: Strata) -> dict[str, pd.Series]:
    """Items per occupied category, per axis and for the joint strata (label-indexed Series)."""
    out: dict[str, pd.Series] = {}
    for axis in strata.axes:
        counts = strata.axis_counts(axis.codes, len(axis.labels))
        keep = counts > 0
        out[axis.name] = pd.Series(counts[keep], index=axis.labels[keep].astype(str))
    out[JOINT] = pd.Series(strata.counts(), index=strata.stratum_labels().astype(str))
    return out


def axis_stats(
    counts: pd.Series,
    reference: Sequence[str] | None = None,
    target: Mapping[str, float] | None = None,
) -> AxisStats:
    """The metrics of one axis (see the module docstring for the formulas).

    Args:
        counts: items per category label.
        reference: the categories ``K`` to measure over (default: the occupied ones).
        target: target probability per label (default: uniform over the reference); normalised.
    """
    counts = counts[counts > 0]
    labels = list(reference) if reference is not None else list(counts.index)
    full = counts.reindex(pd.Index(labels).union(counts.index), fill_value=0)
    c = full.to_numpy(dtype=np.float64)
    k = len(c)
    total = c.sum()
    if total == 0 or k == 0:
        return AxisStats(0, 0, k, 0.0, 0.0, 0.0, ("-", 0), ("-", 0))
    p = c / total
    nz = p > 0
    reachable = min(k, int(total))  # n items spread over K categories fill at most n of them
    entropy = float(-(p[nz] * np.log(p[nz])).sum() / math.log(reachable)) if reachable > 1 else 1.0
    ranked = np.sort(c)
    gini = float((2 * np.arange(1, k + 1) - k - 1) @ ranked / (k * total))
    if target is None:
        q = np.full(k, 1.0 / k)
    else:
        q = np.array([float(target.get(str(label), 0.0)) for label in full.index])
        if q.sum() <= 0:
            raise ValueError("target gives no weight to any category of the items")
        q = q / q.sum()
    with np.errstate(divide="ignore"):
        kl = float(np.sum(p[nz] * (np.log(p[nz]) - np.log(q[nz]))))
    big = counts.idxmax()
    small = counts.idxmin()
    return AxisStats(
        items=int(total),
        occupied=int(nz.sum()),
        categories=k,
        entropy=max(0.0, min(1.0, entropy)),
        gini=max(0.0, gini),
        kl=max(0.0, kl),
        largest=(str(big), int(counts[big])),
        smallest=(str(small), int(counts[small])),
    )


def strata_of(
    items: ItemsLike,
    *,
    spatial: str,
    temporal: TemporalBin,
    by: Sequence[str],
    missing: MissingPolicy,
) -> Strata:
    """The strata of a frame, a catalog path or a dask frame (counted partition by partition)."""
    if is_dask(items):
        from ._dask import dask_strata

        return dask_strata(items, spatial=spatial, temporal=temporal, by=by, missing=missing)
    return compute_strata(
        load_items(items), spatial=spatial, temporal=temporal, by=by, missing=missing
    )


def balance_report(
    items: ItemsLike,
    after: ItemsLike | None = None,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
    missing: MissingPolicy = "drop",
    target: Mapping[str, Mapping[str, float]] | None = None,
) -> BalanceReport:
    """Measure how balanced a set of items is, and optionally a second set against it.

    Args:
        items: the (before) items: a frame or a catalog path, or a dask-geopandas frame (its
            strata are counted partition by partition; only the counts come back).
        after: a second set (e.g. the output of ``balance``), measured over the categories the
            first set occupies.
        spatial: spatial cell spec (as in ``balance``).
        temporal: temporal bin (as in ``balance``).
        by: extra columns.
        missing: ``"drop"`` or ``"unknown"`` (as in ``balance``).
        target: per axis name (``spatial``, ``temporal``, a column, ``strata``), the target
            probability of each category label; uniform over the reference categories otherwise.

    Returns:
        A BalanceReport; ``print(report)`` shows a table.

    Example:
        >>> print(gaia_geo.balance_report(frame, gaia_geo.balance(frame, n=100)))  # doctest: +SKIP
    """
    settings: dict[str, Any] = {
        "spatial": spatial,
        "temporal": temporal,
        "by": list((by,) if isinstance(by, str) else by),
        "missing": missing,
    }
    options: dict[str, Any] = {**settings, "by": tuple(settings["by"])}
    first = strata_of(items, **options)
    before_counts = axis_counts(first)
    targets = target or {}
    before = {
        name: axis_stats(counts, target=targets.get(name)) for name, counts in before_counts.items()
    }
    after_stats: dict[str, AxisStats] | None = None
    if after is not None:
        second = strata_of(after, **options)
        after_stats = {
            name: axis_stats(
                counts,
                reference=list(before_counts[name].index) if name in before_counts else None,
                target=targets.get(name),
            )
            for name, counts in axis_counts(second).items()
        }
    return BalanceReport(before, after_stats, dict(first.missing), settings)
