"""GAIA's way on many articles: one question at a time vs ``extract_metadata_many`` (concurrent).

Asks the loopback OpenAI-compatible test server (answers after ``--latency`` seconds, like a
model) about the real labelled excerpts with ``method="llm"``, no cache:

- baseline: ``extract_metadata(text, method="llm")`` article by article (one request in flight);
- ours: ``extract_metadata_many(texts, method="llm")`` (``--concurrency`` requests in flight).

Both must give the same metadata. Prints articles/s for each and the ratio.

Usage: python benchmarks/extract_llm.py [--articles 64] [--latency 0.25] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gaia_geo.collect import LLMExtractor, extract_metadata, extract_metadata_many
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.describe.testing_server import FakeOpenAIServer

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "real" / "articles.jsonl"
KEY = "sk-benchmark-0123456789"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per answer")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    articles = load_labelled_articles(LABELLED)[: args.articles]
    texts = [a.text for a in articles]
    days = [a.published for a in articles]
    extract_metadata(texts[0])  # build the alias index and gazetteer once
    with FakeOpenAIServer(latency=args.latency, api_key=KEY) as server:

        def llm() -> LLMExtractor:
            return LLMExtractor(base_url=server.base_url, api_key=KEY, concurrency=args.concurrency)

        start = time.perf_counter()
        one = llm()
        pairs = zip(texts, days, strict=True)
        base = [extract_metadata(t, d, method="llm", llm=one) for t, d in pairs]
        base_s = time.perf_counter() - start
        start = time.perf_counter()
        many = llm()
        ours = extract_metadata_many(texts, days, method="llm", llm=many)
        ours_s = time.perf_counter() - start
    assert ours == base, "extract_metadata_many disagrees with extract_metadata"
    assert one.requests == many.requests == len(texts)
    print(f"articles={len(texts)} latency={args.latency}s concurrency={args.concurrency}")
    print(f"baseline, one at a time:  {len(texts) / base_s:7.1f} articles/s ({base_s:.1f} s)")
    print(f"extract_metadata_many:    {len(texts) / ours_s:7.1f} articles/s ({ours_s:.1f} s)")
    print(f"ratio ours/baseline = {base_s / ours_s:.1f}x")


if __name__ == "__main__":
    main()
