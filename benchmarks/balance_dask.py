"""Balancing with Dask vs ``balance_parquet``: wall time and peak memory, the same subset.

Writes ``--items`` realistic items (five captions, assets, links, polygon footprints; the
generator of ``catalog_io.py``) as ``--parts`` hive-style stac-geoparquet partitions
(``split=train/part-000.parquet``), one part at a time, then balances them to ``--n`` items
(h3:2 x year) in a fresh interpreter per method:

- ``balance_parquet``: the streamed, single-process path;
- ``dask sync``: ``balance(read_catalog(folder, engine="dask"))`` on dask's synchronous scheduler;
- ``dask threads``: the same on a ``distributed.LocalCluster`` of ``--workers`` thread workers
  (one process, so its peak memory is the whole cluster's).

Each reports its wall time and the process's peak resident memory (``VmHWM``) above the
imports, and all must keep the same items. The default size is small; the figures in
``docs/balance.md`` come from ``--items 1000000 --n 100000 --parts 20``.

Run: ``.venv/bin/python benchmarks/balance_dask.py [--items 200000] [--n 20000] [--parts 8]
[--methods parquet,sync,cluster]`` (at 10M: ``--items 10000000 --n 1000000 --parts 200``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from catalog_io import synthetic_items  # benchmarks/ is on sys.path when run as a script
from gaia_geo.stac._write import write_geoparquet

RUN = """
import json, sys, time
import gaia_geo, gaia_geo.balance, gaia_geo.stac
import dask, dask_geopandas, distributed  # the imports' memory is the floor, counted apart

def mb(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) / 1024

path, n, mode, workers = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
settings = {"n": n, "spatial": "h3:2", "temporal": "year"}
floor = mb("VmRSS")
start = time.perf_counter()
if mode == "parquet":
    subset = gaia_geo.balance_parquet(path, **settings)
elif mode == "sync":
    with dask.config.set(scheduler="synchronous"):
        subset = gaia_geo.balance(gaia_geo.read_catalog(path, engine="dask"), **settings).compute()
else:
    from distributed import Client, LocalCluster
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster, Client(cluster):
        subset = gaia_geo.balance(gaia_geo.read_catalog(path, engine="dask"), **settings).compute()
seconds = time.perf_counter() - start
peak = mb("VmHWM") - floor  # this process's own peak
print(json.dumps({"seconds": seconds, "peak_mb": peak, "floor_mb": floor,
                  "ids": list(subset["id"])}))
"""

SPLITS = ("train", "validate", "test")


def measure(path: Path, n: int, mode: str, workers: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RUN, str(path), str(n), mode, str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _variant(table: pa.Table, part: int, rows: int) -> pa.Table:
    """The first ``rows`` of ``table`` as another part: new ids, moved footprints and dates."""
    rng = np.random.default_rng(1000 + part)
    table = table.slice(0, rows)
    ids = pc.binary_join_element_wise(f"p{part:03d}-", table.column("id"), "")
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    dx, dy = rng.uniform(-3, 3, rows), rng.uniform(-3, 3, rows)
    counts = shapely.get_num_coordinates(geoms)
    shift = np.column_stack([np.repeat(dx, counts), np.repeat(dy, counts)])
    moved = shapely.transform(geoms, lambda xy: np.clip(xy + shift, [-180, -85], [180, 85]))
    bounds = shapely.bounds(moved)
    bbox = pa.StructArray.from_arrays(
        [pa.array(bounds[:, i]) for i in range(4)], names=["xmin", "ymin", "xmax", "ymax"]
    )
    days = pa.array(rng.integers(-1500, 1500, rows).astype("timedelta64[D]").astype("m8[us]"))
    stamps = pc.add(table.column("datetime"), days)
    for name, column in (
        ("id", ids),
        ("geometry", pa.array(shapely.to_wkb(moved), pa.binary())),
        ("bbox", bbox),
        ("datetime", stamps),
    ):
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(index), column)
    return table


def write_parts(path: Path, items: int, parts: int) -> None:
    """``items`` synthetic items as ``parts`` hive-style partitions.

    One part of realistic items is generated, then each partition is a variant of it (new ids,
    footprints moved by up to 3 degrees, dates by up to 4 years): generating 1M Items one by
    one would take longer than the benchmark.
    """
    per_part = -(-items // parts)
    base_file = path.parent / "base.parquet"
    write_geoparquet(base_file, synthetic_items(per_part, seed=0))
    base = pq.read_table(base_file)
    for part in range(parts):
        count = min(per_part, items - part * per_part)
        if count <= 0:
            break
        folder = path / f"split={SPLITS[part % 3]}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            _variant(base, part, count), folder / f"part-{part:03d}.parquet", compression="zstd"
        )
    base_file.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--parts", type=int, default=8, help="partition files to write")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster thread workers")
    parser.add_argument(
        "--methods", default="parquet,sync,cluster", help="which to run, comma-separated"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gaia-balance-dask-") as tmp:
        path = Path(tmp) / "items"
        start = time.perf_counter()
        write_parts(path, args.items, args.parts)
        size = sum(p.stat().st_size for p in path.rglob("*.parquet")) / 2**20
        print(
            f"{args.items} items written as {args.parts} partitions in "
            f"{time.perf_counter() - start:.1f} s ({size:.0f} MB)",
            flush=True,
        )
        names = {
            "parquet": "balance_parquet",
            "sync": "dask sync",
            "cluster": f"dask {args.workers} threads",
        }
        chosen = [m for m in args.methods.split(",") if m]
        unknown = sorted(set(chosen) - set(names))
        if unknown:
            parser.error(f"--methods: unknown {unknown}; use parquet, sync, cluster")
        results = {}
        for method in chosen:
            results[names[method]] = found = measure(path, args.n, method, args.workers)
            print(
                f"  {names[method]}: {found['seconds']:.2f} s, {found['peak_mb']:.0f} MB",
                flush=True,
            )
    first = next(iter(results.values()))["ids"]
    assert all(r["ids"] == first for r in results.values()), "the methods kept different items"
    print(f"balance {args.items} -> {args.n} (h3:2 x year); the same {len(first)} kept by all")
    floor = max(r["floor_mb"] for r in results.values())
    print(f"(peak resident memory above the ~{floor:.0f} MB the imports take)")
    for name, result in results.items():
        print(f"{name:20s} {result['seconds']:6.2f} s   peak {result['peak_mb']:6.0f} MB")


if __name__ == "__main__":
    main()
