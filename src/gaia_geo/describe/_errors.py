"""Errors of the describe stage, all rooted in :class:`gaia_geo.errors.GaiaError`."""

from __future__ import annotations

from ..errors import GaiaError


class DescribeError(GaiaError):
    """Captioning could not go on; the message says why and what to do."""


class CaptionAuthError(DescribeError):
    """The API rejected the key (401/403): nothing is retried."""


class CaptionRequestError(DescribeError):
    """The API refused one request as invalid (a 4xx other than 401/403/408/409/429)."""


class CaptionServiceError(DescribeError):
    """The API stayed unreachable or failing after every retry; rerun to resume from the cache."""


class BatchError(DescribeError):
    """A Batch API job failed, expired or was cancelled; the message names its state file."""


def redact(text: str, secret: str | None) -> str:
    """Return ``text`` with every occurrence of ``secret`` (and its long prefixes) masked.

    Servers quote keys in their error messages (``Incorrect API key provided: sk-...``); nothing the
    describe stage prints, logs or raises may carry the key, so every message passes through here.
    """
    if not secret:
        return text
    out = text.replace(secret, "[redacted]")
    # Some servers quote a truncated key ("sk-abc...xyz"): mask any 8+ character prefix too.
    if len(secret) >= 12:
        for n in range(len(secret) - 1, 7, -1):
            if secret[:n] in out:
                out = out.replace(secret[:n], "[redacted]")
                break
    return out
