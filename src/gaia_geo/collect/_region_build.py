"""Regenerate ``data/regions.csv``: the footprints of seas, oceans, continents and regions.

A maintainer's tool, never run by the library. The footprints are bounding boxes computed from
Natural Earth (public domain, https://www.naturalearthdata.com; GeoJSON conversions in the
repositories ``nvkelso/natural-earth-vector`` and ``martynafford/natural-earth-geojson``):

- ``ne_50m_geography_marine_polys``: oceans, seas, gulfs, bays, straits and channels;
- ``ne_50m_geography_regions_polys``: continents and named regions (Sahel, Central America,
  Balkan Peninsula, ...);
- ``ne_110m_admin_0_countries``: regions made of whole countries, either a UN subregion as
  Natural Earth labels it (``SUBREGION``, e.g. "Northern Africa") or a list of countries chosen
  here (``ADM0_A3`` codes, e.g. Western Europe in its common sense, with the British Isles and
  Iberia, where the UN subregion has neither). Only the mainland cluster of each country counts
  (its largest polygon and the parts within 5 degrees of it, hop by hop): French Guiana is not
  in Western Europe, nor Svalbard in Scandinavia.

Rows Natural Earth lacks are given by hand (``source`` column ``hand``): the whole Earth, the
hemispheres, the Arctic (north of the Arctic Circle) and the Aral Sea (a lake, not in the marine
polygons). Boxes that cross the antimeridian (the Pacific, Oceania, North America with the
Aleutians) are written with ``west > east``, as STAC writes such a bbox.

Usage: ``python -m gaia_geo.collect._region_build NE_DIR OUT_CSV`` where ``NE_DIR`` holds the
three files as ``<name>.json`` (or ``.geojson``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

#: ``name | kind | aliases | sources``; sources joined by ``;``, each ``file: selector``:
#: ``marine``/``regions`` with Natural Earth names (``@west,east``: only the features whose
#: centre lies in that longitude range), ``subregion`` with UN subregion labels (as Natural Earth
#: writes them), ``countries`` with ADM0_A3 codes, ``continent`` or ``wb`` (World Bank region)
#: with one label, ``hand`` with a bbox.
_SEAS = """
Atlantic Ocean | ocean | Atlantic | marine: North Atlantic Ocean, South Atlantic Ocean
North Atlantic Ocean | ocean | North Atlantic | marine: North Atlantic Ocean
South Atlantic Ocean | ocean | South Atlantic | marine: South Atlantic Ocean
Pacific Ocean | ocean | Pacific | marine: North Pacific Ocean, South Pacific Ocean
North Pacific Ocean | ocean | North Pacific | marine: North Pacific Ocean
South Pacific Ocean | ocean | South Pacific | marine: South Pacific Ocean
Indian Ocean | ocean | | marine: Indian Ocean
Arctic Ocean | ocean | | marine: Arctic Ocean
Southern Ocean | ocean | Antarctic Ocean | marine: Southern Ocean
Mediterranean Sea | sea | Mediterranean | marine: Mediterranean Sea
Western Mediterranean | sea | | marine: Mediterranean Sea @-10,10
Eastern Mediterranean | sea | | marine: Mediterranean Sea @10,40
Baltic Sea | sea | Baltic | marine: Baltic Sea, Gulf of Bothnia, Gulf of Finland
Caribbean Sea | sea | | marine: Caribbean Sea
Sea of Japan | sea | East Sea | marine: Sea of Japan
Persian Gulf | gulf | Arabian Gulf | marine: Persian Gulf
Gulf of California | gulf | Golfo de California, Sea of Cortez | marine: Golfo de California
Bay of Campeche | bay | Bahía de Campeche | marine: Bahía de Campeche
Gulf of Panama | gulf | Golfo de Panamá | marine: Golfo de Panamá
Gulf of Lion | gulf | Golfe du Lion, Gulf of Lions | marine: Golfe du Lion
Río de la Plata | gulf | Rio de la Plata, River Plate | marine: Río de la Plata
Bohai Sea | sea | Bo Hai, Bohai | marine: Bo Hai
Northwest Passage | channel | | marine: The North Western Passages
Aral Sea | sea | | hand: 58.1 43.4 61.9 46.9
"""
#: Natural Earth marine names kept under their own name (the rest are a reef, rivers, label
#: areas with no water of their own ("Inner Seas") or broken tiny polygons: Luzon Strait, Korea
#: Strait, Scotia Sea).
_MARINE_AS_NAMED = (
    "Black Sea|Philippine Sea|Coral Sea|Tasman Sea|Bay of Bengal|South China Sea|Arabian Sea|"
    "Beaufort Sea|Gulf of Mexico|Labrador Sea|Hudson Bay|Caspian Sea|Baffin Bay|Gulf of Alaska|"
    "Red Sea|Sea of Okhotsk|Ross Sea|Weddell Sea|Celebes Sea|Sulu Sea|Norwegian Sea|"
    "Greenland Sea|Banda Sea|Bay of Biscay|Mozambique Channel|Gulf of Guinea|Gulf of Bothnia|"
    "Gulf of Finland|Barents Sea|North Sea|Irish Sea|Java Sea|Andaman Sea|Yellow Sea|"
    "East China Sea|Chukchi Sea|Arafura Sea|Timor Sea|Gulf of Thailand|Laccadive Sea|"
    "Bellingshausen Sea|Amundsen Sea|Davis Strait|Kara Sea|Laptev Sea|Drake Passage|Bering Sea|"
    "Sargasso Sea|Great Australian Bight|Gulf of Aden|Gulf of Oman|Tyrrhenian Sea|White Sea|"
    "James Bay|Gulf of Carpentaria|Hudson Strait|English Channel|Gulf of Honduras|Adriatic Sea|"
    "Bristol Channel|Bay of Plenty|Ionian Sea|Gulf of St. Lawrence|Molucca Sea|Bismarck Sea|"
    "Solomon Sea|Gulf of Tonkin|Bay of Fundy|Strait of Malacca|Strait of Singapore|"
    "Makassar Strait|Ceram Sea|Taiwan Strait|Cook Inlet|Bristol Bay|Melville Bay|Gulf of Maine|"
    "Chesapeake Bay|Strait of Gibraltar|Balearic Sea|Aegean Sea|Gulf of Mannar|Shelikhova Gulf|"
    "Gulf of Kutch|Amundsen Gulf|Viscount Melville Sound|Ungava Bay|Golfo San Jorge"
).split("|")
_LAND = """
Africa | continent | | regions: Africa
Antarctica | continent | Antarctic | regions: Antarctica
Asia | continent | | regions: Asia
Europe | continent | | regions: Europe
North America | continent | | regions: North America
South America | continent | | regions: South America
Oceania | continent | | continent: Oceania
Americas | region | North and South America, South and North America | \
    regions: North America, South America
