"""Speed rewrites of the sensor and place stages match exactly what they replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaia_geo._regex import finditer, lowered
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.collect._extract_sensors import _SERIES, _SERIES_TOKENS, _SERIES_WORDS
from gaia_geo.collect._sensor_aliases import first_token_spans

LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

#: Series of our own: plurals, case, glued and accented neighbours, "+" before a family.
SENTENCES = [
    "Landsats 7 and 8 imaged it; LANDSAT 5 and 7 did not, nor did landsat 4 and 5.",
    "GOES-16 and -17, Sentinel-1A and B, Sentinel 2 A y B, Meteosat-10, 12:00 UTC.",
    "xLandsat 7 and 8, éLandsat 7 and 8, _Sentinel 1 and 2, NOAAs 18 and 19 (NOAA-20/21).",
    "SPOT 6 and 7 were tasked; WorldView-2 and 3; Himawari-8 & 9; Spots 1 et 2.",
    "Data from +Landsat 8 and 9 (a+Sentinel 1 and 2).",
    "İ Landsat 8 and 9, ſ, K: the Kelvin sign and Sentinel-2A and B.",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    dev = [a.text for a in load_labelled_articles(LABELLED) if a.split == "dev"]
    return SENTENCES + dev


def test_series_found_at_family_tokens_as_by_the_scan(texts: list[str]) -> None:
    tried = differ = 0
    for text in texts:
        if "+" in text or lowered(text) is None:
            continue  # (``find_sensors`` scans these)
        tried += 1
        spans = first_token_spans(text, _SERIES_WORDS)
        fast = [
            m.span()
            for start, _, token in spans
            if token in _SERIES_TOKENS and (m := _SERIES.match(text, start)) is not None
        ]
        differ += fast != [m.span() for m in finditer(_SERIES, text)]
    assert tried > len(SENTENCES) and differ == 0


def test_extra_words_leave_the_alias_tokens_alone(texts: list[str]) -> None:
    differ = 0
    for text in texts:
        plain = first_token_spans(text)
        extended = first_token_spans(text, _SERIES_WORDS)
        differ += [s for s in extended if s[2] not in _SERIES_TOKENS or s in plain] != plain
    assert differ == 0
