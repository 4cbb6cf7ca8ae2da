"""Month names of the national languages, from CLDR, for dates written in any of them.

Articles about satellite pictures are written in every language a country reads its news in:
"11 października 2022 roku" (Polish), "pada Kamis 3 Februari 2022" (Indonesian), "den 31 juli"
(Swedish), "3 березня 2021" (Ukrainian). ``data/month_names.csv`` (``lang``, ``month``,
``name``) holds CLDR's wide month names, in both the format and the stand-alone context (Slavic,
Baltic, Finnish and Greek dates write the genitive "października", a calendar's heading the
nominative "październik"), of every language that is official in a country where most people
speak it (CLDR's territory data), in its own script. Abbreviations are left out: three letters
("mar", "jun") are words and codes too often. A name two languages give to different months
("listopad": November in Polish, October in Croatian) or that is a common word in a language
spoken beside it ("mata", April in Kinyarwanda, "eye" in Indonesian and Malay) is left out.
Part of :mod:`gaia_geo.collect._date_languages`.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

_TABLE = Path(__file__).parent / "data" / "month_names.csv"
#: Month names that are common words of another national language ("mata": "eye" in Indonesian
#: and Malay, "kills" in Spanish and Portuguese).
_HOMOGRAPHS = frozenset({"mata"})
#: Languages whose dates are written with numbers and unit characters (``_date_cjk``) or whose
#: month names are phrases ("tháng 3"): no month name to read.
_NUMBERED = frozenset({"ja", "ko", "zh", "yue", "vi"})


def cldr_months() -> dict[str, int]:
    """Month number of each month name of ``data/month_names.csv`` but English's (lowercase)."""
    with _TABLE.open(encoding="utf-8", newline="") as handle:
        return {
            row["name"]: int(row["month"])
            for row in csv.DictReader(handle)
            if row["lang"] != "en"  # (the English patterns read those)
        }


def _is_word(name: str) -> bool:
    """Whether ``name`` is one word of three letters or more (letters and their marks)."""
    return len(name) >= 3 and all(unicodedata.category(c)[0] in "LM" for c in name)


def build_month_table(out: str | Path = _TABLE) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/month_names.csv`` from CLDR (needs ``babel``).

    The languages: those official (or official in fact) in a territory where at least half the
    people speak them, by CLDR's territory-language data; each language's twelve wide month
    names in the format and stand-alone contexts, where all twelve are one word.
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
    national = [lang for lang in national if localedata.exists(lang)]
    rows: list[tuple[str, int, str]] = []
    months_of: dict[str, set[int]] = {}
    for lang in national:
        names = Locale.parse(lang).months
        found = [
            (number, name)
            for number in range(1, 13)
            for name in dict.fromkeys(
                names[context]["wide"][number].lower() for context in ("format", "stand-alone")
            )
            if _is_word(name) and name not in _HOMOGRAPHS
        ]
        if len({number for number, _ in found}) < 12:
            continue  # a month written as a phrase: the language names none
        for number, name in found:
            rows.append((lang, number, name))
            months_of.setdefault(name, set()).add(number)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["lang", "month", "name"])
        writer.writerows(row for row in rows if len(months_of[row[2]]) == 1)
