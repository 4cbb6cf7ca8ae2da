"""Days named by a holiday of fixed date: "taken on Christmas Eve 2008", "vom Heiligabend 2008".

Part of :mod:`gaia_geo.collect._date_formats`. A picture of a festive season is dated by its
holiday rather than by its day, in each language the agencies write: the holiday and its year
give the day.
"""

from __future__ import annotations

#: Month and day of each holiday name (lowercase).
HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
    "new year's eve": (12, 31),
    "new year’s eve": (12, 31),
    "new year's day": (1, 1),
    "new year’s day": (1, 1),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "valentine’s day": (2, 14),
    "bastille day": (7, 14),
    "heiligabend": (12, 24),
    "silvester": (12, 31),
    "neujahr": (1, 1),
    "neujahrstag": (1, 1),
    "réveillon de noël": (12, 24),
    "jour de noël": (12, 25),
    "nochebuena": (12, 24),
    "nochevieja": (12, 31),
    "vigilia di natale": (12, 24),
    "capodanno": (1, 1),
}
#: A holiday and its year: "Christmas Eve 2008", "Christmas Eve of 2008", "New Year's Day, 2019",
#: "Heiligabend 2008" (the year's group is ``y``, as in the other patterns).
PATTERN = (
    r"\b(?P<hol>(?i:"
    + "|".join(sorted((name.replace(" ", r"[ \t]") for name in HOLIDAYS), key=len, reverse=True))
    + r")),?[ \t](?:of[ \t])?(?P<y>(?:19[5-9]|20[0-9])\d)\b"
)


def holiday(name: str) -> tuple[int, int]:
    """Month and day of the holiday ``name`` (as written)."""
    return HOLIDAYS[" ".join(name.lower().split())]
