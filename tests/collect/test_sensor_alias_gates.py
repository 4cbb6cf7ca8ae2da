"""The alias gates of ``find_sensors`` leave out only aliases that cannot match."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from gaia_geo.collect import _sensor_aliases
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.collect._extract_sensors import _SERIES_WORDS
from gaia_geo.sensors import Sensor

LABELLED = Path(__file__).resolve().parents[1] / "data" / "real" / "articles.jsonl"

#: Pieces around the aliases of first words shared by many and of words whose aliases need
#: others: gaps, possessives, glued tokens, case, and the characters case folding treats apart.
PIECES = [
    "Copernicus", "COPERNICUS", "copernicus", "Sentinel", "SENTINEL", "Sentinelle", "Landsat",
    "NOAA", "GOES", "Meteosat", "measurements", "Measurements of", "pollution", "in the",
    "troposphere", "TROPOSPHERE", "mission", "first", "satellite", "Operational Land Imager",
    "OLI", "-", " ", "  ", "\n", "\u00a0", "'s ", "\u2019s", "'", "(", ")", "/", ".", "_",
    ",", "\u2013", "1", "2", "2A", "2a", "5P", "Precursor", "8", "9", "16", "-A", " B", "C",
    "ſ", "\u212a", "İ", "é", "+", "and", "image", "data",
]  # fmt: skip


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rng = random.Random(18)
    made = ["".join(rng.choices(PIECES, k=rng.randint(1, 14))) for _ in range(4000)]
    dev = [a.text for a in load_labelled_articles(LABELLED) if a.split == "dev"]
    return made + dev + [t.upper() for t in dev[:100]] + [t.swapcase() for t in dev[:100]]


def _best(
    text: str, start: int, candidates: list[tuple[re.Pattern[str], Sensor, str]]
) -> tuple[tuple[int, int], str] | None:
    best: tuple[tuple[int, int], str] | None = None
    for pattern, sensor, _ in candidates:
        match = pattern.match(text, start)
        if match and (best is None or match.end() > best[0][1]):
            best = (match.span(), sensor.key)
    return best


def test_candidates_at_match_trying_every_alias(texts: list[str]) -> None:
    patterns = _sensor_aliases.alias_patterns()
    tried = found = 0
    for text in texts:
        for start, end, token in _sensor_aliases.first_token_spans(text):
            if len(patterns.get(token, ())) <= _sensor_aliases.FEW:
                continue
            fast = _best(text, start, _sensor_aliases.candidates_at(text, token, end))
            assert fast == _best(text, start, patterns[token]), (text, start)
            tried += 1
            found += fast is not None
    assert tried > 3000 and found > 1000


def test_matchable_spans_leave_out_tokens_no_alias_of_which_matches(texts: list[str]) -> None:
    patterns = _sensor_aliases.alias_patterns()
    left_out = 0
    for text in texts:
        every = _sensor_aliases.first_token_spans(text, _SERIES_WORDS)
        kept = _sensor_aliases.first_token_spans(text, _SERIES_WORDS, matchable=True)
        assert set(kept) <= set(every) and kept == sorted(kept)
        for start, _, token in set(every) - set(kept):
            assert token.encode() not in _SERIES_WORDS
            assert not any(p.search(text) for p, _, _ in patterns[token]), (text, start)
            left_out += 1
    assert left_out > 1000
