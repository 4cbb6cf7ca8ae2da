"""The fast scanning helpers find exactly what the plain ``re`` patterns find."""

from __future__ import annotations

import random
import re

import pytest

from gaia_geo._regex import CaselessPattern, _word_starts, finditer, lowered
from gaia_geo.collect import _date_formats, _date_scan, _extract_places, _extract_sensors

#: Pieces that exercise case, word boundaries, digits and the characters that case folding
#: treats apart ("İ", "ı", "ſ", the Kelvin sign).
_PIECES = [
    "Landsat", "LANDSAT", "landsat", "Sentinel-2B", "MODIS", "Terra", "s", "S-NPP", "NASA's", " ",
    " ", " ", ", ", ". ", "\n", ";", "(", ")", "-", "/", "acquired", "ACQUIRED", "Image", "images",
    "the same day", "Date Acquired:", "by Jane Doe |", "(left)", "left:", "on", "of", "in", "March",
    "Mar.", "3", "12", "2019", "1999", "20190703", "x", "É", "é", "İ", "ı", "ſ", "\u212a", "ß",
    "U.S.", "U.K.", "Cairo", "McDonald", "'", "–", "_", "Landsats 7 and 8", "GOES-16 and -17",
]  # fmt: skip


def _texts(seed: int, count: int = 400) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_PIECES, k=rng.randint(0, 25))) for _ in range(count)]


def _spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


#: Patterns of the kinds the rules write: word lists, labels ending at the date, and others.
_SOURCES = [
    r"\b(?P<strong>acquired|taken)\b|\b(?P<weak>images?|data)\b",
    r"(?:date acquired|\bdate|acquired)\s*[:\-]?\s*$",
    r"by [a-z][\w.]+(?: [a-z][\w.]+)* \|",
    r"[^.;]{0,40}?\b(was launched|similar)\b",
    r"\b(?:the same day|that day)\b",
    r"\bs\b|k|i",
]


@pytest.mark.parametrize("source", _SOURCES)
def test_caseless_pattern_matches_like_ignorecase(source: str) -> None:
    fast, plain = CaselessPattern(source), re.compile(source, re.IGNORECASE)
    for text in _texts(1):
        bounds = ((0, len(text)), (3, len(text) - 2), (5, 4), (-1, 10**6), (1, 99), (8, 9))
        for pos, endpos in bounds:
            assert _spans(fast.finditer(text, pos, endpos)) == _spans(
                plain.finditer(text, pos, endpos)
            )
            found, expected = fast.search(text, pos, endpos), plain.search(text, pos, endpos)
            assert (found and found.span()) == (expected and expected.span())
            found, expected = fast.match(text, pos, endpos), plain.match(text, pos, endpos)
            assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("source", _SOURCES)
def test_caseless_pattern_lowered_matches_like_ignorecase_in_lowercase(source: str) -> None:
    fast, plain = CaselessPattern(source), re.compile(source, re.IGNORECASE)

    def lower(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(span, {k: v and v.lower() for k, v in g.items()}) for span, g in _spans(matches)]

    for text in _texts(8):
        for pos, endpos in ((0, len(text)), (3, len(text) - 2), (5, 4), (-1, 10**6), (8, 9)):
            expected = lower(plain.finditer(text, pos, endpos))
            assert lower(fast.finditer_lowered(text, pos, endpos)) == expected, (text, pos)
            found = fast.search_lowered(text, pos, endpos)
            assert lower([found] if found else []) == expected[:1], (text, pos)


@pytest.mark.parametrize("source", [r"\bRGB\b", r"(?i:rgb)", r"\x41", r"caf\u00e9", "café"])
def test_caseless_pattern_refuses_cased_sources(source: str) -> None:
    with pytest.raises(ValueError, match="write it in lowercase ASCII"):
        CaselessPattern(source)


def test_lowered_gives_none_where_folding_differs() -> None:
    assert lowered("Landsat İzmir") is None
    assert lowered("Strasse \u212a") is None
    assert lowered("Landsat Évora") == "landsat évora"


def test_finditer_matches_like_re_for_word_boundary_patterns() -> None:
    patterns = [p for p, _ in _date_formats._PATTERNS] + [
        _extract_sensors._SERIES,
        re.compile(r"\bJan\w*|Feb"),  # a top-level alternative without the boundary
        re.compile(r"\b[0-3]?\d\b"),  # an optional first element: plain re.finditer
        re.compile(r"\b(?:t 8|8)"),  # "Landsat 8": "t 8" lacks the boundary, "8" inside it has it
        re.compile(r"\b(?P<d>[0-3]?\d)(?: [a-z]+)?"),  # found from its second character
        re.compile(r"\b(?:[01]?\d)+ (?:and|of)"),  # a repeated group: not shortened
    ]
    for pattern in patterns:
        for text in [*_texts(2), "Landsat 8", "0101 and 12 of 3"]:
            for pos, endpos in ((0, len(text)), (4, len(text) - 3)):
                assert _spans(finditer(pattern, text, pos, endpos)) == _spans(
                    pattern.finditer(text, pos, endpos)
                ), (pattern.pattern, text)


