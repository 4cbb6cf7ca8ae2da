"""Thread-safe warning filters.

``warnings.catch_warnings`` swaps process-wide state, so two threads using it at once can leave
each other's filters in place (a warning meant to be ignored turns into an error, or the reverse).
Downloads, crawls and image encoding decode images in worker threads, so every temporary filter
in gaia_geo goes through :func:`filtered_warnings`, which holds one lock while it is in force.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from typing import Literal

_LOCK = threading.RLock()


@contextlib.contextmanager
def filtered_warnings(
    action: Literal["ignore", "error"], category: type[Warning]
) -> Iterator[None]:
    """Apply ``warnings.simplefilter(action, category)`` inside the block, one thread at a time."""
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter(action, category)
        yield
