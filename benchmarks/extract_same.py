"""Check that a speed change leaves every output of ``extract_metadata`` as it was.

Runs ``extract_metadata`` on the labelled real excerpts (each with its own, no and a fixed
publication date, and in upper, lower and swapped case, with no-break spaces and accents put
in) and on the padded articles of ``benchmarks/extract.py``, and writes the ``repr`` of every
result (all fields: dates with roles and spans, sensors, places, notes) to a file; run it again
after the change with ``--against`` that file: it prints the first results that differ and
exits 1 if any does.

Usage:
    python benchmarks/extract_same.py --write /tmp/before.txt       # on the code before
    python benchmarks/extract_same.py --against /tmp/before.txt     # on the code after
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path

from extract import LABELLED, articles  # benchmarks/ is on sys.path when run as a script
from gaia_geo.collect import extract_metadata
from gaia_geo.collect._extract_score import load_labelled_articles


def variants(text: str) -> list[str]:
    """The text as written, in other cases, with no-break spaces and accented letters."""
    spaced = text.replace(" ", "\u00a0", 3).replace("e", "\u00e9", 2)
    return [text, text.upper(), text.lower(), text.swapcase(), spaced]


def results(padded: int) -> list[str]:
    """``repr`` of every result, one a line (newlines escaped)."""
    inputs: list[tuple[str, dt.date | None]] = []
    for article in load_labelled_articles(LABELLED):
        inputs += [(article.text, None), (article.text, dt.date(2020, 6, 1))]
        inputs += [(text, article.published) for text in variants(article.text)]
    inputs += articles(padded)
    return [
        repr(extract_metadata(text, published)).replace("\n", "\\n") for text, published in inputs
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--write", type=Path, help="write the results here")
    where.add_argument("--against", type=Path, help="compare with the results written here")
    parser.add_argument("--articles", type=int, default=300, help="padded articles")
    args = parser.parse_args()
    found = results(args.articles)
    digest = hashlib.sha1("\n".join(found).encode()).hexdigest()
    if args.write:
        args.write.write_text("\n".join(found) + "\n", encoding="utf-8")
        print(f"{len(found)} results written to {args.write} (sha1 {digest})")
        return
    before = args.against.read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(before, found, strict=False)) if a != b]
    print(f"{len(found)} results, {len(differ)} differ (sha1 {digest})")
    for i in differ[:3]:
        print(f"result {i}\n  before: {before[i][:1500]}\n  after:  {found[i][:1500]}")
    if differ or len(before) != len(found):
        sys.exit(1)


if __name__ == "__main__":
    main()
