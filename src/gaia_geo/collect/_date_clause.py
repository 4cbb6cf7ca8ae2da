"""The clause around a date: where it starts and ends (used by ``_dates`` and its rules).

A date's role comes from the cue words of its clause: from the last clause end before the date
(a sentence end, a semicolon, a line break, a comma before "which", "while", "but"...) to the
first one after it.
"""

from __future__ import annotations

import re

#: A clause ends at a sentence end (not after "a.m.", "Oct.", "U.S.", "orbit no. 19" or "Fig. 2"),
#: a line break or a turn.
#: The pattern starts with the class of its first characters (the branches test which one they
#: follow), so ``re`` jumps from one to the next instead of trying each branch everywhere.
#: A new branch keeps what ``_clause_start`` relies on: no match holds one of ``.;!?`` but as
#: its only character (or that character leaves ``_ONE_CHARACTER_ENDS``).
_CLAUSE_END = re.compile(
    r"[.;!?\n,](?:(?<=[.;!?])"
    r"(?<![ap]\.m\.)(?<!\b[A-Z]\.)(?<!\bMt\.)(?<!\bSt\.)(?<!\bDr\.)(?<!\b[Nn]o\.)(?<!\b[Ff]ig\.)"
    r"(?<!Jan\.)(?<!Feb\.)(?<!Mar\.)(?<!Apr\.)(?<!Aug\.)(?<!Sep\.)(?<!ept\.)(?<!Oct\.)"
    r"(?<!Nov\.)(?<!Dec\.)(?=\s|$)|(?<=\n)|(?<=,)\s*(?:which|while|but|whereas|although|according)\b)"
)


#: Characters a match of ``_CLAUSE_END`` holding one is made of: a match that starts with one
#: ends right after it, and no other match holds one.
_ONE_CHARACTER_ENDS = ".;!?"


def _clause_start(text: str, begin: int) -> int:
    """Where the clause of the date at ``begin`` starts: after the last clause end before it.

    The end of the last match of ``_CLAUSE_END`` in the 300 characters before ``begin``. A
    sentence end or semicolon is a match of its own, so the matches after one are those of the
    stretch after it alone: the stretch after the last full stop (else the last of the others)
    is scanned first, the 300 characters only when neither it nor that character holds a
    match.
    """
    start = max(0, begin - 300)
    # any of them will do: a full stop is the likeliest, so looked for alone first
    mark = text.rfind(".", start, begin)
    if mark < 0:  # the others ("." first among them): a loop, ~2x cheaper than max() of a generator
        for char in _ONE_CHARACTER_ENDS[1:]:
            found = text.rfind(char, start, begin)
            mark = found if found > mark else mark
    if mark >= 0:
        last = None
        for match in _CLAUSE_END.finditer(text, mark + 1, begin):
            last = match
        if last is None:
            last = _CLAUSE_END.match(text, mark, begin)
        if last is not None:
            return last.end()
    for match in _CLAUSE_END.finditer(text, start, begin):
        start = match.end()
    return start


def _clause(text: str, begin: int, finish: int) -> tuple[int, int]:
    """The clause of the date at ``text[begin:finish]``: its start and end offsets."""
    return _clause_start(text, begin), _clause_end(text, finish)


def _clause_end(text: str, finish: int) -> int:
    """Where the clause of the date ending at ``finish`` ends: at the first clause end after it.

    (``_classify`` asks for it only where the words before the date do not decide.)
    """
    end_match = _CLAUSE_END.search(text, finish)
    if end_match and end_match.group(0) == ";":
        # "(Deutsches Zentrum für Luft- und Raumfahrt; DLR)": a semicolon inside brackets
        # opened after the date does not end its clause
        between = text[finish : end_match.start()]
        if between.count("(") > between.count(")"):
            close = text.find(")", end_match.end())
            if close >= 0:
                end_match = _CLAUSE_END.search(text, close)
    return end_match.start() if end_match else len(text)
