"""Seas, oceans, continents and regions of several countries an article's picture shows.

Part of :func:`gaia_geo.collect.extract_metadata`, asked only when no country place was found
(a hurricane over the Atlantic, a bloom in the Baltic Sea, the Americas at night): the places
module deliberately gives such scenes no country. Each region has a footprint, a bounding box
from Natural Earth (``data/regions.csv``; see ``_region_build.py`` for how it was made and
``data/PROVENANCE.md`` for the source), so the picture can still become a located Item.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

from ._extract_places import (
    _OWNER_AFTER,
    _RANKED_IN,
    _REFERENCE,
    _WHOLE_EARTH,
    _WHOLE_EARTH_HINT,
)

RegionKind = Literal[
    "ocean",
    "sea",
    "gulf",
    "bay",
    "strait",
    "channel",
    "continent",
    "region",
    "hemisphere",
    "global",
]
#: Kinds that locate nothing: a picture of the whole Earth or of half of it.
GLOBAL_KINDS: frozenset[str] = frozenset({"global", "hemisphere"})
#: Words of a name a text may write in lower case ("the Baltic sea", "southern Africa").
_LOWER_OK = frozenset(
    "Sea Ocean Gulf Bay Strait Channel Passage Basin Desert Peninsula Sound Inlet Bight North "
    "South East West Northern Southern Eastern Western Central".split()
)
#: "Atlantic coast", "Pacific Northwest", "Atlantic Canada", "Pacific Rim": land, not the water.
_LAND_NEXT = r"(?!\s+(?:[Cc]oast(?:line|al)?s?|[Ss]eaboard|[Nn]orthwest|Canada|[Ff]orest|[Rr]im)\b)"
#: "summer in the Northern Hemisphere": a hemisphere that sets a season, not the scene.
_SEASON = re.compile(r"\b(?:[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all|season)\b")
#: Kinds that may hold a more precise region named after them ("over Africa ... West Africa").
_CONTAINERS = frozenset({"ocean", "sea", "continent", "region"})


@dataclass(frozen=True)
class Region:
    """One row of the region table.

    Attributes:
        name: the English name ("Baltic Sea", "Western Europe").
        kind: ``ocean``, ``sea``, ``gulf``, ``bay``, ``strait``, ``channel``, ``continent``,
            ``region`` (several countries), ``hemisphere`` or ``global`` (the whole Earth).
        aliases: other names texts use ("Baltic", "North and South America").
        bbox: ``(west, south, east, north)`` in degrees; ``west > east`` when the box crosses
            the antimeridian (the Pacific, the Bering Sea), as in a STAC bbox.
    """

    name: str
    kind: RegionKind
    aliases: tuple[str, ...]
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class RegionMention:
    """A sea, ocean, continent or region the text names.

    Attributes:
        name: the table's name ("Americas" for "North and South America").
        kind: the region's kind (see :class:`Region`).
        bbox: its footprint ``(west, south, east, north)``; ``west > east`` across 180 degrees.
        text: the words as written.
        span: character offsets.
    """

    name: str
    kind: str
    bbox: tuple[float, float, float, float]
    text: str
    span: tuple[int, int]


@functools.cache
def load_regions() -> dict[str, Region]:
    """The region table (``data/regions.csv``), by name and by alias."""
    table = resources.files(__package__).joinpath("data/regions.csv").read_text("utf-8")
    by_name: dict[str, Region] = {}
    for row in csv.DictReader(table.splitlines()):
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        bbox = (float(row["west"]), float(row["south"]), float(row["east"]), float(row["north"]))
        region = Region(row["name"], cast(RegionKind, row["kind"]), aliases, bbox)
        for name in (region.name, *aliases):
            by_name.setdefault(name, region)
    return by_name


def _name_pattern(name: str) -> str:
    words = []
    for word in name.split(" "):
        escaped = re.escape(word)
        if word in _LOWER_OK:
            escaped = f"[{word[0]}{word[0].lower()}]{re.escape(word[1:])}"
        words.append(escaped)
    return r"\s+".join(words)


@functools.cache
def _region_pattern() -> re.Pattern[str]:
    names = sorted(
        (n for n, r in load_regions().items() if r.kind != "global"), key=len, reverse=True
    )
    alternatives = "|".join(_name_pattern(n) for n in names)
    return re.compile(
        # "Mid-Atlantic" (a US region), "trans-Atlantic", "South Africa" (a country)
        rf"(?<![\w-])(?<!South )(?:{alternatives})(?![\w-]){_LAND_NEXT}"
    )


def _canonical(written: str) -> Region:
    regions = load_regions()
    spaced = " ".join(written.split())
    found = regions.get(spaced)
    if found is None:  # a lower-case word: compare word by word, case-folded
        folded = spaced.casefold()
        found = next(r for n, r in regions.items() if n.casefold() == folded)
    return found


def find_regions(text: str, excluded: list[tuple[int, int]] | None = None) -> list[RegionMention]:
    """Seas, oceans, continents and regions the text names, the likeliest scene first.

    Text order, except that a region named as a reference point ("dust from Africa"), a
    yardstick ("the largest delta in Europe") or an owner ("Europe's Sentinel-2") goes last,
    and so does a hemisphere (usually a season's setting: "summer in the Northern
    Hemisphere"). A picture of the whole planet ("this image of our planet", "a global
    mosaic") is the ``Earth`` region, of kind ``global``.

    Args:
        text: the article text.
        excluded: spans already taken (sensor names, dates), where no region is looked for.

    Returns:
        One mention per region (its first), ordered as above.
    """
    spans = excluded or []
    found: list[tuple[int, RegionMention]] = []
    seen: set[str] = set()
    for match in _region_pattern().finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in spans):
            continue
        region = _canonical(match.group(0))
        if region.name in seen:
            continue
        seen.add(region.name)
        aside = bool(
            _REFERENCE.search(text, max(0, start - 25), start)
            or _RANKED_IN.search(text, max(0, start - 60), start)
            or _OWNER_AFTER.match(text, end)
            or (region.kind == "hemisphere" and _SEASON.search(text, max(0, start - 80), end + 80))
        )
        found.append((int(aside), _mention(region, match.group(0), (start, end))))
    if _WHOLE_EARTH_HINT.search(text):
        whole = _WHOLE_EARTH.search(text)
        if whole is not None:
            earth = load_regions()["Earth"]
            found.append((0, _mention(earth, whole.group(0), whole.span())))
    found.sort(key=lambda f: (f[0], f[1].span[0]))
    ordered = [m for _, m in found]
    if ordered and found[0][0] == 0 and ordered[0].kind in _CONTAINERS:
        # "dust over Africa ... over West Africa": the region named inside the first is the scene
        inner = next(
            (
                m
                for aside, m in found[1:]
                if not aside and m.kind != "continent" and _contains(ordered[0].bbox, m.bbox)
            ),
            None,
        )
        if inner is not None:
            ordered.remove(inner)
            ordered.insert(0, inner)
    return ordered


def _contains(
    outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]
) -> bool:
    """Whether box ``inner`` lies inside box ``outer`` (either may cross 180 degrees).

    With a degree to spare: the boxes come from maps of different scales.
    """

    def width(west: float, east: float) -> float:
        return 360.0 if (west, east) == (-180.0, 180.0) else (east - west) % 360.0

    if inner == outer or not (outer[1] - 1.0 <= inner[1] and inner[3] <= outer[3] + 1.0):
        return False
    offset = (inner[0] - outer[0] + 1.0) % 360.0
    return offset + width(inner[0], inner[2]) <= width(outer[0], outer[2]) + 2.0


def _mention(region: Region, text: str, span: tuple[int, int]) -> RegionMention:
    return RegionMention(region.name, region.kind, region.bbox, text, span)


def region_geometry(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """A region's footprint as GeoJSON: its box, split in two at 180 degrees when it crosses.

    Args:
        bbox: ``(west, south, east, north)``; ``west > east`` for a box across the antimeridian.

    Returns:
        A ``Polygon``, or a ``MultiPolygon`` of the parts east and west of 180 degrees (from
        which :func:`gaia_geo.stac.build_item` writes the bbox with ``west > east``).

    Example:
        >>> region_geometry((170.0, 50.0, -160.0, 60.0))["type"]
        'MultiPolygon'
    """
    west, south, east, north = bbox

    def box(w: float, e: float) -> list[list[list[float]]]:
        return [[[w, south], [e, south], [e, north], [w, north], [w, south]]]

    if west <= east:
        return {"type": "Polygon", "coordinates": box(west, east)}
    return {"type": "MultiPolygon", "coordinates": [box(west, 180.0), box(-180.0, east)]}
