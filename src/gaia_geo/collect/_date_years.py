"""The year of a day written without one, from the text's other hints than the nearest year.

Part of :func:`gaia_geo.collect._dates.find_dates`, which lends a day written without its year
the year of its sentence or of the last date before it. Two hints say more:

- the same day written in full elsewhere: "GeoEye-1 was launched on September 6, 2008 ... it
  took an image on Sept. 7 ... this image, taken on Sept. 7, 2009": articles repeat a picture's
  day, once with its year;
- a weekday: "launched on 18 October, 2001 ... images taken on Thursday, 27 March" (published
  in 2003): only one year near the lent one puts the day on that weekday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ._date_clause import _clause
from ._date_formats import _month
from ._date_names import WEEKDAYS
from ._date_scan import is_english
from ._date_words import _CUE

#: "Thursday, 27 March", "on Sunday (Dec. 8)", "Monday the 12th", "jueves, 21 de agosto",
#: "Kamis 3 Februari", "jeudi 21 août", "Donnerstag, 21. August": a weekday just before the day.
_WEEKDAY_BEFORE = re.compile(
    r"(?<![^\W\d_])(?P<w>[^\W\d_][^\s\d,.;:()]*),?\s*(?:\(\s*|the\s+|den\s+)?$"
)
#: How many years either side of the lent one a weekday may move a day.
_WEEKDAY_REACH = 6


def month_days(kind: str, groups: dict[str, str | None]) -> list[tuple[int, int]]:
    """The (month, day) pairs a date match writes: one for a day, both ends for a span of days."""
    if kind.startswith(("iso", "cjk")):
        return [(int(groups["m"] or 0), int(groups["d"] or 0))] if groups.get("d") else []
    if not groups.get("d"):
        return []
    first = _month(groups)
    if kind.startswith("dmy"):
        return [(first or 0, int(groups["d"] or 0))]
    if kind.startswith("range-d"):
        second = _month(groups, "mon2") or first
        if kind.startswith("range-d-day-first"):
            first, second = second, first
        return [(first or 0, int(groups["d"] or 0)), (second or 0, int(groups["d2"] or 0))]
    return []


#: Kinds of a day (or days) written without a year, and with one.
_DAYS_WITHOUT_YEAR = frozenset(
    {"dmy-noyear", "range-d-noyear", "range-d-day-first-noyear", "cjk-noyear"}
)
_DAYS_WITH_YEAR = frozenset({"dmy", "dmy-lang", "iso", "range-d", "range-d-day-first", "cjk"})


def written_days(
    matches: Sequence[tuple[re.Match[str], str]],
    groups: Sequence[dict[str, str | None]],
    years: Sequence[tuple[int, int | None]],
) -> dict[tuple[int, int], set[int]]:
    """The years each (month, day) is written with, where some day lacks its year (else none).

    Args:
        matches: the date matches of a text and their kinds, in text order.
        groups: their groups.
        years: their ``(offset, year written or None)``.
    """
    days: dict[tuple[int, int], set[int]] = {}
    if not any(kind in _DAYS_WITHOUT_YEAR for _, kind in matches):
        return days
    for (_, kind), found, (_, written) in zip(matches, groups, years, strict=True):
        if written is not None and kind in _DAYS_WITH_YEAR:
            for pair in month_days(kind, found):
                days.setdefault(pair, set()).add(written)
    return days


def same_day_year(
    days: dict[tuple[int, int], set[int]], pairs: list[tuple[int, int]]
) -> int | None:
    """The one year the text writes these (month, day) pairs with elsewhere, else None.

    Args:
        days: the years each (month, day) is written with in the text's dates.
        pairs: the (month, day) pairs of a date written without its year.
    """
    years = {year for pair in pairs for year in days.get(pair, ())}
    return years.pop() if len(years) == 1 else None


def last_year_before(years: list[tuple[int, int]], begin: int) -> int | None:
    """The last of the text's ``(offset, year)`` written before ``begin``, else None."""
    earlier = [year for at, year in years if at < begin]
    return earlier[-1] if earlier else None


def weekday_year(
    text: str, begin: int, first: dt.datetime, limit: dt.date, published: dt.date | None
) -> int | None:
    """The year that puts ``first`` on the weekday written before it, else None.

    Of the years within reach of the lent one, the nearest the publication's (the story is
    told soon after its pictures), else the nearest the lent one.

    Args:
        text: the article text.
        begin: where the day is written.
        first: the day, in the year it was lent.
        limit: the latest day it may be (the publication).
        published: the publication date, if known.
    """
    said = _WEEKDAY_BEFORE.search(text, max(0, begin - 24), begin)  # (the word before)
    weekday = None if said is None else WEEKDAYS.get(said.group("w").lower())
    if weekday is None:
        return None
    if first.weekday() == weekday:
        return None
    toward = published.year if published else first.year
    fits = []
    for year in range(first.year - _WEEKDAY_REACH, first.year + _WEEKDAY_REACH + 1):
        try:
            day = first.date().replace(year=year)
        except ValueError:  # 29 February
            continue
        if day.weekday() == weekday and day <= limit:
            fits.append(year)
    return min(fits, key=lambda year: (abs(year - toward), -year), default=None)


def lent_year(
    begin: int,
    text: str,
    years: list[tuple[int, int]],
    published: dt.date | None,
    credit: int | None = None,
    day: bool = False,
) -> int | None:
    """Year of a date written without one.

    The same sentence's, else the last one before, else the publication's, else the data
    credit's ("Copernicus data (2015)" under the caption), else, on a page not in English, the
    latest the page writes (news pages in other languages date themselves at their end, and
    write "9 Oktober lalu", "lo scorso 15 febbraio": last October, last February); on one in
    English, a ``day``'s the first written after it but an event's ("when imaged on March 8.
    In mid-February 2010, ...": a story tells its picture's day first, its year after; not
    "... The agency was founded on 1 May 1990").
    """
    start, end = _clause(text, begin, begin)
    same = [y for pos, y in years if start <= pos <= end]
    if same:
        return same[0]
    earlier = [y for pos, y in years if pos < begin]
    if earlier:
        return earlier[-1]
    if published:
        return published.year
    if credit is None and years:  # (later years only: see ``year_from_later``)
        if not is_english(text):
            return max(y for _, y in years)
        if day:
            return next((y for at, y in years if not _event_year(text, at)), None)
    return credit


def _event_year(text: str, at: int) -> bool:
    """Whether a word of another event (a launch, a founding) is just before the date at ``at``."""
    return any(c.group("neg") for c in _CUE.findall_lowered(text, max(0, at - 40), at))


def year_from_later(
    begin: int, text: str, years: list[tuple[int, int]], known: int | dt.date | None
) -> bool:
    r"""Whether :func:`lent_year` lent the day at ``begin`` a year only later text writes.

    Such a day needs a cue of its own ("when imaged on March 8"): an uncued one is history
    told before its year ("But on June 15th,\n1991, the volcano erupted"), no stand-in.

    Args:
        begin: where the day is written.
        text: the article text.
        years: the text's ``(offset, year)`` that lend theirs.
        known: its written year, else the publication date, else the data credit's year.
    """
    if known:
        return False
    end = _clause(text, begin, begin)[1]
    return all(at > end for at, _ in years)
