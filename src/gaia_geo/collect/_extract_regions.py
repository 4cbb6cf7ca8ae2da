"""Seas, oceans, continents and regions of several countries an article's picture shows.

Part of :func:`gaia_geo.collect.extract_metadata`, asked only when no country place was found
(a hurricane over the Atlantic, a bloom in the Baltic Sea, the Americas at night): the places
module deliberately gives such scenes no country. Each region has a footprint, a bounding box
from Natural Earth (``data/regions.csv``; see ``_region_build.py`` for how it was made and
``data/PROVENANCE.md`` for the source), so the picture can still become a located Item.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from ._data_files import data_rows
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
_LAND = frozenset({"continent", "region"})


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
    by_name: dict[str, Region] = {}
    for row in data_rows("regions.csv"):
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        bbox = (float(row["west"]), float(row["south"]), float(row["east"]), float(row["north"]))
        region = Region(row["name"], cast(RegionKind, row["kind"]), aliases, bbox)
        for name in (region.name, *aliases):
            by_name.setdefault(name, region)
    return by_name


@functools.cache
def _spellings() -> dict[str, Region]:
    """Every way a text may write a name: as in the table, and with ``_LOWER_OK`` words lower."""
    spellings: dict[str, Region] = {}
    for name, region in load_regions().items():
        if region.kind == "global":  # "Earth" alone is no picture of the planet
            continue
        for words in itertools.product(
            *([w, w.lower()] if w in _LOWER_OK else [w] for w in name.split(" "))
        ):
            spellings.setdefault(" ".join(words), region)
    return spellings


def _trie_pattern(names: list[str]) -> str:
    """One regex for many names, branching letter by letter: ~10x faster than ``a|b|c``.

    Longer names are tried first where one name continues another ("North Atlantic Ocean").
    """
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


@functools.cache
def _region_pattern() -> re.Pattern[str]:
    return re.compile(
        # a capital or a compass word opens every name; "Mid-Atlantic" (a US region),
        # "trans-Atlantic" and "South Africa" (a country) are not the sea or the continent
        rf"(?=[A-Zcensw])(?<![\w-])(?=[A-Z]|central|north|south|east|west)(?<!South )"
        rf"(?:{_trie_pattern(list(_spellings()))})(?![\w-]){_LAND_NEXT}"
    )


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
        region = _spellings()[" ".join(match.group(0).split())]
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
    # only around a hint ("planet", "globe", "Earth", "disk", "global"): a scan ~10x cheaper
    for hint in _WHOLE_EARTH_HINT.finditer(text):
        whole = _WHOLE_EARTH.search(text, max(0, hint.start() - 50), hint.end() + 30)
        if whole is not None:
            earth = load_regions()["Earth"]
            found.append((0, _mention(earth, whole.group(0), whole.span())))
            break
    found.sort(key=lambda f: (f[0], f[1].span[0]))
    ordered = [m for _, m in found]
    if ordered and found[0][0] == 0 and ordered[0].kind in _CONTAINERS:
        # "dust over Africa ... over West Africa": the region named inside the first is the scene
        inner = next(
            (
                m
                for aside, m in found[1:]
                if not aside
                and m.kind != "continent"
                and _contains(
                    ordered[0].bbox,
                    m.bbox,
                    # boxes of land from maps of different scales differ by a few km
                    slack=1.0 if (m.kind in _LAND) == (ordered[0].kind in _LAND) else 0.0,
                )
            ),
            None,
        )
        if inner is not None:
            ordered.remove(inner)
            ordered.insert(0, inner)
    return ordered


def _contains(
    outer: tuple[float, float, float, float],
    inner: tuple[float, float, float, float],
    *,
    slack: float,
) -> bool:
    """Whether box ``inner`` lies inside box ``outer`` (either may cross 180 degrees).

    ``slack`` degrees to spare on every side.
    """

    def width(west: float, east: float) -> float:
        return 360.0 if (west, east) == (-180.0, 180.0) else (east - west) % 360.0

    if inner == outer or not (outer[1] - slack <= inner[1] and inner[3] <= outer[3] + slack):
        return False
    offset = (inner[0] - outer[0] + slack) % 360.0
    return offset + width(inner[0], inner[2]) <= width(outer[0], outer[2]) + 2 * slack + 1e-9


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
