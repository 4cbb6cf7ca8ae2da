"""Where registry aliases stand in a text: one compiled pattern an alias, found fast.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_sensors``): every alias of
the sensor registry as a regex (its exact case where it is an ordinary word or a short acronym),
grouped by its first token, and the fast paths that try only the aliases a text can hold.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .._regex import lowered, trie_pattern
from ..sensors import Sensor, normalize_name
from ..sensors._registry import alias_table

#: Aliases that are ordinary words or short acronyms: matched only with their exact case.
_CASE_SENSITIVE_WORDS = {
    "terra",
    "aqua",
    "dove",
    "aster",
    "hyperion",
    "daichi",
    "himawari",
    "meteosat",
    "aura",
    "pace",
    "emit",
    "karin",
    "capella",
    "ceres",
    "proba",
    "umbra",
    "venus",
}

#: Acronyms whose title case is a word or a name ("Atlas Mountains", "Chris", "Grace", the
#: Polish "proba", the Spanish "prisma" and "miras"): the others are matched in title case
#: too, as the BBC and the Guardian write a pronounceable acronym ("Nasa", "Iceye", "Modis").
_WORDS_IN_TITLE_CASE = frozenset(
    "aster atlas chris ceres grace proba prisma nisar theos miras aladin calipso".split()
)

#: A derived spelling with a satellite's letter apart from its number ("sentinel 1 a").
_SPLIT_LETTER = re.compile(r".*[a-z] \d{1,2} [a-d]")

#: The last word of a name of several words that a plural or a German genitive ends with "s":
#: "two Geostationary Operational Environmental Satellites", "des Advanced Land Imagers".
_PLURAL_WORD = re.compile(r"[a-z]{3,}[^s\W\d]")

#: An alias token as far as it goes (ASCII; the next character tells whether that is all).
_TOKEN = re.compile(r"[A-Za-z0-9+]*")
#: What may stand between two tokens of an alias: spaces, punctuation, and the typographic
#: dashes word processors put for a hyphen ("Himawari – 8", "Sentinel‑2": en dash, U+2011).
_GAP = r"[\s\-_/.()'\u2019\u2010-\u2013]*"


def originals_of(alias: str, sensor: Sensor) -> list[str]:
    """The spellings of a sensor's name and aliases that normalise to ``alias``.

    The key ("smap", "trmm") is an identifier, not one of them; a derived spelling has none.
    """
    return [a for a in (sensor.name, *sensor.aliases) if normalize_name(a) == alias]


#: A satellite's number and letter as one token ("1a", "2b").
_NUMBER_LETTER = re.compile(r"(\d{1,2})([a-d])")


def _token(token: str) -> str:
    """A token's pattern; a number and letter also apart, the letter then in capitals.

    "SENTINEL 1-A", "CBERS-4 A" are Sentinel-1A and CBERS-4A; "Sentinel-2 a week later" is not.
    """
    split = _NUMBER_LETTER.fullmatch(token)
    if split is None:
        return re.escape(token)
    return rf"{split[1]}(?:{split[2]}|(?-i:[\s\-]{split[2].upper()}))"


def _chunks(token: str) -> tuple[str, ...]:
    """A token's parts a gap may stand between: a number and its letter ("2a": "2-A")."""
    split = _NUMBER_LETTER.fullmatch(token)
    return (split[1], split[2]) if split else (token,)


@functools.cache
def alias_patterns() -> dict[str, list[tuple[re.Pattern[str], Sensor, str]]]:
    """Alias regexes grouped by their first normalised token, longest alias first.

    Each comes with its second token, lowercased (``""`` for one of one token): the pattern
    can match only where the text goes on with it (see :func:`next_words`).
    """
    return _compiled()[0]


#: The most words a first token's aliases may need for it to be skipped where all are absent
#: (each absent one is a search of the whole text; a skipped token saves its own search).
_NEEDS = 2


@functools.cache
def token_needs() -> dict[bytes, frozenset[bytes]]:
    """First tokens none of whose aliases can match in a text that lacks all their words.

    For each alias, the longest of its literal words past the first ("troposphere" for
    "measurements of pollution in the troposphere"), lowercased: a match holds it, in some
    case, so the lowercased text does. A token with an alias of no such word is not here.
    """
    return _compiled()[1]


