"""Speed rewrites of the extraction rules (ninth pass) match exactly what they replace."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from gaia_geo._regex import finditer
from gaia_geo.collect._date_cues import is_date_pair_line, is_dateline, is_span_line, mid_line
from gaia_geo.collect._date_formats import _PLAN
from gaia_geo.collect._date_languages import NO_YEAR_PATTERNS
from gaia_geo.collect._date_month_led import month_led_starts
from gaia_geo.collect._date_scan import (
    _FINDERS,
    _MONTH_LED,
    _MONTH_SLOT,
    _NO_SEASONS,
    _SLOTTED,
    _SLOTTED_ASCII,
    _SLOTTED_LATIN,
    _day_first,
    _matches_at,
    _starts,
    _windows,
    date_matches,
    is_english,
)
from gaia_geo.collect._date_seasons import may_open_in, named_in
from gaia_geo.collect._extract_score import load_labelled_articles

LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

SCAN_TEXTS = [
    "From 5 March 2019 to April 2019, March 5-7, 2019 and 5-7 March 2019; 2019-03-05.",
    "March 2019 March 2019 March 5 March 6, 2019 in March and April 2020 June 2-4, 2021",
    "1 January 2000   6 April 2000\nJanuary 2000 - June 2000 of 2001 in 2002, 2003",
    "Sept. 7 and Sept. 7, 2009; 3/4/2019 12/20/2009 in early June 2018 during late May",
    "This 2017 image (left) and 2019 (right): Copernicus Sentinel data (2019)",
    # where a pattern's match at a place inside a date hides a free place after it (found by
    # random search: the places skipped must be tried then)
    "5/7/2019 to 2019 - 2020 of 31st March",
    "April to in 5/7/2019 and 2020 through 2019",
    "through 5/7/2019 to 2020 to 2019",
    "2020 5/7/2019 and 2019 through 2019 from 2020 -",
    "Sept. 2020 through 2020 - 2019 5 between",
    # a season in a window, a season's word only outside them, both, neither
    "The summer of 2010 and Fall, 2019; spring and summer 2011 in Spring 2012",
    "Rainfall in 2010 was low." + " Small fields, no seasons." * 4 + " Autumn colours.",
    "Fall\n2019 and a fall 2018 " + "x" * 80 + " in spring",
    "In 2020 the crops grew." + " y" * 60 + " They fall ill.",
]


def _texts() -> list[str]:
    texts = list(SCAN_TEXTS)
    for article in load_labelled_articles(LABELLED):
        texts += [article.text, article.text.upper(), article.text.lower()]
    return texts


def _scan_before(text: str) -> list[tuple[int, int, str]]:
    """``date_matches`` as it was: every pattern tried at every place of its finder."""
    matches: list[tuple[re.Match[str], str]] = []
    taken = bytearray(len(text))
    cjk = "月" in text or "월" in text
    plain = text.isascii()
    steps = _SLOTTED if cjk else _SLOTTED_ASCII if plain else _SLOTTED_LATIN
    if not named_in(text, plain):
        steps = _NO_SEASONS[id(steps)]
    for lo, hi in _windows(text):
        places: list[list[int] | None] = [None] * len(_FINDERS)
        for pattern, kind, slot in steps:
            found: Iterable[re.Match[str]]
            if slot < 0:
                led = _MONTH_LED.get(id(pattern))
                if led is not None:
                    months = places[_MONTH_SLOT]
                    if months is None:
                        months = places[_MONTH_SLOT] = _starts(_FINDERS[_MONTH_SLOT], text, lo, hi)
                    found = _matches_at(pattern, text, hi, month_led_starts(led, text, lo, months))
                else:
                    found = finditer(pattern, text, lo, hi)
            else:
                at = places[slot]
                if at is None:
                    at = places[slot] = _starts(_FINDERS[slot], text, lo, hi)
                found = _matches_at(pattern, text, hi, at)
            for match in found:
                start, end = match.span()
                if taken.find(1, start, end) < 0:
                    taken[start:end] = b"\x01" * (end - start)
                    matches.append((match, kind))
    english = is_english(text)
    if not english:
        for pattern, kind in NO_YEAR_PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span()
                if taken.find(1, start, end) < 0:
                    taken[start:end] = b"\x01" * (end - start)
                    matches.append((match, kind))
    matches.sort(key=lambda m: m[0].start())
    if any(kind == "numeric" for _, kind in matches) and _day_first(matches, english):
        matches = [(m, "numeric-dmy" if kind == "numeric" else kind) for m, kind in matches]
    return [(m.start(), m.end(), kind) for m, kind in matches]


def test_no_date_pattern_matches_the_empty_string() -> None:
    # what lets date_matches skip the places inside a date already found
    for pattern, _, _ in _PLAN:
        assert pattern.match("") is None
        assert pattern.match(" x", 1) is None


def test_may_open_in_holds_every_season_opening() -> None:
    for word in ("spring", "Spring", "summer", "Summer", "autumn", "Autumn", "fall", "Fall"):
        text = f"x {word} 2019 y"
        assert may_open_in(text, [(0, len(text))])
        assert not may_open_in(text, [(0, 1), (len(text) - 2, len(text))])


def test_date_matches_skip_places_inside_dates_alike() -> None:
    texts = _texts()
    found = [[(m.start(), m.end(), kind) for m, kind in date_matches(text)] for text in texts]
    assert found == [_scan_before(text) for text in texts]
    assert sum(map(len, found)) > 1000


LINE_TEXTS = [
    "Title\n1 January 2000" + " " * 70 + "6 April 2000\nText",  # a pair 84 characters apart
    "Title\n" + "\t" * 85 + "5 March 2019\nText",
    "Scientists studied it for years, and then on\n1 January 2000   6 April 2000\nMay 2, 2019",
    "x" * 45 + " " * 50 + "5 March 2019\n" + "word " * 30 + "18-28 September 1998",
    "A caption of forty-one characters or more: " + " \t" * 30 + "June 6, 2011 - June 8, 2012",
    "\u00a0" * 90 + "April 25, 2015 - Western Europe\n" + "\u2003a" * 45 + "May 1, 2020",
    "Thursday, 27 March 2014  Title\n" + "y " * 39 + "1 January 2000   6 April 2000",
]


def test_mid_line_only_where_no_line_of_dates_or_dateline() -> None:
    texts = LINE_TEXTS + [a.text for a in load_labelled_articles(LABELLED)]
    skipped = 0
    for number, text in enumerate(texts):
        for match, _ in date_matches(text):
            begin, finish = match.span()
            if mid_line(text, begin):
                skipped += 1
                assert not is_date_pair_line(text, begin, finish)
                assert not is_dateline(text, begin, finish)
                assert not is_span_line(text, begin)
        for begin in range(len(text) if number < 60 else 0):  # any place, not only dates'
            if mid_line(text, begin):
                for finish in (begin + 1, begin + 12, begin + 30):
                    assert not is_date_pair_line(text, begin, finish)
                    assert not is_dateline(text, begin, finish)
                assert not is_span_line(text, begin)
    assert skipped > 100
