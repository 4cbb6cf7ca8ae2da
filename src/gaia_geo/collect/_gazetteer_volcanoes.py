"""Volcanoes for the gazetteer: the names articles give them, from ``data/volcanoes.csv``.

``data/volcanoes.csv`` (name, country code, lat, lon, recent) holds the named volcanoes of NOAA
NGDC's volcano locations database (derived from the Smithsonian Global Volcanism Program; US
Government work, public domain), as republished by plotly/datasets ``volcano_db.csv``;
``recent`` is 1 for those with an eruption in historical times or since 1964.
:func:`build_volcano_table` regenerates it from that file.
Eruptions are among the commonest subjects of Earth-observation stories, and a volcano's name
is often the only place they give ("Bardarbunga", "Sarychev Peak", "Montagu Island").

Each volcano is indexed as "Mount X" and "X Volcano"; bare "X" only for a recent one, where no
town, region or country has that name and it is not an ordinary word or given name, so that
"Ruby" or "Long Island" keep their usual sense. The source predates some eruptions (Anatahan's
first recorded one, in 2003): the others are still found as "the Anatahan Volcano".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Container, Iterator
from pathlib import Path

from ._data_files import data_rows

#: Names that are ordinary words, given names or much better known places elsewhere: indexed
#: only as "Mount X" / "X Volcano".
_NOT_BARE = frozenset(
    "Ruby Trident Victory Martin Baker Hood Fisher Parker Late Pagan Augustine Michael Macdonald "
    "Redoubt Pico Santiago Oshima Heard Shasta Ruiz Kone Epi Iya Ibu Aso Usu Zao Awu Bam Gede "
    "Kaba Salak Pago Ragang Saba Savo Socorro Wrangell Tolima Colima Okataina Lipari Pinta "
    "Fogo Fuji".split()
    + ["Long Island", "South Island", "White Island", "Smith Rock", "Home Reef", "St. Paul"]
)
#: Words that already say what the name is ("Sarychev Peak", "Montagu Island", "Cerro Azul").
_GENERIC = re.compile(
    r"^(?:Mount|Mt\.|Cerro|Volcan|Monte|Morne|Nevado|Pico|Piton|Harra|Harrat|Jebel|Jabal|The|El|"
    r"La|Las|Los|Bur|Batu|Ol)\b|\b(?:Island|Islands|Peak|Group|Field|Caldera|Seamount|Bank|Reef|"
    r"Rocks|Shoal|Maars|Complex|Center|Volcano|Rift|Ridge|Mountain|Nunataks)\b"
)
#: A hyphen before a lower-case syllable ("Sakura-jima", "Akita-Yake-yama"): left out in the
#: spelling most texts use.
_JOINED = re.compile(r"-(?=[a-z])")
#: The source's country names that CLDR spells otherwise.
_COUNTRY = {
    "Congo, DRC": "CD",
    "Solomon Is.": "SB",
    "St. Vincent & the Grenadines": "VC",
    "St. Lucia": "LC",
    "Heard I. & McDonald Is.": "HM",
    "Jan Mayen": "SJ",
    "Reunion": "RE",
    "Trinidad": "TT",
    "North Korea": "KP",
    "South Korea": "KR",
    "Cape Verde": "CV",
    "Turkey": "TR",
}
#: Rows the source gets wrong: Lakagigar (Iceland) filed under Sweden at 17 E, Kick-'em-Jenny
#: (off Grenada) under the Netherlands.
_LEFT_OUT = ("Lakagigar", "Kick-'em-Jenny")
#: A town this close to the volcano decides its country where the source gives another (the
#: Mariana Islands under "United States", Saba under "Netherlands", the Banda Sea's islands
#: under "Pacific Ocean").
_NEAR_KM = 300.0


def volcano_entries(taken: Container[str]) -> Iterator[tuple[str, str, float, float]]:
    """``(name, cc, lat, lon)`` for each name a volcano is indexed under.

    Args:
        taken: names the gazetteer already has (towns, regions, countries, features): a volcano
            gets its bare name only when it is free.
    """
    for row in data_rows("volcanoes.csv"):
        cc, lat, lon = row["cc"], float(row["lat"]), float(row["lon"])
        recent = row["recent"] == "1"
        forms: set[str] = set()
        # the source's romanised Japanese ("Sakura-jima", "On-take") as articles write it too
        # ("Sakurajima", "Mt. Ontake")
        for name in dict.fromkeys((row["name"], _JOINED.sub("", row["name"]))):
            forms.add(f"{name} Volcano")
            if not _GENERIC.search(name):
                forms.add(f"Mount {name}")
            if recent and name not in taken and name not in _NOT_BARE and len(name) >= 4:
                forms.add(name)
        for form in sorted(forms):
            if form not in taken:
                yield form, cc, lat, lon


def _uninvert(name: str) -> str:
    """The source's "Azul, Cerro" as "Cerro Azul", "Cameroon, Mt." as "Mount Cameroon"."""
    name = re.sub(r"\s*\[.*?\]", "", name).strip()  # "Colo [Una Una]" -> "Colo"
    if ", " in name:
        head, _, lead = name.partition(", ")
        name = f"{'Mount' if lead in ('Mt.', 'Mt') else lead} {head}"
    return name


def build_volcano_table(source: str | Path, out: str | Path) -> int:  # pragma: no cover
    """Regenerate ``data/volcanoes.csv`` from plotly/datasets ``volcano_db.csv``.

    Keeps the named rows (not "Unnamed"), ``recent`` where the ``Status`` is ``Historical`` or
    the ``Last Known`` eruption is ``D1`` (1964 or later); a name listed twice keeps its recent
    row, then the one with the latest eruption. Two rows whose coordinates or country the
    source gets wrong are left out (:data:`_LEFT_OUT`). The country comes from the source's
    name (CLDR English names, :data:`_COUNTRY` for its own spellings; "Antarctica" north of
    60 S is South Georgia and the South Sandwich Islands), unless a town of another country
    lies within 300 km (:data:`_NEAR_KM`); a volcano with neither is dropped. The source file
    is Latin-1.

    Returns:
        The number of rows written.
    """
    from ._gazetteer import TownCountry, load_gazetteer

    codes = load_gazetteer().country_codes
    town_country = TownCountry(_NEAR_KM)
    rows: dict[str, tuple[str, float, float, int]] = {}
    ranks: dict[str, tuple[int, int]] = {}
    with open(source, encoding="latin-1", newline="") as handle:  # the file is not UTF-8
        for raw in csv.DictReader(handle):
            recent = int(raw["Status"] == "Historical" or raw["Last Known"] == "D1")
            # among rows of one name, a recent one, then the latest eruption (D1 < D2 ...)
            digit = raw["Last Known"][1:2]
            rank = (recent, -int(digit) if digit.isdigit() else -9)
            name = _uninvert(raw["Volcano Name"])
            lat, lon = float(raw["Latitude"]), float(raw["Longitude"])
            if name in ("Unnamed", *_LEFT_OUT) or (name in ranks and ranks[name] >= rank):
                continue
            ranks[name] = rank
            country = raw["Country"]
            cc = _COUNTRY.get(country) or codes.get(country)
            if country == "Antarctica":
                cc = "GS" if lat > -60 else "AQ"
            near_cc = town_country(lat, lon)
            if near_cc is not None and cc not in ("AQ", "GS"):
                cc = near_cc
            if cc:
                rows[name] = (cc, lat, lon, recent)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "cc", "lat", "lon", "recent"])
        for name, (cc, lat, lon, recent) in sorted(rows.items()):
            writer.writerow([name, cc, lat, lon, recent])
    return len(rows)