Central America | region | | regions: Central America
Caribbean | region | | marine: Caribbean Sea; subregion: Caribbean
Sahel | region | | regions: Sahel
Balkans | region | Balkan Peninsula | regions: Balkan Pen.
Indochina | region | Indochina Peninsula, Indochinese Peninsula | regions: Indochina Peninsula
Arabian Peninsula | region | Arabia | regions: Arabian Peninsula
Congo Basin | region | | regions: Congo Basin
Amazon Basin | region | | regions: Amazon Basin
Patagonia | region | | regions: Patagonia
Kalahari Desert | region | Kalahari | regions: Kalahari Desert
East Antarctica | region | | regions: East Antarctica
West Antarctica | region | | regions: West Antarctica
North Africa | region | Northern Africa | subregion: Northern Africa
West Africa | region | Western Africa | subregion: Western Africa
East Africa | region | Eastern Africa | subregion: Eastern Africa
Central Africa | region | Middle Africa | subregion: Middle Africa
Southern Africa | region | | subregion: Southern Africa
Sub-Saharan Africa | region | | wb: Sub-Saharan Africa
Horn of Africa | region | | countries: DJI ERI ETH SOM SOL
Middle East | region | | \
    countries: CYP CYN EGY IRN IRQ ISR JOR KWT LBN OMN PSX QAT SAU SYR TUR ARE YEM
