"""HTTP ``Range`` headers (RFC 9110, 14.2) read against a file: parsed, capped, coalesced."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_RANGES", "ByteRange", "coalesce_ranges", "parse_range"]

#: More ranges than this in one request is abuse, not a COG reader: answer with the whole file.
MAX_RANGES = 64
#: Ranges closer than this many bytes are sent as one part (RFC 9110, 14.2: a server may
#: coalesce ranges that overlap or whose gap is smaller than the overhead of another part).
COALESCE_GAP = 80
#: A position with more digits than this lies past the end of any file (and Python refuses to
#: turn a 5000-digit string into an int): it is read as "past the end", never converted.
_MAX_DIGITS = 18
_PAST_END = 10**_MAX_DIGITS
_RANGE_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


@dataclass(frozen=True)
class ByteRange:
    """An inclusive byte range ``start..end`` of a file."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """Number of bytes in the range."""
        return self.end - self.start + 1


def _position(digits: str) -> int:
    significant = digits.lstrip("0") or "0"
    return _PAST_END if len(significant) > _MAX_DIGITS else int(significant)


def coalesce_ranges(ranges: list[ByteRange], gap: int = COALESCE_GAP) -> list[ByteRange]:
    """Sort ranges and merge those that overlap or lie less than ``gap`` bytes apart.

    So a request for the same bytes many times (or in overlapping pieces) sends them once.
    """
    merged: list[ByteRange] = []
    for current in sorted(ranges, key=lambda r: r.start):
        if merged and current.start <= merged[-1].end + 1 + gap:
            last = merged[-1]
            merged[-1] = ByteRange(last.start, max(last.end, current.end))
        else:
            merged.append(current)
    return merged


def parse_range(header: str, size: int) -> list[ByteRange] | None:
    """Parse an HTTP ``Range`` header (RFC 9110, section 14.2) against a file of ``size`` bytes.

    Args:
        header: the header value, e.g. ``"bytes=0-499"``, ``"bytes=-500"``, ``"bytes=0-1,5-9"``.
        size: the file's size in bytes.

    Returns:
        ``None`` when the header should be ignored (not ``bytes``, malformed, more than
        :data:`MAX_RANGES` ranges: the whole file is sent with 200); an empty list when no range
        is satisfiable (416); otherwise the satisfiable ranges, clamped to the file, sorted and
        coalesced (:func:`coalesce_ranges`). Positions too long to be a file offset count as
        past the end of the file.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec.strip():
        return None
    parts = spec.split(",")
    if len(parts) > MAX_RANGES:
        return None
    ranges: list[ByteRange] = []
    for part in parts:
        match = _RANGE_SPEC.match(part)
        if match is None:
            return None
        first, last = match.groups()
        if not first and not last:
            return None
        if not first:  # suffix range: the last N bytes
            suffix = _position(last)
            if suffix == 0 or size == 0:
                continue
            ranges.append(ByteRange(max(0, size - suffix), size - 1))
            continue
        start = _position(first)
        end = _position(last) if last else size - 1
        if last and end < start:
            return None
        if start >= size:
            continue
        ranges.append(ByteRange(start, min(end, size - 1)))
    return coalesce_ranges(ranges)
