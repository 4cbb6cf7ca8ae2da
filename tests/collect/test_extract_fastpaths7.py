"""The fifth speed pass's shortcuts in the date rules find what the plain scans find."""

from __future__ import annotations

import random
from pathlib import Path

from gaia_geo.collect import _date_clause
from gaia_geo.collect._extract_score import load_labelled_articles

LABELLED = Path(__file__).parents[1] / "data" / "real" / "articles.jsonl"

#: Pieces that exercise every branch of a clause end: sentence ends after abbreviations, a
#: comma before "which" (across a line break), semicolons, question marks, line breaks.
_PIECES = [
    "acquired", "image", "Landsat 8", " ", " ", " ", ", ", ". ", ".", ";", "!", "?", "\n", ",",
    ", which", ",\n which", ", but", ",  although", "whereas", "Oct.", "a.m.", "U.S.", "St.",
    "Mt.", "No.", "Sept.", ".\n", "x" * 40, "on", "3", "March 2019", "(", ")", "é", "İ",
]  # fmt: skip


def _plain_clause_start(text: str, begin: int) -> int:
    """The end of the last clause end in the 300 characters before ``begin``, scanned in full."""
    start = max(0, begin - 300)
    for match in _date_clause._CLAUSE_END.finditer(text, start, begin):
        start = match.end()
    return start


def test_clause_start_is_the_end_of_the_last_clause_end_before_the_date() -> None:
    rng = random.Random(7)
    texts = ["".join(rng.choices(_PIECES, k=rng.randint(0, 80))) for _ in range(3000)]
    texts += [a.text for a in load_labelled_articles(LABELLED)[:200]]
    texts += ["Oct. 5", "ends here.", "ends here.2019", "x, which", "a;b", "The image.\n"]
    checked = 0
    for text in texts:
        for begin in {0, len(text), *rng.sample(range(len(text) + 1), min(len(text) + 1, 12))}:
            assert _date_clause._clause_start(text, begin) == _plain_clause_start(text, begin), (
                text,
                begin,
            )
            checked += 1
    assert checked > 30_000


def test_clause_start_scans_only_after_the_last_sentence_end() -> None:
    text = "First. Second, third; acquired, which was then on 3 March 2019"
    begin = text.index("on 3")
    assert _date_clause._clause_start(text, begin) == text.index(" was")  # after ", which"
    text = "First. Second, third; acquired then on 3 March 2019"
    assert _date_clause._clause_start(text, text.index("on 3")) == text.index(" acquired")
    no_end = "x" * 50 + ", which was seen on 3 March"
    begin = no_end.index("on 3")
    assert _date_clause._clause_start(no_end, begin) == no_end.index(" was")  # the whole scan
    assert _date_clause._clause_start("The image.", 10) == 10  # a period just before the date