@functools.cache
def _compiled() -> tuple[
    dict[str, list[tuple[re.Pattern[str], Sensor, str]]],
    dict[bytes, frozenset[bytes]],
    dict[str, list[tuple[str, ...] | None]],
]:
    groups: dict[str, list[tuple[int, re.Pattern[str], Sensor, str, tuple[str, ...] | None]]] = {}
    needs: dict[str, set[str] | None] = {}
    for alias, sensor in alias_table().items():
        tokens = alias.split()
        if not tokens or not alias.isascii():
            continue  # (names in kana, CJK or Hangul: ``_sensor_native`` finds them)
        if not originals_of(alias, sensor) and _SPLIT_LETTER.fullmatch(alias):
            continue  # a derived "sentinel 1 a": the "sentinel 1a" pattern finds "Sentinel 1-A"
        body = _GAP.join(_token(t) + r"(?:['\u2019]s)?" for t in tokens)
        words = [t for t in tokens if not _NUMBER_LETTER.fullmatch(t)]  # ("2a": "2-A" too)
        chunks: tuple[str, ...] | None = tuple(c for t in tokens[1:] for c in _chunks(t))
        if len(tokens) > 1 and _PLURAL_WORD.fullmatch(tokens[-1]):
            # (in title case only: "thermal infrared sensors" describe, they do not name)
            body += rf"(?:(?<=(?-i:{tokens[-1][0].upper()}{tokens[-1][1:]}))s)?"
        second = tokens[1] if len(tokens) > 1 and _TOKEN.fullmatch(tokens[1]) else ""
        if split := _NUMBER_LETTER.fullmatch(second):
            second = split[1]  # ("Sentinel 1-A": the text's next word is "1")
        # the spellings texts use: the key ("smap", "trmm") is an identifier, not one of them
        originals = originals_of(alias, sensor)
        # an acronym only ever spelled in capitals ("CHRIS", "ATLAS"): "Chris Larsen", the "Atlas
        # fire" are not it, a gallery's lower-case field value ("Satellite Sensor viirs") is
        acronym = len(tokens) == 1 and bool(originals) and all(a.isupper() for a in originals)
        exact = len(alias) <= 4 or alias in _CASE_SENSITIVE_WORDS or acronym
        if exact and originals:
            spelled = sorted(originals, key=len)[0]
            words = [t.lower() for t in re.findall(r"[A-Za-z0-9+]+", spelled)]
            parts = [re.escape(t) for t in re.findall(r"[A-Za-z0-9+]+", spelled)]
            body = r"[\s\-_/.()]*".join(parts)
            # (a spelling split otherwise than the alias is tried everywhere)
            same_split = len(parts) > 1 and parts[0].lower() == tokens[0]
            second = parts[1].lower() if same_split else ""
            chunks = tuple(words[1:]) if words[0] == tokens[0] else None
            if acronym and len(alias) > 4:
                body = rf"{body}|{body.lower()}"
                if alias not in _WORDS_IN_TITLE_CASE:  # "Iceye's spacecraft", "Modis"
                    body = rf"{body}|{body.capitalize()}"
        flags = 0 if exact else re.IGNORECASE
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+])", flags)
        groups.setdefault(tokens[0], []).append((len(alias), pattern, sensor, second, chunks))
        word = max((w for w in words if w != tokens[0]), key=len, default=None)
        known = needs.setdefault(tokens[0], set())
        needs[tokens[0]] = None if known is None or word is None else known | {word}
    ordered = {k: sorted(v, key=lambda x: -x[0]) for k, v in groups.items()}
    patterns = {k: [(p, s, second) for _, p, s, second, _ in v] for k, v in ordered.items()}
    streams = {k: [chunks for *_, chunks in v] for k, v in ordered.items()}
    needed = {
        token.encode(): frozenset(w.encode() for w in words if not any(o in w for o in words - {w}))
        for token, words in needs.items()
        if words is not None
    }
    gated = {token: words for token, words in needed.items() if len(words) <= _NEEDS}
    return patterns, gated, streams


@functools.cache
def first_tokens() -> re.Pattern[str]:
    """Where an alias may start: any alias's first token, as a word, in any case."""
    body = trie_pattern(sorted(alias_patterns()))
    return re.compile(rf"(?<![A-Za-z0-9+])(?:{body})(?![A-Za-z0-9+])", re.IGNORECASE)


#: Bytes that cannot be part of an alias token ([a-z0-9+]), as spaces.
_SEPARATE = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789+" else 32 for c in range(256))


@functools.cache
def _first_token_words() -> frozenset[bytes]:
    """The first token of every alias, as ASCII bytes."""
    return frozenset(token.encode() for token in alias_patterns())


@functools.cache
def _token_words_and(extra: frozenset[bytes]) -> frozenset[bytes]:
    return _first_token_words() | extra


