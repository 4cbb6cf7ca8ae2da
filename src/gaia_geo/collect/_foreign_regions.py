"""First-level regions named in the languages articles are written in (CLDR), for the gazetteer.

DLR, CNES, ASI, JAXA and the news sites of Europe and Asia name the region they imaged in their
own language ("in der Toskana", "en Andalousie", "la Baviera", "Île-de-France", "in Bayern",
"バイエルン州", "四川") far more often than its English name or its country. CLDR
gives the names of every first-level subdivision (states, provinces, regions, prefectures) in
those languages. Two tables hold them:

- ``data/region_names.csv`` (``code``, ``lang``, ``name``, ``lat``, ``lon``): the names in Latin
  script (German, French, Italian, Spanish, Portuguese, Dutch, Polish, Swedish, Danish,
  Hungarian), each as texts write it, less the designator CLDR puts before or after it
  ("Autonome Gemeinschaft Andalusien" -> "Andalusien", "Voïvodie de Petite-Pologne" ->
  "Petite-Pologne", "Kis-lengyelországi vajdaság" is left whole), at the point of the
  gazetteer's region of that code (the country's point when GeoNames has none). They join the
  gazetteer's index through :func:`latin_region_entries`, after the names already there.
- ``data/subdivision_names.csv`` (``code``, ``lang``, ``name``): the names in Japanese, Korean,
  Chinese and Hindi, found by ``_gazetteer_names.scripted_places`` (``_SCRIPT_BEFORE`` and
  ``_SCRIPT_AFTER`` also know Greek and Russian designators, for a language added later).

Left out when building (:func:`build_region_name_tables`): a name equal to the English one, a
name shorter than four letters (two for a Chinese, Japanese or Korean region of those
countries, three for others), a name of regions in two countries ("Limburg", "Georgia"), an
English word ("Centre", "Nord" is no word but a compass point: left out too), and a name that is
a country's in any language.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._data_files import data_rows

if TYPE_CHECKING:
    from ._gazetteer import Place

#: The languages of ``data/region_names.csv`` (Latin script) and of the rows this module adds to
#: ``data/subdivision_names.csv`` (other scripts).
LATIN_LANGUAGES = ("de", "fr", "it", "es", "pt", "nl", "pl", "sv", "da", "hu")
SCRIPT_LANGUAGES = ("ja", "ko", "zh", "hi")


@functools.cache
def _latin_rows() -> tuple[tuple[str, str, float, float], ...]:
    return tuple(
        (r["name"], r["code"][:2], float(r["lat"] or "nan"), float(r["lon"] or "nan"))
        for r in data_rows("region_names.csv")
    )


def latin_region_entries(
    index: dict[str, list[Place]], taken: Iterable[str]
) -> Iterator[tuple[str, Place]]:
    """``(name, region)`` per Latin-script region name the gazetteer does not hold yet.

    Args:
        index: the gazetteer's index so far (name -> places).
        taken: names that already name something of note (a country, region, feature or
            large city); a village of the name goes after the region.
    """
    from ._gazetteer import Place, fold_accents

    known = set(taken)
    countries = {r["cc"]: (float(r["lat"]), float(r["lon"])) for r in data_rows("countries.csv")}
    for name, cc, lat, lon in _latin_rows():
        if lat != lat and cc in countries:  # (NaN: no GeoNames region; the country's point)
            lat, lon = countries[cc]
        for spelled in dict.fromkeys((name, fold_accents(name))):
            # (a town of the name in another country: the name is no one region's, "Upsala" in
            # Argentina; the index is read as it is now: the caller changes only names yielded)
            if spelled not in known and _only_in(index.get(spelled), cc):
                known.add(spelled)
                yield spelled, Place(name, lon, lat, cc, "", "region", 1e5)


def _only_in(places: list[Place] | None, cc: str) -> bool:
    """Whether ``places`` (None: the name is new) are all in the country ``cc``."""
    return places is None or {p.country_code for p in places} == {cc}


# ---------------------------------------------------------------------------------------------
# Building the tables from CLDR (a maintainer's tool)

#: Designators CLDR writes before a region's name ("Provinz X", "province de X", "Voivodato
#: della X"), and the linking words after them.
_BEFORE = re.compile(
    r"^(?:autonome gemeinschaft|comunidad autónoma|comunidade autónoma|comunidade autônoma"
    r"|woiwodschaft|woiwodschap|województwo|voïvodie|voivodato|voivodia|präfektur|préfecture"
    r"|prefettura|prefectura|prefeitura|prefectuur|prefektura|provinz|province|provincia"
    r"|província|provincie|prowincja|region|région|regione|región|região|regio|bundesstaat"
    r"|staat|état|stato|estado|stan|departement|département|dipartimento|departamento"
    r"|departament|kanton|canton|cantone|cantón|oblast|óblast|obwód|gouvernement|gouvernorat"
    r"|governatorato|gobernación|distrikt|district|distretto|distrito|dystrykt|bezirk"
    r"|grafschaft|comté|contea|condado|hrabstwo|territoire|territorio|território|emirat"
    r"|émirat|emirato|emiraat|parish|paroisse|parroquia|parrocchia|freistaat|land|republik"
    r"|république|repubblica|república|republiek|republika)"
    r"(?:\s+(?:de la|de las|de los|de l’|de|du|des|d’|di|del|della|dello|dell’|degli|da|do|dos"
    r"|das|der))?(?:\s+|(?<=’))",
    re.IGNORECASE,
)
#: Designators CLDR writes after a region's name ("Hokkaido prefektur", "Pest megye").
_AFTER = re.compile(
    r"\s+(?:prefektúra|megye|tartomány|régió|állam|vajdaság|prefektur|prefekturen|provinsen"
    r"|provins|län|delstat|delstaten|vojvodskap|regionen|region|præfektur|præfekturet|provinsen"
    r"|provincie|distrikt|distriktet|kanton|kantonen|oblast|grevskap|amt)$",
    re.IGNORECASE,
)
#: Designators after an English name ("Lesser Poland Voivodeship", "Ajdovščina Municipality").
_ENGLISH_AFTER = re.compile(
    r"\s+(?:Voivodeship|Province|Prefecture|Region|State|Governorate|County|District"
    r"|Municipality|Oblast|Krai|Department|Parish|Canton|Emirate|Territory)$"
)
#: What CJK, Hangul, Devanagari, Greek and Cyrillic names put after or before the name.
_SCRIPT_AFTER = re.compile(
    r"(?:特別行政区|特别行政区|自治区|自治州|自由州|地方|地区|大区|省|州|県|府|都|郡|区|县|市"
    r"|\s(?:주|성|도|지방|현|시|구|군)|\s(?:प्रान्त|प्रांत|राज्य|क्षेत्र|प्रीफ़ैक्चर|वोइवोडीशिप|ज़िला)"
    r"|\s(?:область|край|провинция|воеводство|штат|префектура|округ|регион|губернаторство))$"
)
_SCRIPT_BEFORE = re.compile(r"^(?:Περιφέρεια|Νομός|Πολιτεία|Επαρχία|Περιοχή|Республика)\s+")
#: Compass and position words that CLDR gives as a region's whole name in some country ("Nord",
#: "Centre", "Oriental"): in a text they are words, not that region.
_POSITION_WORDS = frozenset(
    "nord norte north süd sud sur south ost est este east west ouest oeste centre centro center"
    " zentrum central centrale oriental orientale occidental occidentale capitale capital"
    " littoral litoral mitte mittel väst öst syd norr vest nyugat kelet észak dél noord zuid"
    " oost zachód wschód północ południe centrum"
    # and the common nouns some regions are named by (Chad's "Lac", El Salvador's "La Unión")
    " lac lago see meer sjö jezioro union unión unione união unie costa côte küste kust"
    " île isla isola ilha insel eiland wyspa ön øen sziget".split()
)
#: Countries whose regions a Chinese, Japanese or Korean text names by a two-character stem.
_CJK_HOMES = frozenset({"CN", "TW", "HK", "MO", "JP", "KR", "KP"})
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")


def _first_level(common: Path) -> dict[str, str]:
    """CLDR's first-level subdivision codes ("it52") -> ISO country code ("IT")."""
    text = (common / "supplemental" / "subdivisions.xml").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for country, contains in re.findall(r'<subgroup type="([A-Z]{2})" contains="([^"]+)"', text):
        for code in contains.split():
            out[code] = country
    return out


