"""Landforms for the gazetteer, from Natural Earth's 1:50m physical regions.

``data/landforms.csv`` (``name``, ``cc``, ``lat``, ``lon``, ``countries``) holds the named
ranges, islands and island groups, plateaus, deserts, peninsulas, plains, basins, deltas,
valleys and other physical regions of Natural Earth's ``ne_50m_geography_regions_polys``
(public domain; continents and the Great Lakes left out, they are regions or waters here), each at
the mean of its sampled outline, under the country most of that outline lies in (the GeoNames
town nearest each sampled vertex, within 300 km; Antarctic ones, with no town near, under
``AQ``), with every country that holds a fair share of it (``countries``: "Tian Shan" lies in
China, Kyrgyzstan and Kazakhstan). :func:`build_landform_table` regenerates it. Names are written
as texts write them ("CAUCASUS MTS." as "Caucasus Mountains", "HONSHÜ" as "Honshu"); names the
gazetteer already holds keep their entry.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Container, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._data_files import data_rows

if TYPE_CHECKING:
    from ._gazetteer import Place

#: Natural Earth's abbreviations (and one misspelling) of a landform's kind.
_ABBREVIATIONS = (
    (re.compile(r"\bMts\.", re.IGNORECASE), "Mountains"),
    (re.compile(r"\bRa\.", re.IGNORECASE), "Range"),
    (re.compile(r"\bPen\.", re.IGNORECASE), "Peninsula"),
    (re.compile(r"\bPlat\.", re.IGNORECASE), "Plateau"),
    (re.compile(r"\bIs\.|\bIsands\b", re.IGNORECASE), "Islands"),
    (re.compile(r"\bI\.", re.IGNORECASE), "Island"),
    (re.compile(r"\bArch\.", re.IGNORECASE), "Archipelago"),
    (re.compile(r"\bCord\.", re.IGNORECASE), "Cordillera"),
)
#: Words a title keeps in lower case ("Island of Newfoundland", "Desierto de Atacama").
_LOWER = frozenset({"of", "de", "del", "do", "da", "du", "la", "al", "and"})
#: The classes left out: continents and the Great Lakes are the gazetteer's regions and waters.
_LEFT_OUT = frozenset({"Continent", "Lake"})
#: Island groups that are regions of several countries ("the islands of Melanesia"): no one
#: country's, like the continents.
_REGIONS = frozenset(
    {"Melanesia", "Micronesia", "Polynesia", "Malay Archipelago", "West Indies",
     "Greater Antilles", "Lesser Antilles", "Virgin Islands"}
)  # fmt: skip
#: Words of a name that describe rather than name ("Coastal Plain", "Western Plateau").
_GENERIC = frozenset(
    "Coastal Central Western Eastern Northern Southern Polar Plain Plains Lowland Plateau "
    "Highlands Upland Desert Valley".split()
)
#: Vertices sampled along a landform's outline, and the least share of them that makes a country
#: one it lies in.
_SAMPLES = 24
_SHARE = 0.15
_NEAR_KM = 300.0


@functools.cache
def _rows() -> tuple[tuple[str, str, float, float, frozenset[str]], ...]:
    return tuple(
        (r["name"], r["cc"], float(r["lat"]), float(r["lon"]), frozenset(r["countries"].split()))
        for r in data_rows("landforms.csv")
    )


def landform_entries(taken: Container[str]) -> Iterator[tuple[str, str, float, float]]:
    """``(name, cc, lat, lon)`` for each landform name not already in the gazetteer."""
    for name, cc, lat, lon, _ in _rows():
        if name not in taken:
            yield name, cc, lat, lon


def shared_landforms(lookup: Callable[[str], Sequence[Place]]) -> dict[str, frozenset[str]]:
    """The landforms that lie in several countries, and those countries.

    Args:
        lookup: the gazetteer's; a name it gives another entry than the landform (the Kuril
            Islands of ``features.csv``, Russia's) is left out.
    """
    return {
        name: countries
        for name, _, lat, lon, countries in _rows()
        if len(countries) > 1
        and any(p.kind == "feature" and (p.lat, p.lon) == (lat, lon) for p in lookup(name))
    }


def _name(raw: str) -> str | None:
    """The name as texts write it, or None for one they spell otherwise."""
    from ._gazetteer import fold_accents

    name = " ".join(raw.split())
    if not name or "’" in name or "‘" in name or "(" in name:
        return None  # transliteration marks ("Bol’shoy"), notes ("Dome C (Charlie)")
    if sum(c.isupper() for c in name) > sum(c.islower() for c in name):  # "CAUCASUS MTS."
        words = name.split()
        name = " ".join(
            w.lower() if i and w.lower() in _LOWER else w.capitalize() for i, w in enumerate(words)
        )
    for pattern, full in _ABBREVIATIONS:
        name = pattern.sub(full, name)
    return fold_accents(name)


def _kept(name: str) -> bool:
    """Whether a landform's name names one: not a region of several countries nor a description."""
    from ._place_order import _WATER

    return (
        name not in _REGIONS
        and not set(name.split()) <= _GENERIC
        and _WATER.fullmatch(name) is None  # "Central America", "Sahel", "Scandinavia"
    )


def _outline(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """``(lat, lon)`` of the outer rings' vertices of every part."""
    parts: Any = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        parts = [parts]
    return [(float(c[1]), float(c[0])) for part in parts for c in part[0]]


def build_landform_table(polys: str | Path, out: str | Path) -> int:  # pragma: no cover
    """Regenerate ``data/landforms.csv`` from ``ne_50m_geography_regions_polys.json``.

    Returns:
        The number of rows written.
    """
    from ._gazetteer import TownCountry

    town_country = TownCountry(_NEAR_KM)
    rows: dict[str, tuple[str, float, float, str]] = {}
    for feature in json.loads(Path(polys).read_text(encoding="utf-8"))["features"]:
        props = feature["properties"]
        name = _name(props.get("name") or "")
        if feature["geometry"] is None or props["featurecla"] in _LEFT_OUT or name is None:
            continue
        if name in rows or not _kept(name):
            continue  # (a second polygon of one name: the first, the larger, is kept)
        points = _outline(feature["geometry"])
        sampled = points[:: max(1, len(points) // _SAMPLES)]
        found = Counter(
            cc or ("AQ" if lat < -60 else "")
            for cc, (lat, _) in ((town_country(lat, lon), (lat, lon)) for lat, lon in sampled)
        )
        found.pop("", None)
        if not found:
            continue
        total = sum(found.values())
        cc = min(found.items(), key=lambda c: (-c[1], c[0]))[0]
        shares = " ".join(sorted(c for c, n in found.items() if n / total >= _SHARE))
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        rows[name] = (cc, round(lat, 3), round(lon, 3), shares)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "cc", "lat", "lon", "countries"])
        for name, row in sorted(rows.items()):
            writer.writerow([name, *row])
    return len(rows)