def first_token_spans(
    text: str, extra: frozenset[bytes] = frozenset(), *, matchable: bool = False
) -> list[tuple[int, int, str]]:
    """Each match of :func:`first_tokens` in ``text``: its span and its lowercased words.

    Alias tokens are ASCII [a-z0-9+] words: in the lowercased text, every other character made
    a space, a token matches where it stands as a whole word. Splitting that and looking the
    words up is 2x faster than ``re`` trying the tokens' trie after every separator.

    ``extra`` (lowercase ASCII words) are found as tokens too, where the text's lowercase is
    safe to split (``lowered`` is not None); not by the pattern read otherwise. Where
    ``matchable``, there a token none of whose aliases can match (:func:`token_needs`) is left
    out, unless one of ``extra``.
    """
    low = lowered(text)
    if low is None:
        return [(t.start(), t.end(), t.group(0).lower()) for t in first_tokens().finditer(text)]
    words = low.encode("ascii", "replace").translate(_SEPARATE)  # one byte a character
    padded = b" " + words + b" "
    spans: list[tuple[int, int, str]] = []
    known = _token_words_and(extra) if extra else _first_token_words()
    needs = token_needs() if matchable else {}
    for word in known.intersection(words.split()):
        need = needs.get(word)
        if need and not any(n in words for n in need) and word not in extra:
            continue  # ("measurements" without "troposphere")
        needle, token, size = b" " + word + b" ", word.decode(), len(word)
        found = padded.find(needle)
        while found >= 0:  # the word starts at found + 1 in padded: at found in the text
            spans.append((found, found + size, token))
            found = padded.find(needle, found + size + 1)
    return sorted(spans)


#: What the alias patterns allow between two tokens, then the next token as far as it goes.
_NEXT_TOKEN = re.compile(_GAP + r"([A-Za-z0-9+]*)")


def next_words(text: str, token_end: int) -> tuple[str | None, ...]:
    """The words an alias's second token must open, its first one ending at ``token_end``.

    The word past the characters the patterns allow between tokens, and past a possessive
    "'s" and them (a superset of where any pattern can go on), lowercased; None for one that
    runs into a non-ASCII character (which ``re.IGNORECASE`` may match to an ASCII one).
    """
    starts = (
        (token_end, token_end + 2) if text[token_end : token_end + 1] in ("'", "\u2019") else ()
    )
    words: list[str | None] = []
    for start in starts or (token_end,):
        found = _NEXT_TOKEN.match(text, start)
        assert found is not None  # (it matches the empty string)
        after = text[found.end() : found.end() + 1]
        words.append(None if after > "\x7f" else found.group(1).lower())
    return tuple(words)


#: Aliases of one first token tried one by one without looking at the next word first.
FEW = 4


@functools.lru_cache(maxsize=4096)
def candidates_after(
    token: str, words: tuple[str | None, ...]
) -> list[tuple[re.Pattern[str], Sensor, str]]:
    """The patterns of ``token``'s aliases whose second token may open one of ``words``."""
    return [
        (pattern, sensor, second)
        for pattern, sensor, second in alias_patterns()[token]
        if not second or any(w is None or w.startswith(second) for w in words)
    ]


#: The characters between two alias tokens, apostrophes aside (they may open a possessive).
_GAP_ONLY = r"[\s\-_/.()\u2010-\u2013]*"
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9+]+")


def candidates_at(
    text: str, token: str, token_end: int
) -> list[tuple[re.Pattern[str], Sensor, str]]:
    """The patterns of ``token``'s aliases that may match where it ends at ``token_end``.

    An alias's tokens past the first, run together ("sentinel2" for "copernicus sentinel 2"),
    must open what follows in the text with the characters between tokens dropped
    ("-2 mission": "2mission"). Where what follows the longest such opening of any alias is
    an apostrophe (a possessive "'s" may stand between tokens) or a non-ASCII character
    (``re.IGNORECASE`` may match it to an ASCII one), the next word tells instead
    (:func:`candidates_after`).
    """
    opening = _openings(token).match(text, token_end)
    assert opening is not None  # (it matches the empty string)
    after = text[opening.end() : opening.end() + 1]
    if after == "'" or after > "\x7f":
        return candidates_after(token, next_words(text, token_end))
    return _opening(token, opening.group().lower())


@functools.cache
def _openings(token: str) -> re.Pattern[str]:
    """The longest opening of any of ``token``'s aliases' streams, then the gap after it.

    A trie of the streams' letters (in either case: no ``re.IGNORECASE``, which would take
    a non-ASCII character for an ASCII one), every node optional, a gap allowed before a
    letter where an alias's token (or a number's letter) starts there.
    """
    trie: dict[str, Any] = {}
    for chunks in _compiled()[2][token]:
        node = trie
        for chunk in chunks or ():
            for i, char in enumerate(chunk):
                node.setdefault(char, [{}, False])[1] |= i == 0
                node = node[char][0]

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (_GAP_ONLY if gap else "")
            + (f"[{char}{char.upper()}]" if char.isalpha() else re.escape(char))
            + emit(child)
            for char, (child, gap) in sorted(node.items())
        ]
        return f"(?:{'|'.join(branches)})?" if branches else ""

    return re.compile(emit(trie) + _GAP_ONLY)


@functools.lru_cache(maxsize=4096)
def _opening(token: str, opening: str) -> list[tuple[re.Pattern[str], Sensor, str]]:
    """The patterns of ``token``'s aliases whose stream ``opening`` (lowercased) opens."""
    known = _NOT_TOKEN.sub("", opening)
    return [
        candidate
        for candidate, chunks in zip(alias_patterns()[token], _compiled()[2][token], strict=True)
        if chunks is None or known.startswith("".join(chunks))
    ]
