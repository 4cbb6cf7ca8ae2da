"""The STAC API's search engine in worker processes, each call with a deadline.

rustac's DuckDB search holds the GIL while it runs: an input that sends it into a loop (an
infinite number in a filter did) froze the whole API, its event loop and its SIGTERM handler
with it, and no thread can time it out. So each search runs in a worker process (one rustac
``DuckdbClient`` each); the caller waits on a pipe with a deadline, and a worker that misses it is
killed and replaced. The API process itself never runs DuckDB.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import SearchBusyError, SearchEngineError, SearchTimeoutError

__all__ = ["DEFAULT_TIMEOUT", "SearchEngine", "request_deadline"]

#: Seconds a request may spend on the engine (waiting for a worker included).
DEFAULT_TIMEOUT = 30.0

#: The deadline (``time.monotonic()``) of the request being served, set by the API's middleware;
#: every engine call of one request (one per Collection) shares it.
request_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "gaia_geo_request_deadline", default=None
)


class EngineRefusal(SearchEngineError):
    """The engine refused the query (a DuckDB binder, parser or conversion error)."""


#: DuckDB error classes that describe the query, not the server.
_QUERY_ERRORS = ("Binder Error", "Parser Error", "Conversion Error", "Invalid Input Error")


def _die_with_parent() -> None:  # pragma: no cover - runs in the worker process
    """On Linux, have the kernel kill this worker when the API process dies (even by kill -9).

    A worker stuck in a search holds its GIL, so no thread of its own could notice.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _worker_main(requests: Connection, replies: Connection) -> None:  # pragma: no cover
    """Answer searches until the API process closes the pipe (runs in the worker process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the API process's to handle
    _die_with_parent()
    import rustac
    from rustac_duckdb_extensions import extension_directory

    client = rustac.DuckdbClient(  # type: ignore[attr-defined]
        extension_directory=extension_directory(), install_extensions=False
    )
    while True:
        try:
            href, kwargs = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", client.search(href, **kwargs))
        except Exception as err:  # relayed to the API process, which maps it to a status
            reply = ("error", str(err))
        replies.send(reply)


class _Worker:
    """One worker: ``python -m gaia_geo.explore._engine``, talking pickles over its stdin/stdout.

    A plain subprocess rather than ``multiprocessing``: its spawn start re-runs the caller's main
    script in every worker, which breaks scripts without an ``if __name__ == "__main__"`` guard.
    """

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])  # where gaia_geo itself is imported from
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gaia_geo.explore._engine"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def stop(self) -> None:
        self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.requests.close()
        self.replies.close()


class SearchEngine:
    """A pool of search worker processes; :meth:`search` is ``DuckdbClient.search`` with a deadline.

    Args:
        workers: how many searches run at once.
        timeout: seconds a call may take, waiting for a free worker included.

    Example:
        >>> with SearchEngine(workers=2) as engine:  # doctest: +SKIP
        ...     items = engine.search("train/items.parquet", {"limit": 10})
    """

    def __init__(self, workers: int = 2, timeout: float = DEFAULT_TIMEOUT) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        if not timeout > 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        self.timeout = float(timeout)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gaia-geo-engine")
        for _ in range(workers):
            self._add_worker()

    def _add_worker(self) -> None:
        # always started from the same long-lived thread: Linux's parent-death signal follows
        # the thread that started a process, and request threads come and go
        try:
            worker = self._spawner.submit(_Worker).result()
        except RuntimeError:  # closed meanwhile: no new workers
            return
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        self._add_worker()

    def search(
        self, href: str, kwargs: dict[str, Any], timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """Run ``DuckdbClient.search(href, **kwargs)`` in a worker, within the deadline.

        The deadline is the request's (:data:`request_deadline`) when set, else ``timeout`` (or
        the engine's) seconds from now.

        Raises:
            SearchTimeoutError: the search ran past the deadline; its worker was replaced.
            SearchBusyError: no worker came free before the deadline.
            SearchEngineError: the engine failed (a query error is an ``EngineRefusal``).
        """
        limit = self.timeout if timeout is None else timeout
        deadline = request_deadline.get() if timeout is None else None
        if deadline is None:
            deadline = time.monotonic() + limit
        else:
            limit = max(limit, 0.0)
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise SearchBusyError(
                f"all search workers stayed busy for {limit:g} s; retry in a moment"
            ) from None
        try:
            worker.requests.send((href, kwargs))
            answered = worker.replies.poll(max(0.0, deadline - time.monotonic()))
            reply = worker.replies.recv() if answered else None
        except (EOFError, OSError) as err:
            self._replace(worker)
            raise SearchEngineError(
                f"the search engine stopped on this request ({err or 'no reply'}); "
                "it was restarted, retry or simplify the request"
            ) from err
        if reply is None:
            self._replace(worker)
            raise SearchTimeoutError(
                f"the search took longer than {limit:g} s and was stopped; narrow it "
                "(bbox, datetime, filter, limit) or raise `gaia-geo api --timeout`"
            )
        self._idle.put(worker)
        status, payload = reply
        if status == "ok":
            return list(payload)
        message = str(payload)
        if message.startswith(_QUERY_ERRORS):
            raise EngineRefusal(message.splitlines()[0])
        raise SearchEngineError(f"the search failed: {message.splitlines()[0] if message else ''}")

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
        self._spawner.shutdown(wait=False)

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve_stdio() -> None:  # pragma: no cover - the worker process's entry point
    requests = Connection(os.dup(0), writable=False)
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the reply pipe
    _worker_main(requests, replies)


if __name__ == "__main__":  # pragma: no cover
    _serve_stdio()
