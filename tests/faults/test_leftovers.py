"""Leftovers of writes killed with ``kill -9`` are removed by the next write, and named."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gaia_geo.collect._webdataset import export_webdataset
from gaia_geo.stac import read_catalog, to_items, write_catalog

# The child writes a catalog, and stops for good (until killed) while writing the first mirror,
# so the kill always lands mid-write, after the temporary tree exists.
_CHILD = textwrap.dedent(
    """
    import sys, time
    import gaia_geo.stac._write as w
    from gaia_geo.stac import read_catalog, to_items, write_catalog

    def hang(path, items):
        print("writing", flush=True)
        time.sleep(600)

    w.write_geoparquet = hang
    write_catalog(to_items(read_catalog(sys.argv[1])), sys.argv[2])
    """
)


def _killed_write(source: Path, target: Path) -> Path:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(source), str(target)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    leftover = target.with_name(f".{target.name}.tmp-{child.pid}")
    assert leftover.is_dir()
    return leftover


@pytest.mark.slow
def test_killed_write_catalog_is_cleaned_on_next_write(
    demo_catalog: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "out"
    leftover = _killed_write(demo_catalog, target)
    assert not target.exists()  # the kill never left a half catalog in place
    with caplog.at_level(logging.WARNING, logger="gaia_geo._paths"):
        write_catalog(to_items(read_catalog(demo_catalog)), target)
    assert not leftover.exists()
    assert str(leftover) in caplog.text and "interrupted write" in caplog.text
    assert len(read_catalog(target)) == 24
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_leftover_of_a_live_process_is_kept(demo_catalog: Path, tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / f".out.tmp-{live.pid}"
        busy.mkdir()
        write_catalog(to_items(read_catalog(demo_catalog)), tmp_path / "out")
        assert busy.is_dir()  # another write may still be building it
    finally:
        live.kill()
        live.wait()


@pytest.mark.slow
def test_webdataset_leftover_is_cleaned(demo_catalog: Path, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    shards = tmp_path / "shards"
    leftover = tmp_path / f".shards.tmp-{dead.pid}"
    leftover.mkdir()
    (leftover / "train-000000.tar").write_bytes(b"half")
    catalog = tmp_path / "demo"
    shutil.copytree(demo_catalog, catalog)
    assert export_webdataset(catalog, shards)
    assert not leftover.exists()
