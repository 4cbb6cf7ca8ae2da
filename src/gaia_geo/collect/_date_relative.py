"""Days an article names relative to another date ("5 days later", "yesterday", "on Wednesday").

Part of :func:`gaia_geo.collect._dates.find_dates`: "Just 5 days later, the Sentinel-1B satellite
imaged the area" counts from the date before it; "yesterday" and "on Wednesday" count back from
the publication date (given, or the article's dateline).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ._dates import DateMention, _bounds, _classify

_NUMBERS = {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
#: Days named relative to another date: "5 days later", "the next day", "yesterday" (the
#: publication's), "on Wednesday" (the last one on or before the publication).
_RELATIVE = re.compile(
    r"\b(?:(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+"
    r"(?P<dir>later|afterwards|earlier)|(?P<next>the (?:next|following) day|a day later)|"
    r"(?P<yesterday>yesterday)|on (?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday))\b",
    re.IGNORECASE,
)


def _relative_mentions(text: str) -> list[re.Match[str]]:
    """Matches of ``_RELATIVE`` in ``text``.

    Each holds "day", so the pattern runs only around those words: scanning whole texts with it
    cost more than the rest of the date roles.
    """
    found: list[re.Match[str]] = []
    for word in ("day", "Day", "DAY"):
        at = text.find(word)
        while at >= 0:
            hi = min(len(text), at + 20)
            match = _RELATIVE.search(text, max(0, at - 20), hi)
            if match and (match.end() < hi or hi == len(text)) and match.end() > at:
                found.append(match)
            at = text.find(word, at + 3)
    return sorted({m.span(): m for m in found}.values(), key=lambda m: m.start())


def add_relative_days(
    text: str, found: list[DateMention], published: dt.date | None
) -> list[DateMention]:
    """Add the days a text names relative to another date, when they say a picture was taken."""
    out = list(found)
    dateline = next((d for d in found if d.reason == "publication" and d.precision == "day"), None)
    issued = published or (dateline.start.date() if dateline else None)
    for match in _relative_mentions(text):
        if any(d.span[0] < match.end() and match.start() < d.span[1] for d in out):
            continue
        day: dt.date | None = None
        if match.group("n") or match.group("next"):
            earlier = [
                d
                for d in out
                if d.span[1] <= match.start()
                and d.precision == "day"
                and d.reason != "publication"
                and d.role != "rejected"
            ]
            if earlier:
                count = match.group("n") or "1"
                days = int(count) if count.isdigit() else _NUMBERS[count.lower()]
                if (match.group("dir") or "").lower() == "earlier":
                    days = -days
                day = earlier[-1].start.date() + dt.timedelta(days=days)
        elif issued is not None and match.group("yesterday"):
            day = issued - dt.timedelta(days=1)
        elif issued is not None and match.group("weekday"):
            back = (issued.weekday() - _WEEKDAYS[match.group("weekday").lower()]) % 7
            day = issued - dt.timedelta(days=back)
        if day is None:
            continue
        role, reason, strength = _classify(text, *match.span())
        if role != "acquisition":
            continue
        first, last = _bounds(day.year, day.month, day.day)
        out.append(
            DateMention(match.group(0), first, last, "day", role, reason, match.span(), strength)
        )
    return sorted(out, key=lambda m: m.span)
