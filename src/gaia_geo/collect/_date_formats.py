"""How dates are written: the patterns that find them in article text, and the bounds they give.

Part of :func:`gaia_geo.collect._dates.find_dates`, which decides each date's role. The patterns
are tried in order (earlier wins on overlap); each that opens with a month, a year, a number or
a word is tried only where that opening matches (``_date_scan`` runs them over a text).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Literal

from . import _date_cjk as _cjk
from . import _date_holidays as _holidays
from . import _date_thai as _thai
from ._date_languages import (
    DAY_MARK,
    MONTH_PATTERN,
    MONTH_PATTERN_ASCII,
    MONTH_YEAR_PATTERN,
    MONTHS,
    YEAR_MARK,
)
from ._date_seasons import OPENINGS as _SEASON_OPENINGS
from ._date_seasons import PATTERNS as _SEASON_PATTERNS
from ._date_seasons import season_bounds

Precision = Literal["day", "month", "year"]

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_MONTH_NAMES.update(MONTHS)
_MONTH_NAMES.update(_thai.MONTHS)


def _mon(group: str) -> str:
    return (
        rf"(?P<{group}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
        rf"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
    )


_MON, _MON2 = _mon("mon"), _mon("mon2")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19[5-9]|20[0-9])\d)"
_TO = r"\s*(?:-|–|to|through|and|until)\s*"
#: Between a day and its month: spaces ("9  January"), or a line break after a word ("30th" at
#: the end of a wrapped line, "September 1999" on the next); never after a bare number (a
#: figure's number above a "January 2014" line).
_SP = r"(?:[ \t]+|(?<=[a-z])\s+)"
#: ``_TO`` that says which word joined the ends: "and" joins two days ("September 19 and March
#: 19", two pictures), in either order.
#: Band numbers and their slash ("bands 01/04/03", "channels 2/3/1"): no day and month
#: (tested after the slash: only where one follows).
_NOT_BANDS = r"(?<!bands \d/)(?<!bands \d\d/)(?<!channels \d/)(?<!channels \d\d/)"
_JOIN = r"\s*(?P<join>-|–|to|through|and|until)\s*"
#: More days of a list before its last two: "December 21, 24 and 27" (the span of its images).
_MORE = r"(?:,\s*[0-3]?\d(?:st|nd|rd|th)?)*,?"
#: A span of days and a day in any language of ``_date_languages`` ("{mon}": its month names).
_FOREIGN_RANGE = (
    r"\b(?P<d>[0-3]?\d)\.?[ \t]*(?P<join>und|bis|et|au|y|al|a|e|-|–)[ \t]*"
    rf"(?P<d2>[0-3]?\d){DAY_MARK}(?P<mon>{{mon}}){YEAR_MARK}{_YEAR}\b"
)
_FOREIGN_DAY = rf"\b(?P<d>[0-3]?\d){DAY_MARK}(?P<mon>{{mon}}){YEAR_MARK}{_YEAR}\b"
#: The year first: Hungarian "2017. május 8-án", Lithuanian "2017 m. gegužės 8 d." (its month in
#: lowercase: "in 2017. May 8" ends a sentence and opens one); kind ``dmy-lang``, not tried on a
#: text in ASCII (those pages write accents).
_YEAR_FIRST_DAY = (
    rf"\b{_YEAR}(?:\.|[ \t]m\.)[ \t]+(?![A-Z])(?P<mon>{{mon}})[ \t]+(?P<d>[0-3]?\d)\b(?![.,]?\d)"
)
#: (pattern, kind); tried in order, earlier wins on overlap. Kinds: ``dmy``/``mdy``/``iso`` a day,
#: ``my`` a month, ``y`` a year, ``range-*`` a span, ``*-noyear`` a day or month without a year.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Sept 6 to 12, 2020", "December 21, 24 and 27, 2020", "January 29 - February 10, 2014"
    (
        re.compile(
            rf"\b{_MON} (?P<d>[0-3]?\d){_ORD}{_MORE}{_JOIN}(?:{_MON2} )?(?P<d2>[0-3]?\d){_ORD},? "
            rf"{_YEAR}\b"
        ),
        "range-d",
    ),
    # "23-24 November 2004", "from 29 January to 10 February 2014", "the 24th and 27th of Sep 2011"
    (
        re.compile(
            rf"\b(?P<d>[0-3]?\d){_ORD}(?:{_SP}{_MON2})?{_MORE}{_JOIN}(?P<d2>[0-3]?\d){_ORD}"
            rf"(?: of)?{_SP}{_MON},? {_YEAR}\b"
        ),
        "range-d-day-first",
    ),
    (re.compile(rf"\b{_MON}{_TO}{_MON2},? {_YEAR}\b"), "range-m"),
    (re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), "iso"),
    (re.compile(rf"\b(?P<d>[0-3]?\d){_ORD}(?: of)?{_SP}{_MON},? {_YEAR}\b"), "dmy"),
    # "May 7, 2019"; "December, 27, 2017", "Oct.7, 2002": a comma or no space after the month
    (re.compile(rf"\b{_MON}(?:,? |(?<=\.))(?P<d>[0-3]?\d){_ORD},? {_YEAR}\b"), "dmy"),
    # "12/20/2009"; "MERIS/Envisat (17/05/04)", "Date Acquired: 03/20/08": two digits (never
    # "bands 01/04/03", "channels 2/3/1": the bands an RGB composite puts in red, green, blue);
    # "from 1-4-2023 to 20-4-2023": with hyphens, its year in full
    (
        re.compile(
            rf"\b(?P<a>[01]?\d|[23]\d)(?P<sep>[/-]){_NOT_BANDS}(?P<b>[0-3]?\d)(?P=sep)"
            rf"(?:{_YEAR}\b(?!-\d)|(?P<yy>\d\d)\b(?![/.]?\d)(?<=/\d\d))"
        ),
        "numeric",
    ),
    (re.compile(rf"\b(?P<d>[0-3]?\d)-{_MON}-{_YEAR}\b"), "dmy"),
    # "2023/04/11 12:00", "2023/04/12時点": year first with slashes (Japanese, Chinese pages)
    (
        re.compile(r"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])"),
        "iso",
    ),
    # "vom 3. und 15. Juli 2021", "du 3 au 15 juillet 2021", "del 3 al 15 de julio de 2021"
    (re.compile(_FOREIGN_RANGE.format(mon=MONTH_PATTERN)), "range-d-day-first"),
    # "am 8. Mai 2018", "le 2 septembre 2017", "el 19 de marzo de 2021", "am 19. April 2010"
    (re.compile(_FOREIGN_DAY.format(mon=MONTH_PATTERN)), "dmy"),
    (re.compile(_YEAR_FIRST_DAY.format(mon=MONTH_PATTERN)), "dmy-lang"),
    # "21.11.2002", "S2 (06.10.2018)": European pages write the day first, with dots
    (re.compile(rf"\b(?P<d>[0-3]?\d)(?<=\d\d)\.(?P<m>[01]\d)\.{_YEAR}\b(?!\.\d)"), "iso"),
    (
        re.compile(
            r"\b(?P<y>(?:19[5-9]|20[0-9])\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])\b"
        ),
        "iso",
    ),
    # "in the summer of 2000", "spring and summer 2010", "im Sommer 2019"
    *((re.compile(pattern), kind) for pattern, kind in _SEASON_PATTERNS),
    # "June 2000", "June of 2000", "the cold and snowy February in 2003"
    (re.compile(rf"\b{_MON},? (?:of |in )?{_YEAR}\b"), "my"),
    (re.compile(rf"\b(?P<mon>{MONTH_YEAR_PATTERN}){YEAR_MARK}{_YEAR}\b"), "my-lang"),  # Juli 2017
    (
        re.compile(
            rf"\b{_MON} (?P<d>[0-3]?\d){_ORD}{_MORE}{_TO}(?:{_MON2} )?(?P<d2>[0-3]?\d){_ORD}\b(?!:)"
        ),
        "range-d-noyear",
    ),
    # "on 23, 24, and 25 January", "from 6-8 April", "from 21 May and 22 May": a list or span
    # of days, day first
    (
        re.compile(
            rf"\b(?P<d>[0-3]?\d){_ORD}(?:{_SP}{_MON2})?{_MORE}{_JOIN}(?P<d2>[0-3]?\d){_ORD}{_SP}"
            rf"{_MON}\b(?!,? \d)"
        ),
        "range-d-day-first-noyear",
    ),
    # "on Monday (Sept.20)": no space after an abbreviation's dot
    (re.compile(rf"\b{_MON}(?: |(?<=\.))(?P<d>[0-3]?\d){_ORD}\b(?![:.]\d)"), "dmy-noyear"),
    (re.compile(rf"\b(?P<d>[0-3]?\d){_ORD}(?: of)? {_MON}\b"), "dmy-noyear"),
    # "the September image", "The May ASTER image": a month naming a picture (its year the text's)
    (
        re.compile(
            rf"\b{_MON}(?= (?:[A-Z0-9][\w+-]* ){{0,3}}"
            r"(?:images?|photos?|photographs?|scenes?|views?|pictures?|mosaics?|composites?)\b)"
        ),
        "my-noyear",
    ),
    (
        re.compile(
            rf"\b(?:in|of|and|from|during|through|since|until) (?:early |mid-?|late )?{_MON}\b"
            r"(?![ ,]*\d)"
        ),
        "my-noyear",
    ),
    # "Data acquired 1986 - 2021", "between 2000 and 2013": a span of years
    # and a list of years, "images from 1986, 2004, and 2012" (the span of its images)
    (
        re.compile(
            # (never a data credit's: "Copernicus Sentinel-1 data (2016-2017)" is one below)
            rf"\b{_YEAR}(?<!ata \(....)(?<!ATA \(....)"
            rf"(?:(?:,\s*(?:19[5-9]|20[0-9])\d)+,?\s+and\s+|{_TO})"
            r"(?P<y2>(?:19[5-9]|20[0-9])\d)\b(?![-/]\d)"
        ),
        "range-y",
    ),
    (
        re.compile(
            rf"(?:\b(?:in|during|of|from|By)|[-–]) (?:early |mid-|late )?{_YEAR}\b"
            r"(?!\s*(?:UTC|GMT|UT\b|Z\b|hours|hrs|local))"  # "from 2000 UTC": a clock time
        ),
        "y",
    ),
    # "This 2017 Landsat 8 image": a sensor's name may stand between the year and the image word
    (
        re.compile(
            rf"\b[Tt]h(?:e|is|at) {_YEAR}(?= (?:[A-Z0-9][\w+-]* ){{0,3}}"
            r"(?:image|photo|scene|view|picture|mosaic|composite))"
        ),
        "y-image",
    ),
    # "un'immagine Landsat-5 del 1985", "uma imagem Sentinel-2 de 2016", "une image SPOT de
    # 1986": the image's year after it, in the languages that write it so (not on ASCII texts)
    (
        re.compile(
            r"\b(?:immagine|imagem|imagen|image|Bild|Aufnahme)(?:[ \t]+[A-Z0-9][\w+-]*){0,3}"
            rf"[ \t]+(?:del?|d[ao]|von|aus)[ \t]+{_YEAR}\b(?![ \t]*[-–/]?[ \t]*\d)"
        ),
        "y-image-lang",
    ),
    # "taken on Christmas Eve 2008", "vom Heiligabend 2008": a holiday of fixed date
    (re.compile(_holidays.PATTERN), "holiday"),
    # ESA's credit line: "contains modified Copernicus Sentinel data (2019)"
    # (a literal first, no "\b": the regex engine then skips ahead to "Sentinel" quickly)
    # and its shorter "Copernicus data (2015)/ESA"
    # (and in capitals: "COPERNICUS SENTINEL DATA (2015)")
    (
        re.compile(
            rf"(?:(?:Sentinel|SENTINEL)(?:-\d[A-Z]?)?|Copernicus|COPERNICUS) (?:data|DATA)"
            rf"\s*[(\[]?{_YEAR}(?:[/–-](?P<y2>(?:19|20)?\d\d)\b(?![-/]\d))?\b"
        ),
        "y-credit",
    ),
    # "in 2015 (before) and 2016 (after)", "2009 (left)": the year of one picture of a pair;
    # "since 1975, when the picture on the left was taken": the year a picture is named by
    (
        re.compile(
            rf"\b{_YEAR}(?= \((?:left|right|top|bottom|before|after)\)"
            r"|,?\s+when\s+(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:image|picture|photo|scene)s?\b)"
        ),
        "y",
    ),
    # "2006年2月24日", "2011년 3월 12일", "平成23年3月12日", "12月6日"
    *((re.compile(pattern), kind) for pattern, kind in _cjk.PATTERNS),
    # "1 สิงหาคม 2563", "พฤษภาคม 2564": Thai, its years the Buddhist era's
    *((re.compile(pattern), kind) for pattern, kind in _thai.PATTERNS),
)
#: The patterns of ``_FOREIGN_RANGE`` and ``_FOREIGN_DAY`` with all month names, and in their
#: place for a text in ASCII, the same with the names written in ASCII.
ASCII_VARIANTS = {
    pattern.pattern: re.compile(template.format(mon=MONTH_PATTERN_ASCII))
    for pattern, _ in _PATTERNS
    for template in (_FOREIGN_RANGE, _FOREIGN_DAY)
    if pattern.pattern == template.format(mon=MONTH_PATTERN)
}
#: A day number: one or two digits opening a word. Every pattern that opens with one goes on
#: with something else than a digit, so a year's first digits are no place to try it.
_DAY = re.compile(r"\d(?<!\w.)\d?(?!\d)")
#: A year written alone ("the 2008 cyclone season"), not a clock time ("from 2000 UTC on 28 May"):
#: it lends its year to dates written without one when no date writes one.
BARE_YEAR = re.compile(
    r"(?<![\w/.,:-])(?:19[5-9]\d|20[0-4]\d)(?![\w/.,:-]?\d)"
    r"(?!\s*(?:UTC|GMT|UT\b|Z\b|hours|hrs|local|[ap]\.?m\b|EST|EDT|CST|CDT|PST|PDT))"
)
#: Where a pattern that opens with a month name, a year, a number or a few words can start:
#: (a superset of) the places its opening matches, found once a window for all patterns with
#: that opening; the patterns are then tried only there, not searched for across the window
#: (3x faster). Keyed by the opening as the pattern's source begins with it. A word opening
#: holds the month or year after it: "in" and "the" alone are everywhere.
_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (rf"\b{_MON}", re.compile(_MON)),
    (rf"\b{_YEAR}", re.compile(_YEAR)),
    (r"\b(?P<d>[0-3]?\d)", _DAY),
    (r"\b(?P<a>[01]?\d|[23]\d)", _DAY),
    (
        rf"\b(?:in|of|and|from|during|through|since|until) {_MON}",
        re.compile(rf"(?:in|of|and|from|during|through|since|until) {_MON}"),
    ),
    (
        rf"(?:\b(?:in|during|of|from|By)|[-–]) (?:early |mid-|late )?{_YEAR}",
        re.compile(rf"(?:in|during|of|from|By|[-–]) (?:early |mid-|late )?{_YEAR}"),
    ),
    (rf"\b[Tt]h(?:e|is|at) {_YEAR}", re.compile(rf"[Tt]h(?:e|is|at) {_YEAR}")),
    (r"(?<!\d)(?P<y>(?:19[5-9]|20[0-9])\d)", re.compile(_YEAR)),
    (
        r"(?:(?:Sentinel|SENTINEL)(?:-\d[A-Z]?)?|Copernicus|COPERNICUS) (?:data|DATA)",
        re.compile(r"(?:(?:Sentinel|SENTINEL)(?:-\d[A-Z]?)?|Copernicus|COPERNICUS) (?:data|DATA)"),
    ),
    *_SEASON_OPENINGS,
)
#: For each of ``_PATTERNS``, the index in ``_STARTS`` of its opening (one no quantifier
#: follows), or None.
_PATTERN_STARTS = tuple(
    next(
        (
            i
            for i, (opening, _) in enumerate(_STARTS)
            if p.pattern.startswith(opening)
            and p.pattern[len(opening) : len(opening) + 1] not in "?*+{"
        ),
        None,
    )
    for p, _ in _PATTERNS
)
#: Each of ``_PATTERNS`` with its kind and the pattern that finds where its opening matches
#: (None: searched for), openings written alike sharing one (a digit opening a word).
_PLAN: tuple[tuple[re.Pattern[str], str, re.Pattern[str] | None], ...] = tuple(
    (pattern, kind, None if opening is None else _STARTS[opening][1])
    for (pattern, kind), opening in zip(_PATTERNS, _PATTERN_STARTS, strict=True)
)


def written_year(groups: dict[str, str | None]) -> int | None:
    """The year a match writes out (``y``, or ``yy`` of two digits: 1950-2049), else None."""
    if groups.get("y"):
        return int(groups["y"] or 0)
    if groups.get("era"):
        return _cjk.era_year(groups)
    if groups.get("be") or groups.get("be2"):
        return _thai.buddhist_year(groups)
    short = groups.get("yy")
    if short:
        return int(short) + (1900 if int(short) >= 50 else 2000)
    return None


@functools.lru_cache(maxsize=4096)  # the same few days, months and years again and again
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


def _month(groups: dict[str, str | None], key: str = "mon") -> int | None:
    name = groups.get(key)
    return _MONTH_NAMES.get(name.lower().rstrip(".")) if name else None


def _parse(
    kind: str, groups: dict[str, str | None], year: int
) -> tuple[dt.datetime, dt.datetime, Precision]:
    """Bounds of a match; raises ValueError for impossible dates ("31 February")."""
    day = int(groups["d"] or 0) if groups.get("d") else None
    if kind == "holiday":
        first, last = _bounds(year, *_holidays.holiday(groups["hol"] or ""))
        return first, last, "day"
    if kind.startswith("range-d"):
        # the second month, when the range crosses one, is "mon2" (the first, day first)
        months = (_month(groups), _month(groups, "mon2") or _month(groups))
        if kind.startswith("range-d-day-first"):
            months = months[::-1]
        one, two = _bounds(year, months[0], day), _bounds(year, months[1], int(groups["d2"] or 0))
        if two[1] < one[0]:
            if (groups.get("join") or "").lower() == "and":
                one, two = two, one  # "September 19 and March 19": two days, in either order
            elif months[0] != months[1]:
                one = _bounds(year - 1, months[0], day)  # "December 28 to January 3, 2015"
            else:
                raise ValueError("reversed range")
        return one[0], two[1], "day"
    if kind == "range-m":
        first, _ = _bounds(year, _month(groups), None)
        _, last = _bounds(year, _month(groups, "mon2"), None)
        if last < first:
            raise ValueError("reversed range")
        return first, last, "month"
    if kind.startswith("cjk"):  # "2006年2月24日", "2011年3月", "2022年", "12月6日"
        if groups.get("last"):  # "昨年3月8日": the year before the text's
            year -= 1
        if not groups.get("m"):
            first, last = _bounds(year, None, None)
            return first, last, "year"
        first, last = _bounds(year, int(groups["m"] or 0), day)
        if groups.get("d2"):  # "1月1日から6日": a span of days
            _, last = _bounds(year, int(groups["m2"] or groups["m"] or 0), int(groups["d2"] or 0))
            if last < first:
                raise ValueError("reversed range")
        return first, last, "month" if day is None else "day"
    if kind == "iso":
        first, last = _bounds(year, int(groups["m"] or 0), day)
        return first, last, "day"
    if kind.startswith("numeric"):  # US month/day unless the first number cannot be a month
        a, b = int(groups["a"] or 0), int(groups["b"] or 0)
        if kind == "numeric-dmy":  # (a page that writes the day first: ``_date_scan``)
            month, day = (a, b) if b > 12 else (b, a)
        else:
            month, day = (b, a) if a > 12 else (a, b)
        first, last = _bounds(year, month, day)
        return first, last, "day"
    if kind.startswith("season"):
        first, last = season_bounds(groups, year)
        return first, last, "month"
    if kind.startswith("dmy"):
        first, last = _bounds(year, _month(groups), day)
        return first, last, "day"
    if kind.startswith("my"):
        first, last = _bounds(year, _month(groups), None)
        return first, last, "month"
    first, last = _bounds(year, None, None)
    if groups.get("y2"):  # "1986 - 2021", "Copernicus Sentinel data (2016/2019)", "(2016-17)"
        second = groups["y2"] or ""
        _, last = _bounds(int(str(year)[: 4 - len(second)] + second), None, None)
        if last < first:
            raise ValueError("reversed range")
    return first, last, "year"  # "y", "y-image", "y-credit", "range-y"
