"""The shortcuts of ``extract_metadata`` find exactly what their plain versions find."""

from __future__ import annotations

import random
import re
from pathlib import Path

from gaia_geo.collect import _place_context, _sensor_aliases
from gaia_geo.collect._extract_score import load_labelled_articles
from gaia_geo.sensors import Sensor

LABELLED = Path(__file__).parents[1] / "data" / "real" / "articles.jsonl"
#: Pieces around the aliases that share a first word, with the characters case folding treats
#: apart and the possessive between tokens.
_SENSOR_PIECES = [
    "Sentinel", "SENTINEL", "sentinel", "NOAA", "noaa", "GOES", "Meteosat", "Landsat", "Metop",
    "-", " ", "  ", "\n", "'s ", "\u2019s", "'", "(", ")", "/", ".", "_", "1", "2", "2A", "2a",
    "5P", "16", "19", "20", "-A", "B", "C", "8", "Precursor", "C-SAR", "OLI", "ſ", "\u212a", "é",
    "İ", "+", ",", "East", "and",
]  # fmt: skip


def _all_candidates(token: str) -> list[tuple[re.Pattern[str], Sensor]]:
    return [(pattern, sensor) for pattern, sensor, _ in _sensor_aliases.alias_patterns()[token]]


def _best(
    text: str, start: int, candidates: list[tuple[re.Pattern[str], Sensor]]
) -> tuple[tuple[int, int], str] | None:
    best: tuple[tuple[int, int], str] | None = None
    for pattern, sensor in candidates:
        match = pattern.match(text, start)
        if match and (best is None or match.end() > best[0][1]):
            best = (match.span(), sensor.key)
    return best


def test_alias_candidates_by_next_word_match_trying_every_alias() -> None:
    rng = random.Random(16)
    texts = ["".join(rng.choices(_SENSOR_PIECES, k=rng.randint(1, 12))) for _ in range(3000)]
    texts += [a.text for a in load_labelled_articles(LABELLED)]
    texts += ["Sentinel's 2A", "Sentinel\u2019s-2B", "NOAA-2\u212a", "Sentinel-5 Precursor"]
    tried = 0
    for text in texts:
        for start, end, token in _sensor_aliases.first_token_spans(text):
            if token not in _sensor_aliases.alias_patterns():
                continue
            words = _sensor_aliases.next_words(text, end)
            fast = _best(
                text, start, [c[:2] for c in _sensor_aliases.candidates_after(token, words)]
            )
            assert fast == _best(text, start, _all_candidates(token)), (text, start)
            tried += fast is not None
    assert tried > 1000  # the texts do name aliases


def test_storm_names_match_the_plain_scan() -> None:
    texts = [a.text for a in load_labelled_articles(LABELLED)]
    texts += ["Cyclone Nargis", "xCyclone Nargis", "Tropical  Storm Ida, Hurricane Ian.", "Storm"]
    named = 0
    for text in texts:
        plain = frozenset(m.group(1) for m in _place_context._STORM_NAME.finditer(text))
        assert _place_context.storm_names(text) == plain, text
        named += bool(plain)
    assert named > 5
