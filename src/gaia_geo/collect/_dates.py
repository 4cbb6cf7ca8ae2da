"""Dates in article text, and which of them is when the image was acquired."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year"]
DateRole = Literal["acquisition", "other", "rejected"]

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_MON = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19[5-9]|20[0-9])\d)"
#: (pattern, precision, has_year); tried in order, earlier wins on overlap.
_PATTERNS: tuple[tuple[re.Pattern[str], Precision, bool], ...] = (
    (re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), "day", True),
    (re.compile(rf"\b(?P<d>[0-3]?\d){_ORD}(?: of)? {_MON},? {_YEAR}\b"), "day", True),
    (re.compile(rf"\b{_MON} (?P<d>[0-3]?\d){_ORD},? {_YEAR}\b"), "day", True),
    (re.compile(rf"\b{_MON},? {_YEAR}\b"), "month", True),
    (re.compile(rf"\b{_MON} (?P<d>[0-3]?\d){_ORD}\b(?!:)"), "day", False),
    (re.compile(rf"\b(?P<d>[0-3]?\d){_ORD}(?: of)? {_MON}\b"), "day", False),
    (re.compile(rf"\b(?:in|during|of|from) (?:early |mid-|late )?{_YEAR}\b"), "year", True),
)
_CUE = re.compile(
    r"\b(?P<pos>acquired|acquisition|captured|collected|taken|took|photographed|imaged|observed|"
    r"recorded|snapped|shot|image[sd]?|imagery|photo|photographs?|views?|scenes?|shows?|"
    r"showing|pictured|data|mosaic|composite|satellite|afternoon|morning|evening|overpass)\b"
    r"|\b(?P<neg>launch(?:ed|es)?|began|begun|begin|started|starts?|made landfall|landfall|"
    r"struck|hit|erupted|eruption|reported|announced|published|founded|built|since|until|"
    r"will|planned|scheduled|record|decommissioned|retired|according|effects|declared|"
    r"occurred|happened|died|born|formed|peaked|ended|opened|signed|expected)\b",
    re.IGNORECASE,
)
#: Every date contains a month name or a year: the patterns only run in windows around these.
_ANCHOR = re.compile(
    r"(?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec)|(?<!\d)(?:19[5-9]|20\d)\d(?!\d)"
)
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|,\s*(?:which|while|but|whereas|although|according)\b")


@dataclass(frozen=True)
class DateMention:
    """A date found in the text.

    Attributes:
        text: the words as written.
        start: first instant of the day, month or year (UTC).
        end: last instant of it (UTC).
        precision: ``day``, ``month`` or ``year``.
        role: ``acquisition`` (when the image was taken), ``other`` (an event, a launch...) or
            ``rejected`` (impossible: in the future of the publication date, or no year known).
        reason: why it got that role (the cue word, or the rejection reason).
        span: ``(start, end)`` character offsets in the text.
    """

    text: str
    start: dt.datetime
    end: dt.datetime
    precision: Precision
    role: DateRole
    reason: str
    span: tuple[int, int]


def _bounds(year: int, month: int | None, day: int | None) -> tuple[dt.datetime, dt.datetime]:
    utc = dt.UTC
    if day is not None and month is not None:
        first = dt.datetime(year, month, day, tzinfo=utc)
        return first, first.replace(hour=23, minute=59, second=59)
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        return dt.datetime(year, month, 1, tzinfo=utc), dt.datetime(
            year, month, last, 23, 59, 59, tzinfo=utc
        )
    return dt.datetime(year, 1, 1, tzinfo=utc), dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=utc)


def _classify(text: str, begin: int, finish: int) -> tuple[DateRole, str]:
    """Role from the nearest cue word in the same clause: before the date, else after it."""
    clause_start = max(0, begin - 300)
    for match in _CLAUSE_END.finditer(text, clause_start, begin):
        clause_start = match.end()
    before = list(_CUE.finditer(text, clause_start, begin))
    cue: re.Match[str] | None
    if before:
        cue = before[-1]
    else:
        end_match = _CLAUSE_END.search(text, finish)
        clause_end = end_match.start() if end_match else len(text)
        cue = _CUE.search(text, finish, min(clause_end, finish + 200))
        if cue is None:
            return "other", "no acquisition cue in its clause"
    word = cue.group(0).lower()
    return ("acquisition", word) if cue.group("pos") else ("other", word)


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around month names and years, widened to whitespace (or the text's ends)."""
    windows: list[tuple[int, int]] = []
    for anchor in _ANCHOR.finditer(text):
        lo = text.rfind(" ", 0, max(0, anchor.start() - 24))
        lo = 0 if lo < 0 else lo
        hi = text.find(" ", min(len(text), anchor.end() + 24))
        hi = len(text) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Every date in ``text`` with its role (see :class:`DateMention`), in text order.

    Args:
        text: article text.
        published: the publication date: gives the year to dates written without one, and no
            acquisition can be after it.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    limit = published or dt.datetime.now(dt.UTC).date()
    windows = _windows(text)
    for pattern, precision, has_year in _PATTERNS:
        for match in (m for lo, hi in windows for m in pattern.finditer(text, lo, hi)):
            begin, finish = match.span()
            if any(begin < e and s < finish for s, e in taken):
                continue
            groups = match.groupdict()
            month = _MONTH_NAMES.get((groups.get("mon") or "").lower().rstrip(".")) or (
                int(groups["m"]) if groups.get("m") else None
            )
            day = int(groups["d"]) if groups.get("d") else None
            role: DateRole
            if has_year:
                year = int(groups["y"])
            elif published is not None:
                year = published.year
            else:
                year = 0
            try:
                if year == 0:
                    raise ValueError("no year")
                first, last = _bounds(year, month, day)
            except ValueError:
                continue  # "31 February", or no year at all: not a usable date
            if not has_year and first.date() > limit:
                first, last = _bounds(year - 1, month, day)
            role, reason = _classify(text, begin, finish)
            if (
                precision == "year"
                and role == "acquisition"
                and reason
                not in (
                    "acquired",
                    "captured",
                    "taken",
                    "collected",
                    "photographed",
                    "imaged",
                    "acquisition",
                )
            ):
                role, reason = "other", "a bare year needs an explicit acquisition verb"
            if first.date() > limit:
                role, reason = "rejected", f"after the publication date {limit.isoformat()}"
            taken.append((begin, finish))
            found.append(
                DateMention(match.group(0), first, last, precision, role, reason, (begin, finish))
            )
    found.sort(key=lambda m: m.span)
    return found
