"""Seasons with their year: "in the summer of 2000", "spring and summer 2010", "im Sommer 2019".

A season names the months its pictures were taken in, as a month does: the labels give the
meteorological seasons of the northern hemisphere, where most of these stories are set (spring
March-May, summer June-August, autumn September-November). Winter straddles two years ("winter
2013" is December 2012 or 2013?), so it is no date. English, German, French, Spanish, Italian
and Portuguese are read ("Frühjahr 2018", "l'été 2019", "verano de 2019", "estate 2019",
"verão de 2019"). Part of :mod:`gaia_geo.collect._date_formats`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: First and last month of each season's name, lowercase.
SEASONS = {
    **dict.fromkeys(("spring", "frühling", "frühjahr", "printemps", "primavera"), (3, 5)),
    **dict.fromkeys(("summer", "sommer", "été", "verano", "estate", "verão"), (6, 8)),
    **dict.fromkeys(("autumn", "fall", "herbst", "automne", "otoño", "autunno", "outono"), (9, 11)),
}
_YEAR = r"(?P<y>(?:19[5-9]|20[0-9])\d)\b"
_ENGLISH = r"[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all"
_ENGLISH_PAIR = rf"(?P<season>{_ENGLISH})(?:(?:\s+and|\s+to|\s*[-–])\s+(?P<season2>{_ENGLISH}))?"
_FOREIGN = (
    r"[Ff]rühling|[Ff]rühjahr|[Ss]ommer|[Hh]erbst|[Pp]rintemps|[Éé]t[ée]|[Aa]utomne|"
    r"[Vv]erano|[Oo]toño|[Ee]state(?<!real estate)|[Aa]utunno|[Vv]erão|[Oo]utono|[Pp]rimavera"
)
#: Parts of the seasons' names: a text without any has no season to read (tested first: a
#: substring test costs far less than the patterns over every window of the text).
HINTS = ("pring", "ummer", "utumn", "Fall", " fall ")
HINTS_OTHER = (
    *HINTS,
    *("ommer rühling rühjahr erbst rintemps té tomne erano toño state utunno erão utono".split()),
    "rimavera",
)
#: Where each pattern may start (the date scan tries it only there).
OPENINGS = (
    (rf"\b(?P<season>{_ENGLISH})", re.compile(_ENGLISH)),
    (rf"\b(?P<season>{_FOREIGN})", re.compile(_FOREIGN)),
)
#: (pattern, kind): "summer 2010", "the summer of 2000", "spring and summer 2010"; "Sommer 2019",
#: "l'été 2019", "verano de 2019", "l'estate del 2019" (never "real estate 2019").
PATTERNS = (
    (rf"\b{_ENGLISH_PAIR},?\s+(?:of\s+)?{_YEAR}", "season"),
    (rf"\b(?P<season>{_FOREIGN})(?:\s+(?:de|del|di|do))?\s+{_YEAR}", "season-lang"),
)


def season_bounds(groups: dict[str, str | None], year: int) -> tuple[dt.datetime, dt.datetime]:
    """First and last moment of the season (or seasons) a match names, in ``year``."""
    first = SEASONS[(groups.get("season") or "").lower()][0]
    last = SEASONS[(groups.get("season2") or groups.get("season") or "").lower()][1]
    if last < first:
        raise ValueError("reversed range")
    end = calendar.monthrange(year, last)[1]
    return (
        dt.datetime(year, first, 1, tzinfo=dt.UTC),
        dt.datetime(year, last, end, 23, 59, 59, tzinfo=dt.UTC),
    )


#: What the opening of every English season pattern holds ([Ss]pring, [Ss]ummer, [Aa]utumn,
#: [Ff]all).
_OPENING_PARTS = ("all", "pring", "ummer", "utumn")


def may_open_in(text: str, windows: list[tuple[int, int]]) -> bool:
    """Whether an English season's name may start in one of ``windows`` (spans of ``text``).

    The date scan runs the season patterns only in these windows: where none holds one, the
    patterns find nothing whatever :func:`named_in` says of the whole text (a scan of a few
    hundred characters instead of the text's thousands).
    """
    for lo, hi in windows:
        window = text[lo:hi]
        if "all" in window or "pring" in window or "ummer" in window or "utumn" in window:
            return True
    return False


def named_in(text: str, plain: bool) -> bool:
    """Whether ``text`` may name a season (``plain``: it is ASCII, so only in English)."""
    return any(hint in text for hint in (HINTS if plain else HINTS_OTHER))
