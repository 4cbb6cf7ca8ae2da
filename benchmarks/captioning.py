"""Captioning throughput against the loopback OpenAI-compatible server, and the cache-hit path.

Runs, in one process (the server in a second one, as a real API would be):

1. baseline: GAIA's notebook way, one synchronous request after another (a small sample);
2. reference: the bare ``AsyncOpenAI`` SDK sending the same requests with the same concurrency
   and nothing else (no checks, no cache): what the SDK's client stack can do here;
3. ours: ``caption_items`` (images, prompts, checks, cache writes, provenance, cost) with
   ``--concurrency`` requests in flight against ``--latency`` seconds of simulated model time,
   over the default aiohttp transport and over ``transport="sdk"``;
4. the cache-hit path: the same Items again, answered from the cache.

Prints throughput, the ratio to the ideal (concurrency / latency) and to the baseline, and the
cache-hit rate. Targets: >= 90% of ideal, >= 5,000 cached items/s.

    python benchmarks/captioning.py [--items 1280] [--concurrency 64] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_test_data():
    spec = importlib.util.spec_from_file_location(
        "gaia_describe_test_data", ROOT / "tests" / "data" / "describe" / "data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaia_geo.describe.testing_server", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def baseline_sequential(url: str, bodies: list[dict]) -> float:
    """GAIA's notebook: a plain loop of synchronous requests. Returns requests/s."""
    import openai

    client = openai.OpenAI(base_url=url, api_key="bench")
    start = time.perf_counter()
    for body in bodies:
        client.chat.completions.create(**body)
    client.close()
    return len(bodies) / (time.perf_counter() - start)


def reference_sdk(url: str, bodies: list[dict], concurrency: int) -> float:
    """The bare async SDK with a semaphore: requests/s of the client stack alone."""
    import openai

    async def go() -> float:
        # timed like caption_items: client creation and connection set-up included
        start = time.perf_counter()
        client = openai.AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
        semaphore = asyncio.Semaphore(concurrency)

        async def one(body: dict) -> None:
            async with semaphore:
                await client.chat.completions.create(**body)

        await asyncio.gather(*(one(b) for b in bodies))
        elapsed = time.perf_counter() - start
        await client.close()
        return len(bodies) / elapsed

    return asyncio.run(go())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1280)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--baseline-items", type=int, default=20)
    parser.add_argument("--cache-rounds", type=int, default=3)
    parser.add_argument("--low-concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2, help="measured runs; the best counts")
    args = parser.parse_args(argv)

    from gaia_geo.describe import PriceTable, caption_items
    from gaia_geo.describe._jobs import Settings, caption_body, make_job
    from gaia_geo.describe._prompts import CAPTION_V1, SUMMARY_V1

    data = load_test_data()
    tmp = Path(tempfile.mkdtemp(prefix="gaia-bench-"))
    made = time.perf_counter()
    items = data.make_items(tmp / "items", args.items, seed=7, text=False)
    print(f"{args.items} test items made in {time.perf_counter() - made:.1f} s")
    settings = Settings("gpt-4o", "gpt-4o-mini", CAPTION_V1, SUMMARY_V1, PriceTable())
    bodies = [caption_body(make_job(i, settings, None), settings, None) for i in items]
    ideal = args.concurrency / args.latency
    proc, url = start_server(args.latency)
    try:
        base = baseline_sequential(url, bodies[: args.baseline_items])
        print(f"baseline (sequential, GAIA notebook style): {base:8.1f} requests/s")
        # warm up imports and connections on a separate cache, then the measured runs
        caption_items(items[:8], base_url=url, model="gpt-4o", cache=tmp / "warm", progress=False)

        def timed(subset, concurrency, cache, **kw):  # -> (requests/s, CPU ms per request)
            fresh = [i.clone() for i in subset]  # copying Items is the caller's cost, not ours
            start, cpu = time.perf_counter(), time.process_time()
            report = caption_items(
                fresh, base_url=url, model="gpt-4o", concurrency=concurrency, cache=tmp / cache,
                progress=False, **kw,
            )  # fmt: skip
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert len(report.captioned) == len(subset), report.summary()
            return report.requests / elapsed, cpu / max(report.requests, 1) * 1000

        refs, ours_runs, cpus, sdk_runs = [], [], [], []
        for r in range(args.repeat):  # interleaved, so all see the same machine load
            refs.append(reference_sdk(url, bodies, args.concurrency))
            sdk_runs.append(timed(items, args.concurrency, f"cache-sdk-{r}", transport="sdk")[0])
            rate, cpu = timed(items, args.concurrency, f"cache-{r}")
            ours_runs.append(rate)
            cpus.append(cpu)
        ref, ours = max(refs), max(ours_runs)
        print(
            f"reference (bare AsyncOpenAI, no checks):    {ref:8.1f} requests/s "
            f"(runs: {', '.join(f'{x:.0f}' for x in refs)})"
        )
        print(
            f"ours (caption_items, {args.concurrency} in flight, {args.latency * 1000:.0f} ms): "
            f"{ours:8.1f} requests/s (runs: {', '.join(f'{x:.0f}' for x in ours_runs)}), "
            f"client CPU {min(cpus):.2f} ms/request"
        )
        print(
            f"ours over the SDK transport (transport='sdk'): {max(sdk_runs):8.1f} requests/s "
            f"(runs: {', '.join(f'{x:.0f}' for x in sdk_runs)}) = {max(sdk_runs) / ideal:.1%} "
            "of ideal"
        )
        print(f"ideal (concurrency / latency):              {ideal:8.1f} requests/s")
        print(f"ratio ours / ideal:     {ours / ideal:6.1%}   (target >= 90%)")
        print(f"ratio ours / reference: {ours / ref:6.1%}")
        print(f"ratio ours / baseline:  {ours / base:6.1f}x")
        if args.low_concurrency:
            # the same pipeline where the CPU is not the limit: is anything else in the way?
            low = args.low_concurrency
            n = min(args.items, low * 40)
            low_ref = reference_sdk(url, bodies[:n], low)
            rate = timed(items[:n], low, "cache-low")[0]
            low_ideal = low / args.latency
            print(
                f"at {low} in flight: ours {rate:6.1f} requests/s = {rate / low_ideal:6.1%} of "
                f"its ideal {low_ideal:.0f}; bare SDK {low_ref:6.1f} = {low_ref / low_ideal:6.1%}"
            )
    finally:
        proc.terminate()
        proc.wait()

    rates = []
    for _ in range(args.cache_rounds):
        fresh = [item.clone() for item in items]
        start = time.perf_counter()
        # the server is gone: every answer must come from the cache (keyed by endpoint and model)
        report = caption_items(
            fresh, base_url=url, model="gpt-4o", cache=tmp / "cache-0", progress=False
        )
        rates.append(len(fresh) / (time.perf_counter() - start))
        assert report.from_cache == args.items and report.requests == 0
    print(
        f"cache-hit path: {statistics.median(rates):8.0f} items/s median "
        f"(best {max(rates):.0f}; target >= 5,000); uncached path {ours:.0f} items/s: "
        f"{statistics.median(rates) / ours:.0f}x"
    )
    print(f"machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
