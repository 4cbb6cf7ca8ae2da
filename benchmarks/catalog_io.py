"""Catalog I/O at GAIA scale: 205,150 synthetic items with five captions each.

Measures, in one run:
- writing the static catalog with ``gaia_geo.write_catalog`` (all items) vs pystac's defaults
  (``normalize_hrefs`` + ``save(SELF_CONTAINED)``) on a subset (2,000 by default: pystac 1.15
  resolves every link through the whole hierarchy, so its time grows faster than linearly and a
  20,000-item save takes over 15 minutes here), scaled linearly, which flatters pystac;
- reading the items into a GeoDataFrame from the GeoParquet mirrors (``gaia_geo.read_catalog``) vs
  reading 20,000 static JSON Items (one sub-catalog of ours) with pystac, scaled linearly.

The read includes the check that each mirror still matches its Item JSON (a ``stat()`` per Item
file; see ``gaia_geo.stac._fingerprint``), as every ``read_catalog`` call does.

Usage: python benchmarks/catalog_io.py [--items 205150] [--subset 20000] [--write-subset 2000]
       [--workdir DIR [--reuse]]   (--reuse: read the catalog an earlier run left in DIR)
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pystac

from gaia_geo.stac import CaptionProvenance, build_item, write_catalog


def synthetic_items(n: int, seed: int = 0) -> list[dict]:
    """n Item dicts like real gaia_geo items (five captions, a remote image), varied by seed."""
    rng = np.random.default_rng(seed)
    template = build_item(
        "template",
        geometry={"type": "Point", "coordinates": [0.0, 0.0]},
        datetime=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        sensor="sentinel-2-msi",
        captions=[
            f"The image showcases: a high-resolution multispectral view number {k} of a river "
            "delta where sediment plumes spread into the sea and farmland lines the channels."
            for k in range(5)
        ],
        provenance=CaptionProvenance(
            "openai", "gpt-4o-2024-08-06", "gaia-v1", dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
        ),
        image="https://example.org/images/template.png",
        source_url="https://example.org/articles/template",
        location="Somewhere, Earth",
        tags=["delta", "river", "sediment"],
        credits="NASA Earth Observatory",
        split="train",
    ).to_dict(include_self_link=False)
    lons = rng.uniform(-179, 179, n)
    lats = rng.uniform(-70, 70, n)
    days = rng.integers(0, 365 * 26, n)
    splits = rng.choice(["train", "validate", "test"], n, p=[0.7, 0.1, 0.2])
    base = dt.datetime(1998, 1, 1, tzinfo=dt.UTC)
    items = []
    for i in range(n):
        item = copy.deepcopy(template)
        item["id"] = f"item-{i:06d}"
        x, y = float(lons[i]), float(lats[i])
        item["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]],
        }
        item["bbox"] = [x, y, x + 0.1, y + 0.1]
        props = item["properties"]
        when = base + dt.timedelta(days=int(days[i]))
        props["datetime"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        props["ml-aoi:split"] = str(splits[i])
        props["gaia:captions"] = [f"{c} (#{i})" for c in props["gaia:captions"]]
        props["description"] = props["gaia:captions"][0]
        item["assets"]["image"]["href"] = f"https://example.org/images/{i}.png"
        items.append(item)
    return items


def _timed_in_subprocess(code: str, root: Path) -> float:
    """Run ``code`` (which sets ``t``) in a fresh interpreter with ``ROOT``; return ``t``."""
    script = f"import time\nROOT = {str(root)!r}\n{code}\nprint(t)\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _writes(args: argparse.Namespace, work: Path, write_scale: float) -> tuple[float, float]:
    """Write the catalog with gaia_geo, and a subset with pystac; return both times (scaled)."""
    t = time.perf_counter()
    items = synthetic_items(args.items)
    print(f"generated {len(items):,} items in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    write_catalog(items, work / "ours", progress=True)
    ours_write = time.perf_counter() - t
    print(f"gaia_geo.write_catalog, {args.items:,} items: {ours_write:.1f} s")

    subset = [copy.deepcopy(i) for i in items[: args.write_subset]]
    del items
    t = time.perf_counter()
    catalog = pystac.Catalog("baseline", "pystac defaults")
    catalog.add_items([pystac.Item.from_dict(d) for d in subset])
    catalog.normalize_hrefs(str(work / "pystac"))
    catalog.save(pystac.CatalogType.SELF_CONTAINED)
    base_write = (time.perf_counter() - t) * write_scale
    print(
        f"pystac defaults, {args.write_subset:,} items: {base_write / write_scale:.1f} s "
        f"-> {base_write:.0f} s scaled linearly to {args.items:,}"
    )
    return ours_write, base_write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=205_150)
    parser.add_argument("--subset", type=int, default=20_000, help="items pystac reads")
    parser.add_argument("--write-subset", type=int, default=2_000, help="items pystac writes")
    parser.add_argument("--workdir", type=Path, default=None, help="kept after the run")
    parser.add_argument(
        "--reuse", action="store_true", help="read the catalog in --workdir; skip the writes"
    )
    args = parser.parse_args()
    if args.reuse and not (args.workdir and (args.workdir / "ours" / "catalog.json").is_file()):
        parser.error("--reuse needs a --workdir that holds an earlier run's ours/catalog.json")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="gaia-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    write_scale = args.items / args.write_subset
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    ours_write = base_write = float("nan")
    try:
        if not args.reuse:
            ours_write, base_write = _writes(args, work, write_scale)

        # Reads run in fresh processes, as a user opening a catalog would (imports not timed).
        ours_runs = [
            _timed_in_subprocess(
                "import gaia_geo.stac as s\n"
                "t = time.perf_counter(); f = s.read_catalog(ROOT); t = time.perf_counter() - t\n"
                f"assert len(f) == {args.items}",
                work / "ours",
            )
            for _ in range(3)
        ]
        ours_read = statistics.median(ours_runs)
        print(
            f"gaia_geo.read_catalog (GeoParquet), {args.items:,} items: {ours_read:.2f} s "
            f"(median of {', '.join(f'{r:.2f}' for r in ours_runs)})"
        )

        part = work / "ours" / "train" / "part-0001" / "catalog.json"
        if not part.exists():  # small runs have no sub-catalogs
            part = work / "ours" / "train" / "collection.json"
        # islice stops pystac's lazy walk after --subset Items (not only the count)
        pystac_part = _timed_in_subprocess(
            "import itertools, pystac\n"
            "t = time.perf_counter()\n"
            "items = pystac.read_file(ROOT).get_items(recursive=True)\n"
            f"n = sum(1 for _ in itertools.islice(items, {args.subset}))\n"
            "t = (time.perf_counter() - t) / n",
            part,
        )
        base_read = pystac_part * args.items
        read = min(args.subset, 20_000, args.items)
        print(
            f"pystac static JSON read, {read:,} items: {pystac_part * read:.1f} s "
            f"-> {base_read:.0f} s scaled linearly to {args.items:,}"
        )
        print()
        if not args.reuse:
            print(
                f"write: ours {ours_write:.1f} s vs pystac {base_write:.0f} s "
                f"-> {base_write / ours_write:.1f}x faster"
            )
        print(
            f"read:  ours {ours_read:.2f} s vs pystac {base_read:.0f} s "
            f"-> {base_read / ours_read:.0f}x faster"
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
