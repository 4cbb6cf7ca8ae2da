"""Which articles ``method="hybrid"`` would ask the model about, and what that could fix.

No model and no key: it runs the rules on the hand-labelled real excerpts
(``tests/data/real/articles.jsonl``) and, per part (development, held out, all), prints

- the share of articles the hybrid method asks about (a field in ``doubts``), now and under the
  earlier rule (ask only where the rules left a field empty);
- per field, how many of the rules' errors fall in a field the model is asked about;
- the ceiling: the accuracy if the model answered every field it is asked about rightly.

The ceiling bounds what any model can add through the hybrid method; a real model's figures
come from ``benchmarks/extract.py --method hybrid`` with a key.

Usage: python benchmarks/extract_routing.py [--labelled tests/data/real/articles.jsonl]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from gaia_geo.collect import extract_metadata
from gaia_geo.collect._extract import ExtractedMetadata
from gaia_geo.collect._extract_hybrid import doubts
from gaia_geo.collect._extract_score import FIELDS, classify_errors, load_labelled_articles

LABELLED = Path(__file__).parents[1] / "tests" / "data" / "real" / "articles.jsonl"
#: The labelled fields each doubt covers.
COVERS = {"date": ("date",), "sensors": ("platforms", "instruments"), "place": ("place",)}


def empty_fields(meta: ExtractedMetadata) -> frozenset[str]:
    """The earlier routing: only the fields the rules left empty."""
    empty = {"date": meta.precision is None, "sensors": not meta.sensors, "place": not meta.places}
    return frozenset(f for f, e in empty.items() if e)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    args = parser.parse_args()
    articles = load_labelled_articles(args.labelled)
    # per article: its part, the fields the rules got wrong, and the doubts of either routing
    runs: list[tuple[str, dict[str, str], tuple[frozenset[str], frozenset[str]]]] = []
    for article in articles:
        meta = extract_metadata(article.text, article.published)
        routings = (doubts(meta), empty_fields(meta))
        runs.append((article.split, classify_errors(article, meta), routings))
    parts = {
        "development": [r for r in runs if r[0] == "dev"],
        "held out": [r for r in runs if r[0] == "heldout"],
        "all": runs,
    }
    for name, part in parts.items():
        if not part:
            continue
        n = len(part)
        for routing, column in (("doubts (now)", 0), ("empty fields only", 1)):
            asked = sum(bool(r[2][column]) for r in part)
            errors, routed = Counter[str](), Counter[str]()
            for run in part:
                asked_fields = {f for d in run[2][column] for f in COVERS[d]}
                for field in run[1]:
                    errors[field] += 1
                    routed[field] += field in asked_fields
            print(f"{name} ({n}), {routing}: asks about {asked} ({asked / n:.0%})")
            for field in FIELDS:
                rules = 1 - errors[field] / n
                ceiling = 1 - (errors[field] - routed[field]) / n
                print(
                    f"  {field:12s} rules {rules:6.1%}  errors asked about "
                    f"{routed[field]:3d}/{errors[field]:3d}  ceiling {ceiling:6.1%}"
                )


if __name__ == "__main__":
    main()
