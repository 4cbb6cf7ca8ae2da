"""Days named by a holiday of fixed date: "taken on Christmas Eve 2008", "vom Heiligabend 2008".

Part of :mod:`gaia_geo.collect._date_formats`. A picture of a festive season is dated by its
holiday rather than by its day, in each language the agencies write: the holiday and its year
give the day.
"""

from __future__ import annotations

import re

#: Month and day of each holiday, as written, capitalised (the pattern is case-sensitive, and
#: opens with a capital: a caseless alternation is tried at every place of a text, this one only
#: at its capitals).
HOLIDAYS = {
    "Christmas Eve": (12, 24),
    "Christmas Day": (12, 25),
    "Boxing Day": (12, 26),
    "New Year's Eve": (12, 31),
    "New Year’s Eve": (12, 31),
    "New Year's Day": (1, 1),
    "New Year’s Day": (1, 1),
    "Halloween": (10, 31),
    "Valentine's Day": (2, 14),
    "Valentine’s Day": (2, 14),
    "Bastille Day": (7, 14),
    "Heiligabend": (12, 24),
    "Silvester": (12, 31),
    "Neujahr": (1, 1),
    "Neujahrstag": (1, 1),
    "Réveillon de Noël": (12, 24),
    "Jour de Noël": (12, 25),
    "Nochebuena": (12, 24),
    "Nochevieja": (12, 31),
    "Vigilia di Natale": (12, 24),
    "Capodanno": (1, 1),
}
#: A holiday and its year: "Christmas Eve 2008", "Christmas Eve of 2008", "New Year's Day, 2019",
#: "Heiligabend 2008" (the year's group is ``y``, as in the other patterns).
PATTERN = (
    r"\b(?P<hol>"
    + "|".join(
        re.escape(name).replace(r"\ ", r"[ \t]") for name in sorted(HOLIDAYS, key=len, reverse=True)
    )
    + r"),?[ \t](?:of[ \t])?(?P<y>(?:19[5-9]|20[0-9])\d)\b"
)


def holiday(name: str) -> tuple[int, int]:
    """Month and day of the holiday ``name`` (as matched)."""
    return HOLIDAYS[" ".join(name.split())]
