"""Benchmark gaia_geo.balance on 205,150 synthetic, skewed items against a naive groupby loop.

The input mimics GAIA's skew: most items in North America and Europe, later years denser. Both
methods stratify by the same H3 cells x years and draw the same water-filling quotas; the naive
one samples each stratum with a Python loop over ``DataFrame.groupby``. Prints the times, the
speed-up, peak memory, and the spatial/temporal normalised entropy before and after.

Run: ``.venv/bin/python benchmarks/balance.py [--items 205150] [--n 40000]``
"""

from __future__ import annotations

import argparse
import resource
import time

import geopandas as gpd
import numpy as np
import pandas as pd

import gaia_geo
from gaia_geo.balance._sample import _weights, allocate
from gaia_geo.balance._strata import compute_strata

#: (lon_min, lon_max, lat_min, lat_max, share): dense North America and Europe, a thin rest.
REGIONS = [
    (-125.0, -67.0, 25.0, 50.0, 0.38),
    (-10.0, 30.0, 36.0, 60.0, 0.30),
    (60.0, 140.0, 5.0, 45.0, 0.12),
    (-80.0, -35.0, -40.0, 5.0, 0.06),
    (-15.0, 50.0, -35.0, 30.0, 0.07),
    (112.0, 154.0, -40.0, -12.0, 0.04),
    (-180.0, 180.0, -60.0, 75.0, 0.03),
]


def synthetic_items(count: int, seed: int = 0) -> gpd.GeoDataFrame:
    """Skewed synthetic items: points, acquisition dates 1998-2024 growing ~15% a year."""
    rng = np.random.default_rng(seed)
    shares = np.array([r[4] for r in REGIONS])
    region = rng.choice(len(REGIONS), size=count, p=shares / shares.sum())
    box = np.array([r[:4] for r in REGIONS])[region]
    lon = rng.uniform(box[:, 0], box[:, 1])
    lat = rng.uniform(box[:, 2], box[:, 3])
    years = np.arange(1998, 2025)
    weights = 1.15 ** (years - years[0])
    year = rng.choice(years, size=count, p=weights / weights.sum())
    seconds = rng.integers(0, 365 * 86400, size=count)
    stamps = pd.to_datetime(year.astype(str), utc=True) + pd.to_timedelta(seconds, unit="s")
    return gpd.GeoDataFrame(
        {
            "id": [f"item-{i:06d}" for i in range(count)],
            "datetime": stamps,
            "constellation": rng.choice(["landsat", "sentinel-2", "modis", "iss"], size=count),
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )


def naive_balance(frame: gpd.GeoDataFrame, n: int, seed: int) -> gpd.GeoDataFrame:
    """The baseline: the same strata and quotas, then one groupby-sample per stratum."""
    strata = compute_strata(frame, spatial="h3:2", temporal="year")
    keyed = frame.assign(_stratum=strata.stratum)
    counts = keyed.groupby("_stratum").size()
    rng = np.random.default_rng(seed)
    quota = allocate(counts.to_numpy(), n, weights=_weights(counts.to_numpy(), "uniform"), rng=rng)
    quotas = dict(zip(counts.index, quota, strict=True))
    parts = [
        group.sample(n=int(quotas[key]), random_state=seed)
        for key, group in keyed.groupby("_stratum")
    ]
    return pd.concat(parts).drop(columns="_stratum")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=205_150)
    parser.add_argument("--n", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--figure", help="also write the before/after balance figure (PNG) here")
    args = parser.parse_args()

    frame = synthetic_items(args.items, args.seed)
    gaia_geo.balance(frame.iloc[:1000], n=100)  # warm caches (imports) outside the timing

    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        ours = gaia_geo.balance(frame, n=args.n, spatial="h3:2", temporal="year", seed=args.seed)
        best = min(best, time.perf_counter() - start)
    start = time.perf_counter()
    nested = gaia_geo.balance(frame, n=args.n, spatial="h3:2", temporal="year", nested=True)
    nested_s = time.perf_counter() - start
    start = time.perf_counter()
    naive = naive_balance(frame, args.n, args.seed)
    naive_s = time.perf_counter() - start
    start = time.perf_counter()
    splits = gaia_geo.split(frame, block="h3:3", seed=args.seed)
    split_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    report = gaia_geo.balance_report(frame, ours, spatial="h3:2", temporal="year")
    nested_report = gaia_geo.balance_report(frame, nested, spatial="h3:2", temporal="year")
    print(f"items {len(frame):,} -> {len(ours):,} (naive {len(naive):,})")
    print(f"gaia_geo.balance   {best:.3f} s (best of 3)")
    print(f"  nested=True      {nested_s:.3f} s")
    print(f"naive groupby loop {naive_s:.3f} s")
    print(f"speed-up           {naive_s / best:.1f}x")
    print(f"peak memory (RSS)  {peak_mb:.0f} MB")
    shares = splits["ml-aoi:split"].value_counts(normalize=True).round(3).to_dict()
    print(f"gaia_geo.split     {split_s:.3f} s (h3:3 blocks, all {len(frame):,} items) {shares}")
    for axis in ("spatial", "temporal", "strata"):
        before = report.before[axis].entropy
        after = report.after[axis].entropy if report.after else float("nan")
        after_nested = nested_report.after[axis].entropy if nested_report.after else float("nan")
        print(
            f"{axis:9s} normalised entropy before {before:.3f} after {after:.3f} "
            f"(nested {after_nested:.3f})"
        )
    if args.figure:
        from gaia_geo.balance._figures import plot_balance, save_figure

        save_figure(plot_balance(frame, ours), args.figure)
        print(f"wrote {args.figure}")
    if report.after is None or report.after["spatial"].entropy <= report.before["spatial"].entropy:
        raise SystemExit("balance did not improve the spatial entropy")


if __name__ == "__main__":
    main()
