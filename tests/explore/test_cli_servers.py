"""`gaia-geo serve` and `gaia-geo api` as a user runs them: real processes on loopback ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

GAIA_GEO = str(Path(sys.executable).parent / "gaia-geo")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(args: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [GAIA_GEO, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_serve_prints_browser_links_and_serves(explore_catalog: Path) -> None:
    port = free_port()
    with running(["serve", str(explore_catalog.parent), "--port", str(port)]) as proc:
        body = get(f"http://127.0.0.1:{port}/test-cat/catalog.json", time.monotonic() + 30)
        assert json.loads(body)["id"] == "explore-test"
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
    expected = (
        "https://radiantearth.github.io/stac-browser/#/external/"
        f"http://127.0.0.1:{port}/test-cat/catalog.json"
    )
    assert any(expected in line for line in lines), lines


@pytest.mark.slow
def test_api_command_answers_pystac_client(explore_catalog: Path, tmp_path: Path) -> None:
    import pystac_client

    port = free_port()
    args = ["api", str(explore_catalog), "--port", str(port), "--cache-dir", str(tmp_path)]
    with running(args, env={"PYTHONWARNINGS": "ignore"}):
        get(f"http://127.0.0.1:{port}/", time.monotonic() + 60)
        client = pystac_client.Client.open(f"http://127.0.0.1:{port}/")
        hits = client.search(filter="\"gaia:caption_text\" LIKE '%glacier%' AND gsd < 30")
        ids = {item.id for item in hits.items()}
    from gaia_geo.explore import search

    expected = set(search(explore_catalog, text="glacier", filter="gsd < 30")["id"])
    assert ids == expected and ids
