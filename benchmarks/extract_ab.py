"""Compare the speed of ``extract_metadata`` in two source trees, alternately, in the same minutes.

On a machine others share, one run's articles/s drifts by 15% within an hour: a change is
measured against its base by running both, in turn, in fresh processes (each timed by its own
CPU time, ``time.process_time``), several rounds, the order swapped each round; the median of
the per-round ratios is the figure to quote. The articles are those of ``benchmarks/extract.py``
(the sample site's, padded to ~2,500 characters), made once and given to both.

Usage:
    python benchmarks/extract_ab.py --base-rev main                 # this tree's src against main
    python benchmarks/extract_ab.py --base /tmp/base/src --rounds 6 --seconds 3
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(articles: Path, seconds: float) -> None:
    """Print the articles/s of the ``extract_metadata`` this process imports (CPU time)."""
    from gaia_geo.collect import extract_metadata, load_gazetteer

    docs = pickle.loads(articles.read_bytes())
    load_gazetteer()
    for text, published in docs:  # warm: alias index, gazetteer memo, caches
        extract_metadata(text, published)
    count, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for text, published in docs:
            extract_metadata(text, published)
        count += len(docs)
    print(count / (time.process_time() - start))


def rate(src: Path, articles: Path, seconds: float) -> float:
    """Articles/s of the tree ``src`` (a folder holding the ``gaia_geo`` package)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--child", str(articles), "--seconds", str(seconds)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"extract_ab: the run of {src} failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--base", type=Path, help="the base tree's src folder")
    base.add_argument("--base-rev", help="a git revision of this repository, its src as the base")
    parser.add_argument("--ours", type=Path, default=ROOT / "src", help="our src folder")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds a run")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seconds)
        return
    if args.base is None and args.base_rev is None:
        parser.error("give --base or --base-rev")
    with tempfile.TemporaryDirectory() as tmp:
        base_src = args.base
        if args.base_rev:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.base_rev, "src"],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            base_src = Path(tmp) / "src"
        sys.path.insert(0, str(Path(__file__).parent))
        from extract import articles as padded  # (imports this process's gaia_geo, once)

        articles = Path(tmp) / "articles.pickle"
        articles.write_bytes(pickle.dumps(padded(args.articles)))
        trees = {"base": base_src, "ours": args.ours}
        got: dict[str, list[float]] = {"base": [], "ours": []}
        ratios = []
        for round_ in range(args.rounds):
            for name in ("base", "ours") if round_ % 2 == 0 else ("ours", "base"):
                got[name].append(rate(trees[name], articles, args.seconds))
            ratios.append(got["ours"][-1] / got["base"][-1])
            print(
                f"round {round_ + 1}: base {got['base'][-1]:6.0f}/s  ours {got['ours'][-1]:6.0f}/s"
                f"  ratio {ratios[-1]:.3f}",
                flush=True,
            )
        print(
            f"median: base {statistics.median(got['base']):.0f}/s  "
            f"ours {statistics.median(got['ours']):.0f}/s  ratio {statistics.median(ratios):.3f}"
        )


if __name__ == "__main__":
    main()
