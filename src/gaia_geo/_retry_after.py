"""The one ``Retry-After`` rule: how long a server asked to wait, and the longest wait honoured.

Every HTTP client of the library (collect's fetcher, the describe stage's OpenAI-compatible
client) reads the header here, so they agree: delay-seconds or an HTTP-date (RFC 9110, 10.2.3;
a date in the past means now), anything else is ignored. A wait longer than
:data:`MAX_RETRY_AFTER_S` (by default) fails the request at once with a message that says to rerun
later, rather than stalling a run for hours.
"""

from __future__ import annotations

import email.utils
import time

#: The longest ``Retry-After`` honoured by default, by every client of the library; a longer one
#: fails the request (a rerun retries it) instead of stalling the run.
MAX_RETRY_AFTER_S = 120.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP-date.

    Args:
        value: the header, or None.
        now: the current POSIX time (default: ``time.time()``).

    Returns:
        The seconds (0 for a date in the past), or None for a missing or unreadable header.

    Example:
        >>> parse_retry_after("7")
        7.0
        >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
        10.0
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