def test_first_alias_tokens_match_the_case_insensitive_scan() -> None:
    texts = _texts(3) + ["", "s", "landsat", "Landsat landsat,LANDSAT", "Sentinel-2B and s-npp"]
    texts += ["ſentinel İ landsat", "Terra’s MODIS", "landsat\u00e9 modis"]
    for text in texts:
        expected = [
            (t.start(), t.end(), t.group(0).lower())
            for t in _extract_sensors._first_tokens().finditer(text)
        ]
        assert list(_extract_sensors._first_token_spans(text)) == expected, text


def test_date_anchor_and_place_candidates_match_their_plain_forms() -> None:
    anchor = re.compile(
        r"(?:J(?:an|u[nl])|Feb|Ma[ry]|A(?:pr|ug)|Sep|Oct|Nov|Dec)"
        r"|(?<!\d)(?:19[5-9]|20\d)\d(?:\d{4})?(?!\d)"
        r"|(?<=\d)/[0-3]?\d/\d\d(?![/\d])"
    )
    capital = _extract_places._CAPITAL  # (ASCII and accented capitals: "Österreich")
    candidate = re.compile(
        rf"(?:\bU\.[SK]\.(?:A\.)?|\b[{capital}][a-zA-Z\u00C0-\u017F'\-]+)"
        r"(?:[ \t]+(?:(?:de|da|do|del|la|le|al|el|of)[ \t]+)?"
        rf"[{capital}][a-zA-Z\u00C0-\u017F'\-]+){{0,3}}"
    )
    for text in _texts(4) + ["119991231 2019 x2019 ١2019", "(17/05/04) 3/12/2019 a/12/12"]:
        assert _spans(_date_scan._ANCHOR.finditer(text)) == _spans(anchor.finditer(text)), text
        assert _spans(_extract_places._PLACE_CANDIDATE.finditer(text)) == _spans(
            candidate.finditer(text)
        ), text


def test_word_starts_of_word_lists() -> None:
    assert _word_starts(r"\b(?P<a>images?|launch(?:ed|es)?)\b|\b(?:passed over)\b") == [
        "image",
        "launch",
        "passed over",
    ]
    assert _word_starts(r"\bdate|acquired") is None  # an alternative without \b
    assert _word_starts(r"\b(?:a|b)?c") is None  # an optional group
    assert _word_starts(r"\b(?:\w+|x)") is None  # an entry that is not a word


def test_date_patterns_tried_at_their_openings_match_like_finditer() -> None:
    assert sum(o is not None for o in _date_formats._PATTERN_STARTS) >= 15  # the openings are found
    extra = [
        "in early 2019 and - 2017",
        "This 2019 Landsat image",
        "Copernicus data (2019)",
        "in March 2019, of Mar. 3 and 12-14 March, from 1999 to 2019, 3rd of May, 12/3/2019",
        "in mid-2019, – late 2018, the 2001 image, until Dec. 5-6",
    ]
    for text in _texts(5) + _texts(6) + extra:
        for pattern, _, finder in _date_formats._PLAN:
            if finder is None:
                continue
            for lo, hi in ((0, len(text)), (len(text) // 3, len(text) - 2)):
                places = _date_scan._starts(finder, text, lo, hi)
                tried = _date_scan._matches_at(pattern, text, hi, places)
                assert _spans(tried) == _spans(pattern.finditer(text, lo, hi)), (text, lo, hi)


def _plain_windows(text: str) -> list[tuple[int, int]]:
    """Each anchor's span, widened by 30 characters to the spaces either side; overlaps merged."""
    windows: list[tuple[int, int]] = []
    for anchor in _date_scan._ANCHOR.finditer(text):
        lo = max(0, text.rfind(" ", 0, max(0, anchor.start() - 30)))
        hi = text.find(" ", min(len(text), anchor.end() + 30))
        hi = len(text) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def test_date_matches_are_the_patterns_in_turn_over_each_window() -> None:
    extra = ["in early 2019 and - 2017", "This 2019 Landsat image", "Copernicus data (2019)"]
    long = [" ".join(_texts(9, 240)[i : i + 8]) for i in range(0, 240, 8)]  # several windows
    for text in _texts(5) + _texts(6) + extra + long:
        windows = _date_scan._windows(text)
        assert windows == _plain_windows(text)
        assert all(a[1] < b[0] for a, b in zip(windows, windows[1:], strict=False))  # disjoint
        plain: list[tuple[tuple[int, int], str]] = []
        taken: set[int] = set()
        for pattern, kind in _date_formats._PATTERNS:  # pattern by pattern, earlier wins
            for lo, hi in windows:
                for match in pattern.finditer(text, lo, hi):
                    if not taken.intersection(range(*match.span())):
                        taken.update(range(*match.span()))
                        plain.append((match.span(), kind))
        found = [(m.span(), kind) for m, kind in _date_scan.date_matches(text)]
        assert found == sorted(plain), text


def test_place_memo_gives_the_same_places_in_any_order() -> None:
    tail = " Cairo, Egypt. The Indonesian coastline. Scientists near Paris"
    texts = [t + tail for t in _texts(7, 60)]
    cold = []
    for text in texts:  # each with an empty memo
        _extract_places._NO_PLACE = (None, set())
        cold.append(_extract_places.find_places(text, []))
    warm = [_extract_places.find_places(t, []) for t in reversed(texts)][::-1]
    assert warm == cold
    assert "Scientists" in _extract_places._NO_PLACE[1]
    assert len(_extract_places._NO_PLACE[1]) <= _extract_places._NO_PLACE_MAX
