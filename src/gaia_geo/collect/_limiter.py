"""Per-host politeness of collect's HTTP layer: bounded requests in flight, spaced starts, holds.

One :class:`HostLimiter` serves a whole run (crawl or download); see
:mod:`gaia_geo.collect._http` for the rules it keeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass
class _Host:
    semaphore: asyncio.Semaphore | None
    delay_s: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0  # the spacing after the last start
    held_until: float = 0.0  # the server asked us to wait (429, 5xx)


class HostLimiter:
    """Per-host concurrency and spacing of request starts, plus an optional global cap.

    Args:
        per_host: requests in flight to one host at once (None: no bound).
        delay_s: minimum seconds between the starts of two requests to one host.
        max_connections: requests in flight over all hosts (None: no global bound).
    """

    def __init__(
        self, per_host: int | None, delay_s: float = 0.0, max_connections: int | None = None
    ) -> None:
        self.per_host, self.delay_s = per_host, delay_s
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(max_connections) if max_connections else None
        #: The latest request starts, ``(host, time.monotonic())``: what politeness did.
        self.starts: deque[tuple[str, float]] = deque(maxlen=4096)

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            slots = asyncio.Semaphore(self.per_host) if self.per_host is not None else None
            host = self._hosts[key] = _Host(slots, self.delay_s)
        return host

    def set_delay(self, key: str, delay_s: float) -> None:
        """Raise a host's spacing (e.g. to its robots.txt Crawl-delay)."""
        host = self._host(key)
        host.delay_s = max(host.delay_s, delay_s)

    def push_back(self, key: str, seconds: float) -> None:
        """Hold every request to a host for ``seconds`` (after a 429 or a 5xx)."""
        host = self._host(key)
        host.held_until = max(host.held_until, time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Hold one of the host's slots, entered once its spacing and any hold have passed."""
        host = self._host(key)
        async with contextlib.AsyncExitStack() as stack:
            if host.semaphore is not None:
                await stack.enter_async_context(host.semaphore)
            async with host.lock:
                # a loop, not one sleep: a 429 answered meanwhile may push the host back
                while (wait := max(host.next_start, host.held_until) - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                now = time.monotonic()
                host.next_start = now + host.delay_s
                self.starts.append((key, now))
            if self._global is not None:
                await stack.enter_async_context(self._global)
            yield
