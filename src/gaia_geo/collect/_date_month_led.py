"""Where a pattern that opens with a few words before an English month ("in early June") can start.

Part of ``_date_scan``: such a pattern has no opening of its own to find, and searching a window
for it tries its first words ("in", "of", "and") at every word. Every match holds an English
month right after those words, and the windows' months are found anyway (for the patterns that
open with one): the pattern is tried only where its opening words end right before one of them.
"""

from __future__ import annotations

import re

#: The longest opening read back from a month (characters).
_MOST = 40


def month_led_opening(pattern: re.Pattern[str], month: str) -> tuple[re.Pattern[str], int] | None:
    r"""The opening of ``pattern`` before its first ``month`` (a source), and its widest span.

    Returns:
        The opening, made to end where the month starts (``\Z``), and the most characters it
        can span; None when ``pattern`` does not hold ``month`` (not made optional or repeated)
        after an opening that is a whole pattern of bounded width, with no lookahead and no
        word boundary at its end (which would read past the month's start).
    """
    head, found, rest = pattern.pattern.partition(month)
    if not found or not head or rest[:1] in ("?", "*", "+", "{"):
        return None
    if "(?=" in head or "(?!" in head or head.endswith((r"\b", r"\B")):
        return None
    try:
        opening, width = re.compile(head + r"\Z", pattern.flags), _width(head)
    except re.error:
        return None
    return None if width is None else (opening, width)


def _width(source: str) -> int | None:
    """The most characters a match of ``source`` can span, None if unbounded."""
    high = int(re._parser.parse(source).getwidth()[1])  # type: ignore[attr-defined]
    return None if high > _MOST else high


def month_led_starts(
    led: tuple[re.Pattern[str], int], text: str, lo: int, months: list[int]
) -> list[int]:
    """Every place at or after ``lo`` where the opening ``led`` ends right before one of ``months``.

    ``months`` are (a superset of) the places where the English month matches in the window,
    in order: every match of the whole pattern in the window starts at one of the returned
    places, which are in order.
    """
    opening, width = led
    starts: list[int] = []
    for month in months:
        pos = max(lo, month - width)
        while (hit := opening.search(text, pos, month)) is not None:
            starts.append(hit.start())
            pos = hit.start() + 1
    return sorted(set(starts)) if len(starts) > 1 else starts
