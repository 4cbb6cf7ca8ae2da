"""Kill -9 a crawl mid-way, rerun it: nothing stored is fetched again, nothing is duplicated."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gaia_geo.collect import CrawlConfig, crawl, read_records  # noqa: E402
from gaia_geo.collect.sample_site import SiteServer, generate_site  # noqa: E402

CHILD = """
import sys
from gaia_geo.collect import CrawlConfig, crawl
crawl([sys.argv[1]], sys.argv[2], CrawlConfig(delay_s=0, allow_private=True, progress=False))
"""


def _done(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            rows = con.execute("SELECT url FROM tasks WHERE status = 'done'").fetchall()
    except sqlite3.OperationalError:
        return set()
    return {r[0] for r in rows}


@pytest.mark.slow
def test_kill_9_then_resume(tmp_path: Path) -> None:
    truth = generate_site(tmp_path / "site", n_nasa=16, n_esa=8, image_size=24)
    out = tmp_path / "out"
    db = out / "state.sqlite"
    with SiteServer(tmp_path / "site", latency_s=0.03) as server:
        child = subprocess.Popen([sys.executable, "-c", CHILD, server.url, str(out)])
        deadline = time.monotonic() + 60
        while len(_done(db)) < 12 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert child.poll() is None, "the crawl finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        killed_at = time.monotonic()
        stored = _done(db)
        assert 12 <= len(stored) < 2 * len(truth) + 4
        time.sleep(0.1)  # let the server finish answering the dead client
        report = crawl(
            [server.url], out, CrawlConfig(delay_s=0, allow_private=True, progress=False)
        )
        rerun = [h for h in server.hits if h.arrived > killed_at]
    base = server.url.rstrip("/")
    refetched = [h.path for h in rerun if base + h.path in stored and h.status == 200]
    assert refetched == []
    assert report.pages_fetched + report.pages_not_modified + report.images_fetched > 0
    records = read_records(out)
    assert sorted(r.image_url for r in records) == sorted(base + t["image"] for t in truth)
    assert all(r.local_path for r in records)
    for record in records:
        assert hashlib.sha256((out / record.local_path).read_bytes()).hexdigest() == record.sha256
    lines = (out / "records.jsonl").read_text().splitlines()
    assert len(lines) == len(truth)
    assert list(out.rglob("*.tmp")) == []  # no half-written file survives the rerun
