"""The downloader against a loopback server that misbehaves in every way the issue names."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from _helpers import collect_sources_app, image_server, load_script, remote_image_catalog
from gaia_geo.collect._download import download_assets  # noqa: E402
from gaia_geo.collect._gaia_import import import_gaia  # noqa: E402
from gaia_geo.collect._src_fetch import (  # noqa: E402
    FetchJob,
    FetchOptions,
    fetch_images,
    interleave_by_host,
)
from gaia_geo.stac import read_catalog  # noqa: E402

data = load_script("data/collect_sources/data.py")
http_fixture = load_script("data/collect_sources/http_fixture.py")
FAST = {"backoff": 0.01, "timeout": 5.0, "allow_private": True}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with image_server(tmp_path_factory.mktemp("site"), n=12) as srv:
        yield srv


def _catalog(path: Path, urls: dict[str, str]) -> Path:
    return remote_image_catalog(path, urls, title="download test")


def _assets(catalog: Path) -> dict[str, dict]:
    return {row["id"]: row["assets"] for _, row in read_catalog(catalog).iterrows()}


@pytest.mark.slow
def test_download_gaia_import(server, tmp_path: Path, shared_schemas: Path) -> None:
    files = data.make_gaia_release(tmp_path / "release", server.url)
    catalog = tmp_path / "gaia"
    import_gaia(list(files.values()), catalog)
    report = download_assets(catalog, webdataset=tmp_path / "shards", shard_size=2, **FAST)
    assert report.remote == 8 and report.downloaded == 8 and not report.failed
    assert not (tmp_path / "gaia.download").exists()  # staging removed once the catalog holds all
    assert (catalog / "import-report.json").is_file()  # the import report survives the rewrite
    assert json.loads((catalog / "download-report.json").read_text())["downloaded"] == 8
    catalog_json = json.loads((catalog / "catalog.json").read_text())
    assert catalog_json["title"] == "GAIA (imported release)"

    for item_id, assets in _assets(catalog).items():
        image, thumb = Path(assets["image"]["href"]), Path(assets["thumbnail"]["href"])
        assert image.parent.name == item_id and image.is_file()
        body = image.read_bytes()
        assert assets["image"]["file:checksum"] == "1220" + hashlib.sha256(body).hexdigest()
        assert assets["image"]["file:size"] == len(body)
        assert assets["image"]["type"] == {".png": "image/png", ".jpg": "image/jpeg"}[image.suffix]
        with Image.open(thumb) as t:
            assert t.format == "PNG" and max(t.size) <= 256
    # the bytes stored are the bytes served
    item = json.loads((catalog / "train" / "1001" / "1001.json").read_text())
    assert item["assets"]["image"]["href"] == "./1001.jpg"
    served = (Path(server.root) / "img-001.jpg").read_bytes()
    assert (catalog / "train" / "1001" / "1001.jpg").read_bytes() == served
    assert any(
        link["rel"] == "alternate" and link["href"].endswith("img-001.jpg")
        for link in item["links"]
    )
    from gaia_geo.stac import validate

    assert validate(catalog, schema_dir=shared_schemas).valid

    # webdataset shards, one set per split, samples = image + json with the captions
    names = sorted(p.name for p in (tmp_path / "shards").glob("*.tar"))
    assert names == [
        "test-000000.tar",
        "train-000000.tar",
        "train-000001.tar",
        "train-000002.tar",
        "validate-000000.tar",
    ]
    with tarfile.open(tmp_path / "shards" / "train-000000.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    assert set(members) == {"1000.png", "1000.json", "1001.jpg", "1001.json"}
    meta = json.loads(members["1001.json"])
    assert meta["captions"][0] == "The image showcases: scene 1, caption 0."
    assert meta["platform"] == "terra" and meta["ml-aoi:split"] == "train"
    assert members["1001.jpg"] == served

    # a second run finds nothing remote and fetches nothing
    hits = sum(server.hits.values())
    again = download_assets(catalog, **FAST)
    assert again.remote == 0 and again.downloaded == 0
    assert sum(server.hits.values()) == hits


def test_download_bad_sources(server, tmp_path: Path) -> None:
    url = server.url
    catalog = _catalog(
        tmp_path / "bad",
        {
            "ok": f"{url}/files/img-002.png",
            "flaky": f"{url}/flaky/2/img-003.jpg",  # 500 twice, then the image
            "limited": f"{url}/ratelimit/1/img-004.png",  # 429 + Retry-After, then the image
            "missing": f"{url}/status/404",
            "broken": f"{url}/status/500",
            "truncated": f"{url}/truncated/img-000.png",
            "html": f"{url}/html/img-000.png",
            "page": f"{url}/files/page.html",
            "fake": f"{url}/files/fake.png",
            "huge": f"{url}/huge/x.png",
            "nolength": f"{url}/nolength/big.png",
            "webp": f"{url}/files/img-006.png",
        },
    )
    report = download_assets(catalog, retries=3, max_bytes=200_000, **FAST)
    assert sorted(report.failed) == [
        "broken",
        "fake",
        "html",
        "huge",
        "missing",
        "nolength",
        "page",
        "truncated",
    ]
    reasons = report.failed
    assert reasons["missing"] == "HTTP 404"
    assert reasons["broken"] == "HTTP 500 (gave up after 4 attempts)"
    assert server.count("/status/500") == 4
    assert server.count("/status/404") == 1  # a 404 is not retried
    assert reasons["truncated"].startswith("truncated body")
    assert reasons["truncated"].endswith("(gave up after 4 attempts)")
    assert "content-type 'text/html'" in reasons["html"]
    assert "content-type 'text/html'" in reasons["page"]
    assert "not a complete, decodable image" in reasons["fake"]
    assert "exceeds the limit" in reasons["huge"] and "2147483648" in reasons["huge"]
    assert "exceeds the limit of 200000" in reasons["nolength"]
    assert server.count("/flaky/2/img-003.jpg") == 3
    assert server.count("/ratelimit/1/img-004.png") == 2

    assets = _assets(catalog)
    for key in ("ok", "flaky", "limited", "webp"):
        assert not assets[key]["image"]["href"].startswith("http"), key
    for key in report.failed:  # failures stay remote, untouched, for a later run
        assert assets[key]["image"]["href"].startswith(url)
        assert assets[key].get("thumbnail") is None  # no thumbnail was made
    # nothing partial anywhere: every image file in the catalog decodes
    for path in catalog.rglob("*.png"):
        with Image.open(path) as image:
            image.load()
    assert not list(tmp_path.rglob("*.part"))

    # a rerun only retries the failures
    before = server.count("/files/img-002.png")
    again = download_assets(catalog, retries=0, max_bytes=200_000, **FAST)
    assert again.remote == 8 and again.downloaded == 0 and len(again.failed) == 8
    assert server.count("/files/img-002.png") == before


def test_other_formats_become_png(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    buf = io.BytesIO()
    Image.fromarray(data.image_array(7, 40)).save(buf, format="GIF")
    (root / "a.gif").write_bytes(buf.getvalue())
    with http_fixture.FixtureServer(root) as srv:
        result = fetch_images(
            [FetchJob("a", f"{srv.url}/files/a.gif")],
            tmp_path / "stage",
            FetchOptions(backoff=0, allow_private=True),
        )
    stored = result.stored["a"]
    assert stored.media_type == "image/png" and stored.path == "a.png"
    with Image.open(tmp_path / "stage" / "a.png") as image:
        assert image.format == "PNG" and image.size == (40, 40)


def test_fetch_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        FetchOptions(concurrency=0)
    with pytest.raises(ValueError, match="unique"):
        fetch_images([FetchJob("a", "http://x/1"), FetchJob("a", "http://x/2")], tmp_path / "s")
    assert not (tmp_path / "s").exists()
    result = fetch_images([FetchJob("f", "ftp://example.org/a.png")], tmp_path / "s")
    assert result.failed["f"].startswith("unsupported URL scheme")


def test_private_addresses_are_refused_by_default(server, tmp_path: Path) -> None:
    before = server.count("/files/img-000.png")
    jobs = [
        FetchJob("loop", f"{server.url}/files/img-000.png"),
        FetchJob("meta", "http://169.254.169.254/latest/meta-data/x.png"),
    ]
    result = fetch_images(jobs, tmp_path / "s", FetchOptions(retries=0, timeout=2))
    assert result.failed["loop"].startswith("private address: 127.0.0.1")
    assert result.failed["meta"].startswith("private address: 169.254.169.254")
    assert server.count("/files/img-000.png") == before  # not even one request went out


RUNNER = """
import sys, typer
from gaia_geo.cli.collect_sources import register
app, collect = typer.Typer(), typer.Typer()
app.add_typer(collect, name="collect")
register(app, collect)
app(sys.argv[1:])
"""


@pytest.mark.slow
def test_kill_mid_download_then_resume(server, tmp_path: Path) -> None:
    names = [f"img-{i:03d}.png" for i in range(0, 12, 2)]  # six PNGs, ~20 KB, 0.25 s each
    catalog = _catalog(
        tmp_path / "slow", {f"s{i}": f"{server.url}/slow/{n}" for i, n in enumerate(names)}
    )
    staging = tmp_path / "slow.download"
    manifest = staging / "manifest.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUNNER,
            "download",
            str(catalog),
            "--concurrency",
            "1",
            "--allow-private",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (manifest.exists() and len(manifest.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail(
                    f"download did not progress: {proc.stderr.read() if proc.stderr else ''}"
                )
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    done = [json.loads(line)["key"] for line in manifest.read_text().splitlines()]
    assert 2 <= len(done) < len(names)
    # the catalog is untouched (still remote) and no final file is partial
    assert all(a["image"]["href"].startswith("http") for a in _assets(catalog).values())
    for path in staging.glob("s*.png"):
        with Image.open(path) as image:
            image.load()
    hits = {n: server.count(f"/slow/{n}") for n in names}

    result = CliRunner().invoke(
        collect_sources_app(), ["download", str(catalog), "--concurrency", "3", "--allow-private"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[: result.output.rindex("}") + 1])
    assert summary["reused"] == len(done) and summary["downloaded"] == len(names) - len(done)
    for i, name in enumerate(names):
        if f"s{i}" in done:  # stored before the kill: not fetched again
            assert server.count(f"/slow/{name}") == hits[name] == 1, name
        else:  # (the request in flight at the kill may reach the server late)
            assert server.count(f"/slow/{name}") >= hits[name] + 1, name
    assets = _assets(catalog)
    assert all(not a["image"]["href"].startswith("http") for a in assets.values())
    assert not staging.exists() and not list(tmp_path.rglob("*.part"))


@pytest.mark.slow
def test_tiffs_are_read_with_gdal(tmp_path: Path) -> None:
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    root = tmp_path / "site"
    cog = data.make_scene_cogs(root)["S2B_T33TWF_20210701"]
    rng = np.random.default_rng(3)
    with rasterio.open(
        root / "b4.tif",
        "w",
        driver="GTiff",
        width=48,
        height=40,
        count=4,
        dtype="uint16",
        crs="EPSG:32633",
        transform=from_origin(500000, 4600000, 10, 10),
    ) as dst:  # four 16-bit bands: Pillow cannot read this, GDAL can
        dst.write(rng.integers(0, 10000, (4, 40, 48), dtype="uint16"))
    Image.fromarray(data.image_array(5, 30)).save(root / "plain.tif", format="TIFF")
    (root / "half.tif").write_bytes(cog.read_bytes()[: cog.stat().st_size // 2])
    with http_fixture.FixtureServer(root) as srv:
        jobs = [
            FetchJob(k, f"{srv.url}/{route}/{name}")
            for k, route, name in [
                ("cog", "files", cog.name),
                ("b4", "files", "b4.tif"),
                ("plain", "files", "plain.tif"),
                ("cut", "truncated", cog.name),
                ("half", "files", "half.tif"),
            ]
        ]
        result = fetch_images(
            jobs, tmp_path / "stage", FetchOptions(backoff=0, retries=0, allow_private=True)
        )
    stored = result.stored
    assert set(stored) == {"cog", "b4", "plain"}, result.failed
    assert stored["cog"].media_type == "image/tiff; application=geotiff; profile=cloud-optimized"
    assert stored["b4"].media_type == "image/tiff; application=geotiff"
    assert stored["plain"].media_type == "image/tiff"
    assert (stored["b4"].width, stored["b4"].height) == (48, 40)
    assert (tmp_path / "stage" / "cog.tif").read_bytes() == cog.read_bytes()
    with Image.open(tmp_path / "stage" / stored["b4"].thumbnail) as thumb:
        assert thumb.format == "PNG" and thumb.size == (48, 40) and thumb.mode == "RGB"
    assert "cut" in result.failed and "truncated body" in result.failed["cut"]
    assert result.failed["half"].startswith("not a complete, readable TIFF")
    assert sorted(p.name for p in (tmp_path / "stage").iterdir() if "half" in p.name) == []


def test_requests_to_one_host_are_bounded_and_spaced(server, tmp_path: Path) -> None:
    names = sorted(p.name for p in Path(server.root).glob("img-*.png"))[:3]
    jobs = [FetchJob(f"d{i}", f"{server.url}/delay/150/{names[i % 3]}?d={i}") for i in range(6)]
    server.peak = 0
    options = FetchOptions(concurrency=6, per_host=2, allow_private=True)
    result = fetch_images(jobs, tmp_path / "bounded", options)
    assert sorted(result.fetched) == sorted(j.key for j in jobs), result.failed
    assert server.peak == 2  # six workers, but never more than two requests to the host

    # Four workers, no per-host bound, starts 0.3 s apart: the server sees them over >= 0.9 s.
    # Its clock reads arrivals, which a loaded machine delays unevenly, so the bound is the span
    # with a tolerance of a whole gap (without spacing the four arrive within milliseconds);
    # test_http.py checks the limiter's own start times exactly.
    jobs = [FetchJob(f"s{i}", f"{server.url}/files/{names[i % 3]}?s={i}") for i in range(4)]
    first = len(server.starts)
    options = FetchOptions(concurrency=4, per_host=None, host_delay=0.3, allow_private=True)
    assert len(fetch_images(jobs, tmp_path / "spaced", options).fetched) == 4
    starts = sorted(server.starts[first:])
    assert starts[-1] - starts[0] >= 3 * 0.3 - 0.3
    assert sum(b - a >= 0.15 for a, b in itertools.pairwise(starts)) >= 2


def test_jobs_are_interleaved_by_host() -> None:
    jobs = [FetchJob(f"a{i}", f"https://a.example/{i}.png") for i in range(3)]
    jobs += [FetchJob("b0", "https://B.example/0.png"), FetchJob("c0", "http://c.example:81/0")]
    order = [j.key for j in interleave_by_host(jobs)]
    assert order == ["a0", "b0", "c0", "a1", "a2"]
    with pytest.raises(ValueError, match="per_host"):
        FetchOptions(per_host=0)
