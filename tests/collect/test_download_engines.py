"""The two download engines, builtin and img2dataset, give the same catalog on the same input."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _helpers import collect_sources_app, image_server, remote_image_catalog
from gaia_geo.collect._download import download_assets
from gaia_geo.collect._img2dataset import (
    _spark_session,
    fetch_images_img2dataset,
    img2dataset_reason,
)
from gaia_geo.collect._src_fetch import FetchJob, FetchOptions
from gaia_geo.errors import DependencyError
from gaia_geo.stac import read_catalog

FAST: dict[str, Any] = {"backoff": 0.01, "timeout": 5.0, "allow_private": True}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with image_server(tmp_path_factory.mktemp("site"), n=8) as srv:
        yield srv


def _catalog(path: Path, urls: dict[str, str]) -> Path:
    return remote_image_catalog(path, urls, title="engines test")


def _urls(base: str) -> dict[str, str]:
    urls = {f"k{i}": f"{base}/files/img-{i:03d}.{'png' if i % 2 == 0 else 'jpg'}" for i in range(6)}
    urls.update({"missing": f"{base}/status/404", "broken": f"{base}/status/500"})
    return urls


def _items(catalog: Path) -> dict[str, dict[str, Any]]:
    """What a download changes in each Item, with hrefs relative to the catalog."""
    out = {}
    for _, row in read_catalog(catalog).iterrows():
        assets = {}
        for name, asset in row["assets"].items():
            if asset is None:  # an asset another Item has and this one has not
                continue
            href = asset["href"]
            if not href.startswith("http"):
                assert Path(href).is_file(), href
                href = str(Path(href).relative_to(catalog.resolve()))
            assets[name] = {**asset, "href": href}
        out[row["id"]] = assets
    return out


@pytest.mark.slow
def test_engines_give_the_same_catalog_and_resume(server: Any, tmp_path: Path) -> None:
    pytest.importorskip("img2dataset")
    builtin = _catalog(tmp_path / "builtin", _urls(server.url))
    i2d = _catalog(tmp_path / "i2d", _urls(server.url))
    one = download_assets(builtin, retries=1, **FAST)
    two = download_assets(i2d, retries=1, engine="img2dataset", **FAST)
    assert one.engine == "builtin" and two.engine == "img2dataset"
    assert (one.remote, one.downloaded) == (two.remote, two.downloaded) == (8, 6)
    # failures with the same reasons; they stay remote for a rerun
    assert (
        one.failed
        == two.failed
        == {
            "broken": "HTTP 500 (gave up after 2 attempts)",
            "missing": "HTTP 404",
        }
    )
    # the same Items: ids, local hrefs, checksums, sizes, media types, thumbnails
    items = _items(builtin)
    assert items == _items(i2d)
    assert items["k1"]["image"]["href"] == "train/k1/k1.jpg"
    assert items["missing"]["image"]["href"].endswith("/status/404")
    served = (Path(server.root) / "img-003.jpg").read_bytes()
    assert (i2d / "train" / "k3" / "k3.jpg").read_bytes() == served
    assert not (tmp_path / "i2d.download").exists()  # staging removed once all is in the catalog

    # a rerun hands img2dataset only the failures: nothing stored is fetched again
    hits = server.count("/files/img-000.png")
    again = download_assets(i2d, retries=0, engine="img2dataset", **FAST)
    assert (
        again.remote == 2
        and again.downloaded == 0
        and sorted(again.failed)
        == [
            "broken",
            "missing",
        ]
    )
    assert server.count("/files/img-000.png") == hits
    assert _items(i2d) == items


@pytest.mark.slow
def test_pyspark_distributor_in_local_mode_gives_the_builtin_catalog(
    server: Any, tmp_path: Path
) -> None:
    hint = "needs pip install 'gaia_geo[scale]' (img2dataset and pyspark)"
    pytest.importorskip("img2dataset", reason=hint)
    pyspark_sql = pytest.importorskip("pyspark.sql", reason=hint)
    builtin = _catalog(tmp_path / "builtin", _urls(server.url))
    spark = _catalog(tmp_path / "spark", _urls(server.url))
    one = download_assets(builtin, retries=1, **FAST)
    options = {"distributor": "pyspark", "processes": 2, "shard_size": 4}  # local[2], two shards
    two = download_assets(spark, retries=1, engine="img2dataset", engine_options=options, **FAST)
    assert (two.remote, two.downloaded) == (one.remote, one.downloaded) == (8, 6)
    assert two.failed == one.failed
    assert _items(spark) == _items(builtin)
    assert pyspark_sql.SparkSession.getActiveSession() is None  # the local session is stopped


@pytest.mark.slow
def test_webdataset_shards_and_reuse(server: Any, tmp_path: Path) -> None:
    pytest.importorskip("img2dataset")
    jobs = [FetchJob(f"w{i}", f"{server.url}/files/img-{i:03d}.png") for i in (0, 2, 4)]
    staging = tmp_path / "staging"
    options: dict[str, Any] = {"output_format": "webdataset", "shard_size": 2}
    fetch = FetchOptions(allow_private=True)
    first = fetch_images_img2dataset(jobs[:2], staging, fetch, **options)
    assert sorted(first.fetched) == ["w0", "w2"] and not first.failed
    assert first.stored["w0"].path == "w0.png" and first.stored["w0"].media_type == "image/png"
    assert (staging / "w0.png").read_bytes() == (Path(server.root) / "img-000.png").read_bytes()
    assert not (staging / "img2dataset").exists()  # img2dataset's own output is cleaned up
    hits = server.count("/files/img-000.png")
    second = fetch_images_img2dataset(jobs, staging, fetch, **options)
    assert sorted(second.reused) == ["w0", "w2"] and second.fetched == ["w4"]
    assert server.count("/files/img-000.png") == hits


KILL_RUNNER = """
import sys
from gaia_geo.collect._download import download_assets
download_assets(sys.argv[1], concurrency=1, allow_private=True, engine="img2dataset",
                engine_options={"shard_size": 1})
