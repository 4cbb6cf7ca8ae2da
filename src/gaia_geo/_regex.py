r"""Regular expressions: the trie-shaped alternation for word lists, and faster scans.

``re`` jumps ahead only to a pattern's first literal or class; it tries a pattern that starts with
``\b``, a look-behind or a case-insensitive word list at every character. The scans here find
the same matches without that: :class:`CaselessPattern` and :func:`finditer`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``; of several matching at one position, the longest.

    The pattern is a trie (one branch per character, not one per word), so ``re`` tries a few
    branches at each position instead of every word: much faster for thousands of aliases.

    Example:
        >>> import re
        >>> re.fullmatch(trie_pattern(["landsat", "landsat 8"]), "landsat 8") is not None
        True
        >>> trie_pattern(["ab", "ac"])
        'a(?:b|c)'
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def emit(node: dict[str, Any]) -> str:
        # Siblings start with different characters, so at most one can match: trying the
        # longer continuation before stopping here is trying the longer word first.
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return group
        return f"(?:{group})?" if len(branches) == 1 else f"{group}?"

    return emit(trie)


#: Characters ``re.IGNORECASE`` matches to ASCII letters though ``str.lower()`` does not turn
#: them into those letters (or makes two characters of one): "İ", "ı", "ſ", the Kelvin sign.
FOLD_UNSAFE = "\u0130\u0131\u017f\u212a"
_FOLD_UNSAFE = re.compile(f"[{FOLD_UNSAFE}]")
#: What a caseless pattern may not hold (escapes and group names aside): an uppercase ASCII
#: letter, an escape that may name one, an inline flag.
_NOT_CASELESS = re.compile(r"\\[xuUN]|\(\?[aiLmsux-]|[A-Z]")
_ESCAPE_OR_NAME = re.compile(r"\\[^xuUN]|\(\?P<\w+>|\(\?P=\w+\)")
_last_lowered: tuple[str, str | None] = ("", "")


#: Characters that stand for themselves in a pattern, as the start of a word list entry.
_LITERAL = re.compile(r"[a-z0-9 '&\-]*")


def _split_top(source: str) -> tuple[list[str], int]:
    """``source`` cut at its top-level ``|``, up to the ``)`` that closes the level (its index)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:i])
    return parts, i


def _word_starts(source: str) -> list[str] | None:
    r"""Literal words every match of ``source`` starts with, after a ``\b``; None if unknown.

    Known for ``\b(?P<name>acquired|images?|...)\b|\b(...)`` (each alternative a ``\b``, then a
    group of word list entries or one entry): "acquired", "image".
    """
    starts = []
    for alternative in _split_top(source)[0]:
        if not alternative.startswith("\\b"):
            return None
        body = alternative[2:]
        opening = re.match(r"\((?:\?P<\w+>|\?:)?", body)
        entries = [body]
        if opening is not None:
            entries, close = _split_top(body[opening.end() :])
            if body[opening.end() + close + 1 : opening.end() + close + 2] in ("?", "*", "{"):
                return None
        for entry in entries:
            word = _LITERAL.match(entry).group(0)  # type: ignore[union-attr]
            if entry[len(word) : len(word) + 1] in ("?", "*", "{"):
                word = word[:-1]  # "images?": "image"
            if not word or not word[0].isalnum():
                return None
            starts.append(word)
    return starts


def lowered(text: str) -> str | None:
    """``text.lower()``, or None where case-insensitive and lowercase matching may differ.

    The answer for the last text is kept: the stages of one extraction ask about the same text.
    A short text (a slice before a date) is lowered again each time, keeping the long one.
    """
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1]
    low = text.lower() if text.isascii() or _FOLD_UNSAFE.search(text) is None else None
    if len(text) > 256:
        _last_lowered = (text, low)
    return low


