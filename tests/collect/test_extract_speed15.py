"""Speed rewrites of the date roles (``_classify``) match exactly what they replace."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gaia_geo._regex import CaselessPattern
from gaia_geo.collect._date_clause import _clause, _clause_end, _clause_start
from gaia_geo.collect._date_cues import (
    LABEL_BEFORE,
    LABEL_LAST,
    PUBLICATION_BEFORE,
    PUBLICATION_LAST,
)
from gaia_geo.collect._date_scan import date_matches
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.collect._tail_gate import LABEL_GATE, PUBLICATION_GATE, TailGate

LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

#: Sentences of our own: labels, marks, spaces, case and letters beyond ASCII before a date.
SENTENCES = [
    "Posted on 3 May 2021. The image was acquired on 2 May 2021; it shows the delta.",
    "Date Acquired: 12/20/2009\nRelease Date - 21 December 2009\nLast Modified:\tJan 5, 2010",
    "UPDATED ON  May 5, 2019 | by Jane Doe | June 1, 2019 (left) and July 2, 2019 (right)",
    "acquired\u00a0on 4 June 2020, visualisation date: 5 June 2020, Publié le 6 juin 2020",
    "Image date \u2013 7 July 2018; date & time: 8 July 2018 10:00 UTC; on this day in 1969",
    "The satellite, which launched in March 2017, imaged the fire on 3 August 2017, and "
    "(Deutsches Zentrum f\u00fcr Luft- und Raumfahrt; DLR) released it on 9 August 2017.",
    "Accessed:  1 January 2024\n\nAddition Date\n2 January 2024\nİMAGE DATE: 3 January 2024",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return SENTENCES + [a.text for a in load_labelled_articles(LABELLED)]


def _old_last(before: str) -> str:
    """The last character before trailing spaces, lowered, as ``_classify`` read it before."""
    return before.rstrip()[-1:].lower()


@pytest.mark.parametrize(
    ("pattern", "gate", "lasts"),
    [
        (PUBLICATION_BEFORE, PUBLICATION_GATE, PUBLICATION_LAST),
        (LABEL_BEFORE, LABEL_GATE, LABEL_LAST),
    ],
)
def test_lowered_gate_answers_as_the_gate_and_never_refuses_a_label(
    texts: list[str], pattern: CaselessPattern, gate: TailGate, lasts: frozenset[str]
) -> None:
    matched = refused = 0
    for text in texts:
        for match, _ in date_matches(text):
            begin = match.start()
            before = text[max(0, begin - 40) : begin]
            rest = before.lower().rstrip() if before.isascii() else None
            assert gate.may_end_lowered(rest) == gate.may_end(before), before
            # the last character read from the lowered window is the one read before
            last = _old_last(before) if rest is None else rest[-1:]
            assert last == _old_last(before), before
            if pattern.search(before):
                matched += 1
                assert last in lasts and gate.may_end_lowered(rest), before
            refused += not gate.may_end_lowered(rest)
    assert matched > 10 and refused > 1000  # (both happen)


def test_lowered_gate_on_random_label_strings() -> None:
    pieces = ["Posted", " on", "DATE", "acquired", ":", " -", "  ", "\t", "in ", "é", "x", "|"]
    rng = random.Random(15)
    for _ in range(2000):
        string = "".join(rng.choices(pieces, k=rng.randint(0, 8)))
        for gate in (PUBLICATION_GATE, LABEL_GATE):
            rest = string.lower().rstrip() if string.isascii() else None
            assert gate.may_end_lowered(rest) == gate.may_end(string), string
    assert PUBLICATION_GATE.may_end_lowered(None)  # (not ASCII: not tested)
    assert not PUBLICATION_GATE.may_end_lowered("the image of")


def test_clause_is_its_start_and_its_end(texts: list[str]) -> None:
    count = 0
    for text in texts:
        for match, _ in date_matches(text):
            begin, finish = match.span()
            assert _clause(text, begin, finish) == (
                _clause_start(text, begin),
                _clause_end(text, finish),
            )
            count += 1
    assert count > 1000
    # a semicolon inside brackets opened after the date does not end its clause
    text = SENTENCES[5]
    finish = text.index("2017,") + 4
    assert _clause_end(text, finish) == len(text) - 1  # (the full stop)
    # ... a semicolon after the bracket's opening does
    assert _clause_end(text, text.index("Zentrum")) == text.index("; DLR")
