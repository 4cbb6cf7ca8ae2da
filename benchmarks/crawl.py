"""Crawl throughput against 16 loopback hosts with 50 ms latency, one connection each.

The politeness limits allow each host at most one request in flight and one request start per
``--delay`` seconds, so the ideal crawl of R requests per host takes (R - 1) * max(delay, latency)
+ latency seconds. We report pages/s of gaia_geo's crawler as a fraction of that ideal (target:
>= 0.8), and of a baseline: a sequential crawler (httpx.Client, one request at a time, same
parsing), which is what a simple script does.

The sites are served by a separate process (16 threaded servers on 127.0.0.2 ... 127.0.0.17) so
the server does not compete with the crawler for the GIL.

Usage: python benchmarks/crawl.py [--hosts 16] [--articles 20] [--delay 0.2] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import httpx
import lxml.html

from gaia_geo.collect import CrawlConfig, crawl
from gaia_geo.collect.sample_site import generate_site

SERVE = """
import sys, time
from gaia_geo.collect.sample_site import SiteServer
root, hosts, latency = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
servers = [
    SiteServer(root, host=f"127.0.0.{i + 2}", latency_s=latency).start() for i in range(hosts)
]
print(" ".join(s.url for s in servers), flush=True)
sys.stdin.read()
"""


def baseline(seeds: list[str], allowed: set[str]) -> tuple[int, float]:
    """Sequential BFS over the same pages (no images), one request at a time."""
    start = time.perf_counter()
    seen = set(seeds)
    queue = deque(seeds)
    pages = 0
    with httpx.Client(timeout=20) as client:
        for seed in seeds:
            client.get(seed + "robots.txt")
        while queue:
            url = queue.popleft()
            response = client.get(url)
            pages += 1
            if "html" not in response.headers.get("content-type", ""):
                continue
            doc = lxml.html.document_fromstring(response.content)
            doc.make_links_absolute(url)
            for href in doc.xpath("//a/@href"):
                host = httpx.URL(href).host
                if host in allowed and href not in seen and "/private/" not in href:
                    seen.add(href)
                    if not href.endswith((".png", ".jpg")):
                        queue.append(href)
    return pages, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=16)
    parser.add_argument("--articles", type=int, default=20, help="articles per host")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds between requests/host")
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        generate_site(
            root, n_nasa=args.articles * 2 // 3, n_esa=args.articles - args.articles * 2 // 3
        )
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(root), str(args.hosts), str(args.latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            seeds = server.stdout.readline().split()
            allowed = {httpx.URL(s).host for s in seeds}
            config = CrawlConfig(
                allowed_domains=tuple(allowed),
                delay_s=args.delay,
                per_host_concurrency=1,
                allow_private=True,
                fetch_images=False,
                progress=False,
            )
            report = crawl(seeds, Path(tmp) / "out", config)
            pages = report.pages_fetched + report.pages_not_modified
            per_host = report.requests / args.hosts
            ideal_s = (per_host - 1) * max(args.delay, args.latency) + args.latency
            ideal = pages / ideal_s
            ours = pages / report.elapsed_s
            base_pages, base_s = baseline(seeds, allowed)
            base = base_pages / base_s
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=10)
    print(f"hosts={args.hosts} latency={args.latency * 1000:.0f}ms delay={args.delay}s "
          f"requests/host={per_host:.1f} pages={pages}")  # fmt: skip
    print(f"ideal (politeness limit): {ideal:8.1f} pages/s  ({ideal_s:.2f} s)")
    print(f"gaia_geo crawler:         {ours:8.1f} pages/s  ({report.elapsed_s:.2f} s)")
    print(f"baseline (sequential):    {base:8.1f} pages/s  ({base_s:.2f} s, {base_pages} pages)")
    print(f"ratio ours/ideal = {ours / ideal:.2f} (target >= 0.80)")
    print(f"ratio ours/baseline = {ours / base:.1f}x")


if __name__ == "__main__":
    main()
