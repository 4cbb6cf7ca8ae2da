"""Dates in article text, and which of them say when the image was acquired.

Measured on 156 real, hand-labelled excerpts (``benchmarks/extract.py``), the hard cases are not
date formats but roles: datelines and bylines ("April 25, 2015 - Western Europe", a date alone
on its line) are publication dates; launch and event dates sit beside the acquisition date;
"took this picture the same day" points back to an earlier date; a composite spans "April and
October 2012"; "on July 20" takes its year from "late July 2019" earlier in the text. So every
date gets a role and a strength, and :func:`acquisition_dates` picks the strongest ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from .._regex import CaselessPattern
from ._date_choice import months_yield_to_days, stand_ins, with_shown_days
from ._date_cjk import LAUNCH_AFTER
from ._date_cjk import classify as classify_cjk
from ._date_cjk_days import add_cjk_days
from ._date_clause import _clause as _clause  # (also the relative-day rules')
from ._date_clause import _clause_end, _clause_start
from ._date_cues import (
    AS_IT_BEFORE,
    COUNT_BEFORE,
    EVENT_AS_TIME,
    EVENT_AS_TIME_END,
    EVENT_REASONS,
    IMAGE_IS_BEFORE,
    LABEL_BEFORE,
    LABEL_LAST,
    LAUNCH_BEFORE,
    LENDS_NO_YEAR,
    LENDS_NO_YEAR_WORDS,
    LIST_OF_DAYS,
    LOCAL_TIME_BEFORE,
    NAMES_IMAGE_BEFORE,
    OBSERVATION_AFTER,
    OBSERVATION_BEFORE,
    OTHER_NOUN,
    POSTED_BY,
    PUBLICATION_BEFORE,
    PUBLICATION_LAST,
    REPORTED_BEFORE,
    SAME_SCENE_BEFORE,
    SHOWN_EVENT,
    SIDE_BEFORE,
    SPAN_OF_DAYS,
    image_dated_before,
    in_a_name,
    is_date_pair_line,
    is_dateline,
    is_name_word,
    is_span_line,
    mid_line,
)
from ._date_events import event_between, names_event
from ._date_formats import BARE_YEAR, _parse, written_year
from ._date_mention import DateMention as DateMention
from ._date_mention import DateRole, Strength
from ._date_pictures import AFTER_DATE, FIRST_IN_HISTORY, WHEN_PICTURE, first_in_history
from ._date_scan import date_matches, is_english
from ._date_series import join_series
from ._date_words import _CUE as _CUE  # (also the relative-day rules')
from ._date_words import _CUE_HINDI, _CUE_WORLD, _DEVANAGARI
from ._date_years import (
    last_year_before,
    lent_year,
    month_days,
    same_day_year,
    weekday_year,
    written_days,
    year_from_later,
)
from ._tail_gate import LABEL_GATE, PUBLICATION_GATE


def _classify(
    text: str, begin: int, finish: int, cue_words: CaselessPattern = _CUE
) -> tuple[DateRole, str, Strength]:
    """Role and strength from labels, datelines and the nearest cue word of the clause.

    ``cue_words``: ``_CUE``; ``_CUE_WORLD`` for a page not in English, ``_CUE_HINDI`` for one
    with a date in Devanagari.
    """
    before = text[max(0, begin - 40) : begin]
    # lowered once for the two label gates (None: not ASCII, which they do not test)
    rest = before.lower().rstrip() if before.isascii() else None
    # both labels end there, before spaces only
    last = before.rstrip()[-1:].lower() if rest is None else rest[-1:]
    if (
        last in PUBLICATION_LAST
        and PUBLICATION_GATE.may_end_lowered(rest)
        and PUBLICATION_BEFORE.search(before)
    ) or (last == ")" and POSTED_BY.search(before)):
        return "other", "publication", "strong"
    if last in LABEL_LAST and LABEL_GATE.may_end_lowered(rest) and LABEL_BEFORE.search(before):
        return "acquisition", "label", "strong"
    if mid_line(text, begin):
        pass  # (no line of dates, no dateline)
    elif is_date_pair_line(text, begin, finish):
        return "acquisition", "a pair of dates on lines of their own", "strong"
    else:
        dateline = is_dateline(text, begin, finish)
        if (
            dateline or text[max(0, begin - 3) : begin].rstrip()[-1:] in ("-", "–")
        ) and is_span_line(text, begin):
            return "acquisition", SPAN_OF_DAYS, "strong"
        if dateline:
            return "other", "publication", "strong"
    after = AFTER_DATE.match(text, finish)
    follows = after.lastgroup if after else None  # (the first that matches: their order below)
    near = text[max(0, begin - 80) : begin]
    if follows == "side" or (
        (":" in near or ")" in near)  # (its two branches hold one: a slice's test is cheaper)
        and SIDE_BEFORE.search(text, max(0, begin - 80), begin)
    ):
        return "acquisition", "left/right", "strong"
    if follows == "when":  # ", when the picture on the left was taken"
        return "acquisition", WHEN_PICTURE, "strong"
    if follows == "names" and NAMES_IMAGE_BEFORE.search(text, max(0, begin - 12), begin):
        return "acquisition", "the date of an image", "strong"
    if image_dated_before(text, begin, rest):
        return "acquisition", "the date of an image", "strong"
    if "bservation" in text[max(0, begin - 40) : finish + 16] and (
        OBSERVATION_BEFORE.search(before) or OBSERVATION_AFTER.match(text, finish)
    ):
        return "acquisition", "an observation", "strong"
    if "same" in before and SAME_SCENE_BEFORE.search(before):
        return "acquisition", "the same scene again", "strong"
    start = _clause_start(text, begin)  # (its end only where the words before it do not decide)
    end = -1
    cues = cue_words.findall_lowered(text, start, begin)
    while (
        len(cues) > 1  # another cue before it may then decide
        and cues[-1].group("neg")
        and EVENT_AS_TIME_END.match(text, cues[-1].end(), begin)
        and EVENT_AS_TIME.search(text, max(0, cues[-1].start() - 20), cues[-1].start())
    ):
        cues.pop()  # "in late December 1998 during the eruption, and in mid-January 1999"
    if names_event(text, before, begin, finish):  # "the storm of January 22", "the March 11 quake"
        shown = any(c.group("strong") for c in cues)
        return "other", SHOWN_EVENT if shown else "the event it names", "strong"
    cue: re.Match[str] | None
    if cues:
        cue = cues[-1]
    else:
        end = _clause_end(text, finish)
        cue = cue_words.search_lowered(text, finish, min(end, finish + 200))
    if text.find("that", start, begin) >= 0:
        reported = list(REPORTED_BEFORE.finditer(text, start, begin))
        if reported and not any(
            c.group("strong") and c.start() >= reported[-1].end() for c in cues
        ):  # "images showed that an iceberg had calved by 12 July": the event's date
            return "other", "what the picture shows happened then", "strong"
    if cue is None:
        return "other", "no acquisition cue in its clause", "none"
    negative = cue.group("neg")
    if cues and not negative and (event := event_between(text, cue.end(), begin)):
        return "other", event, "strong"  # "captured one week after the March 8 eruption"
    if (
        negative
        and len(cues) > 1
        and AS_IT_BEFORE.search(text, max(0, cue.start() - 30), cue.start())
        and any(not c.group("neg") for c in cues)
    ):  # "The image shows the storm as it made landfall on 3 May": the moment it shows
        return "acquisition", "the moment the picture shows", "strong"
    if negative:
        word = cue.group(0).lower()
        if word in EVENT_REASONS and any(c.group("strong") for c in cues):
            return "other", SHOWN_EVENT, "strong"  # "images showed the cloud of an eruption on"
        return "other", word, "strong"
    negatives = [c for c in cues if c.group("neg")]
    if negatives and IMAGE_IS_BEFORE.search(text, max(0, begin - 30), begin):
        negatives = []  # "and the last image is February 25th": the image's own date
    if negatives and not any(c.group("strong") and c.start() > negatives[-1].start() for c in cues):
        # "shared this nighttime image of Dublin on March 17": sharing, not acquiring
        return "other", negatives[-1].group(0).lower(), "strong"
    # the nearest cue decides the role; an acquisition verb anywhere in the clause, its strength
    # ("acquired the first image (left) on ...": "image" is nearest, "acquired" makes it sure)
    verb = next((c for c in cues if c.group("strong") and not in_a_name(text, c)), None)
    if verb is None:  # the words before the date were scanned already
        if end < 0:
            end = _clause_end(text, finish)
        verb = next(
            (
                c
                for c in cue_words.finditer_lowered(text, finish, end)
                if c.group("strong")
                and not OTHER_NOUN.search(text, finish, c.start())
                and not in_a_name(text, c)
            ),
            None,
        )
    if verb is not None:
        return "acquisition", verb.group(0).lower(), "strong"
    return "acquisition", cue.group(0).lower(), "weak"


#: The kinds of a day without its year (a weekday before it may give one).
_WEEKDAY_KINDS = _DAY_KINDS = ("dmy-noyear", "cjk-noyear")


def find_dates(
    text: str, published: dt.date | None = None, *, year: int | None = None
) -> list[DateMention]:
    """Every date in ``text`` with its role (see :class:`DateMention`), in text order.

    Args:
        text: article text.
        published: the publication date: the year of dates written without one when the text
            gives none, and no acquisition can be after it.
        year: the year of dates written without one when neither the text nor ``published``
            gives one (the launch year of a satellite the text says was just launched).
    """
    limit = published or dt.datetime.now(dt.UTC).date()
    matches = date_matches(text)  # (in text order)
    groups = [m.groupdict() for m, _ in matches]
    written_years = [
        (m.start(), written_year(g)) for (m, _), g in zip(matches, groups, strict=True)
    ]
    years: list[tuple[int, int]] = []
    needs_year = any(y is None for _, y in written_years)
    cjk = "月" in text or "월" in text
    if needs_year:  # only dates without a year need them
        lends_no_year = any(w in text for w in LENDS_NO_YEAR_WORDS)
        launch = "aunch" in text or "AUNCH" in text or cjk
        years = sorted(
            (at, y)
            for at, y in written_years
            if y is not None
            and not (lends_no_year and LENDS_NO_YEAR.search(text, max(0, at - 60), at))
        )
        if launch:  # a launch's year lends none where the page's is known otherwise
            kept = [
                (at, y)
                for at, y in years
                if not LAUNCH_BEFORE.search(text, max(0, at - 16), at)
                and not (cjk and LAUNCH_AFTER.match(text, at))
            ]
            years = kept if kept or published is not None else years
    credit = next((int(m.group("y")) for m, kind in matches if kind == "y-credit"), year)
    if needs_year and not years and published is None and credit is None:
        # no date writes a year: a bare one does ("the 2008 cyclone season ... On April 15")
        taken = bytearray(len(text))  # characters already inside a date
        for m, _ in matches:
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        years = [
            (m.start(), int(m[0]))
            for m in BARE_YEAR.finditer(text)
            if not taken[m.start()]
            and not COUNT_BEFORE.search(text, max(0, m.start() - 16), m.start())
        ]
    # the years each day is written with ("on Sept. 7 ... on Sept. 7, 2009")
    days = written_days(matches, groups, written_years) if needs_year else {}
    # what a few rules look for, once a text
    english = is_english(text)
    weekdays = any(kind in _WEEKDAY_KINDS for _, kind in matches) and (
        "day" in text or not english  # (a weekday in any language)
    )
    cue_words = _CUE if english else _CUE_WORLD
    if any(not m.group(0).isascii() for m, _ in matches) and _DEVANAGARI.search(text):
        cue_words = _CUE_HINDI  # (a Hindi month)
    found: list[DateMention] = []
    resolved: dict[str, int] = {}  # "May 7th" twice in a text is the same day
    for index, ((match, kind), found_groups, (_, written)) in enumerate(
        zip(matches, groups, written_years, strict=True)
    ):
        if kind == "my-noyear" and is_name_word(text, match):
            continue  # "Svalbard and Jan Mayen": a name, not January
        year = written
        if year is None:
            key = " ".join(match.group(0).lower().split())
            year = (
                resolved.get(key)
                or (days and same_day_year(days, month_days(kind, found_groups)))
                # a CJK sentence runs long: the nearest year before, not its first
                or (kind == "cjk-noyear" and last_year_before(years, match.start()))
                or lent_year(match.start(), text, years, published, credit, kind in _DAY_KINDS)
            )
            if year is not None:
                resolved.setdefault(key, year)
        if year is None:
            continue  # no year anywhere: not a usable date
        try:
            first, last, precision = _parse(kind, found_groups, year)
            if kind.endswith("noyear") and first.date() > limit:
                first, last, precision = _parse(kind, found_groups, year - 1)
            if weekdays and kind in _WEEKDAY_KINDS:
                moved = weekday_year(text, match.start(), first, limit, published)
                if moved is not None:  # "on Thursday, 27 March": the year that makes it one
                    first, last, precision = _parse(kind, found_groups, moved)
        except ValueError:
            continue
        if cjk and kind.startswith("cjk"):  # their verb follows the date
            later = [m.span() for m, _ in matches[index + 1 : index + 6]]
            role, reason, strength = classify_cjk(text, *match.span(), later)
        else:
            role, reason, strength = _classify(text, *match.span(), cue_words)
        if kind.startswith("y-image"):  # "The 1986 image shows...", "un'immagine del 1985"
            role, reason, strength = "acquisition", "the year of the image", "strong"
        if kind.startswith("season") and role != "acquisition":  # no stand-in: history
            role, reason, strength = "other", "a season without an acquisition cue", "weak"
        if precision == "year" and role == "acquisition":
            if strength != "strong":
                role, reason = "other", "a bare year needs an explicit acquisition verb"
            elif first_in_history(text, match.start()):  # "first photographed ... in 1965"
                role, reason = "other", FIRST_IN_HISTORY
        if kind == "y-credit":  # the data's year: a fallback any cued date inside it refines
            role, reason, strength = "acquisition", "the year of the data credit", "weak"
        at = match.start()
        if (
            text.find("(", max(0, at - 12), at) >= 0  # (the pattern ends with one)
            and LOCAL_TIME_BEFORE.search(text, max(0, at - 12), at)
            and " (" in text
            and ("UTC (" in text or "GMT (" in text or "Z (" in text)  # restated in UTC
        ):
            role, reason, strength = "other", "the same moment in local time", "strong"
        if strength == "none" and published is not None and first.date() == published:
            role, reason = "other", "publication"
        if first.date() > limit:
            role, reason = "rejected", f"after the publication date {limit.isoformat()}"
        elif strength == "none" and year_from_later(
            at, text, years, written or published or credit
        ):
            role, reason = "rejected", "no cue, and a year only later text writes"
        found.append(
            DateMention(
                match.group(0), first, last, precision, role, reason, match.span(), strength
            )
        )
    found.sort(key=lambda m: m.span)
    found = add_cjk_days(text, join_series(text, found, limit), published)
    return _relative_days()(text, found, published)


@functools.cache  # an import statement costs ~8 us a call, more than a cached lookup
def _relative_days() -> Callable[[str, list[DateMention], dt.date | None], list[DateMention]]:
    """``_date_relative.relative_days``: imported once (that module is built on this one)."""
    from ._date_relative import relative_days

    return relative_days


def acquisition_dates(dates: list[DateMention], text: str = "") -> list[DateMention]:
    """The dates that say when the image was taken.

    Strongly cued acquisition dates win over weakly cued ones (but for the days other pictures
    "show": ``with_shown_days``); with neither, a date with no cue at all (an event the image
    shows) stands in. A date inside another chosen one ("on 20 July" inside "in July 2016")
    replaces it. With no cued date at all, the day of an event the article
    is about stands in, unless ``text`` (the article) times its pictures by the event.

    Args:
        dates: every date of the text (:func:`find_dates`).
        text: the article text.
    """
    candidates = [d for d in dates if d.role == "acquisition"]
    strong = [d for d in candidates if d.strength == "strong"]
    chosen = with_shown_days(strong, candidates, text) if strong else candidates
    if len(chosen) > 1 and any(d.reason == "label" for d in chosen):
        # "August 16, 2013 - Floods ... acquired this image on August 2 ... Date Acquired:
        # 8/16/2013": a page's box that repeats its dateline yields to the prose's dates
        issued = {d.start for d in dates if d.reason == "publication" and d.precision == "day"}
        chosen = [d for d in chosen if d.reason != "label" or d.start not in issued] or chosen
    if not chosen:
        chosen = stand_ins(dates, text)
    chosen = months_yield_to_days(chosen)
    # a finer date inside a chosen one replaces it ("This 2001 image" and "from 20010820")
    pool = chosen + [
        d
        for d in dates
        if d.role != "rejected"
        and not (d.role == "other" and (d.strength == "strong" or d.reason == "publication"))
    ]
    out: list[DateMention] = []
    for d in chosen:
        if (d.precision == "day" or "," in d.text) and (
            LIST_OF_DAYS.search(d.text) or d.reason == SPAN_OF_DAYS
        ):
            # "on August 4 and August 25": "the August 25 image" is one of them (and "images
            # from 1984, 1990, 2000 and 2011": "By 2011" is one of the years)
            out.append(d)
            continue
        finer = [
            o
            for o in pool
            # "observed on 23-24 November ... during the night of 24 November": a span of days
            # yields only to a day as surely cued
            if d.start <= o.start
            and o.end <= d.end
            and o.end - o.start < d.end - d.start
            and (d.precision != "day" or o.strength == "strong")
        ]
        if len(finer) > 1:  # only the finest ("This 2001 image", "late August", "20010820")
            finer = [o for o in finer if not any(_inside(p, o) for p in finer)]
        out.extend(finer or [d])
    return sorted(set(out), key=lambda m: m.span)


def _inside(inner: DateMention, outer: DateMention) -> bool:
    """Whether ``inner`` lies within ``outer`` and is shorter."""
    return (
        outer.start <= inner.start
        and inner.end <= outer.end
        and inner.end - inner.start < outer.end - outer.start
    )
