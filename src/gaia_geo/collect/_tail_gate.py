"""A cheap test that a string may end with a match of a pattern anchored at its end.

Used by ``_dates`` before the label patterns that end at a date ("Posted on", "Date acquired:"):
such a pattern, ``(?:word|word|...)`` then a known tail of spaces and optional marks then ``$``,
is searched for in the 40 characters before each date, and most dates follow "in" or "on",
which it does not end with. The words' literal endings are read from the pattern's source, so
a word added to the pattern is in the test too.
"""

from __future__ import annotations

import re

from ._date_cues import LABEL_BEFORE, PUBLICATION_BEFORE

#: A character of a pattern's source, or an escape ("\\b", "\\|").
_TOKEN = re.compile(r"\\.|.", re.DOTALL)
#: Tokens that stand for themselves: letters, digits, spaces, "&" and escaped marks.
_LITERAL = re.compile(r"[a-z0-9 &]|\\[^\w\s]")


def _literal_end(alternative: str) -> str:
    """What every match of ``alternative`` ends with: its last literal tokens, unescaped."""
    tokens = _TOKEN.findall(alternative)
    end = len(tokens)
    while end and _LITERAL.fullmatch(tokens[end - 1]):
        end -= 1
    return "".join(token[-1] for token in tokens[end:])


def _alternatives(body: str) -> list[str] | None:
    """The top-level alternatives of a pattern body, None if a bracket is left open."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a class: its "|" and brackets are characters
            i += 2 if body.startswith("^", i + 1) else 1
            i += 1 if body.startswith("]", i) else 0
            while i < len(body) and body[i] != "]":
                i += 2 if body[i] == "\\" else 1
            if i >= len(body):
                return None
            i += 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    return None if depth else [*parts, body[start:]]


class TailGate:
    r"""Whether an ASCII string may end with a match of ``(?:A|B|...)`` + ``tail``.

    The pattern is case-insensitive; ``tail`` is spaces, one optional mark of ``marks`` and
    spaces, then the end (``\s*(?:on|:)?\s*$``). The test says no only when the string,
    lowercased and without its trailing spaces (and one of ``marks`` with the spaces before it),
    ends with none of the alternatives' literal endings; otherwise, and for any string that is
    not ASCII or a pattern not of that form, it says yes.

    Args:
        source: the pattern's source.
        tail: the source of its tail.
        marks: the optional marks of the tail, lowercase.
    """

    def __init__(self, source: str, tail: str, marks: tuple[str, ...]) -> None:
        self.marks = marks
        self.endings: tuple[str, ...] | None = None
        if not (source.startswith("(?:") and source.endswith(")" + tail)):
            return
        alternatives = _alternatives(source[3 : -len(tail) - 1])
        endings = []
        for alternative in alternatives or ():
            ending = _literal_end(alternative).strip()
            if not ending:
                return
            endings.append(ending)
        if endings:
            self.endings = tuple(endings)

    def may_end(self, string: str) -> bool:
        """Whether ``string`` may end with a match (False: it surely does not)."""
        return self.may_end_lowered(string.lower().rstrip() if string.isascii() else None)

    def may_end_lowered(self, rest: str | None) -> bool:
        """:meth:`may_end` of an ASCII string given as ``string.lower().rstrip()``.

        ``rest`` is None for a string that is not ASCII (then the answer is yes). For callers
        that test one string against several gates: it is lowered once.
        """
        endings = self.endings
        if endings is None or rest is None:
            return True
        if rest.endswith(endings):
            return True
        for mark in self.marks:  # (a loop: cheaper than any() of a generator)
            if rest.endswith(mark) and rest[: -len(mark)].rstrip().endswith(endings):
                return True
        return False


#: The date label patterns' words, tested at the end of the words before a date (most end with
#: "in" or "on"): ~4x cheaper than searching with the patterns.
PUBLICATION_GATE = TailGate(PUBLICATION_BEFORE.pattern, r"\s*(?:on|:)?\s*$", ("on", ":"))
LABEL_GATE = TailGate(LABEL_BEFORE.pattern, r"\s*[:\-]?\s*$", (":", "-"))
