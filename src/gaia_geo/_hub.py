"""Model names: a local path is checked as a path, and a hub lookup offline fails once, at once.

``transformers`` and ``open_clip`` take either a local folder/file or a Hugging Face hub name.
Left to themselves they read a missing folder ``runs/blip2`` as the hub repository ``runs/blip2``
(so the user sees a network error instead of "folder not found"), and with the network down they
retry each download five times with backoff (about a minute of warnings) before the error. Here
local-looking names are checked as paths first, and one short connection probe decides whether
the hub is used at all: when it cannot be reached, the load runs in the hub's offline mode, so
cached files still load and a missing one fails at once.
"""

from __future__ import annotations

import contextlib
import os
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from ._neterrors import root_cause

#: why the hub is not used when ``HF_HUB_OFFLINE`` is set
OFFLINE_REASON = "HF_HUB_OFFLINE is set"
#: seconds the connection probe waits
PROBE_TIMEOUT = 3.0


def looks_local(name: str) -> bool:
    """Whether a model name means a local path rather than a hub repository.

    It does when it exists, starts with ``.``, ``~`` or ``/``, holds a backslash or more than
    one ``/``, or is ``DIR/NAME`` with ``DIR`` an existing folder (``runs/blip2`` beside a
    ``runs/`` folder). A bare ``org/name`` with no such folder is a hub name.

    Example:
        >>> looks_local("./runs/blip2"), looks_local("Salesforce/blip2-opt-2.7b")
        (True, False)
    """
    if not name:
        return False
    if name.startswith((".", "~", "/")) or "\\" in name or name.count("/") > 1:
        return True
    if Path(name).expanduser().exists():
        return True
    first, sep, _ = name.partition("/")
    return bool(sep) and Path(first).is_dir()


def hub_unreachable(timeout: float = PROBE_TIMEOUT) -> str | None:
    """``None`` when the Hugging Face hub accepts a connection, else why not (one try).

    Honours ``HF_HUB_OFFLINE`` (then no probe is made) and ``HF_ENDPOINT``.
    """
    from huggingface_hub import constants

    if constants.is_offline_mode():
        return OFFLINE_REASON
    parts = urllib.parse.urlsplit(constants.ENDPOINT)
    host = parts.hostname or "huggingface.co"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as err:
        return f"{host} unreachable: {root_cause(err) or err}"
    return None


@contextlib.contextmanager
def hub_or_cache() -> Iterator[str | None]:
    """Within the block, hub downloads either reach the hub or use the local cache only.

    Yields:
        Why the hub is not used (``None`` when it is): with the hub unreachable, the hub's
        offline mode is switched on for the block, so a cached model loads and a missing one
        fails at once instead of after five retries.
    """
    reason = hub_unreachable()
    if reason is None or reason == OFFLINE_REASON:
        yield reason
        return
    from huggingface_hub import constants

    before = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield reason
    finally:
        constants.HF_HUB_OFFLINE = before


def expand(name: str) -> str:
    """``name`` with ``~`` expanded (the loaders do not expand it)."""
    return os.path.expanduser(name)
