"""Lakes and rivers for the gazetteer, from Natural Earth's 1:50m physical layers.

``data/waters.csv`` (name, country code, lat, lon) holds the named lakes, reservoirs and rivers
of Natural Earth's ``ne_50m_lakes`` and ``ne_50m_rivers_lake_centerlines`` (public domain),
each at one point of its shape (a lake's mean vertex, a river's middle vertex), those lying in
one country only (the GeoNames towns nearest a dozen of its vertices all in that country: the
Danube, shared, names no country) and the lakes that two or three countries share, under the one
most of the sampled shore lies in (the Dead Sea, the Aral Sea: each of their countries is the
place); :func:`build_water_table` regenerates it. A
river is indexed as "X River" ("Volga River"), a lake as named, with Natural Earth's
abbreviations written out ("Cayuga L." as "Cayuga Lake", "Bratsk Res." as "Bratsk Reservoir").
Names the gazetteer already has (the hand-made features with their main country) keep their
entry.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Container, Iterator
from pathlib import Path
from typing import Any

from ._data_files import data_rows

#: Natural Earth's abbreviations at the end of a lake's name.
_ENDINGS = {" L.": " Lake", " Res.": " Reservoir"}
#: Vertices sampled along a shape to find the countries it lies in.
_SAMPLES = 12
#: The most countries a shared lake may lie in and still name one (a sea-sized lake that more
#: share, like the Caspian Sea, is named as a sea: no one country).
_SHARED_MAX = 3
#: Lakes one country holds whole that the towns across a nearby border make look shared (the
#: Sea of Galilee, Israel's, beside the Golan's towns): left out, as before shared lakes named one.
_LEFT_OUT = frozenset({"Sea of Galilee"})
#: A lake or river whose point lies farther than this from any town gets no country.
_NEAR_KM = 300.0


def water_entries(taken: Container[str]) -> Iterator[tuple[str, str, float, float]]:
    """``(name, cc, lat, lon)`` for each lake and river name not already in the gazetteer.

    Args:
        taken: names the gazetteer already has.
    """
    for row in data_rows("waters.csv"):
        if row["name"] not in taken:
            yield row["name"], row["cc"], float(row["lat"]), float(row["lon"])


def _vertices(geometry: dict[str, Any], river: bool) -> list[tuple[float, float]]:
    """``(lat, lon)`` of the vertices of the longest part (a lake's outer ring)."""
    coords: Any = geometry["coordinates"]
    if geometry["type"].startswith("Multi"):
        coords = max(coords, key=len)  # the longest part
    if not river:
        coords = coords[0]  # the outer ring
    return [(float(c[1]), float(c[0])) for c in coords]


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of ``points``."""
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _names(raw: str, river: bool) -> str | None:
    """The name texts use: "X River" for a river, the lake's name written out."""
    from ._gazetteer import fold_accents

    name = " ".join(raw.split())
    if not name or "’" in name:
        return None  # transliteration marks ("Anadyr’"): texts spell such names otherwise
    name = fold_accents(name)  # as the gazetteer looks up accented names ("Bío-Bío")
    if river:
        return None if name.endswith("River") else f"{name} River"
    for short, full in _ENDINGS.items():
        if name.endswith(short):
            return name[: -len(short)] + full
    return name


def build_water_table(
    lakes: str | Path, rivers: str | Path, out: str | Path
) -> int:  # pragma: no cover
    """Regenerate ``data/waters.csv`` from the two Natural Earth GeoJSON files.

    Args:
        lakes: ``ne_50m_lakes.json``.
        rivers: ``ne_50m_rivers_lake_centerlines.json``.
        out: the CSV to write.

    Returns:
        The number of rows written.
    """
    from ._gazetteer import TownCountry

    town_country = TownCountry(_NEAR_KM)
    rows: dict[str, tuple[str, float, float]] = {}
    for path, river in ((lakes, False), (rivers, True)):
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
        for feature in features:
            if feature["geometry"] is None:
                continue
            name = _names(feature["properties"].get("name") or "", river)
            if name is None or name in rows or name in _LEFT_OUT:
                continue
            points = _vertices(feature["geometry"], river)
            sampled = points[:: max(1, len(points) // _SAMPLES)]
            found = [cc for cc in (town_country(lat, lon) for lat, lon in sampled) if cc]
            counts = Counter(found).most_common()
            if len(counts) == 1 or (not river and 1 < len(counts) <= _SHARED_MAX):
                # one country's water, or a lake that two or three share (the Dead Sea, the Aral
                # Sea), which names each of them: the one most of its shore lies in
                cc = min(counts, key=lambda c: (-c[1], c[0]))[0]
                lat, lon = points[len(points) // 2] if river else _mean(points)
                rows[name] = (cc, round(lat, 3), round(lon, 3))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "cc", "lat", "lon"])
        for name, (cc, lat, lon) in sorted(rows.items()):
            writer.writerow([name, cc, lat, lon])
    return len(rows)
