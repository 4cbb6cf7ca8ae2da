"""Peaks, islands, capes and inlets for the gazetteer, from Natural Earth's 1:10m physical layers.

``data/marks.csv`` (``name``, ``cc``, ``lat``, ``lon``) holds the named mountains, islands and
capes of Natural Earth's ``ne_10m_geography_regions_elevation_points`` and
``ne_10m_geography_regions_points``, and the named bays, gulfs, straits, sounds, channels, fjords
and inlets of ``ne_10m_geography_marine_polys`` that lie along one country's coast only (public
domain). A point takes the country of the GeoNames town nearest it (within 150 km; south of
60 S with none, Antarctica, less its capes, named after better known ones); a peak on a border
(Natural Earth's ``nation2``) and an inlet whose sampled shore is near towns of two countries
(the Gulf of Mexico, the Bay of Bengal) name no one country and are left out, and so are the
inlets named like a sea ("the Gulf of Carpentaria"): a picture of one shows no country. A name of
one word is kept for a peak of 3,000 m or more only ("Denali"), of five letters or more: an
island's or a cape's single word is too often a person's or a thing's ("Bikini", "Jarvis").
:func:`build_mark_table` regenerates it; names the gazetteer already holds keep their entry.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Container, Iterator
from pathlib import Path
from typing import Any

from ._data_files import data_rows

#: Natural Earth's abbreviations of a kind word after a name ("Norfolk I.", "Cumberland Sd.").
_AFTER = (
    (re.compile(r" I\.$"), " Island"),
    (re.compile(r" Is\.$"), " Islands"),
    (re.compile(r" Pk\.$"), " Peak"),
    (re.compile(r" Sd\.$"), " Sound"),
    (re.compile(r" Str\.$"), " Strait"),
)
#: The marine classes that are one coast's inlets (seas and oceans are ``regions.csv``'s).
_INLETS = frozenset({"bay", "gulf", "strait", "sound", "channel", "fjord", "inlet", "lagoon"})
#: The point classes kept.
_POINTS = frozenset({"mountain", "island", "cape", "plateau", "depression", "island group"})
_NEAR_KM = 150.0
_SAMPLES = 16
_HIGH_PEAK_M = 3000.0
#: Points the nearest town files under the wrong country (Torres del Paine lies in Chile, its
#: nearest GeoNames town across the Argentine border), and names several places share ("La
#: Soufriere": Guadeloupe's, St Vincent's and Montserrat's volcanoes).
_COUNTRY_OF = {"Torres del Paine": "CL"}
_SHARED_NAMES = frozenset({"La Soufriere"})
#: The fewest letters of a one-word peak's name: shorter ones are words ("Nun", "Talo", "K2").
_SHORTEST_WORD = 5


@functools.cache
def _rows() -> tuple[tuple[str, str, float, float], ...]:
    return tuple(
        (r["name"], r["cc"], float(r["lat"]), float(r["lon"])) for r in data_rows("marks.csv")
    )


def mark_entries(taken: Container[str]) -> Iterator[tuple[str, str, float, float]]:
    """``(name, cc, lat, lon)`` for each peak, island, cape or inlet the gazetteer lacks."""
    for name, cc, lat, lon in _rows():
        if name not in taken:
            yield name, cc, lat, lon


def _name(raw: str | None) -> str | None:
    """The name as texts write it, or None for one they spell otherwise."""
    from ._gazetteer import fold_accents

    name = " ".join((raw or "").split())
    if not name or "(" in name or "’" in name or "‘" in name or "'" in name[-1:]:
        return None  # notes ("Fuji Station (Japan)"), transliteration marks
    name = re.sub(r"^Mt\. ", "Mount ", name)
    for pattern, full in _AFTER:
        name = pattern.sub(full, name)
    if "." in name:
        return None  # an abbreviation before the name ("I. Clarion", "B. Inutil")
    return fold_accents(name)


def build_mark_table(
    elevation_points: str | Path,
    region_points: str | Path,
    marine_polys: str | Path,
    out: str | Path,
) -> int:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/marks.csv`` from the three Natural Earth 1:10m GeoJSON layers.

    Returns:
        The number of rows written.
    """
    from ._gazetteer import TownCountry
    from ._place_order import _WATER

    town_country = TownCountry(_NEAR_KM)

    def country(lat: float, lon: float) -> str | None:
        return town_country(lat, lon) or ("AQ" if lat < -60 else None)

    def features(path: str | Path) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
        return found

    rows: dict[str, tuple[str, float, float]] = {}
    for path in (elevation_points, region_points):
        for feature in features(path):
            props = feature["properties"]
            name = _name(props.get("name"))
            if name is None or props["featurecla"] not in _POINTS or props.get("nation2"):
                continue
            high = (
                props["featurecla"] == "mountain" and (props.get("elevation") or 0) >= _HIGH_PEAK_M
            )
            if " " not in name and not (high and len(name) >= _SHORTEST_WORD):
                continue
            lon, lat = feature["geometry"]["coordinates"][:2]
            cc = _COUNTRY_OF.get(name) or country(lat, lon)
            if name in _SHARED_NAMES:
                continue
            if cc == "AQ" and props["featurecla"] == "cape":
                continue  # Antarctica's capes share their names with better known ones (Cape Ann)
            if cc and name not in rows:
                rows[name] = (cc, round(lat, 3), round(lon, 3))
    for feature in features(marine_polys):
        props = feature["properties"]
        name = _name(props.get("name"))
        if name is None or " " not in name or props["featurecla"] not in _INLETS:
            continue
        if name.isupper() or feature["geometry"] is None or name in rows:
            continue
        if _WATER.fullmatch(name):
            continue  # "the Gulf of Carpentaria" alone is a sea's picture: no country

        parts: Any = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            parts = [parts]
        points = [(float(c[1]), float(c[0])) for part in parts for c in part[0]]
        sampled = points[:: max(1, len(points) // _SAMPLES)]
        found = {country(lat, lon) for lat, lon in sampled}
        found.discard(None)
        if len(found) == 1:
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            rows[name] = (found.pop() or "", round(lat, 3), round(lon, 3))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "cc", "lat", "lon"])
        for name, row in sorted(rows.items()):
            writer.writerow([name, *row])
    return len(rows)
