"""Downloader throughput against a loopback server with 50 ms latency per request.

Measures, in one run, over the same N images (~20 KB PNG/JPEG each, seeded):
- baseline: a sequential loop of ``httpx.Client.get`` + write, the way a notebook re-downloads the
  GAIA release (no concurrency, no checks);
- ours: ``fetch_images`` (the engine of ``gaia-geo download``) with 16 requests in flight, which
  also decodes every image with Pillow, writes a thumbnail and fsyncs a manifest line per file;
- ours end to end: ``download_assets`` on a GAIA-imported catalog (catalog read, fetch, rewrite);
- a resumed rerun of the engine where everything is already stored (checksums only);
- with ``--engine img2dataset`` (or ``both``): ``download_assets(engine="img2dataset")`` end to
  end on the same images (img2dataset's multiprocessing distributor, ``--processes`` workers of
  ``--concurrency`` threads), checked to give the same Items and checksums as the builtin engine.
  Needs ``pip install 'gaia_geo[scale]'``.

Usage: python benchmarks/download.py [--images 160] [--latency-ms 50] [--concurrency 16]
       [--engine builtin|img2dataset|both] [--processes 1]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import httpx

from gaia_geo.collect._download import download_assets
from gaia_geo.collect._gaia_import import import_gaia
from gaia_geo.collect._src_fetch import FetchJob, FetchOptions, fetch_images

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "collect_sources"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"collect_sources_{name}", DATA / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _checksums(catalog: Path) -> dict[str, str]:
    """Item id -> local image href (relative) and checksum, to compare two engines' catalogs."""
    from gaia_geo.stac import read_catalog

    out = {}
    for _, row in read_catalog(catalog).iterrows():
        image = row["assets"]["image"]
        href = Path(image["href"]).relative_to(catalog.resolve())
        out[row["id"]] = f"{href} {image['file:checksum']}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=160)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--engine", choices=["builtin", "img2dataset", "both"], default="builtin")
    parser.add_argument("--processes", type=int, default=1, help="img2dataset worker processes")
    args = parser.parse_args()
    engines = ["builtin", "img2dataset"] if args.engine == "both" else [args.engine]
    data = _load("data")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = work / "site"
        site.mkdir()
        names = []
        for i in range(args.images):
            fmt, ext = ("PNG", "png") if i % 2 == 0 else ("JPEG", "jpg")
            name = f"img-{i:05d}.{ext}"
            (site / name).write_bytes(data.encode(data.image_array(i, 96), fmt))
            names.append(name)
        total_mb = sum((site / n).stat().st_size for n in names) / 1e6
        # the server runs in its own process, so its threads do not share the client's GIL
        port_file = work / "port"
        server = subprocess.Popen(
            [sys.executable, str(DATA / "http_fixture.py"), str(site), str(port_file)]
        )
        try:
            deadline = time.monotonic() + 30
            while not port_file.exists():
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the fixture server did not start")
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port_file.read_text()}"
            urls = [f"{base}/delay/{args.latency_ms}/{n}" for n in names]

            out = work / "baseline"
            out.mkdir()
            started = time.perf_counter()
            with httpx.Client() as client:
                for name, url in zip(names, urls, strict=True):
                    response = client.get(url)
                    response.raise_for_status()
                    (out / name).write_bytes(response.content)
            baseline = time.perf_counter() - started

            jobs = [FetchJob(f"k{i:05d}", url) for i, url in enumerate(urls)]
            # one loopback server stands in for a release's many hosts: no per-host bound
            options = FetchOptions(concurrency=args.concurrency, per_host=None, allow_private=True)
            result = fetch_images(jobs, work / "ours", options)
            assert not result.failed, result.failed
            ours = result.seconds
            resumed = fetch_images(jobs, work / "ours", options)
            assert len(resumed.reused) == len(jobs) and not resumed.fetched

            records = [data.gaia_record(i, url, id=f"b{i:05d}") for i, url in enumerate(urls)]
            release = work / "GAIA_train.json"
            release.write_text(json.dumps(records))
            end_to_end: dict[str, float] = {}
            items: dict[str, dict[str, str]] = {}
            for engine in engines:
                catalog = work / f"catalog-{engine}"
                import_gaia([release], catalog)
                engine_options = {"processes": args.processes} if engine == "img2dataset" else None
                started = time.perf_counter()
                report = download_assets(
                    catalog,
                    concurrency=args.concurrency,
                    per_host=None,
                    allow_private=True,
                    engine=engine,
                    engine_options=engine_options,
                )
                end_to_end[engine] = time.perf_counter() - started
                assert report.downloaded == args.images, report
                items[engine] = _checksums(catalog)
            if len(items) == 2:
                assert items["builtin"] == items["img2dataset"], "the engines' catalogs differ"
        finally:
            server.kill()
            server.wait()

    n = args.images
    print(f"{n} images, {total_mb:.1f} MB, {args.latency_ms} ms latency per request")
    print(f"baseline (sequential httpx loop):     {baseline:6.2f} s  {n / baseline:7.1f} img/s")
    label = f"ours (fetch_images, {args.concurrency:2d} in flight):"
    print(f"{label:38s}{ours:6.2f} s  {n / ours:7.1f} img/s")
    for engine, seconds in end_to_end.items():
        label = f"end to end (download_assets, {engine}):"
        print(f"{label:44s}{seconds:6.2f} s  {n / seconds:7.1f} img/s")
    if len(items) == 2:
        print("engines: same Items, hrefs and checksums")
    print(f"resumed rerun (all verified, skipped): {resumed.seconds:6.2f} s")
    print(
        f"speed-up engine vs baseline: {baseline / ours:.1f}x; "
        + "; ".join(
            f"{e} end to end vs baseline: {baseline / t:.1f}x" for e, t in end_to_end.items()
        )
    )
    ideal = args.latency_ms / 1000 * n / args.concurrency
    print(
        f"ideal at {args.concurrency} in flight: {ideal:.2f} s -> engine reaches "
        f"{100 * ideal / ours:.0f}% of it"
    )


if __name__ == "__main__":
    main()
