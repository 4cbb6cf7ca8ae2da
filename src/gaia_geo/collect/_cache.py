"""An on-disk HTTP cache for conditional GET (ETag / Last-Modified)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedResponse:
    """A cached 200 response: its validators, media type and body."""

    url: str
    etag: str | None
    last_modified: str | None
    content_type: str
    body: bytes


class HttpCache:
    """Bodies as files under ``root``, validators in ``root/index.sqlite``.

    Only responses that carry a validator are cached; a conditional request that gets
    ``304 Not Modified`` is answered from here. Bodies are renamed into place but not fsynced
    (a cache need not survive a power cut): each row keeps the body's sha256, and a body that
    does not match it is treated as missing, so a torn entry costs a refetch, never a wrong page.

    Args:
        root: the cache directory (created when missing).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.root / "index.sqlite", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS entries (url TEXT PRIMARY KEY, etag TEXT, "
            "last_modified TEXT, content_type TEXT NOT NULL, body TEXT NOT NULL, "
            "sha256 TEXT NOT NULL)"
        )

    def close(self) -> None:
        """Close the index."""
        self._db.close()

    def _body_path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode()).hexdigest()
        return self.root / digest[:2] / digest

    def get(self, url: str) -> CachedResponse | None:
        """The cached response for ``url``, or None (also when its body file went missing)."""
        row = self._db.execute(
            "SELECT etag, last_modified, content_type, body, sha256 FROM entries WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        path = self.root / row[3]
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return None
        if hashlib.sha256(body).hexdigest() != row[4]:
            return None
        return CachedResponse(url, row[0], row[1], row[2], body)

    def put(
        self, url: str, etag: str | None, last_modified: str | None, content_type: str, body: bytes
    ) -> None:
        """Store a response: the body file first, then the index row.

        So a crash never leaves a row pointing at a missing body.
        """
        if etag is None and last_modified is None:
            return
        path = self._body_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, path)
        self._db.execute(
            "INSERT OR REPLACE INTO entries(url, etag, last_modified, content_type, body, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                url,
                etag,
                last_modified,
                content_type,
                str(path.relative_to(self.root)),
                hashlib.sha256(body).hexdigest(),
            ),
        )