def _names(common: Path, lang: str) -> dict[str, str]:
    """CLDR's names of subdivisions in one language, code -> name."""
    text = (common / "subdivisions" / f"{lang}.xml").read_text(encoding="utf-8")
    pairs = re.findall(r'<subdivision type="([a-z0-9]+)"[^>]*>([^<]+)</subdivision>', text)
    # ("Île-de-France²": CLDR marks a name shared with another code by a superscript digit)
    return {code: name.replace("&amp;", "&").strip().rstrip("¹²³⁴⁵⁶⁷⁸⁹") for code, name in pairs}


def _spoken(name: str, script: bool) -> str:
    """A CLDR name as texts write it: no qualifier in brackets, no designator."""
    name = re.split(r"\s*[(\uff08]", name, maxsplit=1)[0].strip()
    if script:
        name = _SCRIPT_BEFORE.sub("", name)
        return _SCRIPT_AFTER.sub("", name).strip()
    return _AFTER.sub("", _BEFORE.sub("", name)).strip()


def _long_enough(name: str, cc: str) -> bool:
    if _CJK.match(name):
        return len(name) >= (2 if cc in _CJK_HOMES else 3)
    return len(name) >= 4


def build_region_name_tables(
    common: str | Path, words: str | Path, data: str | Path, skip: frozenset[str] = frozenset()
) -> dict[str, int]:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/region_names.csv`` and the added rows of ``subdivision_names.csv``.

    Args:
        common: CLDR's ``common`` folder (``subdivisions/<lang>.xml``,
            ``supplemental/subdivisions.xml``).
        words: an English word list, one word a line (``/usr/share/dict/words``).
        data: the package's ``data`` folder, whose ``subdivision_names.csv`` keeps its Japan
            and Korea rows and gets the other languages' rows after them.
        skip: countries left out, those whose first-level units are municipalities or raions
            (Slovenia, North Macedonia, Azerbaijan, Malta, Latvia, Moldova: ``SI MK AZ MT LV
            MD``), which no foreign article names.

    Returns:
        How many names were kept and left out, by reason.
    """
    from ._gazetteer import fold_accents, load_gazetteer

    common, data = Path(common), Path(data)
    first = _first_level(common)
    english = _names(common, "en")
    lower = {w.strip() for w in Path(words).read_text(encoding="utf-8").splitlines() if w.islower()}
    gazetteer = load_gazetteer()
    countries = {r["name"] for r in data_rows("country_names.csv")} | set(gazetteer.country_codes)
    counts: dict[str, int] = {}
    # the English name as written and less its designator ("Lesser Poland Voivodeship")
    said = {
        code: {fold_accents(name), fold_accents(_ENGLISH_AFTER.sub("", name))}
        for code, name in english.items()
    }

    def drop(reason: str) -> None:
        counts[reason] = counts.get(reason, 0) + 1

    # name -> {code: langs}, per kind of script
    found: dict[bool, dict[str, dict[str, list[str]]]] = {False: {}, True: {}}
    for script, languages in ((False, LATIN_LANGUAGES), (True, SCRIPT_LANGUAGES)):
        for lang in languages:
            for code, full in _names(common, lang).items():
                cc = first.get(code)
                if cc is None or cc in skip:
                    continue
                name = _spoken(full, script)
                if fold_accents(name) in said.get(code, ()):
                    continue  # the English name, or it with another designator
                if not _long_enough(name, cc):
                    drop("too short")
                elif not script and not name[0].isupper():
                    drop("a common noun or adjective (lower case)")
                elif name.lower() in lower or name.lower() in _POSITION_WORDS:
                    drop("an English word or a compass point")
                elif name in countries:
                    drop("a country's name")
                else:
                    found[script].setdefault(name, {}).setdefault(code, []).append(lang)
    kept: dict[bool, list[tuple[str, str, str]]] = {False: [], True: []}
    for script, names in found.items():
        for name, codes in sorted(names.items()):
            if len({first[c] for c in codes}) > 1:
                drop("regions of two countries")
                continue
            code, spoken_in = next(iter(codes.items()))
            kept[script].append((code.upper(), spoken_in[0], name))
    with open(data / "region_names.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "lang", "name", "lat", "lon"])
        for code, lang, name in kept[False]:
            point = _region_point(gazetteer, code, english.get(code.lower(), ""))
            writer.writerow(
                [code, lang, name, *([f"{x:.2f}" for x in point] if point else ["", ""])]
            )
    subdivisions = data / "subdivision_names.csv"
    old = [r for r in data_rows("subdivision_names.csv") if r["lang"] in ("ja", "ko")]
    old = [r for r in old if r["code"][:2] in ("JP", "KR", "KP")]
    have = {r["name"] for r in old}
    with open(subdivisions, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)  # (the file's "\r\n", as written before)
        writer.writerow(["code", "lang", "name"])
        writer.writerows([r["code"], r["lang"], r["name"]] for r in old)
        for code, lang, name in kept[True]:
            # (Japan's and Korea's regions in Japanese and Korean: the rows above)
            if name not in have and not (lang in ("ja", "ko") and code[:2] in ("JP", "KR", "KP")):
                writer.writerow([code, lang, name])
    counts["kept (Latin script)"] = len(kept[False])
    counts["kept (other scripts)"] = len(kept[True])
    return counts


def _region_point(
    gazetteer: object, code: str, english: str
) -> tuple[float, float] | None:  # pragma: no cover - a maintainer's tool
    """The point of the gazetteer's region of that English name in the code's country."""
    from ._gazetteer import Gazetteer, fold_accents

    assert isinstance(gazetteer, Gazetteer)
    cc = code[:2]
    english = unicodedata.normalize("NFC", english)
    bare = re.sub(
        r"\s+(?:Voivodeship|Province|Prefecture|Region|State|Governorate|County)$", "", english
    )
    for name in dict.fromkeys((english, bare, fold_accents(english), fold_accents(bare))):
        for place in gazetteer.lookup(name) if name else ():
            if place.kind == "region" and place.country_code == cc:
                return place.lat, place.lon
    return None
