"""Days that Japanese, Chinese and Korean news write without their month: "10日に", "26일".

Part of :func:`gaia_geo.collect._dates.find_dates`. A news story in these languages dates the
events of its week by the day alone, the month being the publication's: "同衛星は10日に初の衛星
写真を伝送した" (on the 10th, the satellite sent its first picture), "첫 관측영상을 26일 보내왔다",
"지난달 31일 ... 촬영한" (on the 31st of last month). The day takes the publication's month (or
the month before, where the day is later than the publication's, or "先月", "지난달": last
month, precede it), and its role from the words after it, as any CJK date.
"""

from __future__ import annotations

import datetime as dt
import re

from ._date_cjk import classify
from ._date_formats import _bounds
from ._date_mention import DateMention

#: A day number and its unit, neither part of a longer date ("3月10日", "2015.10.10日") nor a
#: count of days ("3日間", "5日後", "3일간", "7일 만에", "2〜3日").
_DAY = re.compile(
    r"(?<![\d月월年년./〜～~\-–])(?P<d>3[01]|[12]\d|0?[1-9])\s*[日일]"
    r"(?!\s*(?:間|间|後|后|前|目|以|ぶり|ほど|程|おき|ごと|毎|あたり|当たり|本|"
    r"간|후|전|째|만|동안|마다|이내|여|분|씩))"
)
#: "先月", "지난달", "지난 달" (last month) just before the day.
_LAST_MONTH = re.compile(r"(?:先月|지난\s?달)\s*$")


def add_cjk_days(
    text: str, found: list[DateMention], published: dt.date | None
) -> list[DateMention]:
    """Add the days ``text`` writes without their month, dated by the publication.

    Args:
        text: the article text (only a non-ASCII one may hold such a day).
        found: the dates found in it so far, in text order.
        published: the publication date, else the article's dateline's day.
    """
    if "日" not in text and "일" not in text:
        return found
    issued = published or next(
        (d.start.date() for d in found if d.reason == "publication" and d.precision == "day"),
        None,
    )
    if issued is None:
        return found
    out = list(found)
    for match in _DAY.finditer(text):
        begin, finish = match.span()
        if any(d.span[0] < finish and begin < d.span[1] for d in found):
            continue
        day = int(match.group("d"))
        month_start = issued.replace(day=1)
        if day > issued.day or _LAST_MONTH.search(text, max(0, begin - 6), begin):
            month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
        try:
            when = month_start.replace(day=day)
        except ValueError:  # the 31st of a shorter month
            continue
        later = [d.span for d in found if d.span[0] >= finish]
        role, reason, strength = classify(text, begin, finish, later)
        first, last = _bounds(when.year, when.month, when.day)
        out.append(
            DateMention(match.group(0), first, last, "day", role, reason, match.span(), strength)
        )
    return sorted(out, key=lambda m: m.span) if len(out) > len(found) else found
