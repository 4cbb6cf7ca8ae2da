"""Partitioned catalogs at scale: write, balance and search N generated realistic Items.

Generates ``--n`` Items column by column with pyarrow (no Python object per Item, so 10M fit):
five captions each on one of 24 topics, a polygon footprint (60% around 60 hot spots, the rest
spread over the globe), a date skewed to recent years (1998-2024), a split (70/10/20), a remote
image asset with its own URL, the sensor fields of ``catalog_io.py``'s items. Then, each step in
a fresh interpreter whose wall time and peak resident memory (``VmHWM``, the imports' floor
subtracted) are reported:

1. ``write``: ``gaia_geo.write_catalog(tables, layout="geoparquet")`` (generation included; its
   own time is printed apart);
2. ``balance``: ``gaia_geo.balance_parquet(root, n=--balance, spatial="h3:2", temporal="year")``;
3. ``search``: ``gaia_geo.search`` with bbox + datetime + text, cold (first) and warm (median of
   5), over the partitions (only the partitions and row groups that may match are read).

Run: ``.venv/bin/python benchmarks/scale.py [--n 200000] [--balance N/10] [--workdir DIR]``;
the figures of docs/scale.md come from ``--n 10000000 --balance 1000000``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TOPICS = (
    "glacier", "river delta", "wildfire", "volcano", "flood", "desert dunes", "coral reef",
    "city lights", "farmland", "hurricane", "sea ice", "deforestation", "harbor", "airport",
    "salt flats", "mountain range", "lake", "algal bloom", "dust storm", "snow cover",
    "mangroves", "open-pit mine", "solar farm", "canyon",
)  # fmt: skip
BBOX = [-10.0, 35.0, 30.0, 60.0]
DATETIME = "2015-01-01T00:00:00Z/2018-12-31T23:59:59Z"
TEXT = "glacier"


def _templates(count: int, seed: int) -> pa.Table:
    """``count`` template rows (built as Item dicts once) whose captions vary by topic."""
    from catalog_io import synthetic_items  # benchmarks/ is on sys.path when run as a script
    from gaia_geo.stac._arrow import items_to_arrow

    rng = np.random.default_rng(seed)
    items = synthetic_items(count, seed=seed)
    for number, item in enumerate(items):
        topic = TOPICS[int(rng.integers(len(TOPICS)))]
        props = item["properties"]
        props["title"] = f"{topic.capitalize()} seen from orbit ({number})"
        props["gaia:captions"] = [
            f"The image showcases: {topic} number {number}, view {k}, with "
            f"{int(rng.integers(2, 40))} distinct features across the scene." for k in range(5)
        ]  # fmt: skip
        props["description"] = props["gaia:captions"][0]
        props["gaia:tags"] = [topic, *props["gaia:tags"][:2]]
    return items_to_arrow(items)


def _with_child(struct: pa.Array, path: tuple[str, ...], value: pa.Array) -> pa.Array:
    """``struct`` with the child at ``path`` replaced by ``value``."""
    names = [f.name for f in struct.type]
    children = [
        (value if len(path) == 1 else _with_child(struct.field(i), path[1:], value))
        if name == path[0]
        else struct.field(i)
        for i, name in enumerate(names)
    ]
    return pa.StructArray.from_arrays(children, fields=list(struct.type), mask=struct.is_null())


def generate(n: int, chunk: int = 250_000, seed: int = 0) -> Iterator[pa.Table]:
    """``n`` realistic Items as Arrow tables of ``chunk`` rows (see the module's notes)."""
    import shapely

    templates = _templates(2_000, seed)
    rng = np.random.default_rng(seed + 1)
    hot = np.column_stack([rng.uniform(-170, 170, 60), rng.uniform(-60, 70, 60)])
    years = np.arange(1998, 2025)
    weights = np.linspace(1, 6, len(years))
    weights /= weights.sum()
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        table = templates.take(pa.array(rng.integers(0, len(templates), m)))
        clustered = rng.random(m) < 0.6
        spot = hot[rng.integers(0, len(hot), m)]
        x = np.where(clustered, spot[:, 0] + rng.normal(0, 4, m), rng.uniform(-179, 179, m))
        y = np.where(clustered, spot[:, 1] + rng.normal(0, 3, m), rng.uniform(-70, 75, m))
        x, y = np.clip(x, -179.5, 179.0), np.clip(y, -80.0, 79.0)
        size = rng.uniform(0.05, 0.5, m)
        ids = np.char.add("item-", np.char.zfill(np.arange(start, start + m).astype(str), 9))
        year = rng.choice(years, m, p=weights)
        days = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(
            0, 365, m
        ).astype("timedelta64[D]")
        stamps = days.astype("datetime64[us]") + rng.integers(0, 86_400, m).astype("timedelta64[s]")
        splits = rng.choice(np.array(["train", "validate", "test"]), m, p=[0.7, 0.1, 0.2])
        columns = {
            "id": pa.array(ids, pa.string()),
            "geometry": pa.array(
                shapely.to_wkb(shapely.box(x, y, x + size, y + size), flavor="iso"), pa.binary()
            ),
            "bbox": pa.StructArray.from_arrays(
                [pa.array(v) for v in (x, y, x + size, y + size)],
                names=["xmin", "ymin", "xmax", "ymax"],
            ),
            "datetime": pa.array(stamps, pa.timestamp("us", "UTC")),
            "ml-aoi:split": pa.array(splits, pa.string()),
        }
        # every caption gets a scene number of its own, so the text compresses as real text
        captions = table.column("gaia:captions").combine_chunks()
        scene = pa.array(rng.integers(0, 10**7, len(captions.values))).cast(pa.string())
        values = pc.binary_join_element_wise(captions.values, "scene", scene, " ")
        columns["gaia:captions"] = pa.ListArray.from_arrays(captions.offsets, values)
        columns["description"] = pc.list_element(columns["gaia:captions"], 0)
        hrefs = pa.array(np.char.add(np.char.add("https://example.org/images/", ids), ".png"))
        assets = table.column("assets").combine_chunks()
        columns["assets"] = _with_child(assets, ("image", "href"), hrefs)
        for name, column in columns.items():
            index = table.column_names.index(name)
            table = table.set_column(
                index, table.schema.field(index).with_type(column.type), column
            )
        yield table


RUN = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import gaia_geo, gaia_geo.stac, gaia_geo.balance, gaia_geo.explore  # the floor, counted apart

def mb(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) / 1024

step, root, n, balance_n = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
floor = mb("VmRSS")
start = time.perf_counter()
extra = {}
if step == "write":
    import scale
    spent = [0.0]
    def timed():
        it = scale.generate(n)
        while True:
            t = time.perf_counter()
            try:
                table = next(it)
            except StopIteration:
                return
            spent[0] += time.perf_counter() - t
            yield table
    gaia_geo.write_catalog(timed(), root, layout="geoparquet", id="scale", progress=False)
    extra["generate_seconds"] = spent[0]
elif step == "balance":
    subset = gaia_geo.balance_parquet(root, n=balance_n, spatial="h3:2", temporal="year")
    extra["kept"] = len(subset)
else:
    import statistics, scale
    kwargs = dict(bbox=scale.BBOX, datetime=scale.DATETIME, text=scale.TEXT)
    hits = gaia_geo.search(root, **kwargs)
    extra["cold_seconds"] = time.perf_counter() - start
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        gaia_geo.search(root, **kwargs)
        warm.append(time.perf_counter() - t)
    extra["warm_median_seconds"] = statistics.median(warm)
    extra["hits"] = len(hits)
seconds = time.perf_counter() - start
print(json.dumps({"step": step, "seconds": seconds, "peak_mb": mb("VmHWM") - floor,
                  "floor_mb": floor, **extra}))
"""


def run_step(step: str, root: Path, n: int, balance_n: int) -> dict[str, float]:
    """One step in a fresh interpreter; its JSON report."""
    here = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", RUN, here, step, str(root), str(n), str(balance_n)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000, help="Items to generate")
    parser.add_argument("--balance", type=int, default=None, help="balance to (default n/10)")
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="gaia-scale-"))
    root = work / "scale"
    balance_n = args.balance or args.n // 10
    try:
        started = time.perf_counter()
        results = [
            run_step(step, root, args.n, balance_n) for step in ("write", "balance", "search")
        ]
        files = list((root / "items").rglob("*.parquet"))
        size = sum(f.stat().st_size for f in files) / 1e9
        print(
            json.dumps(
                {
                    "n": args.n,
                    "balance_n": balance_n,
                    "files": len(files),
                    "gigabytes": round(size, 3),
                    "total_seconds": time.perf_counter() - started,
                    "steps": results,
                }
            )
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