Central Asia | region | | subregion: Central Asia
South Asia | region | Southern Asia | countries: BGD BTN IND LKA NPL PAK
Southeast Asia | region | South-East Asia, South East Asia, South-eastern Asia | \
    subregion: South-Eastern Asia
East Asia | region | Eastern Asia | subregion: Eastern Asia
Western Europe | region | | countries: AUT BEL CHE DEU FRA LUX NLD GBR IRL ESP PRT
Northern Europe | region | | subregion: Northern Europe
Southern Europe | region | | subregion: Southern Europe
Eastern Europe | region | | countries: BGR BLR CZE HUN MDA POL ROU SVK UKR
Central Europe | region | | countries: AUT CHE CZE DEU HUN POL SVK SVN
Scandinavia | region | Scandinavian Peninsula | countries: NOR SWE DNK
Arctic | region | | hand: -180 66.56 180 90
Western Hemisphere | hemisphere | | hand: -180 -90 0 90
Eastern Hemisphere | hemisphere | | hand: 0 -90 180 90
Northern Hemisphere | hemisphere | | hand: -180 0 180 90
Southern Hemisphere | hemisphere | | hand: -180 -90 180 0
Earth | global | | hand: -180 -90 180 90
"""
_FILES = {
    "marine": "ne_50m_geography_marine_polys",
    "regions": "ne_50m_geography_regions_polys",
    "countries": "ne_110m_admin_0_countries",
}
_HOP_DEGREES = 5.0
#: French Southern and Antarctic Lands: listed with Sub-Saharan Africa, 3,000 km off it.
_NOT_IN_REGIONS = frozenset({"ATF"})


def _clean(name: str) -> str:
    return " ".join(name.split()).casefold()


def _features(folder: Path, key: str) -> list[dict[str, Any]]:
    for suffix in (".json", ".geojson"):
        path = folder / f"{_FILES[key]}{suffix}"
        if path.exists():
            features: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["features"]
            return features
    raise FileNotFoundError(
        f"{folder / _FILES[key]}.json not found: download it from Natural Earth"
    )


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    import shapely.geometry

    shape = shapely.geometry.shape(geometry)
    return list(getattr(shape, "geoms", [shape]))


def _mainland(parts: list[Any]) -> list[Any]:
    """The largest polygon and the parts within ``_HOP_DEGREES`` of it, hop by hop."""
    kept = [max(parts, key=lambda p: p.area)]
    rest = [p for p in parts if p is not kept[0]]
    grew = True
    while grew:
        near = [p for p in rest if any(p.distance(k) <= _HOP_DEGREES for k in kept)]
        kept += near
        rest = [p for p in rest if not any(p is n for n in near)]
        grew = bool(near)
    return kept


def circular_bbox(parts: list[Any]) -> tuple[float, float, float, float]:
    """The smallest box holding every polygon, ``west > east`` when it crosses 180 degrees.

    Polygons split at the antimeridian (parts touching +180 and -180) join across it: the box
    leaves out the widest stretch of longitude that no part covers.
    """
    bounds = [p.bounds for p in parts]
    south, north = min(b[1] for b in bounds), max(b[3] for b in bounds)
    spans = sorted((b[0], b[2]) for b in bounds)
    merged: list[list[float]] = []
    for west, east in spans:
        if merged and west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    wrap_gap = merged[0][0] + 360.0 - merged[-1][1]
    gaps = [(merged[i + 1][0] - merged[i][1], i) for i in range(len(merged) - 1)]
    widest = max(gaps, default=(-1.0, -1))
    if max(wrap_gap, widest[0]) < 1e-6:
        return -180.0, south, 180.0, north
    if wrap_gap >= widest[0]:
        return merged[0][0], south, merged[-1][1], north
    i = widest[1]
    return merged[i + 1][0], south, merged[i][1], north


def _spec(table: str) -> list[tuple[str, str, list[str], list[tuple[str, str]]]]:
    """``(name, kind, aliases, [(file, selector), ...])`` per row of a spec table."""
    rows = []
    for line in table.strip().splitlines():  # (a backslash ending a line joins the next)
        name, kind, aliases, sources = (cell.strip() for cell in line.split("|"))
        rows.append(
            (
                name,
                kind,
                [a.strip() for a in aliases.split(",") if a.strip()],
                [
                    (key.strip(), selector.strip())
                    for key, selector in (s.split(":", 1) for s in sources.split(";"))
                ],
            )
        )
    return rows


def _select(
    folder: Path, key: str, selector: str, cache: dict[str, list[dict[str, Any]]]
) -> list[Any]:
    import shapely.geometry

    if key == "hand":
        return [shapely.geometry.box(*(float(v) for v in selector.split()))]
    file = key if key in ("marine", "regions") else "countries"
    features = cache.setdefault(file, _features(folder, file))
    if key in ("marine", "regions"):
        names, _, span = selector.partition("@")
        wanted = {_clean(n) for n in names.split(",")}
        chosen = [f for f in features if _clean(f["properties"]["name"]) in wanted]
        parts = [p for f in chosen for p in _polygons(f["geometry"])]
        if span:
            west, east = (float(v) for v in span.split(","))
            parts = [p for p in parts if west <= p.centroid.x < east]
        if not parts:
            raise ValueError(f"{selector} not found in {_FILES[file]}")
        return parts
    field = {"subregion": "SUBREGION", "countries": "ADM0_A3", "continent": "CONTINENT"}.get(
        key, "REGION_WB"
    )
    labels = set(selector.split()) if key == "countries" else {selector}
    chosen = [
        f
        for f in features
        if f["properties"][field] in labels and f["properties"]["ADM0_A3"] not in _NOT_IN_REGIONS
    ]
    missing = labels - {f["properties"][field] for f in chosen}
    if missing:
        raise ValueError(f"{sorted(missing)} not found in {_FILES[file]} {field}")
    if key == "continent":  # Oceania: islands far apart, across 180 degrees, all count
        return [p for f in chosen for p in _polygons(f["geometry"])]
    return [p for f in chosen for p in _mainland(_polygons(f["geometry"]))]


def build_region_table(ne_dir: str | Path, out: str | Path) -> int:  # pragma: no cover
    """Write ``data/regions.csv`` from the Natural Earth files in ``ne_dir``; returns the rows."""
    folder = Path(ne_dir)
    cache: dict[str, list[dict[str, Any]]] = {}
    by_name = {
        _clean(f["properties"]["name"]): f["properties"] for f in _features(folder, "marine")
    }
    named = []
    for name in _MARINE_AS_NAMED:
        properties = by_name[_clean(name)]
        kind = {"sound": "sea"}.get(properties["featurecla"], properties["featurecla"])
        aliases = [properties["namealt"]] if properties.get("namealt") else []
        named.append((name, kind, aliases, [("marine", name)]))
    rows = []
    for name, kind, aliases, sources in _spec(_SEAS) + named + _spec(_LAND):
        parts = [p for key, selector in sources for p in _select(folder, key, selector, cache)]
        box = (f"{round(v, 2) + 0.0:.2f}" for v in circular_bbox(parts))
        origin = "hand" if sources[0][0] == "hand" else "natural-earth"
        rows.append([name, kind, "|".join(aliases), *box, origin])
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "kind", "aliases", "west", "south", "east", "north", "source"])
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":  # pragma: no cover
    print(build_region_table(sys.argv[1], sys.argv[2]), "rows")
