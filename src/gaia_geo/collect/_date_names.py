"""Month and weekday names of the national languages, from CLDR, for dates written in any of them.

Articles about satellite pictures are written in every language a country reads its news in:
"11 października 2022 roku" (Polish), "pada Kamis 3 Februari 2022" (Indonesian), "den 31 juli"
(Swedish), "3 березня 2021" (Ukrainian). ``data/month_names.csv`` (``lang``, ``month``,
``name``) holds CLDR's wide month names, in both the format and the stand-alone context (Slavic,
Baltic, Finnish and Greek dates write the genitive "października", a calendar's heading the
nominative "październik"), of every language that is official in a country where most people
speak it (CLDR's territory data), in its own script; ``data/weekday_names.csv`` (``lang``,
``weekday``, 0 for Monday, ``name``) their weekday names ("jueves", "Kamis", "czwartek"), which
date a day written without its year. Abbreviations are left out: three letters ("mar", "jun")
are words and codes too often. A name two languages give to different months ("listopad":
November in Polish, October in Croatian) or days, or that is a common word in a language spoken
beside it ("mata", April in Kinyarwanda, "eye" in Indonesian and Malay) is left out. Part of
:mod:`gaia_geo.collect._date_languages` and :mod:`gaia_geo.collect._date_years`.
"""

from __future__ import annotations

import calendar
import csv
import unicodedata
from pathlib import Path
from typing import Any

from .._regex import trie_pattern
from ._data_files import data_rows

_TABLE = Path(__file__).parent / "data" / "month_names.csv"
_WEEKDAY_TABLE = Path(__file__).parent / "data" / "weekday_names.csv"
#: Month names that are common words of another national language ("mata": "eye" in Indonesian
#: and Malay, "kills" in Spanish and Portuguese).
_HOMOGRAPHS = frozenset({"mata"})
#: Languages whose dates are written with numbers and unit characters (``_date_cjk``) or whose
#: month names are phrases ("tháng 3"): no month name to read.
_NUMBERED = frozenset({"ja", "ko", "zh", "yue", "vi"})


def cldr_months() -> dict[str, int]:
    """Month number of each month name of ``data/month_names.csv`` but English's (lowercase)."""
    return {
        row["name"]: int(row["month"])
        for row in data_rows("month_names.csv")
        if row["lang"] != "en"  # (the English patterns read those)
    }


def cldr_weekdays() -> dict[str, int]:
    """Weekday (0 for Monday) of each weekday name of ``data/weekday_names.csv`` (lowercase)."""
    return {row["name"]: int(row["weekday"]) for row in data_rows("weekday_names.csv")}


#: Weekday (0 for Monday) of each weekday name, English's and the national languages'.
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)} | cldr_weekdays()
#: The weekday names, lowercase or capitalised ("Thursday", "jueves", "Jueves"), as a trie.
WEEKDAY_PATTERN = trie_pattern(
    spelling for name in WEEKDAYS for spelling in (name, name[0].upper() + name[1:])
)


def _is_word(name: str) -> bool:
    """Whether ``name`` is one word of three letters or more (letters and their marks)."""
    return len(name) >= 3 and all(unicodedata.category(c)[0] in "LM" for c in name)


def build_name_tables(
    months: str | Path = _TABLE, weekdays: str | Path = _WEEKDAY_TABLE
) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/month_names.csv`` and ``data/weekday_names.csv`` from CLDR (``babel``).

    The languages: those official (or official in fact) in a territory where at least half the
    people speak them, by CLDR's territory-language data; each language's twelve wide month
    names and seven wide weekday names in the format and stand-alone contexts, where all are
    one word.
    """
    from babel import Locale, localedata
    from babel.core import get_global

    national = sorted(
        {
            lang.split("_")[0]
            for langs in get_global("territory_languages").values()
            for lang, info in langs.items()
            if info.get("official_status") in ("official", "de_facto_official")
            and info.get("population_percent", 0) >= 50
        }
        - _NUMBERED
    )
    locales = [Locale.parse(lang) for lang in national if localedata.exists(lang)]
    _write_names(months, "month", [(loc, loc.months, range(1, 13)) for loc in locales])
    _write_names(weekdays, "weekday", [(loc, loc.days, range(7)) for loc in locales])


def _write_names(out: str | Path, column: str, tables: list[Any]) -> None:  # pragma: no cover
    """Write each language's names of ``tables`` (a locale, its CLDR names, their numbers)."""
    rows: list[tuple[str, int, str]] = []
    numbers_of: dict[str, set[int]] = {}
    for locale, names, numbers in tables:
        found = [
            (number, name)
            for number in numbers
            for name in dict.fromkeys(
                names[context]["wide"][number].lower() for context in ("format", "stand-alone")
            )
            if _is_word(name) and name not in _HOMOGRAPHS
        ]
        if len({number for number, _ in found}) < len(numbers):
            continue  # a name written as a phrase ("tháng 3"): the language gives none
        for number, name in found:
            rows.append((str(locale), number, name))
            numbers_of.setdefault(name, set()).add(number)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["lang", column, "name"])
        writer.writerows(row for row in rows if len(numbers_of[row[2]]) == 1)
