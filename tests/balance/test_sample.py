from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

import gaia_geo
from gaia_geo.balance import BalanceWarning, balance, balance_report
from gaia_geo.balance._sample import allocate
from gaia_geo.balance._strata import compute_strata


def test_allocate_water_filling() -> None:
    rng = np.random.default_rng(0)
    assert allocate(np.array([1, 5, 10]), 9, rng=rng).tolist() == [1, 4, 4]
    assert allocate(np.array([1, 5, 10]), 16, rng=rng).tolist() == [1, 5, 10]
    assert allocate(np.array([3, 3]), 0, rng=rng).tolist() == [0, 0]
    # sqrt weights: 100 and 4 items -> shares 10:2 of 6
    assert allocate(np.array([100, 4]), 6, weights=np.sqrt([100, 4]), rng=rng).tolist() == [5, 1]
    with pytest.raises(ValueError, match="between 0 and"):
        allocate(np.array([1, 2]), 4)


def test_allocate_properties_random() -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        counts = rng.integers(1, 60, size=rng.integers(1, 40))
        n = int(rng.integers(0, counts.sum() + 1))
        quota = allocate(counts, n, rng=rng)
        assert quota.sum() == n
        assert (quota >= 0).all() and (quota <= counts).all()
        open_ = quota < counts  # strata not exhausted differ by at most one
        if open_.any():
            assert quota[open_].max() - quota[open_].min() <= 1
            assert quota[open_].min() >= quota[~open_].max(initial=0) - 1


def test_balance_is_deterministic_subset(items: gpd.GeoDataFrame) -> None:
    first = balance(items, 120, spatial="h3:1", temporal="year", seed=3)
    again = balance(items, 120, spatial="h3:1", temporal="year", seed=3)
    other = balance(items, 120, spatial="h3:1", temporal="year", seed=4)
    assert len(first) == 120
    assert first.index.equals(again.index)
    assert not first.index.equals(other.index)
    assert list(first.columns) == list(items.columns) and first.crs == items.crs
    assert first.index.isin(items.index).all() and first.index.is_monotonic_increasing
    # items without a place or a date are left out under the default policy
    assert not first.geometry.isna().any()


def test_balance_evens_out_skewed_items(skewed_items: gpd.GeoDataFrame) -> None:
    frame = skewed_items
    subset = balance(frame, 600, spatial="h3:1", temporal="year")
    report = balance_report(frame, subset, spatial="h3:1", temporal="year")
    assert report.after is not None
    for axis in ("spatial", "temporal", "strata"):
        assert report.after[axis].entropy > report.before[axis].entropy + 0.02, axis
        assert report.after[axis].gini < report.before[axis].gini, axis
    strata = compute_strata(subset, spatial="h3:1", temporal="year")
    sizes = np.bincount(strata.stratum)
    full = np.bincount(compute_strata(frame, spatial="h3:1", temporal="year").stratum)
    level = sizes.max()
    assert level - 1 <= np.sort(sizes)[len(sizes) // 2]  # most strata sit at the water level
    assert full.max() > 3 * level  # ... far below the densest stratum of the input


def test_cap_and_n_none(items: gpd.GeoDataFrame) -> None:
    capped = balance(items, None, spatial="h3:0", temporal="none", cap=2)
    sizes = np.bincount(compute_strata(capped, spatial="h3:0", temporal="none").stratum)
    full = np.bincount(compute_strata(items, spatial="h3:0", temporal="none").stratum)
    assert sizes.max() == 2 and len(capped) == np.minimum(full, 2).sum()
    with pytest.raises(ValueError, match="give n"):
        balance(items)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="n="):
            balance(items, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cap="):
        balance(items, 10, cap=0)
    with pytest.raises(ValueError, match="strategy"):
        balance(items, 10, strategy="random")  # type: ignore[arg-type]


def test_n_larger_than_data_warns(items: gpd.GeoDataFrame) -> None:
    with pytest.warns(BalanceWarning, match="hold only 396"):
        everything = balance(items, 10_000)
    assert len(everything) == 396


def test_missing_unknown_keeps_items(items: gpd.GeoDataFrame) -> None:
    kept = balance(items, None, cap=1000, missing="unknown")
    assert len(kept) == len(items)
    assert kept.geometry.isna().sum() == 2


def test_sqrt_and_proportional(items: gpd.GeoDataFrame) -> None:
    uniform = balance(items, 100, spatial="continent", temporal="none")
    sqrt = balance(items, 100, spatial="continent", temporal="none", strategy="sqrt")
    proportional = balance(
        items, 100, spatial="continent", temporal="none", strategy="proportional"
    )

    def europe(frame: gpd.GeoDataFrame) -> int:
        strata = compute_strata(frame, spatial="continent", temporal="none")
        return int((strata.axes[0].labels[strata.axes[0].codes] == "Europe").sum())

    assert europe(uniform) < europe(sqrt) < europe(proportional)


def test_by_extra_columns(items: gpd.GeoDataFrame) -> None:
    subset = balance(items, 60, spatial="none", temporal="none", by=("constellation",))
    counts = subset["constellation"].value_counts()
    assert counts.max() - counts.min() <= 1  # modis is rare in the input, even here


def test_catalog_path_and_top_level_name(demo_catalog: Path) -> None:
    importlib.import_module("gaia_geo.balance._strata")  # the package import must not hide it
    subset = gaia_geo.balance(demo_catalog, n=10, spatial="h3:0", temporal="year")
    assert len(subset) == 10 and "gaia:captions" in subset.columns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert callable(gaia_geo.balance_report)


def test_allocate_grouped_matches_one_group_at_a_time() -> None:
    from gaia_geo.balance._allocate import allocate_grouped

    rng = np.random.default_rng(2)
    counts = rng.integers(1, 30, 200)
    group = np.sort(rng.integers(0, 12, 200))
    capacity = np.bincount(group, weights=counts, minlength=12).astype(int)
    totals = (capacity * rng.uniform(0, 1, 12)).astype(int)
    weights = np.sqrt(counts)
    quota = allocate_grouped(counts, group, totals, weights=weights, rng=rng)
    assert (np.bincount(group, weights=quota, minlength=12) == totals).all()
    for g in range(12):
        mine = group == g
        alone = allocate(counts[mine], int(totals[g]), weights=weights[mine], rng=rng)
        # same water level: equal up to the random placement of the integer remainder
        assert np.abs(np.sort(quota[mine] - alone)).max() <= 1
    with pytest.raises(ValueError, match="between 0 and"):
        allocate_grouped(counts, group, capacity + 1)


def test_nested_spreads_space_first(skewed_items: gpd.GeoDataFrame) -> None:
    frame = skewed_items
    joint = balance(frame, 600, spatial="h3:1", temporal="year")
    nested = balance(frame, 600, spatial="h3:1", temporal="year", nested=True)
    per_cell = compute_strata(nested, spatial="h3:1", temporal="none").stratum
    sizes = np.bincount(per_cell)
    assert sizes.max() - np.median(sizes) <= 1  # one or two items per cell
    r_joint = balance_report(frame, joint, spatial="h3:1", temporal="year")
    r_nested = balance_report(frame, nested, spatial="h3:1", temporal="year")
    assert r_joint.after is not None and r_nested.after is not None
    assert r_nested.after["spatial"].entropy > r_joint.after["spatial"].entropy + 0.03
    assert r_nested.after["spatial"].occupied > r_joint.after["spatial"].occupied
