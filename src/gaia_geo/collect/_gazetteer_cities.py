"""City names in the other languages articles are written in (CLDR's time-zone cities).

Unicode CLDR names, in every language, one city per time zone: the capitals and the largest
cities of most countries (about 420: "Kairo", "Le Caire", "Il Cairo", "カイロ", "Каир"). They are
the whole class of city names CLDR translates; ``data/city_names.csv`` (``cc``, ``lang``,
``english``, ``name``) holds those that differ from the English one, in the languages of
:mod:`._gazetteer_names` and Indonesian (regenerate with :func:`build_city_name_table`).
A Latin-script name joins the gazetteer's index as the city its English name is there (a town,
which still needs a place word before it, "am Rande von Kairo"); a name in another script is
found by :func:`._gazetteer_names.scripted_places` and put at its country's point.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Container, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._data_files import data_rows

if TYPE_CHECKING:
    from ._gazetteer import Place

#: The Latin-script languages of ``data/city_names.csv`` (Indonesian too: LAPAN's and BRIN's
#: pages), then those in other scripts.
LATIN_CITY_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "tr", "id")
SCRIPT_CITY_LANGUAGES = ("el", "ja", "ko", "ru", "hi", "th", "zh", "zh_Hant")
#: Names that are also common words or another place: Italian "Pasqua" (Easter), "Showa" (a
#: Japanese era, the Antarctic station's name in every language), French "Vienne" (Vienna; a
#: French town, river and department), Turkish "Tiran" (Tirana; the Strait of Tiran), Italian
#: and Portuguese "Sidney" (Sydney; a given name, towns in Canada and the USA).
_WORDS = frozenset({"Pasqua", "Showa", "Vienne", "Tiran", "Sidney"})
#: The article that opens some cities' names in French, Spanish and Italian ("Le Caire", "La
#: Havane", "El Cairo", "L’Avana").
_ARTICLE = re.compile(r"^(?:Le|La|Les|El|Il|Lo)\s+|^L['’]")


@functools.cache
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    return tuple((r["cc"], r["lang"], r["english"], r["name"]) for r in data_rows("city_names.csv"))


def latin_city_entries(
    index: Mapping[str, Sequence[Place]], taken: Container[str]
) -> Iterator[tuple[str, Place]]:
    """``(name, city)`` for each Latin-script city name the gazetteer has no place of note for.

    Args:
        index: the gazetteer's names so far; a city is found under its English name in its
            country (the heaviest town of that name).
        taken: the names of note (a country, region or feature, a major city or a town in a
            dense cluster), left alone; a village's name is not one.
    """
    from ._gazetteer import fold_accents

    seen: set[str] = set()
    for cc, lang, english, name in _rows():
        if lang not in LATIN_CITY_LANGUAGES or len(name) < 4 or name in _WORDS:
            continue
        towns = [
            p
            for p in (*index.get(english, ()), *index.get(fold_accents(english), ()))
            if p.country_code == cc and p.kind == "city"
        ]
        if not towns:
            continue
        city = max(towns, key=lambda p: p.weight)
        # "Le Caire" is written "du Caire", "au Caire" after a preposition: the name less its
        # article too
        bare = _ARTICLE.sub("", name)
        for spelled in dict.fromkeys((name, fold_accents(name), bare, fold_accents(bare))):
            if spelled not in taken and spelled not in seen:
                seen.add(spelled)
                yield spelled, city


def script_city_names() -> dict[str, str]:
    """City names in a script other than Latin -> ISO code ("カイロ" -> "EG")."""
    return {
        name: cc
        for cc, lang, _, name in _rows()
        if lang in SCRIPT_CITY_LANGUAGES and len(name) >= 2 and name not in _WORDS
    }


def build_city_name_table(out: str | Path) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/city_names.csv`` from CLDR (needs ``babel``).

    One row per time zone's exemplar city and language where the name differs from the English
    one; zones of no country (``Etc/*``, Antarctica's ``001``) are left out.
    """
    from babel import Locale
    from babel.core import get_global

    territories = get_global("zone_territories")
    english = Locale.parse("en").time_zones
    zones = sorted(z for z, cc in territories.items() if "/" in z and len(cc) == 2)

    def city(zones_of: Mapping[str, Mapping[str, str]], zone: str) -> str:
        return zones_of.get(zone, {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")

    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cc", "lang", "english", "name"])
        for lang in (*LATIN_CITY_LANGUAGES, *SCRIPT_CITY_LANGUAGES):
            local = Locale.parse(lang).time_zones
            for zone in zones:
                name = local.get(zone, {}).get("city")
                if name and name != city(english, zone):
                    writer.writerow([territories[zone], lang, city(english, zone), name])
