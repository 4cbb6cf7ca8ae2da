"""Dates that take their role from the picture date before them: spans, lists and series.

Part of :func:`gaia_geo.collect._dates.find_dates`, after each date got a role of its own. An
article that shows several pictures often cues only the first of their dates:

- the end of a span ("Nov. 19, 2024 (00:00 UTC) - Nov. 20, 2024", "from 1900 UTC on 7 May to
  0800 UTC on 8 May 2019") and the next items of a list ("captured on Sep 10, 2010; Sep 12,
  2012; and Aug 25, 2013") have no cue of their own: they are the same pictures' dates;
- a series of pictures of one place, each named by its date ("The January 2014 image shows the
  reservoir full"), goes on with "By <date>, <how it changed>" ("By January 2018, it held 13
  percent"): each later state is what a later picture of the series shows, whatever verb tells
  the change. (A picture named by its date is one of several; a news story's "By 10 May,
  officials had evacuated..." after a picture dated otherwise is the story's.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ._date_cues import NAMES_IMAGE_AFTER
from ._date_formats import _MONTH_NAMES

if TYPE_CHECKING:
    from ._dates import DateMention

#: A clock time written beside a day: "(00:00 UTC)", "at 15:58 UTC", "1900 UTC on".
_TIME = r"(?:\(?\s*(?:at\s+)?\d{1,2}:?\d\d\s*(?:UTC|GMT|Z|[ap]\.?m\.?)?\s*\)?)"
#: Between the two ends of a span ("- ", "to 0800 UTC on ") or two items of a list (", ", "; ",
#: "; and "), with a clock time after the first end allowed. Not "and on" ("acquired on 3 May,
#: and on 5 May the dam broke" may tell an event).
JOINED_BETWEEN = re.compile(
    rf",?\s*{_TIME}?\s*"
    rf"(?:(?:-|–|—|to|through|until)\s*(?:{_TIME}\s*(?:on\s+)?)?|[,;](?:\s*and)?\s*)"
)
#: "By January 2018, ...", "By the end of 2011 ...": a sentence that opens with the state a
#: place had reached by then.
_BY_OPENING = re.compile(
    r"(?:^|[.!?]\s+|\n\s*)By\s+(?:(?:early|mid|late|the end of|the start of)[\s-]+)?(?:the\s+)?$"
)
_WRITTEN_YEAR = re.compile(r"\d{4}")
#: The word before a span's first end: "between", "from", French "entre", "du", German
#: "zwischen", "vom", Spanish "del", Italian "dal", "tra" (with the article after it).
_SPAN_OPENS = re.compile(
    r"\b(?:between|from|entre|du|zwischen|vom|von|del|desde|dal|tra|fra)\s+"
    r"(?:(?:le|el|il|dem|o)\s+)?$",
    re.I,
)
#: Between a span's two ends: "and", "to", "et le", "au", "und dem", "bis zum", "y el", "al",
#: "e il", "a", "até".
_SPAN_AND = re.compile(
    r",?\s*(?:and|to|until|through|et(?:\s+le)?|au|und(?:\s+dem)?|bis(?:\s+zum)?|"
    r"y(?:\s+el)?|al|hasta(?:\s+el)?|e(?:\s+il)?|a|até|-|–)\s*",
    re.I,
)
#: The first word of a date's text (its month, where the month is written first).
_FIRST_MONTH = re.compile(r"[^\W\d_]+")
#: The reason of a date joined to a picture date before it.
JOINED = "the end of a span or the next item of a list"
#: The reason of a later state of a series of pictures.
SERIES = "a later state of a series of pictures"


def join_series(text: str, found: list[DateMention], limit: dt.date) -> list[DateMention]:
    """Give the picture date's role to the dates a span, a list or a series joins to it.

    Args:
        text: the article text.
        found: its dates, in text order, each with its own role.
        limit: the publication date (no picture is later).

    Returns:
        The dates, those joined to a picture date before them made acquisition dates.
    """
    out = across_new_year(text, found)
    pictured: dt.datetime | None = None  # the end of the latest strongly cued picture date
    named = False  # whether a picture was named by its date ("the 1974 image")
    for i, d in enumerate(out):
        previous = out[i - 1] if i else None
        if (
            previous is not None
            and d.strength == "none"
            and previous.role == "acquisition"
            and JOINED_BETWEEN.fullmatch(text, previous.span[1], d.span[0])
        ):
            out[i] = d = replace(d, role="acquisition", reason=JOINED, strength=previous.strength)
        elif (
            pictured is not None
            and named
            and d.role != "rejected"
            and not (d.role == "acquisition" and d.strength == "strong")
            and _BY_OPENING.search(text, max(0, d.span[0] - 30), _opening_end(d))
            and (later := _later_state(d, pictured, limit)) is not None
        ):
            out[i] = d = replace(later, role="acquisition", reason=SERIES, strength="strong")
        if d.role == "acquisition" and d.strength == "strong":
            pictured = d.end if pictured is None else max(pictured, d.end)
            named = named or _names_a_picture(text, d)
    return out


def across_new_year(text: str, found: list[DateMention]) -> list[DateMention]:
    """Move back a year the first end of a span that crosses the new year.

    "entre le 11 décembre et le 3 février 2022", "zwischen dem 11. Dezember und dem 3. Februar
    2022": the first day, written without its year, took the later day's year but falls after
    it; "between December 11 and February 3, 2022" (one match) was read as two days in either
    order. Only after a word that opens a span ("between", "entre", "zwischen", "from"...).
    """
    out = list(found)
    for i, d in enumerate(out):
        if d.precision != "day":
            continue
        if " and " in d.text and d.start.year == d.end.year and d.start.month != d.end.month:
            # one match, read as two days in either order: was the later one written first?
            first = _FIRST_MONTH.search(d.text)
            if (
                first is not None
                and _MONTH_NAMES.get(first.group(0).lower()) == d.end.month
                and _SPAN_OPENS.search(text, max(0, d.span[0] - 16), d.span[0])
            ):
                out[i] = replace(
                    d,
                    start=d.end.replace(year=d.end.year - 1, hour=0, minute=0, second=0),
                    end=d.start.replace(hour=23, minute=59, second=59),
                )
            continue
        later = out[i + 1] if i + 1 < len(out) else None
        if (
            later is not None
            and later.precision == "day"
            and later.start.year == d.start.year
            and later.start < d.start
            and not _WRITTEN_YEAR.search(d.text)
            and _SPAN_AND.fullmatch(text, d.span[1], later.span[0])
            and _SPAN_OPENS.search(text, max(0, d.span[0] - 16), d.span[0])
        ):
            try:
                out[i] = replace(
                    d,
                    start=d.start.replace(year=d.start.year - 1),
                    end=d.end.replace(year=d.end.year - 1),
                )
            except ValueError:  # 29 February
                continue
    return out


def _names_a_picture(text: str, d: DateMention) -> bool:
    """Whether ``d`` names a picture: "The October 4 ASTER image", "The 1974 image"."""
    return (
        d.reason == "the year of the image" or NAMES_IMAGE_AFTER.match(text, d.span[1]) is not None
    )


def _opening_end(d: DateMention) -> int:
    """Where the words before the date end ("By 2011" holds its "By")."""
    return d.span[0] + 3 if d.text.startswith("By ") else d.span[0]


def _later_state(d: DateMention, pictured: dt.datetime, limit: dt.date) -> DateMention | None:
    """``d`` if it ends after the pictures so far; else, written without a year, a year on.

    "The September 21st image ... By January 2, the iceberg had broken up": a series runs
    forward, so a day written without its year that falls before the pictures is in the next
    year (never after the publication). "Images from 1984, 1990, 2000 and 2011 ... By 2011":
    a date inside the pictures' span is one of them, not a later state.
    """
    if d.end > pictured:
        return d
    if _WRITTEN_YEAR.search(d.text):
        return None
    try:
        start, end = d.start.replace(year=d.start.year + 1), d.end.replace(year=d.end.year + 1)
    except ValueError:  # 29 February
        return None
    return replace(d, start=start, end=end) if end > pictured and start.date() <= limit else None
