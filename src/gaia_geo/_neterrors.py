"""One line for a network failure that names its root cause (DNS, refused, timed out).

HTTP clients wrap the operating system's error in layers whose outer message hides it
(httpx says "All connection attempts failed" for a refused port, the ``openai`` SDK says
"Connection error."). The root cause is what a user can act on, so every message about a
failed request carries it.
"""

from __future__ import annotations

import errno
import socket
import ssl


def _innermost_os_error(err: BaseException) -> OSError | None:
    seen: set[int] = set()
    found: OSError | None = None
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and (current.errno is not None or found is None):
            found = current
        current = current.__cause__ or current.__context__
    return found


def _cause_parts(err: BaseException) -> tuple[str, str]:
    """``(label, detail)`` of the root cause, e.g. ``("DNS lookup failed", "Name or ...")``."""
    found = _innermost_os_error(err)
    if found is None:
        return "", ""
    detail = str(found.strerror or "")
    if isinstance(found, socket.gaierror):
        return "DNS lookup failed", detail
    if isinstance(found, ConnectionRefusedError) or found.errno == errno.ECONNREFUSED:
        return "connection refused", ""
    if isinstance(found, TimeoutError):
        return "timed out", ""
    if isinstance(found, ssl.SSLError):
        return "TLS error", str(found.reason or "")
    if found.errno is not None and detail:
        return detail.lower(), ""
    return "", ""


def root_cause(err: BaseException) -> str:
    """The innermost operating-system cause of ``err`` in words, or ``""`` when there is none.

    Example:
        >>> root_cause(ConnectionRefusedError(111, "Connect call failed"))
        'connection refused'
    """
    label, detail = _cause_parts(err)
    return f"{label}: {detail}" if label and detail else label


def network_error_line(err: BaseException) -> str:
    """``"ConnectError: <message> (<root cause>)"``: the error and, when it adds something, why.

    Example:
        >>> network_error_line(OSError("All connection attempts failed"))
        'OSError: All connection attempts failed'
    """
    message = f"{type(err).__name__}: {err}".rstrip(": ")
    label, detail = _cause_parts(err)
    if not label or label.lower() in message.lower():
        return message
    if detail and detail.lower() not in message.lower():
        return f"{message} ({label}: {detail})"
    return f"{message} ({label})"
