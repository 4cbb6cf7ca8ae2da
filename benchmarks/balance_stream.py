"""Out-of-core balancing: ``balance_parquet`` vs ``read_catalog`` + ``balance``, memory and time.

Writes ``--items`` realistic items (five captions, assets, links, polygon footprints; the
generator of ``catalog_io.py``) as ``--parts`` stac-geoparquet partitions in one folder, one part
at a time, then runs each method in a fresh
interpreter and reports its wall time and peak resident memory (``VmHWM``), and checks that
both keep the same items. The in-memory path holds every whole row; the streamed one holds a
representative point, an instant and the ``by`` values per item, plus the chosen rows.

The in-memory path reads each partition with ``read_catalog`` and concatenates them, as a user
would; the streamed one takes the folder.

Run: ``.venv/bin/python benchmarks/balance_stream.py [--items 205150] [--parts 1] [--n 40000]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from catalog_io import synthetic_items  # benchmarks/ is on sys.path when run as a script
from gaia_geo.stac._write import write_geoparquet

RUN = """
import json, sys, time
import gaia_geo
import gaia_geo.balance, gaia_geo.stac  # the imports' memory is the floor, counted apart

def mb(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) / 1024

path, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
floor = mb("VmRSS")
start = time.perf_counter()
if mode == "memory":
    import pandas as pd
    from pathlib import Path
    parts = [gaia_geo.read_catalog(p) for p in sorted(Path(path).glob("*.parquet"))]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    subset = gaia_geo.balance(frame, n=n, spatial="h3:2", temporal="year")
else:
    subset = gaia_geo.balance_parquet(path, n=n, spatial="h3:2", temporal="year")
seconds = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would carry the parent's over fork + exec)
peak = mb("VmHWM") - floor
result = {"seconds": seconds, "peak_mb": peak, "floor_mb": floor}
print(json.dumps({**result, "ids": sorted(subset["id"])}))
"""


def measure(path: Path, n: int, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RUN, str(path), str(n), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=205_150)
    parser.add_argument("--n", type=int, default=40_000)
    parser.add_argument("--parts", type=int, default=1, help="partition files to write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gaia-balance-stream-") as tmp:
        path = Path(tmp) / "parts"
        path.mkdir()
        start = time.perf_counter()
        per_part = -(-args.items // args.parts)
        for part in range(args.parts):  # one part in memory at a time
            count = min(per_part, args.items - part * per_part)
            items = synthetic_items(count, seed=part)
            for item in items:
                item["id"] = f"p{part:03d}-{item['id']}"
            write_geoparquet(path / f"part-{part:03d}.parquet", items)
            del items
        size = sum(p.stat().st_size for p in path.iterdir()) / 2**20
        print(
            f"{args.items} items written as {args.parts} part(s) in "
            f"{time.perf_counter() - start:.1f} s ({size:.0f} MB)"
        )
        baseline = measure(path, args.n, "memory")
        ours = measure(path, args.n, "stream")
    assert ours["ids"] == baseline["ids"], "the two methods kept different items"
    print(f"balance {args.items} -> {args.n} (h3:2 x year); the same {args.n} items kept by both")
    print(f"(peak resident memory above the {ours['floor_mb']:.0f} MB the imports take)")
    for name, result in (("read_catalog + balance", baseline), ("balance_parquet", ours)):
        print(f"{name:24s} {result['seconds']:6.2f} s   peak {result['peak_mb']:6.0f} MB")
    print(
        f"memory: {baseline['peak_mb'] / ours['peak_mb']:.1f}x less; "
        f"time: {baseline['seconds'] / ours['seconds']:.2f}x"
    )


if __name__ == "__main__":
    main()
