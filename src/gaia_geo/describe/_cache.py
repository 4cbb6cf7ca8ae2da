"""A content-addressed, on-disk cache of model answers: a rerun or a crash never pays twice.

One small JSON file per answer under ``root/<2 hex>/<64 hex>.json``, written atomically, so a run
killed at any instant leaves only whole entries. The key is the sha256 of what determines the
answer (key layout version, kind, the server's normalised base URL, model, prompt template with its
response schema, image sha256, text sha256), never of the API key, and entries hold answers and
accounting only: no key, no header, no request body.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from .._atomic import atomic_write_bytes
from .._hashing import text_sha256 as text_sha256  # collect/_extract_llm.py imports it from here

_KEY = re.compile(r"[0-9a-f]{64}")


def cache_key(*parts: str) -> str:
    """The sha256 hex key of an answer from the parts that determine it (order matters)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class CaptionCache:
    """Answers stored by content address.

    Args:
        root: the cache folder (created when missing).

    Example:
        >>> cache = CaptionCache("/tmp/gaia-cache")  # doctest: +SKIP
        >>> key = cache_key("caption", "gpt-4o", "gaia-v1+abc", "ab12", "cd34")
        >>> cache.get(key) is None  # doctest: +SKIP
        True
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The file that holds ``key``'s entry."""
        if _KEY.fullmatch(key) is None:
            raise ValueError(f"cache keys are 64 lower-case hex characters, got {key!r}")
        return self.root.joinpath(key[:2], f"{key}.json")

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry stored under ``key``, or ``None`` (also for an unreadable entry)."""
        try:
            data = self.path(key).read_bytes()
        except FileNotFoundError:
            return None
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store ``entry`` under ``key`` atomically (replacing an older one)."""
        atomic_write_bytes(self.path(key), orjson.dumps(entry))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.path(key).is_file()

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("??/*.json"))


class CacheWriter:
    """Writes cache entries from background threads, so no request waits for a disk sync.

    :meth:`put` returns at once; :meth:`wait_below` lets async callers wait while too many writes
    are pending (so a slow disk slows the run instead of letting answers pile up in memory, where
    a killed process would lose them); :meth:`close` waits until every entry is on disk (call it
    when a run ends, also when it fails). An entry still pending when the process is killed is
    simply asked for again by the next run.

    Args:
        cache: the cache to write to.
        threads: writer threads (their fsyncs overlap when the disk is slow).
        max_pending: writes in flight before :meth:`wait_below` makes callers wait.
    """

    def __init__(self, cache: CaptionCache, threads: int = 2, max_pending: int = 64) -> None:
        self.cache = cache
        self.max_pending = max_pending
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="gaia-cache-writer")
        self._pending: collections.deque[Future[None]] = collections.deque()
        self._error: BaseException | None = None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Queue ``entry`` for ``key``."""
        self.cache.path(key)  # validate the key now, in the caller
        self._reap()
        self._pending.append(self._pool.submit(self.cache.put, key, entry))

    def _reap(self) -> None:
        while self._pending and self._pending[0].done():
            error = self._pending.popleft().exception()
            self._error = self._error or error

    async def wait_below(self) -> None:
        """Wait (without blocking the event loop) until at most ``max_pending`` writes remain."""
        self._reap()
        while len(self._pending) > self.max_pending:
            await asyncio.wrap_future(self._pending[0])
            self._reap()

    def close(self) -> None:
        """Write what is queued, stop the threads, and raise the first write error if any."""
        self._pool.shutdown(wait=True)
        self._reap()
        if self._error is not None:
            raise self._error
