"""Where registry aliases stand in a text: one compiled pattern an alias, found fast.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_extract_sensors``): every alias of
the sensor registry as a regex (its exact case where it is an ordinary word or a short acronym),
grouped by its first token, and the fast paths that try only the aliases a text can hold.
"""

from __future__ import annotations

import functools
import re

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


@functools.cache
def alias_patterns() -> dict[str, list[tuple[re.Pattern[str], Sensor, str]]]:
    """Alias regexes grouped by their first normalised token, longest alias first.

    Each comes with its second token, lowercased (``""`` for one of one token): the pattern
    can match only where the text goes on with it (see :func:`next_words`).
    """
    groups: dict[str, list[tuple[int, re.Pattern[str], Sensor, str]]] = {}
    for alias, sensor in alias_table().items():
        tokens = alias.split()
        if not tokens or not alias.isascii():
            continue  # (names in kana, CJK or Hangul: ``_sensor_native`` finds them)
        if not originals_of(alias, sensor) and _SPLIT_LETTER.fullmatch(alias):
            continue  # a derived "sentinel 1 a": the "sentinel 1a" pattern finds "Sentinel 1-A"
        body = _GAP.join(_token(t) + r"(?:['\u2019]s)?" for t in tokens)
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
            parts = [re.escape(t) for t in re.findall(r"[A-Za-z0-9+]+", spelled)]
            body = r"[\s\-_/.()]*".join(parts)
            # (a spelling split otherwise than the alias is tried everywhere)
            same_split = len(parts) > 1 and parts[0].lower() == tokens[0]
            second = parts[1].lower() if same_split else ""
            if acronym and len(alias) > 4:
                body = rf"{body}|{body.lower()}"
                if alias not in _WORDS_IN_TITLE_CASE:  # "Iceye's spacecraft", "Modis"
                    body = rf"{body}|{body.capitalize()}"
        flags = 0 if exact else re.IGNORECASE
        pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+])", flags)
        groups.setdefault(tokens[0], []).append((len(alias), pattern, sensor, second))
    return {
        k: [(p, s, second) for _, p, s, second in sorted(v, key=lambda x: -x[0])]
        for k, v in groups.items()
    }


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
    text: str, extra: frozenset[bytes] = frozenset()
) -> list[tuple[int, int, str]]:
    """Each match of :func:`first_tokens` in ``text``: its span and its lowercased words.

    Alias tokens are ASCII [a-z0-9+] words: in the lowercased text, every other character made
    a space, a token matches where it stands as a whole word. Splitting that and looking the
    words up is 2x faster than ``re`` trying the tokens' trie after every separator.

    ``extra`` (lowercase ASCII words) are found as tokens too, where the text's lowercase is
    safe to split (``lowered`` is not None); not by the pattern read otherwise.
    """
    low = lowered(text)
    if low is None:
        return [(t.start(), t.end(), t.group(0).lower()) for t in first_tokens().finditer(text)]
    words = low.encode("ascii", "replace").translate(_SEPARATE)  # one byte a character
    padded = b" " + words + b" "
    spans: list[tuple[int, int, str]] = []
    known = _token_words_and(extra) if extra else _first_token_words()
    for word in known.intersection(words.split()):
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
