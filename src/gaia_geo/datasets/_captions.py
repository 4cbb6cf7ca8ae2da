"""The caption choice shared by both datasets: random (fresh per access), all, or an index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..errors import CaptionCountError
from ._records import ItemRecord

CaptionChoice = Literal["random", "all"] | int

#: Captions a complete GAIA item carries.
CAPTIONS_PER_ITEM = 5

_MASK = (1 << 64) - 1


def _mix(*values: int) -> int:
    """SplitMix64 over a few integers: a fast, well-spread hash (a generator costs ~50x more)."""
    state = 0x9E3779B97F4A7C15
    for value in values:
        state = (state ^ (value & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        state = (state ^ (state >> 31)) * 0x94D049BB133111EB & _MASK
        state ^= state >> 29
    return state


class CaptionPicker:
    """Pick the caption(s) of an item.

    ``"random"`` draws with a hash of ``(seed, epoch, index, accesses of that index)``:
    a fresh caption on every access and every epoch, reproducible from run to run whatever the
    shuffling and however indexes are spread over data-loader workers.
    """

    def __init__(self, caption: CaptionChoice, seed: int = 0) -> None:
        if not (caption in ("random", "all") or (isinstance(caption, int) and caption >= 0)):
            raise ValueError(f"caption must be 'random', 'all' or an index >= 0, got {caption!r}")
        self.caption = caption
        self.seed = seed
        self.epoch = 0
        self._draws: dict[int, int] = {}

    def check(self, records: Sequence[ItemRecord]) -> None:
        """Raise CaptionCountError for the first item with too few captions for the choice."""
        needed = 1
        if self.caption == "all":
            needed = CAPTIONS_PER_ITEM
        elif isinstance(self.caption, int):
            needed = self.caption + 1
        for record in records:
            if len(record.captions) < needed:
                raise CaptionCountError(
                    record.id,
                    "gaia:captions",
                    f"has {len(record.captions)} caption(s) but caption={self.caption!r} needs "
                    f"{needed}; re-run `gaia-geo describe` on it or use caption='random'",
                )

    def set_epoch(self, epoch: int) -> None:
        """Start ``epoch``: draws restart, so a draw depends on the epoch, not on the epochs before.

        The same caption comes out whether the data-loader workers are persistent, fresh copies
        each epoch, or the main process, and after a run resumed mid-way.
        """
        if epoch != self.epoch:
            self.epoch = epoch
            self._draws.clear()

    def choose(self, record: ItemRecord, index: int) -> str | list[str]:
        """Return the caption (or, for ``"all"``, the list of captions) of ``record``."""
        if self.caption == "all":
            return list(record.captions)
        if isinstance(self.caption, int):
            return record.captions[self.caption]
        draw = self._draws.get(index, 0)
        self._draws[index] = draw + 1
        return record.captions[_mix(self.seed, self.epoch, index, draw) % len(record.captions)]
