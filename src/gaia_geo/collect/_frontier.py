"""The crawl's durable state: frontier, image records, stored image files and failures, in SQLite.

Every unit of work commits in one transaction (a page with its records and its new links; an
image with its stored file), so a crawl killed at any instant resumes where it stopped: what was
committed is never fetched again and nothing is stored twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson

from ._records import CrawlFailure, ImageRecord

#: ``entry``: a feed entry whose article the feed carried whole; stored done, never fetched.
TaskKind = Literal["page", "image", "entry"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status, kind);
CREATE TABLE IF NOT EXISTS records (
    article_url TEXT NOT NULL,
    image_url TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (article_url, image_url)
);
CREATE TABLE IF NOT EXISTS files (
    image_url TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Task:
    """One URL to fetch: a page (to parse) or an image (to store)."""

    url: str
    kind: TaskKind
    depth: int


class Frontier:
    """SQLite-backed frontier and result store of one crawl directory.

    Args:
        path: the database file (created when missing).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Frontier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- frontier ------------------------------------------------------------------------------
    def add(self, tasks: Iterable[Task]) -> list[Task]:
        """Add tasks not seen before; return those that were new."""
        with self._db:
            return self._insert(tasks)

    def _insert(self, tasks: Iterable[Task]) -> list[Task]:
        """Insert the tasks not seen before (inside the caller's transaction); return those."""
        added = []
        for task in tasks:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO tasks(url, kind, depth) VALUES (?, ?, ?)",
                (task.url, task.kind, task.depth),
            )
            if cur.rowcount:
                added.append(task)
        return added

    def pending(self) -> list[Task]:
        """Tasks not finished yet (including any in flight when a previous run was killed)."""
        rows = self._db.execute(
            "SELECT url, kind, depth FROM tasks WHERE status = 'pending' ORDER BY rowid"
        )
        return [Task(url, kind, depth) for url, kind, depth in rows]

    def reopen_pages(self) -> int:
        """Mark finished pages pending again (a refresh run revalidates them); return how many."""
        with self._db:
            cur = self._db.execute(
                "UPDATE tasks SET status = 'pending' WHERE kind = 'page' AND status = 'done'"
            )
        return cur.rowcount

    def count(self, kind: TaskKind, status: str) -> int:
        """Number of tasks of ``kind`` in ``status``."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM tasks WHERE kind = ? AND status = ?", (kind, status)
        ).fetchone()
        return int(row[0])

    def status(self, url: str) -> str | None:
        """The status of ``url`` (``pending``, ``done``, ``failed``), or None if unknown."""
        row = self._db.execute("SELECT status FROM tasks WHERE url = ?", (url,)).fetchone()
        return None if row is None else str(row[0])

    # -- results -------------------------------------------------------------------------------
    def complete_page(
        self,
        url: str,
        records: Iterable[ImageRecord],
        links: Iterable[Task],
        *,
        final_url: str | None = None,
        failure: CrawlFailure | None = None,
        entries: Iterable[str] = (),
    ) -> list[Task]:
        """Store a page's records and new links and mark it done (or failed), atomically.

        Args:
            url: the page's task URL.
            records: its image records.
            links: tasks for the links and images it holds.
            final_url: the URL it redirected to, marked done too so it is not fetched again.
            failure: a failure to record for the page itself (e.g. an article with no image).
            entries: article URLs a feed carried whole, marked done so they are never fetched.

        Returns:
            The tasks that were new.
        """
        with self._db:
            self._db.execute("BEGIN")
            for record in records:
                self._db.execute(
                    "INSERT OR REPLACE INTO records(article_url, image_url, data) VALUES (?, ?, ?)",
                    (record.article_url, record.image_url, orjson.dumps(record.to_dict())),
                )
            added = self._insert(links)
            if final_url is not None and final_url != url:
                self._db.execute(
                    "INSERT INTO tasks(url, kind, depth, status) VALUES (?, 'page', 0, 'done') "
                    "ON CONFLICT(url) DO UPDATE SET status = 'done'",
                    (final_url,),
                )
            for entry in entries:
                self._db.execute(
                    "INSERT INTO tasks(url, kind, depth, status) VALUES (?, 'entry', 0, 'done') "
                    "ON CONFLICT(url) DO UPDATE SET status = 'done'",
                    (entry,),
                )
            self._db.execute("UPDATE tasks SET status = 'done' WHERE url = ?", (url,))
            self._db.execute("DELETE FROM failures WHERE url = ?", (url,))
            if failure is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO failures(url, kind, reason, detail) "
                    "VALUES (?, ?, ?, ?)",
                    (failure.url, failure.kind, failure.reason, failure.detail),
                )
                self._db.execute("UPDATE tasks SET status = 'failed' WHERE url = ?", (url,))
        return added

    def complete_image(self, url: str, info: dict[str, object]) -> None:
        """Store where an image was saved (path, type, checksum, size) and mark it done."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO files(image_url, data) VALUES (?, ?)",
                (url, orjson.dumps(info)),
            )
            self._db.execute("UPDATE tasks SET status = 'done' WHERE url = ?", (url,))
            self._db.execute("DELETE FROM failures WHERE url = ?", (url,))

    def fail(self, failure: CrawlFailure) -> None:
        """Record a failure and mark its task failed."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO failures(url, kind, reason, detail) VALUES (?, ?, ?, ?)",
                (failure.url, failure.kind, failure.reason, failure.detail),
            )
            self._db.execute("UPDATE tasks SET status = 'failed' WHERE url = ?", (failure.url,))

    def failures(self) -> list[CrawlFailure]:
        """Every recorded failure."""
        rows = self._db.execute("SELECT url, kind, reason, detail FROM failures ORDER BY rowid")
        return [CrawlFailure(*row) for row in rows]

    def record_count(self) -> int:
        """Number of image records stored."""
        return int(self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def records(self, *, only_stored: bool = False) -> Iterator[ImageRecord]:
        """Image records in insertion order, joined with their stored file when there is one.

        Args:
            only_stored: skip records whose image was not stored (failed or not fetched yet).
        """
        rows = self._db.execute(
            "SELECT r.data, f.data FROM records r LEFT JOIN files f ON f.image_url = r.image_url "
            "ORDER BY r.rowid"
        )
        for data, file_data in rows:
            if file_data is None and only_stored:
                continue
            merged = orjson.loads(data)
            if file_data is not None:
                merged.update(orjson.loads(file_data))
            yield ImageRecord.from_dict(merged)
