"""A newcomer's walk: commands that did not do their job exit non-zero, say why, leave nothing.

Each test names the command and the failure a new user met (offline, a refused port, a bad
path), and checks the exit code, the one-line root cause, the report, and what is left on disk.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from _helpers import image_server, remote_image_catalog
from gaia_geo.cli.main import main  # noqa: E402


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
    return remote_image_catalog(path, urls, title="newcomer")


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
    with image_server(tmp_path / "site", n=2) as server:
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


# ---- model names: local paths are paths; an unreachable hub fails once, at once -------------


@pytest.mark.slow
def test_caption_model_missing_run_folder_is_folder_not_found(
    tmp_path, demo_catalog, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()  # `runs/blip2` beside a `runs/` folder is a path, not a hub name
    for name in ("runs/blip2", "./blip2", "~/no-such-gaia-run"):
        code = cli("caption-model", "--catalog", str(demo_catalog), "--model", name,
                   "--out", "captions.json")  # fmt: skip
        err = capsys.readouterr().err
        assert code == 1 and f"model folder '{name}' not found" in err, err
        assert "Traceback" not in err and "huggingface" not in err.lower()
    assert not (tmp_path / "captions.json").exists()


@pytest.fixture
def hub_down(monkeypatch, closed_port):
    """The hub's offline mode off and its endpoint a refused port: the network is down."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{closed_port}")


def test_hub_names_fail_fast_once_when_the_hub_is_down(hub_down):
    import time

    from gaia_geo.errors import GaiaError
    from gaia_geo.train.blip2 import caption_with_model

    started = time.monotonic()
    with pytest.raises(GaiaError, match=r"not in the local cache.*connection refused"):
        caption_with_model("unused", "someorg/no-such-blip2")
    assert time.monotonic() - started < 10  # one probe, not five retries with backoff


@pytest.mark.slow  # builds a ViT-B-32
def test_clip_tags_fail_fast_once_when_the_hub_is_down(hub_down, tmp_path):
    import time

    from gaia_geo.errors import CheckpointError
    from gaia_geo.evaluate import ModelLoadError, load_clip
    from gaia_geo.train._clip_module import create_clip

    started = time.monotonic()
    with pytest.raises(CheckpointError, match=r"not in the local Hugging Face cache.*refused"):
        create_clip("ViT-B-32", "openai")
    with pytest.raises(ModelLoadError, match=r"not in the local Hugging Face cache.*refused"):
        load_clip("ViT-B-32", pretrained="openai")
    assert time.monotonic() - started < 30
    with pytest.raises(CheckpointError, match="weights file './missing.pt' not found"):
        create_clip("gaia-tiny-vit", "./missing.pt")
    with pytest.raises(ModelLoadError, match="checkpoint directory 'runs/clip/' not found"):
        load_clip("runs/clip/", pretrained=None)
