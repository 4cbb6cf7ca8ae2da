"""A newcomer's walk: commands that did not do their job exit non-zero, say why, leave nothing.

Each test names the command and the failure a new user met (offline, a refused port, a bad
path), and checks the exit code, the one-line root cause, the report, and what is left on disk.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import socket
import sys
from pathlib import Path
from types import ModuleType

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gaia_geo.cli.main import main  # noqa: E402
from gaia_geo.stac import CaptionProvenance, build_item, write_catalog  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "collect_sources"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"newcomer_{name}", DATA / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


data = _load("data")
http_fixture = _load("http_fixture")


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _catalog(path: Path, urls: dict[str, str]) -> Path:
    provenance = CaptionProvenance("human", "test", "v1", dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    items = [
        build_item(
            key,
            geometry={"type": "Point", "coordinates": [10.0 + i, 45.0]},
            datetime=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            captions=[f"The image showcases: {key}."],
            provenance=provenance,
            image=url,
            split="train",
        )
        for i, (key, url) in enumerate(urls.items())
    ]
    write_catalog(items, path, title="newcomer", license="CC-BY-4.0")
    return path


@pytest.mark.slow
def test_download_all_failed_exits_1_with_the_cause_and_a_report(tmp_path, closed_port, capsys):
    base = f"http://127.0.0.1:{closed_port}"
    catalog = _catalog(tmp_path / "cat", {f"i{n}": f"{base}/img-{n}.png" for n in range(3)})
    args = ["download", str(catalog), "--allow-private", "--retries", "0"]
    assert cli(*args) == 1
    err = capsys.readouterr().err
    assert "error: 3 of 3 images failed" in err and "connection refused" in err
    assert "Traceback" not in err
    assert (catalog / "download-report.json").is_file()
    assert not (tmp_path / "cat.download").exists()  # no empty staging folder left behind
    # --webdataset: the error says the downloads failed (not "run gaia-geo download first")
    # and the download report is still written
    (catalog / "download-report.json").unlink()
    assert cli(*args, "--webdataset", str(tmp_path / "shards"), "--keep-going") == 1
    err = capsys.readouterr().err
    assert "no webdataset written: 3 of 3 downloads failed" in err and "connection refused" in err
    assert "run gaia-geo download first" not in err
    assert (catalog / "download-report.json").is_file()


def test_download_partial_failure_exits_1_unless_keep_going(tmp_path, capsys):
    root = tmp_path / "site"
    data.make_images(root, n=2)
    with http_fixture.FixtureServer(root) as server:
        urls = {"ok": f"{server.url}/files/img-000.png", "gone": f"{server.url}/status/404"}
        strict = _catalog(tmp_path / "strict", urls)
        assert cli("download", str(strict), "--allow-private") == 1
        err = capsys.readouterr().err
        assert "error: 1 of 2 images failed" in err and "--keep-going" in err
        assert "not downloaded: gone: HTTP 404" in err
        lenient = _catalog(tmp_path / "lenient", urls)
        assert cli("download", str(lenient), "--allow-private", "--keep-going") == 0
        assert "warning: 1 of 2 images failed (--keep-going)" in capsys.readouterr().err


@pytest.mark.slow  # the crawler retries robots.txt with backoff before it gives up
def test_collect_web_unreachable_site_exits_1_and_leaves_nothing(tmp_path, closed_port, capsys):
    out = tmp_path / "crawl"
    seed = f"http://127.0.0.1:{closed_port}/"
    code = cli("collect", "web", seed, "--out", str(out), "--allow-private", "--delay", "0")
    err = capsys.readouterr().err
    assert code == 1, err
    assert "robots-unavailable" in err and "connection refused" in err
    assert "error: 1 of 1 URLs failed" in err and "Traceback" not in err
    assert not out.exists()


def test_collect_stac_unreachable_api_is_one_line_and_leaves_nothing(tmp_path, closed_port, capsys):
    points = tmp_path / "points.csv"
    points.write_text("lon,lat\n15.0,41.5\n")
    out = tmp_path / "catalogs" / "s2chips"
    code = cli(
        "collect", "stac", "--api", f"http://127.0.0.1:{closed_port}/v1",
        "--collection", "sentinel-2-l2a", "--points", str(points), "--out", str(out),
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: cannot open the STAC API http://127.0.0.1:{closed_port}/v1: connection "
        "refused; check the URL and the network, then rerun"
    ]
    assert not (tmp_path / "catalogs").exists() or not any((tmp_path / "catalogs").iterdir())
