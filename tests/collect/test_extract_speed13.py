"""Speed rewrites of the extraction rules (tenth pass) decide exactly as what they replace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gaia_geo.collect._extract_places import _QUALIFIER_GAP
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.collect._extract_sensors import (
    _NEGATIVE_AFTER,
    _TOOK,
    _sentence_bounds,
    find_sensors,
)
from gaia_geo.collect._sensor_aliases import first_token_spans, first_tokens
from gaia_geo.collect._sensor_context import describes_launch

#: The end of a word (a sensor's name ends at one).
_WORD_END = re.compile(r"\w\b")
LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

#: Sentences of our own: a launch clause after a comma (kept: the sentence's verb took the
#: picture), launches and comparisons that drop a mention, the same sentence twice.
OWN_TEXTS = [
    "The image was captured by the ASAR onboard the Envisat spacecraft, launched by ESA last "
    "March. Sentinel-2B, launched in 2017, carries a similar instrument.",
    "Landsat 9 was launched in September 2021; Landsat 8 acquired this image on 3 May 2022.",
    "Sentinel-1A, launched in 2014, imaged the flood. Terra, launched in 1999, and Aqua MODIS "
    "acquired these views.",
    "Higher resolution than MODIS, the OLI on Landsat 8 captured the scene. GOES-16 images (below)"
    " show the storm; Sentinel-2A, launched 2015",
    ", launched",
    "NOAA-20, launched",
]


def _texts() -> list[str]:
    articles = [a for a in load_labelled_articles(LABELLED) if a.split == "dev"]
    texts = list(OWN_TEXTS)
    for article in articles:
        texts += [article.text, article.text.upper(), article.text.lower()]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_describes_launch_needs_a_comma_before_its_word(texts: list[str]) -> None:
    # find_sensors looks for the verb before the name only after this test: never when
    # describes_launch would say yes
    tried = said_yes = 0
    for text in texts[::3] + texts[1:12:3]:  # (as written; a few in capitals)
        for start, end in _sentence_bounds(text):
            for word_end in _WORD_END.finditer(text, start, end):  # (where a name may end)
                at = word_end.end()
                after = _NEGATIVE_AFTER.match(text, at, end)
                if after is None:
                    continue
                tried += 1
                took = _TOOK.search(text, start, at)
                comma = "," in text[max(0, after.start(1) - 8) : after.start(1)]
                if describes_launch(text, after, took):
                    said_yes += 1
                    assert comma
                if not comma:
                    assert not describes_launch(text, after, took)
                    assert not describes_launch(text, after, after)  # (any verb found)
    assert tried > 500
    assert said_yes > 0


def test_sensors_of_own_sentences() -> None:
    # (what the code before this pass found: a launch clause after a comma keeps the sensor
    # that its sentence's verb says took the picture; "launched" with no such verb drops it)
    found = [[(m.key, m.weak, m.took) for m, _ in find_sensors(text)] for text in OWN_TEXTS]
    assert found == [
        [("envisat-asar", False, True), ("envisat-meris", False, True)],
        [("landsat-8-oli", False, True)],
        [("aqua-modis", False, True)],
        [("goes-16-abi", False, False)],
        [],
        [],
    ]


def test_qualifier_gap_as_the_slice_fullmatch() -> None:
    text = "Cairo, Egypt and Lima ,  Peru;Oslo,\n Norway"
    for start in range(len(text) + 1):
        for end in range(len(text) + 1):
            expected = re.fullmatch(r",\s*", text[start:end]) is not None
            assert (_QUALIFIER_GAP.fullmatch(text, start, end) is not None) == expected


def test_first_token_spans_as_the_token_pattern(texts: list[str]) -> None:
    for text in texts[:600]:
        expected = [(t.start(), t.end(), t.group(0).lower()) for t in first_tokens().finditer(text)]
        assert first_token_spans(text) == expected
