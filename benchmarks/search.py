"""Benchmark: in-process search over 205,150 items (bbox + datetime + caption text).

Baseline: a plain pystac loop (bbox overlap, datetime interval, substring over the lower-cased
captions) over a 20,000-item subset of pystac.Items, scaled to 205,150. Ours: gaia_geo.search over
the stac-geoparquet mirror of all 205,150 items (index warm; the cold load is printed too).

    .venv/bin/python benchmarks/search.py [--items 205150] [--pystac-subset 20000]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
import pystac

from gaia_geo.explore import search

_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "explore" / "data.py"
_spec = importlib.util.spec_from_file_location("explore_test_data", _DATA)
assert _spec is not None and _spec.loader is not None
_generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_generator)
make_items, write_parquet = _generator.make_items, _generator.write_parquet

BBOX = [-30.0, 40.0, 40.0, 80.0]
DATETIME = "2010-01-01T00:00:00Z/2020-12-31T23:59:59Z"
TEXT = "glacier"


def pystac_loop(items: list[pystac.Item]) -> list[str]:
    low = pd.Timestamp("2010-01-01T00:00:00Z").to_pydatetime()
    high = pd.Timestamp("2020-12-31T23:59:59Z").to_pydatetime()
    out = []
    for item in items:
        b = item.bbox or [0, 0, 0, 0]
        if not (b[0] <= BBOX[2] and b[2] >= BBOX[0] and b[1] <= BBOX[3] and b[3] >= BBOX[1]):
            continue
        start = item.datetime or item.common_metadata.start_datetime
        end = item.datetime or item.common_metadata.end_datetime
        if start is None or end is None or end < low or start > high:
            continue
        p = item.properties
        text = "\n".join([p.get("title", ""), p.get("description", ""), *p["gaia:captions"]])
        if TEXT in text.lower():
            out.append(item.id)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=205_150)
    parser.add_argument("--pystac-subset", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    t0 = time.perf_counter()
    items = make_items(args.items, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        mirror = Path(tmp) / "items.parquet"
        write_parquet(items, mirror)
        print(f"generated and wrote {args.items:,} items in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        first = search(mirror, bbox=BBOX, datetime=DATETIME, text=TEXT)
        cold = time.perf_counter() - t0
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            hits = search(mirror, bbox=BBOX, datetime=DATETIME, text=TEXT)
            times.append(time.perf_counter() - t0)
        ours = statistics.median(times)

        subset = [pystac.Item.from_dict(d) for d in items[: args.pystac_subset]]
        t0 = time.perf_counter()
        base_ids = pystac_loop(subset)
        base = (time.perf_counter() - t0) * args.items / len(subset)
        sub_hits = set(search(mirror, bbox=BBOX, datetime=DATETIME, text=TEXT)["id"]) & {
            i.id for i in subset
        }
        assert sub_hits == set(base_ids), "search and the pystac loop disagree"
        assert len(first) == len(hits)
    print(
        f"gaia_geo.search: {len(hits):,} hits of {args.items:,}; cold (load + index) {cold:.2f} s"
    )
    print(f"gaia_geo.search warm, median of {args.repeats}: {ours * 1000:.1f} ms")
    print(f"pystac loop over {len(subset):,} items scaled to {args.items:,}: {base * 1000:.0f} ms")
    print(f"speed-up: {base / ours:.0f}x")


if __name__ == "__main__":
    main()
