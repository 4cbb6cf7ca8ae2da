"""A date an article gives, with the role it plays for the picture (what ``_dates`` finds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ._date_formats import Precision

DateRole = Literal["acquisition", "other", "rejected"]
Strength = Literal["strong", "weak", "none"]


@dataclass(frozen=True)
class DateMention:
    """A date found in the text.

    Attributes:
        text: the words as written.
        start: first instant of the day, month, year or range (UTC).
        end: last instant of it (UTC).
        precision: ``day``, ``month`` or ``year`` (of the coarsest end of a range).
        role: ``acquisition`` (when the image was taken), ``other`` (an event, a launch, the
            publication...) or ``rejected`` (impossible: after the publication date).
        reason: why it got that role (the cue word, or the rejection reason).
        span: ``(start, end)`` character offsets in the text.
        strength: how sure the role is: ``strong`` (an acquisition verb or label, a left/right
            caption), ``weak`` (an image word only) or ``none``.
    """

    text: str
    start: dt.datetime
    end: dt.datetime
    precision: Precision
    role: DateRole
    reason: str
    span: tuple[int, int]
    strength: Strength = "none"
