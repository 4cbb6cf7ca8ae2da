"""sha256 hex digests of files and texts: the one implementation every stage uses."""

from __future__ import annotations

import hashlib
import os


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 hex digest of a file's bytes, read in blocks (large files stay out of memory).

    Example:
        >>> file_sha256(__file__) == file_sha256(__file__)
        True
    """
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def text_sha256(text: str) -> str:
    """The sha256 hex digest of a text's UTF-8 bytes.

    Example:
        >>> text_sha256("")[:12]
        'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
