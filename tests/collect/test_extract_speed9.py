"""The sixth speed pass finds exactly what the code before it found."""

from __future__ import annotations

import random

from gaia_geo._regex import CaselessPattern
from gaia_geo.collect import _dates
from test_regex import _texts  # (tests/ is on the path)


def test_findall_lowered_is_the_list_of_finditer_lowered() -> None:
    patterns = [
        _dates._CUE,  # a word list after \b: matched where its words start
        CaselessPattern(r"\b(?P<strong>acquired|took(?! place))\b|\b(?P<neg>took place)\b"),
        CaselessPattern(r"(?:data|image)s?"),  # no word list: searched in the lowercase
    ]
    rng = random.Random(9)
    seen = 0
    for text in _texts(11) + _texts(12):
        for pattern in patterns:
            lo = rng.randint(0, len(text))
            for pos, endpos in ((0, len(text)), (lo, rng.randint(lo, len(text)))):
                got = pattern.findall_lowered(text, pos, endpos)
                want = list(pattern.finditer_lowered(text, pos, endpos))
                assert [(m.span(), m.groupdict()) for m in got] == [
                    (m.span(), m.groupdict()) for m in want
                ], (text, pos, endpos)
                seen += len(got)
    assert seen > 500  # the texts hold many matches