class CaselessPattern:
    r"""``re.compile(source, re.IGNORECASE)``, searched case-sensitively in the lowercased text.

    With ``re.IGNORECASE``, ``re`` compares every character through its case tables and loses
    its fast paths (an alternation skips the words whose first letter differs): a word list is
    3-4x slower. This runs the same pattern over ``text.lower()`` (made once per text) and
    returns the case-insensitive pattern's own match where that found one, so callers see the
    same matches, groups and spans. A text with a character that lowercase and case-insensitive
    matching treat differently ("İ", "ı", "ſ", the Kelvin sign) goes to the case-insensitive
    pattern.

    Args:
        source: the pattern, in lowercase ASCII (escapes such as ``\b``, ``\S`` are fine;
            ``\x``/``\u`` escapes, inline flags and cased letters beyond ASCII are not).

    Raises:
        ValueError: if ``source`` is not of that form.

    Example:
        >>> CaselessPattern(r"\bimages?\b").search("Two IMAGES of Lisbon").span()
        (4, 10)
    """

    def __init__(self, source: str) -> None:
        plain = _ESCAPE_OR_NAME.sub("", source)
        bad = _NOT_CASELESS.search(plain)
        cased = [c for c in plain if not c.isascii() and c.lower() + c.upper() != c + c]
        if bad is not None or cased:
            what = bad.group(0) if bad is not None else cased[0]
            raise ValueError(
                f"caseless pattern {source!r} holds {what!r}: write it in lowercase ASCII, "
                r"without inline flags or \x, \u, \N escapes"
            )
        self.pattern = source
        self.caseless = re.compile(source, re.IGNORECASE)
        self._lowercase = re.compile(source)
        # a word list after \b: look only after a non-word character followed by one of its
        # words (re skips to such characters), not at every character
        starts = _word_starts(source)
        self._word_start = (
            None if starts is None else re.compile(rf"\W(?:{trie_pattern(sorted(set(starts)))})")
        )

    def _first(
        self, subject: str, low: str, pos: int, endpos: int, pattern: re.Pattern[str]
    ) -> re.Match[str] | None:
        """The first match of ``pattern`` in ``subject[pos:endpos]``, whose lowercase is ``low``.

        ``pattern`` is ``caseless`` (``subject`` the text) or ``_lowercase`` (``subject`` is
        ``low``). A word list is looked for in ``low`` and matched where its words start: the
        two patterns match alike there, so the one call decides.
        """
        if self._word_start is None:
            found = self._lowercase.search(low, pos, endpos)
            if found is None or pattern is self._lowercase:
                return found
            return pattern.match(subject, found.start(), endpos)
        if pos > 0:
            # a match starts a word after \b: after a non-word character, which the search
            # below finds from the one before pos (one call fewer than matching at pos first)
            found = None
            pos -= 1
        else:
            found = pattern.match(subject, pos, endpos)
        while found is None:
            candidate = self._word_start.search(low, pos, endpos)
            if candidate is None:
                return None
            pos = candidate.start() + 1
            found = pattern.match(subject, pos, endpos)
        return found

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """Like :meth:`re.Pattern.search`."""
        low = lowered(string)
        if low is None:
            return self.caseless.search(string, pos, endpos)
        return self._first(string, low, pos, endpos, self.caseless)

    def search_lowered(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        """:meth:`search`, matched in ``string.lower()``: the same span and groups, in lowercase.

        For callers that lowercase what they read of a match: a case-insensitive match of a
        long word list costs 2-3x a lowercase one.
        """
        low = lowered(string)
        if low is None:
            return self.caseless.search(string, pos, endpos)
        return self._first(low, low, pos, endpos, self._lowercase)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """Like :meth:`re.Pattern.match`."""
        low = lowered(string)
        if low is not None and self._lowercase.match(low, pos, endpos) is None:
            return None
        return self.caseless.match(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """Like :meth:`re.Pattern.finditer`."""
        return self._finditer(string, pos, endpos, in_lowercase=False)

    def finditer_lowered(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """:meth:`finditer`, matched in ``string.lower()`` (see :meth:`search_lowered`)."""
        return self._finditer(string, pos, endpos, in_lowercase=True)

    def findall_lowered(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> list[re.Match[str]]:
        """``list(self.finditer_lowered(...))`` in one loop (no generator, no call a match)."""
        low = lowered(string)
        if low is None or self._word_start is None:
            return list(self._finditer(string, pos, endpos, in_lowercase=True))
        match_at, next_word = self._lowercase.match, self._word_start.search
        found: list[re.Match[str]] = []
        while True:  # (the loop of ``_finditer`` over ``_first``)
            if pos > 0:
                match, pos = None, pos - 1
            else:
                match = match_at(low, pos, endpos)
            while match is None:
                candidate = next_word(low, pos, endpos)
                if candidate is None:
                    return found
                pos = candidate.start() + 1
                match = match_at(low, pos, endpos)
            found.append(match)
            pos = match.end()  # not empty: it holds a word

    def _finditer(
        self, string: str, pos: int, endpos: int, *, in_lowercase: bool
    ) -> Iterator[re.Match[str]]:
        low = lowered(string)
        if low is None:
            yield from self.caseless.finditer(string, pos, endpos)
            return
        if self._word_start is None:
            for found in self._lowercase.finditer(low, pos, endpos):
                match = (
                    found if in_lowercase else self.caseless.match(string, found.start(), endpos)
                )
                if match is not None:  # always: the two patterns match alike
                    yield match
            return
        subject, pattern = (low, self._lowercase) if in_lowercase else (string, self.caseless)
        while (match := self._first(subject, low, pos, endpos, pattern)) is not None:
            yield match
            pos = match.end()  # not empty: it holds a word


#: The start of a pattern body up to its first element, when that element is one character
#: ("(?P<d>[0-3]?\d)": "(?P<d>", "[0-3]") and whether it is optional ("?" alone) or may repeat.
_FIRST_ELEMENT = re.compile(
    r"(?P<open>(?:\((?:\?P<\w+>|\?:)?)*)(?P<char>\[(?:\\.|[^\]])*\]|\\.|[^\\(])"
    r"(?P<optional>\?(?![?+]))?(?P<repeat>[*{])?"
)


#: ``_without_leading_boundary`` of each pattern seen, by ``id`` (a compiled pattern's hash
#: hashes its whole program: slower than the lookup it would speed up).
_LOOSE: dict[int, tuple[re.Pattern[str], tuple[re.Pattern[str], int] | None]] = {}


def _loose(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], int] | None:
    known = _LOOSE.get(id(pattern))
    if known is None or known[0] is not pattern:
        if len(_LOOSE) >= 4096:  # patterns compiled on the fly: keep the memo small
            _LOOSE.clear()
        known = _LOOSE[id(pattern)] = (pattern, _without_leading_boundary(pattern))
    return known[1]


def _without_leading_boundary(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], int] | None:
    r"""``pattern`` less what keeps ``re`` from jumping to where it may match; how far before.

    That is the leading ``\b`` ("\b(?P<mon>Jan|...)" becomes "(?P<mon>Jan|...)", found where
    ``pattern`` is: 0 before), and an optional first character after it ("\b(?P<d>[0-3]?\d)"
    becomes "(?P<d>\d)", found where ``pattern`` is or 1 after it). None where neither works.
    """
    body = pattern.pattern
    if not body.startswith("\\b") or pattern.flags & re.VERBOSE:
        return None
    first = _FIRST_ELEMENT.match(body, 2)
    if first is None or first.group("repeat"):
        return None
    if first.group("optional"):
        end = first.end("open")
        for _ in range(first.group("open").count("(")):  # the groups it opens: not repeated
            end += _split_top(body[end:])[1] + 1
            if body[end : end + 1] in ("?", "*", "+", "{"):
                return None
        loose = body[2 : first.start("char")] + body[first.end() :]
        return re.compile(loose, pattern.flags), 1
    return re.compile(body[2:], pattern.flags), 0


def finditer(
    pattern: re.Pattern[str], string: str, pos: int = 0, endpos: int = sys.maxsize
) -> Iterator[re.Match[str]]:
    r"""``pattern.finditer(string, pos, endpos)``, faster for a pattern that starts with ``\b``.

    ``re`` tries such a pattern at every character. Without the ``\b`` (and an optional first
    character after it), a pattern that starts with a literal or a class
    ("\b(?P<mon>Jan|Feb|...)", "\b(?P<d>[0-3]?\d)") lets ``re`` jump from one possible first
    character to the next; ``pattern`` itself is then matched where that one matched (or just
    before), so the matches are the same. For patterns that never match an empty string.

    Example:
        >>> [m.group(0) for m in finditer(re.compile(r"\bJan\w*"), "Jan, XJan and January")]
        ['Jan', 'January']
    """
    loose = _loose(pattern)
    if loose is None:
        return pattern.finditer(string, pos, endpos)
    return _finditer_loose(pattern, *loose, string, pos, min(endpos, len(string)))


def _finditer_loose(
    pattern: re.Pattern[str],
    loose: re.Pattern[str],
    before: int,
    string: str,
    pos: int,
    endpos: int,
) -> Iterator[re.Match[str]]:
    while (candidate := loose.search(string, pos, endpos)) is not None:
        start = candidate.start()
        match = pattern.match(string, start - 1, endpos) if before and start > pos else None
        if match is None:
            match = pattern.match(string, start, endpos)
        if match is None:  # the word boundary (or the first character) was not there
            pos = start + 1
            continue
        yield match
        pos = max(match.end(), match.start() + 1)