"""


@pytest.mark.slow
def test_kill_mid_img2dataset_then_resume(server: Any, tmp_path: Path) -> None:
    pytest.importorskip("img2dataset")
    names = [f"img-{i:03d}.png" for i in range(0, 8, 2)]  # four PNGs, 0.25 s each over /slow/
    catalog = _catalog(
        tmp_path / "slow", {f"s{i}": f"{server.url}/slow/{n}" for i, n in enumerate(names)}
    )
    before = {p: p.read_bytes() for p in catalog.rglob("*.json")}
    shards = tmp_path / "slow.download" / "img2dataset" / "files"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_RUNNER, str(catalog)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # img2dataset's worker processes die with it
    )
    try:
        deadline = time.monotonic() + 90
        while len(list(shards.glob("*_stats.json"))) < 2:
            if time.monotonic() > deadline or proc.poll() is not None:
                err = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
                pytest.fail(f"img2dataset did not progress: {err}")
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    # the catalog is untouched: not one of its files changed
    assert {p: p.read_bytes() for p in catalog.rglob("*.json")} == before
    import pyarrow.parquet as pq

    done = {  # keys of the shards img2dataset completed before the kill
        key
        for stats in shards.glob("*_stats.json")
        for key in pq.read_table(str(stats).replace("_stats.json", ".parquet"))[
            "gaia_key"
        ].to_pylist()
    }
    assert 2 <= len(done) < len(names)
    hits = {n: server.count(f"/slow/{n}") for n in names}

    report = download_assets(catalog, allow_private=True, engine="img2dataset")
    assert report.reused == len(done) and report.downloaded == len(names) - len(done)
    assert not report.failed
    for i, name in enumerate(names):
        if f"s{i}" in done:  # complete shards of the killed run are harvested, not fetched again
            assert server.count(f"/slow/{name}") == hits[name] == 1, name
        else:  # (a request in flight at the kill may reach the server late)
            assert server.count(f"/slow/{name}") >= hits[name] + 1, name
    items = _items(catalog)
    assert all(not a["image"]["href"].startswith("http") for a in items.values())
    assert not (tmp_path / "slow.download").exists()


@pytest.mark.slow
def test_ctrl_c_during_img2dataset_fails_and_keeps_the_catalog(server: Any, tmp_path: Path) -> None:
    pytest.importorskip("img2dataset")
    urls = {f"c{i}": f"{server.url}/slow/img-{i:03d}.png" for i in range(0, 8, 2)}
    catalog = _catalog(tmp_path / "cc", urls)
    before = {p: p.read_bytes() for p in catalog.rglob("*.json")}
    shards = tmp_path / "cc.download" / "img2dataset" / "files"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_RUNNER, str(catalog)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not list(shards.glob("*_stats.json")):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("img2dataset did not progress")
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)  # img2dataset itself would exit 0
        code = proc.wait(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert code != 0
    assert {p: p.read_bytes() for p in catalog.rglob("*.json")} == before


def test_missing_img2dataset_names_the_extra(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "img2dataset", None)  # what an install without it sees
    catalog = _catalog(tmp_path / "c", {"a": f"{server.url}/files/img-000.png"})
    before = (catalog / "train" / "a" / "a.json").read_bytes()
    with pytest.raises(DependencyError, match=r"pip install 'gaia_geo\[scale\]'"):
        download_assets(catalog, engine="img2dataset", **FAST)
    assert (catalog / "train" / "a" / "a.json").read_bytes() == before
    shutil.rmtree(tmp_path / "c.download", ignore_errors=True)

    result = CliRunner().invoke(
        collect_sources_app(), ["download", str(catalog), "--engine", "spark"]
    )
    assert result.exit_code == 2 and "'spark' is not one of builtin, img2dataset" in result.output


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(
        DependencyError, match=r"pyspark is needed.*pip install 'gaia_geo\[scale\]'"
    ):
        with _spark_session(2):
            pass


def test_engine_arguments_are_checked(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path / "c", {"a": "https://example.com/a.png"})
    with pytest.raises(ValueError, match="engine must be one of"):
        download_assets(catalog, engine="wget")
    with pytest.raises(ValueError, match="engine_options apply to engine='img2dataset' only"):
        download_assets(catalog, engine_options={"processes": 2})
    with pytest.raises(ValueError, match="output_format must be one of"):
        fetch_images_img2dataset([], tmp_path / "s", output_format="tfrecord")
    with pytest.raises(ValueError, match="distributor must be one of"):
        fetch_images_img2dataset([], tmp_path / "s", distributor="ray")


def test_img2dataset_reasons_read_as_the_builtin_engine_words_them() -> None:
    assert img2dataset_reason("HTTP Error 404: Not Found", 3) == "HTTP 404"
    assert img2dataset_reason("HTTP Error 503: Service Unavailable", 3) == (
        "HTTP 503 (gave up after 4 attempts)"
    )
    assert img2dataset_reason("<urlopen error timed out>", 0) == "timed out"
    assert img2dataset_reason("Use of image disallowed by X-Robots-Tag directive", 0) == (
        "Use of image disallowed by X-Robots-Tag directive"
    )
    assert img2dataset_reason(None, 0) == "unknown img2dataset error"


def test_private_and_non_http_urls_are_refused_before_img2dataset(
    server: Any, tmp_path: Path
) -> None:
    catalog = _catalog(
        tmp_path / "c", {"a": f"{server.url}/files/img-000.png", "b": "ftp://example.com/b.png"}
    )
    report = download_assets(catalog, engine="img2dataset", backoff=0.01)
    assert "private address: 127.0.0.1" in report.failed["a"]
    assert "--allow-private" in report.failed["a"]
    assert report.failed["b"].startswith("unsupported URL scheme: 'ftp'")
    assert server.count("/files/img-000.png") == 0 or report.downloaded == 0
