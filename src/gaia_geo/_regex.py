"""Regular expressions built from word lists: the one trie-shaped alternation every stage uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
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
