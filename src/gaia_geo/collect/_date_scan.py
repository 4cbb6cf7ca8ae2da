"""Where a text's dates are: the date patterns run over the windows around its anchors.

Part of :func:`gaia_geo.collect._dates.find_dates`. The patterns (``_date_formats._PLAN``) run
only in windows around a month name, a year or a slash date, in order (earlier wins on
overlap), each that opens with a month, a year, a number or a word only where that opening
matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .._regex import finditer
from . import _date_cjk as _cjk
from . import _date_thai as _thai
from ._date_formats import _MON, _PLAN, ASCII_VARIANTS
from ._date_languages import NO_YEAR_PATTERNS
from ._date_month_led import month_led_opening, month_led_starts
from ._date_seasons import may_open_in, named_in

#: Every date contains a month name, a year or a slash date ("17/05/04"): patterns run only
#: around these.
#: Every branch starts with a literal (the "no digit before" test follows the first digit), so
#: ``re`` jumps from one of J F M A S O N D 1 2 to the next: 8x faster than a leading look-behind.
_ANCHOR = re.compile(
    r"J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec"
    r"|1(?<!\d1)9[5-9]\d(?:\d{4})?(?!\d)|2(?<!\d2)0\d\d(?:\d{4})?(?!\d)"
    r"|/(?<=\d/)[0-3]?\d/\d\d(?![/\d])" + _cjk.ANCHOR + _thai.ANCHOR
)


#: Words only English writes, for a short text without "the" ("Date acquired: 04/11/09").
_ENGLISH = re.compile(r"\b(?:[Tt]he|[Tt]his|of|and|was|were|with|acquired|captured|taken|shows)\b")
#: The finders of ``_PLAN``, each once, and ``_PLAN`` with each finder's index there (-1: none).
_FINDERS = tuple({id(f): f for _, _, f in _PLAN if f is not None}.values())
_SLOTTED = tuple(
    (pattern, kind, -1 if finder is None else _FINDERS.index(finder))
    for pattern, kind, finder in _PLAN
)
#: The slot of the English month finder, and, for each pattern searched for (slot -1) that opens
#: with a few words right before an English month ("in early June"), that opening read back
#: from the month: such a pattern is tried only where it ends right before a month found.
_MONTH_SLOT = next(i for i, f in enumerate(_FINDERS) if f.pattern == _MON)
_MONTH_LED = {
    id(pattern): opening
    for pattern, _, slot in _SLOTTED
    if slot < 0 and (opening := month_led_opening(pattern, _MON)) is not None
}
#: ``_SLOTTED`` without the CJK patterns, for texts without a CJK month (most).
_SLOTTED_LATIN = tuple(step for step in _SLOTTED if not step[1].startswith("cjk"))
#: ... and without a foreign month before a year, for texts in ASCII (those pages write accents)
_SLOTTED_ASCII = tuple(
    (ASCII_VARIANTS.get(pattern.pattern, pattern), kind, slot)
    for pattern, kind, slot in _SLOTTED_LATIN
    if not kind.endswith(("-lang", "-be"))
)
#: ... and each of these three without the seasons, for texts that name none (most).
_NO_SEASONS = {
    id(steps): tuple(step for step in steps if not step[1].startswith("season"))
    for steps in (_SLOTTED, _SLOTTED_LATIN, _SLOTTED_ASCII)
}


def _windows(text: str) -> list[tuple[int, int]]:
    """Disjoint spans of ``text`` around its anchors, 30 characters either side, at spaces."""
    windows: list[tuple[int, int]] = []
    size = len(text)
    first, last = 0, -1  # the window being widened (none yet)
    for anchor in _ANCHOR.finditer(text):
        start, end = anchor.span()
        if end + 30 <= last:
            continue  # inside the last window with its 30 characters after: nothing to add
        hi = text.find(" ", min(size, end + 30))
        hi = size if hi < 0 else hi
        # the space before start - 30 is no further than the last window's end: it joins it
        # (found only when it may not)
        if last >= 0 and start - 30 <= last:
            last = max(hi, last)
            continue
        lo = max(text.rfind(" ", 0, max(0, start - 30)), 0)
        if last >= 0 and lo <= last:
            last = max(hi, last)
        else:
            if last >= 0:
                windows.append((first, last))
            first, last = lo, hi
    if last >= 0:
        windows.append((first, last))
    return windows


def _starts(finder: re.Pattern[str], text: str, lo: int, hi: int) -> list[int]:
    """Every place in ``text[lo:hi]`` where ``finder`` matches, overlapping or not."""
    places, pos = [], lo
    while (hit := finder.search(text, pos, hi)) is not None:
        places.append(hit.start())
        pos = hit.start() + 1
    return places


def _matches_at(
    pattern: re.Pattern[str], text: str, hi: int, places: list[int]
) -> list[re.Match[str]]:
    """``pattern.finditer(text, places[0], hi)`` where ``pattern`` can start only at ``places``.

    ``places`` are (a superset of) where its opening matches, in order: it is tried only there.
    (:func:`date_matches` runs this loop inline.)
    """
    found: list[re.Match[str]] = []
    pos = 0
    for place in places:
        if place >= pos and (match := pattern.match(text, place, hi)) is not None:
            found.append(match)
            pos = max(match.end(), place + 1)
    return found


def _past_skipped(pattern: re.Pattern[str], text: str, hi: int, places: list[int], pos: int) -> int:
    """Where the scan of ``_matches_at`` resumes after trying ``pattern`` at ``places``.

    :func:`date_matches` does not try a pattern where a date already starts or runs (a match
    there would overlap it and be dropped; no date pattern matches the empty string), only
    where the pattern matches at a free place after them: then the matches at those places, in
    turn, tell whether the scan skips that one (inside one of them), as trying them in order
    would. (A free place where it does not match changes nothing, skipped or tried.)
    """
    for place in places:
        if place >= pos and (match := pattern.match(text, place, hi)) is not None:
            end = match.end()
            pos = end if end > place else place + 1
    return pos


def date_matches(text: str) -> list[tuple[re.Match[str], str]]:
    """Every match of ``_PATTERNS`` in ``text`` and its kind, in text order.

    The patterns run only in the windows around anchors (a month name, a year), in order: a
    match overlapping an earlier pattern's is dropped. A pattern with an opening is tried only
    where that opening matches, found once a window for all the patterns that share it.
    """
    matches: list[tuple[re.Match[str], str]] = []
    taken = bytearray(len(text))  # characters already inside a date
    cjk = "月" in text or "월" in text  # (every CJK date holds one)
    plain = text.isascii()
    steps = _SLOTTED if cjk else _SLOTTED_ASCII if plain else _SLOTTED_LATIN
    windows = _windows(text)
    # (an ASCII text's seasons are English: looked for in the windows first)
    if (plain and not may_open_in(text, windows)) or not named_in(text, plain):
        steps = _NO_SEASONS[id(steps)]
    # windows are disjoint and hold their matches: each is scanned on its own, in text order
    for lo, hi in windows:
        places: list[list[int] | None] = [None] * len(_FINDERS)  # where each opening matches
        for pattern, kind, slot in steps:
            if slot < 0:
                led = _MONTH_LED.get(id(pattern))
                found: Iterable[re.Match[str]]
                if led is not None:  # (the same matches as ``finditer``: see month_led_starts)
                    months = places[_MONTH_SLOT]
                    if months is None:
                        months = places[_MONTH_SLOT] = _starts(_FINDERS[_MONTH_SLOT], text, lo, hi)
                    found = _matches_at(pattern, text, hi, month_led_starts(led, text, lo, months))
                else:
                    found = finditer(pattern, text, lo, hi)
                _take(found, kind, taken, matches)
                continue
            at = places[slot]
            if at is None:
                at = places[slot] = _starts(_FINDERS[slot], text, lo, hi)
            # (``_matches_at``, inlined: a call a pattern and window cost more than its work)
            pos = 0
            skipped: list[int] | None = None  # places inside a date, not tried yet
            for place in at:
                if place < pos:
                    continue
                if taken[place]:  # a match there overlaps a date: dropped
                    if skipped is None:
                        skipped = [place]
                    else:
                        skipped.append(place)
                    continue
                if (tried := pattern.match(text, place, hi)) is None:
                    continue  # (whether the places skipped before it cover it changes nothing)
                if skipped is not None:  # where the matches there would have ended
                    pos = _past_skipped(pattern, text, hi, skipped, pos)
                    skipped = None
                    if place < pos:
                        continue
                start, end = tried.span()
                pos = end if end > place else place + 1
                if taken.find(1, start, end) < 0:  # (``_take``, inlined)
                    taken[start:end] = b"\x01" * (end - start)
                    matches.append((tried, kind))
    english = is_english(text)
    if not english:  # its days without a year, in any language
        for pattern, kind in NO_YEAR_PATTERNS:
            _take(pattern.finditer(text), kind, taken, matches)
    matches.sort(key=lambda m: m[0].start())
    if any(kind == "numeric" for _, kind in matches) and _day_first(matches, english):
        matches = [(m, "numeric-dmy" if kind == "numeric" else kind) for m, kind in matches]
    return matches


def _take(
    found: Iterable[re.Match[str]],
    kind: str,
    taken: bytearray,
    matches: list[tuple[re.Match[str], str]],
) -> None:
    """Add each match of ``found`` that overlaps no date of ``taken`` to ``matches``, taken."""
    for match in found:
        start, end = match.span()
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            matches.append((match, kind))


def is_english(text: str) -> bool:
    """Whether ``text`` is written in English ("the", or a word only English writes)."""
    return " the " in text or _ENGLISH.search(text) is not None


def _day_first(matches: list[tuple[re.Match[str], str]], english: bool) -> bool:
    """Whether a text's numeric dates ("06/05/2024") write the day first.

    A page writes all its dates one way: the day first where one of them cannot be month first
    ("21/04/2024"), the month first where one cannot be day first ("12/20/2009"); else as its
    language does: the month first in English (American pages), the day first in the others
    (Europe, Latin America, Indonesia write "12/10/2022" for 12 October).
    """
    numbers = [(int(m["a"]), int(m["b"])) for m, kind in matches if kind == "numeric"]
    if any(b > 12 for _, b in numbers):
        return False
    return any(a > 12 for a, _ in numbers) or not english
