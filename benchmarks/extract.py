"""Metadata extraction: accuracy on real labelled excerpts, and speed (target >= 1,000 articles/s).

Accuracy: ``tests/data/real/articles.jsonl`` holds real excerpts from NASA, USGS, ESA,
EUMETSAT, eoPortal, Copernicus, NOAA/CIMSS, JAXA, DLR pages and news sites, labelled by hand (see
``tests/data/real/PROVENANCE.md``). For each field (acquisition date, platforms, instruments,
main place) it prints the share of articles exactly right, and item-level precision and recall,
for the development part (the lines rules were written looking at), the held-out part appended
after them (its texts never read while writing rules) and per source; then the
errors left, counted by kind (``classify_errors``), per part: the held-out misses are studied
through these counts only.
Targets: date >= 90%, platforms >= 95%, instruments >= 90%, place >= 85%.

Speed:

The articles are the sample site's, padded with filler paragraphs to a realistic length
(~2,500 characters, like an Earth Observatory story). The baseline is the obvious approach:
one case-insensitive regex per sensor alias (no first-token index) and a scan of every
capitalised word sequence against the gazetteer; it finds the same things, slower.
The gazetteer is loaded once before timing (about a second, once per process).

With ``--method llm`` or ``--method hybrid`` it measures GAIA's way instead (an OpenAI-compatible
model; key from ``OPENAI_API_KEY``, answers cached under ``--cache-dir``), prints the requests
and cost, and skips the speed part.

Usage: python benchmarks/extract.py [--articles 300] [--seconds 3] [--errors dev]
       python benchmarks/extract.py --method hybrid [--model gpt-4o-mini] [--base-url URL] [--batch]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from gaia_geo.collect import (
    LLMExtractor,
    extract_metadata,
    extract_metadata_many,
    load_gazetteer,
    parse_page,
)
from gaia_geo.collect._dates import find_dates
from gaia_geo.collect._extract_score import (
    FIELDS,
    LabelledArticle,
    classify_errors,
    load_labelled_articles,
    predicted_fields,
    score_extraction,
)
from gaia_geo.collect.sample_site import generate_site
from gaia_geo.sensors._registry import alias_table

FILLER = (
    "Scientists have studied the region for decades, tracking changes in vegetation, water and "
    "settlement. The pattern seen here repeats each year as the seasons turn, although the "
    "details vary with rainfall and temperature. Researchers at several universities combine "
    "field measurements with observations from orbit to understand these processes. "
)


def articles(n: int) -> list[tuple[str, dt.date | None]]:
    with tempfile.TemporaryDirectory() as tmp:
        truth = generate_site(tmp, n_nasa=n * 2 // 3, n_esa=n - n * 2 // 3, image_size=8)
        out = []
        for t in truth:
            html = (Path(tmp) / t["path"].strip("/") / "index.html").read_bytes()
            page = parse_page(html, "http://127.0.0.1:1" + t["path"])
            text = f"{page.title}\n{page.text}\n" + FILLER * 6
            out.append((text, page.published))
    return out


def naive_extract(text: str, published: object, patterns: list[re.Pattern[str]]) -> int:
    found = [p for p in patterns if p.search(text)]
    dates = find_dates(text, published)  # type: ignore[arg-type]
    gazetteer = load_gazetteer()
    places = [
        m.group(0)
        for m in re.finditer(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*", text)
        if gazetteer.lookup(m.group(0))
    ]
    return len(found) + len(dates) + len(places)


def rate(fn: object, docs: list[tuple[str, dt.date | None]], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text, published in docs:
            fn(text, published)  # type: ignore[operator]
            count += 1
    return count / (time.perf_counter() - start)


LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "real" / "articles.jsonl"


def accuracy_report(errors: str | None, extract: Any = extract_metadata) -> None:
    articles = load_labelled_articles(LABELLED)
    groups: dict[str, list[LabelledArticle]] = {"all": list(articles)}
    for article in articles:
        groups.setdefault(f"split={article.split}", []).append(article)
    for article in articles:
        groups.setdefault(f"source={article.source}", []).append(article)
    print(f"{'part':28s} {'n':>4s} " + " ".join(f"{f:>22s}" for f in FIELDS))
    print(f"{'':28s} {'':>4s} " + " ".join(f"{'acc   P    R':>22s}" for _ in FIELDS))
    for name, part in groups.items():
        score = score_extraction(part, extract)
        cells = " ".join(
            f"{s.accuracy:10.0%} {s.precision:4.0%} {s.recall:4.0%}" for s in score.fields.values()
        )
        print(f"{name:28s} {len(part):4d} {cells}")
    print("\nerrors left, by kind (share of the part's articles)")
    for split in ("dev", "heldout"):
        subset = [a for a in articles if a.split == split]
        kinds: dict[str, int] = {}
        for article in subset:
            found = classify_errors(article, extract(article.text, article.published))
            for kind in found.values():
                kinds[kind] = kinds.get(kind, 0) + 1
        print(f"  {split} ({len(subset)} articles)")
        for kind, count in sorted(kinds.items()):
            print(f"    {count:3d} ({count / len(subset):4.0%})  {kind}")
    if errors:
        if errors == "heldout":
            raise SystemExit("held-out texts are not listed: study them through the kinds above")
        wrong = [a for a in articles if a.split == errors]
        score = score_extraction(wrong, extract)
        by_id = {a.id: a for a in wrong}
        for field_name, ids in score.errors.items():
            for article_id in ids:
                a = by_id[article_id]
                got = predicted_fields(extract(a.text, a.published))
                print(f"{field_name} {article_id} got={got} text={a.text[:160]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--errors", choices=["dev", "heldout"], help="list the wrong articles (dev only)"
    )
    parser.add_argument("--method", choices=["rules", "llm", "hybrid"], default="rules")
    parser.add_argument("--model", default="gpt-4o-mini", help="with --method llm|hybrid")
    parser.add_argument("--base-url", default=None, help="OpenAI-compatible API root")
    parser.add_argument("--cache-dir", default="runs/extract-llm-cache", help="model answers")
    parser.add_argument("--batch", action="store_true", help="ask through the Batch API")
    args = parser.parse_args()
    if args.method != "rules":
        llm = LLMExtractor(
            model=args.model, base_url=args.base_url, cache_dir=args.cache_dir, batch=args.batch
        )
        labelled = load_labelled_articles(LABELLED)
        metas = extract_metadata_many(
            [a.text for a in labelled],
            [a.published for a in labelled],
            method=args.method,
            llm=llm,
            progress=True,
        )
        found = {(a.text, a.published): m for a, m in zip(labelled, metas, strict=True)}
        accuracy_report(args.errors, lambda text, published: found[(text, published)])
        print(
            f"method={args.method} model={llm.model}: {llm.requests} requests, "
            f"{llm.cached} cached, ${llm.cost_usd:.4f}, "
            f"{len(llm.rejections)} answers rejected as unsupported"
        )
        return
    accuracy_report(args.errors)
    real = [(a.text, a.published) for a in load_labelled_articles(LABELLED)]
    extract_metadata(real[0][0])  # build the alias index and gazetteer once
    print(f"real excerpts: {rate(extract_metadata, real, args.seconds):8.0f} articles/s")
    docs = articles(args.articles)
    load_gazetteer()
    extract_metadata(docs[0][0], docs[0][1])  # warm the alias index
    patterns = [
        re.compile(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", re.IGNORECASE)
        for alias in alias_table()
    ]
    mean_chars = sum(len(t) for t, _ in docs) / len(docs)
    ours = rate(extract_metadata, docs, args.seconds)
    base = rate(lambda t, p: naive_extract(t, p, patterns), docs, args.seconds)
    print(f"articles={len(docs)} mean length={mean_chars:.0f} chars")
    print(f"extract_metadata:          {ours:8.0f} articles/s (target >= 1000)")
    print(f"baseline (regex per alias): {base:7.0f} articles/s")
    print(f"ratio ours/baseline = {ours / base:.1f}x; ours/target = {ours / 1000:.1f}x")


if __name__ == "__main__":
    main()
