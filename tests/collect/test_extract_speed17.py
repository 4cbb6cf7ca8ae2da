"""Speed shortcuts of the date roles answer exactly as the tests and scans they skip."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from gaia_geo.collect import _dates
from gaia_geo.collect._date_cues import (
    IMAGE_DATED_BEFORE,
    IMAGE_OF_NAME_BEFORE,
    NAMES_IMAGE_AFTER,
    SIDE,
    image_dated_before,
)
from gaia_geo.collect._date_pictures import AFTER_DATE, WHEN_PICTURE_AFTER
from gaia_geo.collect._date_relative import add_relative_days, relative_days, resolve_anaphora
from gaia_geo.collect._date_scan import date_matches
from gaia_geo.collect._dates import find_dates
from gaia_geo.collect._extract_score import load_labelled_articles

LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

#: Sentences of our own: what follows a date, and image words before one, in any case.
SENTENCES = [
    "Acquired on June 1, 2019 (left) and July 2, 2019 (RIGHT), in 1975, when the picture on "
    "the left was taken, and in 2006, AS THE TOP SATELLITE IMAGE REVEALS.",
    "The August 17 and September 18 images; the October 4 ASTER image, 12 May (before).",
    "The image is from\t3 May 2021, the last scene was 4 May 2021; this photo\nfrom May 24th, "
    "the one on the right is from 5 May; a radar image of Mount Etna on 3 May 2021 ... "
    "images are dated 1 June 2020, the IMAGE WAS ON 2 June 2020, ſhared image iſ 3 June 2020",
    "Observations of 8 May 2020, an image from                                         "
    "          9 May 2020 after many spaces, and PHOTOGRAPHS ARE FROM 10 May 2020.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    dev = [a.text for a in load_labelled_articles(LABELLED) if a.split == "dev"]
    return SENTENCES + dev + [t.upper() for t in dev[:200]] + [t.swapcase() for t in dev[:200]]


def _first_after(text: str, at: int) -> str | None:
    """Which of the three patterns matches first at ``at``, in ``_classify``'s order."""
    for name, pattern in (
        ("side", SIDE),
        ("when", WHEN_PICTURE_AFTER),
        ("names", NAMES_IMAGE_AFTER),
    ):
        if pattern.match(text, at):
            return name
    return None


def test_after_date_names_the_first_pattern_that_matches(texts: list[str]) -> None:
    found: set[str | None] = set()
    count = 0
    for text in texts:
        ends = {m.end() for m, _ in date_matches(text)} | set(range(0, len(text), 7))
        for at in ends:
            after = AFTER_DATE.match(text, at)
            expected = _first_after(text, at)
            assert (after.lastgroup if after else None) == expected, at
            found.add(expected)
            count += 1
    assert count > 10000 and found == {None, "side", "when", "names"}


def _rest(text: str, begin: int) -> str | None:
    """The lowered, right-stripped 40 characters before a date, as ``_classify`` reads them."""
    before = text[max(0, begin - 40) : begin]
    return before.lower().rstrip() if before.isascii() else None


def test_image_dated_before_gate_refuses_only_what_the_patterns_refuse(
    texts: list[str],
) -> None:
    matched = refused = 0
    for text in texts:
        begins = {m.start() for m, _ in date_matches(text)} | set(range(0, len(text), 5))
        for begin in begins:
            gated = image_dated_before(text, begin, _rest(text, begin))
            assert gated == image_dated_before(text, begin), begin
            low = max(0, begin - 60)
            if IMAGE_DATED_BEFORE.search(text, low, begin) or IMAGE_OF_NAME_BEFORE.search(
                text, low, begin
            ):
                matched += 1
            refused += not gated
    assert matched > 20 and refused > 10000


def test_image_dated_before_gate_on_random_strings() -> None:
    pieces = ["image", " is", " was", " from", " ON", " dated", " of", " Etna", " ", "\t", "\n"]
    pieces += ["ſ", "iſ", "x", "on", "."]
    rng = random.Random(16)
    for _ in range(3000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 14))) + "3 May 2021"
        begin = len(text) - len("3 May 2021")
        assert image_dated_before(text, begin, _rest(text, begin)) == image_dated_before(
            text, begin
        ), begin


def test_relative_days_answers_as_its_two_steps(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    own = [
        "Landsat 8 acquired the image on 3 May 2021. Tonight the storm moves on; that night it "
        "rained. The same day, Terra took another. THE SAME DAY, AQUA DID. Two days later...",
        "MODIS imaged the smoke on Monday afternoon; the same date, one week later, this morning.",
        "Acquired on 2 June 2020, that DAY; photographed yesterday evening, the NIGHT before.",
    ]
    published = dt.date(2021, 5, 10)
    changed = 0
    # the dates before their relative days
    monkeypatch.setattr(_dates, "_relative_days", lambda: lambda text, found, published: found)
    for text in own + texts:
        found = find_dates(text, published)
        expected = add_relative_days(text, resolve_anaphora(text, found), published)
        assert relative_days(text, found, published) == expected
        changed += expected != found
    assert changed > 0
