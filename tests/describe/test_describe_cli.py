"""``gaia-geo caption`` on a real catalog: rewrite, mirrors, offline default, kill -9 and resume."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gaia_geo.cli.main import main
from gaia_geo.describe.testing_server import FakeOpenAIServer
from gaia_geo.stac import read_catalog, to_items, validate


@pytest.fixture
def catalog(demo_catalog: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_catalog, target)
    return target


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def generators(root: Path) -> set[str]:
    frame = read_catalog(root)
    return {p["generator"] for p in frame["gaia:caption_provenance"]}


@pytest.mark.slow
def test_caption_rewrites_catalog_and_mirrors(
    catalog, server, key, tmp_path, monkeypatch, capsys, shared_schemas
):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    n = len(read_catalog(catalog))
    first = to_items(read_catalog(catalog))[0].id
    server.add_fault("chart", times=1, match=first)
    code = cli(
        "caption", str(catalog), "--base-url", server.base_url, "--model", "gpt-4o",
        "--cache", str(tmp_path / "cache"), "--report", str(tmp_path / "report.json"),
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"EXCLUDED {first}" in out.err and f"{n - 1} captioned" in out.out
    frame = read_catalog(catalog)  # read from the GeoParquet mirrors
    assert len(frame) == n - 1 and first not in set(frame["id"])
    assert generators(catalog) == {"openai"}
    assert all(len(c) == 5 for c in frame["gaia:captions"])
    frame_json = read_catalog(catalog, prefer_geoparquet=False)
    assert generators(catalog) == {p["generator"] for p in frame_json["gaia:caption_provenance"]}
    assert validate(catalog, schema_dir=shared_schemas).valid
    assert key not in (tmp_path / "report.json").read_text() and key not in out.out + out.err
    for path in catalog.rglob("*.json"):
        assert key not in path.read_text()


@pytest.mark.slow
def test_batch_mode_from_the_command_line(catalog, server, key, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    code = cli(
        "caption", str(catalog), "--base-url", server.base_url, "--model", "gpt-4o",
        "--cache", str(tmp_path / "cache"), "--batch", "--poll-interval", "0.02",
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert generators(catalog) == {"openai"} and server.chat_records() == []
    assert (
        len(server.batches) == 2
        and len(list((tmp_path / "cache" / "batches").glob("*.state.json"))) == 2
    )
    frame = read_catalog(catalog)
    assert all(p["batch"] is True for p in frame["gaia:caption_provenance"])


def test_dry_run_writes_nothing(catalog, server, key, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    before = (catalog / "catalog.json").stat().st_mtime_ns
    code = cli(
        "caption", str(catalog), "--base-url", server.base_url, "--model", "gpt-4o",
        "--cache", str(tmp_path / "cache"), "--dry-run",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "dry run" in out and "estimated cost $" in out
    assert server.chat_records() == []
    assert (catalog / "catalog.json").stat().st_mtime_ns == before
    assert generators(catalog) == {"offline"}


@pytest.mark.slow
def test_without_key_or_base_url_the_offline_captioner_is_used(catalog, capsys):
    before = (catalog / "catalog.json").stat().st_mtime_ns
    assert cli("caption", str(catalog), "--dry-run") == 0
    assert "would be used" in capsys.readouterr().out
    assert (catalog / "catalog.json").stat().st_mtime_ns == before  # a dry run writes nothing
    code = cli("caption", str(catalog))
    out = capsys.readouterr().out
    assert code == 0 and "used the offline captioner" in out
    assert generators(catalog) == {"offline"}
    assert (catalog / "catalog.json").stat().st_mtime_ns != before


@pytest.mark.slow
def test_offline_rerun_keeps_model_captions(catalog, server, key, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    args = ["caption", str(catalog), "--base-url", server.base_url, "--cache", str(tmp_path)]
    assert cli(*args) == 0
    captions = sorted(map(tuple, read_catalog(catalog)["gaia:captions"]))
    monkeypatch.delenv("OPENAI_API_KEY")
    assert cli("caption", str(catalog)) == 0
    assert generators(catalog) == {"openai"}
    assert sorted(map(tuple, read_catalog(catalog)["gaia:captions"])) == captions


def test_invalid_key_is_a_clear_error(catalog, server, tmp_path, monkeypatch, capsys):
    bad = "sk-not-the-right-one-1234567890"
    monkeypatch.setenv("OPENAI_API_KEY", bad)
    code = cli(
        "caption", str(catalog), "--base-url", server.base_url,
        "--cache", str(tmp_path / "cache"), "--concurrency", "1",
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "rejected the key" in err and bad not in err
    assert len(server.chat_records()) == 1
    assert generators(catalog) == {"offline"}


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_finishes(
    catalog, key, tmp_path, requested_ids, cached_ids, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    items = to_items(read_catalog(catalog))
    cache = tmp_path / "cache"
    n = len(read_catalog(catalog))
    with FakeOpenAIServer(api_key=key, latency=0.15) as server:
        env = dict(os.environ)
        args = [sys.executable, "-m", "gaia_geo.cli.main", "caption", str(catalog)]
        args += ["--base-url", server.base_url, "--model", "gpt-4o", "--cache", str(cache)]
        proc = subprocess.Popen(
            [*args, "--concurrency", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(cached_ids(items, cache, server.base_url)) < 3:
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        cached = cached_ids(items, cache, server.base_url)
        assert 3 <= len(cached) < n
        # the catalog is untouched and whole: still the offline captions, still valid
        assert generators(catalog) == {"offline"} and validate(catalog).valid
        first_run = len(requested_ids(server))
        code = cli(*args[3:], "--concurrency", "4")
        assert code == 0
        rerun = requested_ids(server)[first_run:]
        assert rerun
    assert not cached & set(rerun)  # nothing that was cached was asked again
    assert generators(catalog) == {"test-server"} and len(read_catalog(catalog)) == n


@pytest.mark.slow
def test_caption_over_the_sdk_transport(catalog, server, key, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    n = len(read_catalog(catalog))
    code = cli(
        "caption", str(catalog), "--base-url", server.base_url, "--model", "gpt-4o",
        "--cache", str(tmp_path / "cache"), "--transport", "sdk",
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"{n} captioned" in out.out  # a summary and a caption request per Item:
    assert len(server.chat_records(200)) == 2 * n
    assert cli("caption", str(catalog), "--base-url", server.base_url, "--transport", "curl") == 2
    assert "'aiohttp' or 'sdk'" in capsys.readouterr().err


# ---- exit codes: non-zero when Items failed (all of them with --keep-going) ----------------


def _args(catalog: Path, server, tmp_path: Path) -> list[str]:
    return ["caption", str(catalog), "--base-url", server.base_url, "--model", "gpt-4o",
            "--cache", str(tmp_path / "cache"), "--attempts", "1"]  # fmt: skip


@pytest.mark.slow
def test_one_failed_item_exits_1_unless_keep_going(
    catalog, server, key, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    first = to_items(read_catalog(catalog))[0].id
    n = len(read_catalog(catalog))
    server.add_fault("four_captions", times=2, match=first)  # rejected twice: the Item fails
    code = cli(*_args(catalog, server, tmp_path))
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: 1 of {n} Items failed; rerun the same command" in err
    assert "--retry-failed" in err and "--keep-going" in err and f"FAILED {first}" in err
    # the accepted captions were written all the same
    assert (
        sum(p["generator"] == "openai" for p in read_catalog(catalog)["gaia:caption_provenance"])
        == n - 1
    )
    # a rerun with --keep-going accepts the partial result (the failed answer is cached)
    code = cli(*_args(catalog, server, tmp_path), "--keep-going")
    err = capsys.readouterr().err
    assert code == 0 and f"warning: 1 of {n} Items failed (--keep-going)" in err


@pytest.mark.slow
def test_every_item_failed_exits_1_even_with_keep_going(
    catalog, server, key, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    n = len(read_catalog(catalog))
    server.add_fault("four_captions", times=10 * n)
    code = cli(*_args(catalog, server, tmp_path), "--keep-going", "--concurrency", "4")
    err = capsys.readouterr().err
    assert code == 1 and f"error: {n} of {n} Items failed" in err


def test_an_unreachable_server_names_the_root_cause(key, make_items, tmp_path):
    import socket

    from gaia_geo.describe import CaptionServiceError, RetryPolicy, caption_items

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = RetryPolicy(attempts=1, timeout=2)
    for transport in ("aiohttp", "sdk"):
        with pytest.raises(CaptionServiceError, match=r"connection refused\)"):
            caption_items(make_items(3, text=False), base_url=f"http://127.0.0.1:{port}/v1",
                          api_key=key, retry=policy, cache=tmp_path / "c",
                          transport=transport, concurrency=1)  # fmt: skip
