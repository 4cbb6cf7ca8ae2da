"""Keep API keys out of every message, log line and error the describe stage writes."""

from __future__ import annotations


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
