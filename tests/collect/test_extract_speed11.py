"""Speed rewrites of the extraction rules (eighth pass) match exactly what they replace."""

from __future__ import annotations

import random
import re

import pytest

from gaia_geo._regex import CaselessPattern
from gaia_geo.collect._date_cues import LABEL_BEFORE, PUBLICATION_BEFORE
from gaia_geo.collect._date_month_led import month_led_opening, month_led_starts
from gaia_geo.collect._date_scan import (
    _FINDERS,
    _MONTH_LED,
    _MONTH_SLOT,
    _SLOTTED,
    _matches_at,
    _starts,
    _windows,
)
from gaia_geo.collect._place_context import _STORM_NAME, launch_site, storm_names
from gaia_geo.collect._tail_gate import LABEL_GATE, PUBLICATION_GATE, TailGate

#: ``_STORM_NAME`` as it was written before it was made to jump from capital to capital.
_STORM_NAME_BEFORE = re.compile(
    r"\b(?:Hurricane|Typhoon|Cyclone|(?:Tropical|Winter|Subtropical)\s+(?:Storm|Depression))"
    r"\s+([A-Z][a-z]+)\b"
)

STORM_TEXTS = [
    "Hurricane Ida made landfall; Typhoon Haiyan and Cyclone Nargis did too.",
    "Tropical Storm Alberto, Subtropical Depression Andrea and Winter Storm Uri.",
    "SuperTyphoon Haiyan, xHurricane Ida, _Cyclone Idai, 9Typhoon Mawar: no boundary.",
    "Tropical  Depression\tTwo, Tropical Storm ida, Hurricane IDA, Hurricane Ida's eye.",
    "Dust Storm near Manaus; a Storm Ciara; Winter Depression Bob; Tropical storm Ana",
    "(Hurricane Katrina) \u00e9Typhoon Jebi \u00abCyclone Fani\u00bb Subtropical Storm Ex",
    "Hurricane",
    "Cyclone Idai",
]


@pytest.mark.parametrize("text", STORM_TEXTS)
def test_storm_name_matches_as_before(text: str) -> None:
    assert [(m.span(), m.group(1)) for m in _STORM_NAME.finditer(text)] == [
        (m.span(), m.group(1)) for m in _STORM_NAME_BEFORE.finditer(text)
    ]


def test_storm_names_finds_given_names() -> None:
    assert storm_names(STORM_TEXTS[0]) == {"Ida", "Haiyan", "Nargis"}
    assert storm_names("A Dust Storm over Manaus") == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sentinel-1 was launched from Kourou aboard a Soyuz rocket.", True),
        ("The rocket lifted off from Baikonur on 3 May.", True),
        ("Landsat 9, launched in 2021, captured this image of Cairo.", False),
        ("Der Satellit wurde vom Kosmodrom Plesezk aus gestartet.", True),
        ("Le satellite a été LANCÉ depuis Kourou.", True),
        ("El satélite fue lanzado desde Kourou.", True),
        ("Smoke drifted over Cairo, Egypt, in January.", False),
    ],
)
def test_launch_site_as_before(text: str, expected: bool) -> None:
    name = next(w for w in ("Kourou", "Baikonur", "Cairo", "Plesezk") if w in text)
    assert launch_site(text, text.index(name)) is expected


MONTH_LED_TEXTS = [
    "Images from early June and from late July 2019, in mid-August, in midSeptember.",
    "during Dec. the ice grew; since Jan, until Feb 3 and through March, 2020; of May 5",
    "within May, Xin June, in  July, in\tJuly, and early May, until late Sept. 12",
    "In May (capital), in May, in early May 2001, of Ma in Mar in Marc in March",
    "the in June of July and August from September during October through November",
    "2019 in Jun in Jul: through late Decemberx and in mid-Oct.",
]


@pytest.mark.parametrize("text", MONTH_LED_TEXTS)
def test_month_led_patterns_match_as_finditer(text: str) -> None:
    led_patterns = [p for p, _, slot in _SLOTTED if id(p) in _MONTH_LED]
    assert led_patterns  # ("in early June": the English month without a year)
    for lo, hi in [(0, len(text)), *_windows(text), (5, len(text) - 7)]:
        months = _starts(_FINDERS[_MONTH_SLOT], text, lo, hi)
        for pattern in led_patterns:
            starts = month_led_starts(_MONTH_LED[id(pattern)], text, lo, months)
            found = _matches_at(pattern, text, hi, starts)
            assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text, lo, hi)]


def test_month_led_opening_needs_a_bounded_opening_before_the_month() -> None:
    month = "(?P<mon>May)"
    assert month_led_opening(re.compile(rf"\bin {month}"), month) is not None
    assert month_led_opening(re.compile(rf"\bin\s+{month}"), month) is None  # unbounded
    assert month_led_opening(re.compile(rf"\bin (?:{month})?"), month) is None  # unbalanced
    assert month_led_opening(re.compile(rf"\bin {month}?"), month) is None  # optional month
    assert month_led_opening(re.compile(rf"\bin(?= ){month}"), month) is None  # lookahead
    assert month_led_opening(re.compile(rf"\b{month}"), month) is None  # a boundary at its end
    assert month_led_opening(re.compile(r"\bin June"), month) is None  # no such month


_LABEL_PIECES = [
    "Posted on", "POSTED", "posted:", "Last Modified", "release date", "Release Date", "on",
    "visualisation date", "Visualization  Date", "by Jane Doe |", "by jane doe|", "On this day in",
    "Date Acquired:", "date & time", "Image Date -", "date", "acquired", " ", "  ", "\t", "\n",
    "\x1c", ":", "-", " in ", " on ", "the", "of", "updated", "Accessed", "|", "x", "é", "ſ",
]  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "gate"),
    [(PUBLICATION_BEFORE, PUBLICATION_GATE), (LABEL_BEFORE, LABEL_GATE)],
)
def test_tail_gates_pass_every_string_their_pattern_ends(
    pattern: CaselessPattern, gate: TailGate
) -> None:
    assert gate.endings  # (read from the pattern: one a word)
    rng = random.Random(11)
    matched = refused = 0
    for _ in range(600):
        text = "".join(rng.choices(_LABEL_PIECES, k=rng.randint(0, 12)))
        for end in range(len(text) + 1):
            before = text[max(0, end - 40) : end]
            if pattern.search(before):
                matched += 1
                assert gate.may_end(before), before
            refused += not gate.may_end(before)
    assert matched > 300 and refused > 3000  # (both happen often)


def test_tail_gate_reads_the_words_of_the_pattern() -> None:
    gate = TailGate(r"(?:posted|by [a-z]+ \||(?:vis|proc)[sz] date|\bdate|a[|]b)\s*$", r"\s*$", ())
    assert gate.endings == ("posted", "|", "date", "date", "b")
    assert gate.may_end("Posted  ") and gate.may_end("x DATE") and not gate.may_end("in ")
    assert gate.may_end("in é")  # (not ASCII: not tested)
    # a word whose ending is no literal, or a pattern not of the form: no test
    assert TailGate(r"(?:posted|images?)\s*$", r"\s*$", ()).endings is None
    assert TailGate(r"posted\s*$", r"\s*$", ()).endings is None
    assert TailGate(r"(?:posted|)\s*$", r"\s*$", ()).may_end("anything")
