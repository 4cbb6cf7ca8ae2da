"""Days an article names relative to another date ("5 days later", "yesterday", "the same day").

Part of :func:`gaia_geo.collect._dates.find_dates`: "Just 5 days later, the Sentinel-1B satellite
imaged the area" counts from the date before it; "yesterday" and "on Wednesday" count back from
the publication date (given, or the article's dateline).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .._regex import CaselessPattern, lowered
from ._date_cues import SHOWN_EVENT, image_dated_before
from ._date_formats import _bounds
from ._dates import _CUE, DateMention, _classify, _clause

_NUMBERS = {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
_NUMBERS["a"] = 1
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
#: "The next day" in the other languages agencies publish in: French "le lendemain", German "am
#: nächsten Tag", "tags darauf", Spanish "al día siguiente", Italian "il giorno dopo",
#: "l'indomani", Portuguese "no dia seguinte" (each holds one of ``_NEXT_DAY_WORDS``).
_NEXT_DAY = (
    r"(?:le |au )?lendemain|(?:am |den )(?:nächsten|folgenden) Tag|tags darauf|am Tag danach|"
    r"(?:al |el )d[ií]a siguiente|un d[ií]a despu[ée]s|il giorno (?:dopo|seguente|successivo)|"
    r"(?:l'|all'|l’|all’)indomani|(?:no )?dia seguinte|um dia depois"
)
_NEXT_DAY_WORDS = ("lendemain", "Tag", "ía", "iorno", "indomani", "dia seguinte", "dia depois")
#: Days named relative to another date: "5 days later", "the next day", "the following
#: morning", "yesterday" and "hours ago" (the publication's), "on Wednesday", "Thursday
#: morning" (the last one on or before the publication), "over the weekend" (the last Saturday
#: and Sunday before it).
_RELATIVE = re.compile(
    r"\b(?:(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+"
    r"(?P<unit>days?|weeks?)\s+(?P<dir>later|afterwards|earlier|after|before)|"
    r"(?P<next>the (?:next|following) (?:day|morning|afternoon|evening|night)|a day later|"
    rf"{_NEXT_DAY})|"
    r"(?P<yesterday>yesterday)|(?P<on>on )?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"(?P<weekend>(?:over|during) the weekend|(?:this|last) weekend)|"
    r"(?P<today>(?:earlier |later )?today|tonight|this (?:morning|afternoon|evening)|"
    r"(?:(?:only|just|a few|several) )?hours ago))\b",
    re.IGNORECASE,
)
#: A capitalised word inside a sentence before a weekday written without "on" names a day
#: ("since Good Friday"); at the start of one it is the sentence's ("Taken Monday by Terra").
_NAMED_DAY = re.compile(r"[\w,;:]\s+[A-Z][\w'’]*[ \t]+$")
#: Between "one week after" and the day it counts from.
_FROM_NEXT = re.compile(r"\s+(?:the\s+)?")
#: "Sunday, April 18", "Sunday (April 18)": a weekday written before a date is part of it.
_BESIDE_DATE = re.compile(r",?\s*\(?$")
#: An image word right beside "today", "this afternoon": "the image from this afternoon".
_IMAGE_BEFORE = re.compile(
    r"\b(?:images?|imagery|photos?|pictures?|views?|scenes?|loops?|animations?)\b"
    r"(?:\s+(?:from|taken|captured|acquired|made|of))?\s*$",
    re.I,
)
_IMAGE_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}?(?:images?|imagery|photos?|pictures?|views?|scenes?|loops?)\b",
    re.I,
)

#: "Today's Image of the Day": the name of a daily feature (the day it is shown), not the day
#: its picture was taken.
_FEATURE_NAME = re.compile(r"['’]s\s+(?:image|picture|photo) of the day\b", re.I)

_ANAPHORA = CaselessPattern(r"\b(?:the same day|that same day|that day|that night|the same date)\b")
#: Words that put two pictures side by side.
_COMPARED = re.compile(r"\bcompar(?:e[ds]?|ing|ison)\b|\bversus\b|\bbefore and after\b", re.I)


def _relative_mentions(
    text: str, has_day: bool | None = None, has_night: bool = True
) -> list[re.Match[str]]:
    """Matches of ``_RELATIVE`` in ``text``.

    Each holds "day", so the pattern runs only around those words: scanning whole texts with it
    cost more than the rest of the date roles. ``has_day``: whether the lowercased text holds
    "day" (None: look); ``has_night``: False where the text holds no "night" (nor "tonight").
    """
    found: list[re.Match[str]] = []
    if has_day is None:
        low = lowered(text)  # (no "day" in it: none of the three spellings below in the text)
        has_day = low is None or "day" in low
    for word in (
        *(("day", "Day", "DAY") if has_day else ()),
        "week",
        "ago",
        "morning",
        "afternoon",
        "evening",
        *(("tonight",) if has_night else ()),
        *(() if text.isascii() else _NEXT_DAY_WORDS),  # (those pages write an accent somewhere)
    ):
        at = text.find(word)
        while at >= 0:
            hi = min(len(text), at + 20)
            match = _RELATIVE.search(text, max(0, at - 20), hi)
            if match and (match.end() < hi or hi == len(text)) and match.end() > at:
                found.append(match)
            at = text.find(word, at + 3)
    return sorted({m.span(): m for m in found}.values(), key=lambda m: m.start())


def relative_days(
    text: str, found: list[DateMention], published: dt.date | None
) -> list[DateMention]:
    """:func:`resolve_anaphora`, then :func:`add_relative_days`, sharing their word tests.

    Each test reads the whole text (~2 us): "day" in the lowercased text answers for the text
    too where it is absent, and "tonight" is not looked for where "night" is absent.
    """
    low = lowered(text)
    has_day = low is None or "day" in low
    has_night = "night" in text
    found = resolve_anaphora(text, found, has_day=has_day, has_night=has_night)
    return add_relative_days(text, found, published, has_day=has_day, has_night=has_night)


def add_relative_days(
    text: str,
    found: list[DateMention],
    published: dt.date | None,
    *,
    has_day: bool | None = None,
    has_night: bool = True,
) -> list[DateMention]:
    """Add the days a text names relative to another date, when they say a picture was taken.

    ``has_day``, ``has_night``: what :func:`relative_days` knows (see ``_relative_mentions``).
    """
    out = list(found)
    dateline = next((d for d in found if d.reason == "publication" and d.precision == "day"), None)
    issued = published or (dateline.start.date() if dateline else None)
    for match in _relative_mentions(text, has_day, has_night):
        if any(d.span[0] < match.end() and match.start() < d.span[1] for d in out):
            continue
        day: dt.date | None = None
        anchor: DateMention | None = None
        yesterday = match.group("yesterday") is not None
        last_day: dt.date | None = None
        if match.group("n") or match.group("next"):
            way = (match.group("dir") or "").lower()
            # "5 days later" counts from the day before it; "one week after the March 8
            # eruption" from the day right after it
            earlier = [
                d
                for d in out
                if (
                    _FROM_NEXT.fullmatch(text, match.end(), d.span[0])
                    if way in ("after", "before")
                    else d.span[1] <= match.start()
                )
                and d.precision == "day"
                and d.reason != "publication"
                and d.role != "rejected"
            ]
            if way not in ("after", "before"):
                # "showed ... on 22 February ... ===== 23 February Update ===== On the
                # following morning": counted from the last acquisition day, not a heading's
                seen = [d for d in earlier if d.role == "acquisition"]
                earlier = [d for d in seen if d.strength == "strong"] or seen or earlier
            if earlier:
                count = match.group("n") or "1"
                days = int(count) if count.isdigit() else _NUMBERS[count.lower()]
                if (match.group("unit") or "").lower().startswith("week"):
                    days *= 7
                if way in ("earlier", "before"):
                    days = -days
                day = earlier[-1].start.date() + dt.timedelta(days=days)
                anchor = earlier[-1]
        elif issued is not None and match.group("today"):
            if (
                not _names_an_image(text, match)
                or _today_widens(text, match, out)
                or _FEATURE_NAME.match(text, match.end())
            ):
                continue  # a fallback: it widens a date the text gives only when compared
            day = issued
        elif issued is not None and yesterday:
            day = issued - dt.timedelta(days=1)
        elif issued is not None and match.group("weekday"):
            if (
                _beside_a_date(text, match, out)
                or (not match.group("on") and _named_day(text, match.start()))
                or not _own_acquisition_cue(text, match, out)
            ):
                continue
            back = (issued.weekday() - _WEEKDAYS[match.group("weekday").lower()]) % 7
            if back == 0 and _today_widens(text, match, found):
                continue  # "released images ... on Wednesday", published that Wednesday
            day = issued - dt.timedelta(days=back)
        elif issued is not None and match.group("weekend"):
            if not _own_acquisition_cue(text, match, out):
                continue
            # the Saturday and Sunday before the publication (or that weekend, published on it)
            day = issued - dt.timedelta(days=(issued.weekday() - 5) % 7)
            last_day = min(issued, day + dt.timedelta(days=1))
        if day is None:
            continue
        role, reason, strength = _classify(text, *match.span())
        if (
            anchor is not None
            and strength == "weak"
            and anchor.strength == "strong"
            and anchor.role == "acquisition"
        ):
            strength = "strong"  # "showed ... on 22 February ... the following morning ... images"
        uncued_yesterday = yesterday and strength == "none"
        if role != "acquisition" and reason != SHOWN_EVENT and not uncued_yesterday:
            # an event a picture shows ("captured ... as the storm hit the coast yesterday") and
            # an uncued "yesterday" ("More of the same yesterday") stand in when nothing else does
            continue
        first, last = _bounds(day.year, day.month, day.day)
        if last_day is not None:
            last = _bounds(last_day.year, last_day.month, last_day.day)[1]
        out.append(
            DateMention(match.group(0), first, last, "day", role, reason, match.span(), strength)
        )
    return sorted(out, key=lambda m: m.span)


def _beside_a_date(text: str, match: re.Match[str], dates: list[DateMention]) -> bool:
    """Whether the weekday is written beside an explicit date ("Sunday, April 18")."""
    return any(
        0 <= d.span[0] - match.end() <= 3 and _BESIDE_DATE.match(text[match.end() : d.span[0]])
        for d in dates
    )


def _own_acquisition_cue(text: str, match: re.Match[str], dates: list[DateMention]) -> bool:
    """An acquisition verb in the weekday's clause with no other date between them.

    "as seen by GOES East on August 18, 2020, first appeared ... on Sunday": "seen" belongs to
    the explicit date; the Sunday is the storm's.
    """
    start, end = _clause(text, match.start(), match.end())
    if image_dated_before(text, match.start()):
        return True  # "The last image is from Friday afternoon"
    if any(start <= d.span[0] < end and d.role == "acquisition" for d in dates):
        return False  # it would only widen the explicit date the clause already gives
    for cue in _CUE.finditer(text, start, end):
        if not cue.group("strong"):
            continue
        low, high = sorted((cue.start(), match.start()))
        if not any(low <= d.span[0] < high for d in dates):
            return True
    return False


def _named_day(text: str, at: int) -> bool:
    """Whether the weekday at ``at``, written without "on", is part of a name ("Good Friday")."""
    return _NAMED_DAY.search(text, max(0, at - 30), at) is not None


def _today_widens(text: str, match: re.Match[str], dates: list[DateMention]) -> bool:
    """Whether the publication's own day would only widen the picture dates the text gives.

    "today", or a weekday that is the publication's ("China released the first images on
    Wednesday ... one taken on Jan. 21"), is the news of the day, not one more picture, unless
    its clause compares two pictures.
    """
    return any(d.role == "acquisition" for d in dates) and not _compared(text, match)


def _compared(text: str, match: re.Match[str]) -> bool:
    """Whether the clause of "today" compares its image with another.

    "comparing today's image with an image acquired on April 29": the other image's date does
    not date today's.
    """
    start, end = _clause(text, match.start(), match.end())
    return _COMPARED.search(text, start, end) is not None


def _names_an_image(text: str, match: re.Match[str]) -> bool:
    """Whether an image word stands right beside "today", "this afternoon"."""
    return bool(
        _IMAGE_BEFORE.search(text, max(0, match.start() - 40), match.start())
        or _IMAGE_AFTER.match(text, match.end())
    )


def resolve_anaphora(
    text: str, found: list[DateMention], *, has_day: bool = True, has_night: bool = True
) -> list[DateMention]:
    """Point "took this picture the same day" back to the last date before it.

    ``has_day``, ``has_night``: False where the lowercased text holds no "day", the text no
    "night".
    """
    out = list(found)
    if (
        (not has_day or "day" not in text)
        and (not has_night or "night" not in text)
        and "date" not in text
    ):
        return out
    low = lowered(text)
    if (
        low is not None
        and "same da" not in low
        and "that day" not in low
        and "that night" not in low
    ):
        return out  # none of its phrases (the lowercased text is the one the pattern scans)
    for match in _ANAPHORA.finditer(text):
        start, end = _clause(text, match.start(), match.end())
        if any(start <= d.span[0] < end for d in out):
            continue
        cues = list(_CUE.finditer(text, start, end))
        nearest = [c for c in cues if c.start() < match.start()] or cues
        if not cues or nearest[-1].group("neg"):
            continue  # "scenes downloaded worldwide that day": not a picture taken that day
        earlier = [i for i, d in enumerate(out) if d.span[1] <= match.start()]
        earlier = [
            i for i in earlier if out[i].reason != "publication" and out[i].role != "rejected"
        ]
        if earlier:
            d = out[earlier[-1]]
            out[earlier[-1]] = DateMention(
                d.text, d.start, d.end, d.precision, "acquisition", "the same day", d.span, "strong"
            )
    return out
