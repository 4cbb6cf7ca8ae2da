"""Country names in the other languages articles are written in (CLDR), for the gazetteer.

Agencies publish in their own languages: DLR in German, CNES and news sites in French, JAXA in
Japanese, Greek news sites in Greek, news sites in Turkish, Russian, Hindi, Thai, Chinese,
Arabic, Persian and Urdu.
``data/country_names.csv`` (``cc``, ``lang``, ``name``) holds every country's CLDR name in German,
French, Spanish, Italian, Portuguese, Dutch, Turkish, Greek, Japanese, Korean, Russian, Hindi,
Thai, Chinese (simplified and traditional), Arabic, Persian and Urdu (regenerate with
:func:`build_country_name_table`).
A name CLDR qualifies ("ミャンマー (ビルマ)", "Myanmar (Birmanie)") is indexed as each part.
Names in Latin script join the gazetteer's index beside the English ones ("Belgien", "Tchéquie",
and "Egypte" for "Égypte"), except those that are an English word or already name another place
than a village ("Island" is Iceland in German); names in another script ("インドネシア",
"Ελλάδα", "인도", "भारत", "เวียดนาม", Russian "России" in its cases) are found by
:func:`scripted_places`, which scans only texts that hold such letters, together with the
first-level regions of Japan and the two Koreas in Japanese and Korean
(``data/subdivision_names.csv``, CLDR: "長野県", "東京", "인천"), since JAXA's and KARI's pages
name the prefecture or city they imaged far more often than the country, and CLDR's
time-zone cities in those scripts (``_gazetteer_cities``: "カイロ", "Каир").
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Container, Iterable
from pathlib import Path

from ._data_files import data_rows
from ._gazetteer_cities import script_city_names
from ._gazetteer_towns import script_town_names
from ._place_kanji import japanese_features

#: The languages of ``data/country_names.csv``: those in Latin script, then the others.
LATIN_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "tr")
SCRIPT_LANGUAGES = ("el", "ja", "ko", "ru", "hi", "th", "zh", "zh_Hant", "ar", "fa", "ur")
#: Korean country names that are also common words: 수단 "means" (Sudan), 저지 "to stop"
#: (Jersey), 오만 "arrogance" (Oman), 말리 "dried" (Mali), 건지 (Guernsey); and region stems that
#: name something else: 大分 "considerably" (Oita), 大田 (Ota, a ward of Tokyo, beside Daejeon),
#: 世宗 and 세종 (King Sejong, and the Antarctic station named after him); Arabic "مالي" and
#: Persian and Urdu "مالی" "financial" (Mali), "عمان" (Oman, also Amman), Persian "چک" "cheque"
#: (Czechia), Urdu "شام" "evening" (Syria).
_HOMOGRAPHS = frozenset(
    {"수단", "저지", "오만", "말리", "건지", "大分", "大田", "世宗", "세종"}
    | {"مالي", "مالی", "عمان", "چک", "شام"}
)
#: What a region's CLDR name ends with that texts leave out ("長野県" is written "長野",
#: "서울특별시" "서울"); "道" (Hokkaido, the Korean provinces) stays, a word of the name.
_REGION_SUFFIX = re.compile(
    r"(?:県|府|都|広域市|特別市|特別自治市|特別自治道|광역시|특별시|특별자치시|특별자치도|직할시)$"
)
#: Japanese kanji short forms of country names that CLDR leaves out, as Japanese agencies and
#: newspapers write them ("米国ミシシッピ川", "豪州東部", "英国気象庁"): 米 for America, 豪 for
#: Australia, 英 for England, 仏 for France, 独 for Germany, 露 for Russia.
_JAPANESE_SHORT = {
    "米国": "US",
    "豪州": "AU",
    "英国": "GB",
    "仏国": "FR",
    "独国": "DE",
    "露国": "RU",
}
#: Letters that go on a katakana or Hangul word: a name inside one is part of another word
#: ("タイ" in "リアルタイム", real time; "이란" in "~이란", "what is called").
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")  # (not "・", which parts words)
_HANGUL = re.compile(r"[\uac00-\ud7af]")
#: Names that are also English words, given names or regions, never read as a country: German
#: "Island" (Iceland), French "Maurice" (Mauritius) and "Dominique" (Dominica), Spanish "Congo"
#: (the river and basin too), Portuguese "Guiana" (the Guiana Shield), French "Chili", Dutch
#: "Norfolk" (Norfolk Island; an English county, a US city).
_ENGLISH_WORDS = frozenset(
    {"Island", "Maurice", "Dominique", "Congo", "Guiana", "Chili", "Norfolk"}
)
#: Scripts that put spaces between words (Cyrillic, Devanagari): a name is a whole word there
#: ("Оман" is no country inside "роман", a novel; "चीन", China, none inside "चीनी", sugar).
_SPACED = re.compile(r"[\u0400-\u04ff\u0900-\u097f]")
#: Russian declines a country's name ("в России", "из Китая"): the endings a one-word name
#: takes, by how its nominative ends (the others add them to the whole name: "Ирана").
_RUSSIAN_CASES = (
    ("ия", ("ии", "ию", "ией")),
    ("я", ("и", "е", "ю", "ей")),
    ("а", ("ы", "и", "е", "у", "ой")),
    ("й", ("я", "е", "ю", "ем")),
    ("ь", ("и", "ью")),
)
#: "日本時間" (Japan Standard Time), "Ελλάδας ώρα": a country named in a time zone, not a place;
#: "日本海" (the Sea of Japan), "フィリピン海" (the Philippine Sea): a sea named after a country.
_TIME_AFTER = re.compile(r"時間|標準時|海")


@functools.cache
def _rows() -> tuple[tuple[str, str, str], ...]:
    return tuple((r["cc"], r["lang"], r["name"]) for r in data_rows("country_names.csv"))


def _spellings(name: str, others: Container[str]) -> list[str]:
    """How texts write a CLDR name: "Myanmar (Birmanie)" as "Myanmar" or "Birmanie".

    A qualifier that is another country's name ("RAE de Hong Kong (China)") or more than one
    word ("Saint-Martin (partie néerlandaise)") names nothing alone.
    """
    parts = re.split(r"\s*[(\uff08]", name, maxsplit=1)
    if len(parts) == 1:
        return [name]
    outer, inner = parts[0], parts[1].rstrip(")\uff09")
    keep = [outer]
    if " " not in inner and len(inner) >= 4 and inner not in others:
        keep.append(inner)
    return keep


def _all_names() -> dict[str, str]:
    return {name: cc for cc, _, name in _rows()}


def latin_country_names(taken: Iterable[str]) -> dict[str, str]:
    """Latin-script foreign country names -> ISO code.

    Each name is indexed as written and without its accents (French pages often leave them off
    capitals: "Egypte", "Etats-Unis"). Names in ``taken`` (those the gazetteer already indexes)
    and English words are left out.
    """
    from ._gazetteer import fold_accents

    known = set(taken)
    others = _all_names()
    out: dict[str, str] = {}
    for cc, lang, full in _rows():
        if lang not in LATIN_LANGUAGES:
            continue
        for name in _spellings(full, others):
            for spelled in (name, fold_accents(name)):
                if spelled not in known and spelled not in _ENGLISH_WORDS:
                    out.setdefault(spelled, cc)
    return out


def _russian_forms(name: str) -> tuple[str, ...]:
    """A Russian one-word name in its cases ("Россия": "России", "Россию", "Россией")."""
    if " " in name or "-" in name:
        return (name,)
    for ending, endings in _RUSSIAN_CASES:
        if name.endswith(ending):
            return (name, *(name[: -len(ending)] + e for e in endings))
    if name[-1] in "оиеуыэю":  # indeclinable ("Перу", "Чили", "Того")
        return (name,)
    return (name, *(name + e for e in ("а", "е", "у", "ом")))


def _case_forms(name: str, lang: str) -> tuple[str, ...]:
    """A country's name in the cases a language declines it in.

    Russian (:func:`_russian_forms`); Greek "Καναδάς" is "του Καναδά": a masculine name less its
    final "ς" (a feminine one's genitive, "Ελλάδας", holds its nominative).
    """
    if lang == "ru":
        return _russian_forms(name)
    if lang == "el" and name.endswith("ς") and " " not in name and len(name) >= 5:
        return (name, name[:-1])
    return (name,)


#: Arabic letters: Arabic, Persian and Urdu join a one-letter word to the next ("وتركيا", and
#: Turkey; "بالصين", in China), nothing else to a name.
_ARABIC = re.compile("[\u0620-\u064a\u066e-\u06d3]")
_PROCLITICS = "وبلفك"


def _inside_arabic_word(text: str, start: int, end: int) -> bool:
    """Whether the Arabic-script name at ``text[start:end]`` is part of a longer word."""
    if _ARABIC.match(text, end):
        return True
    if start == 0 or not _ARABIC.match(text, start - 1):
        return False
    joined = text[start - 1] in _PROCLITICS
    return not joined or (start > 1 and _ARABIC.match(text, start - 2) is not None)


#: The letters of each script of ``SCRIPT_LANGUAGES``, whose names are scanned for only in texts
#: that hold them (one pattern per script: a text in one script is not scanned for the others'
#: ~3,000 names).
SCRIPT_RANGES = (
    "\u0370-\u03ff",  # Greek
    "\u0400-\u04ff",  # Cyrillic
    "\u0900-\u097f",  # Devanagari
    "\u0e00-\u0e7f",  # Thai
    "\u3040-\u30ff\u4e00-\u9fff",  # kana and CJK ideographs
    "\uac00-\ud7af",  # Hangul
    "\u0600-\u06ff",  # Arabic (Arabic, Persian, Urdu)
)
_SCRIPTS = tuple(re.compile(f"[{letters}]") for letters in SCRIPT_RANGES)
#: A letter of any of them.
SCRIPT_LETTERS = re.compile(f"[{''.join(SCRIPT_RANGES)}]")


@functools.cache
def _script_pattern() -> tuple[
    tuple[tuple[re.Pattern[str], re.Pattern[str]], ...], dict[str, tuple[str, str]]
]:
    """Per script, its letters and its names (longest first); each name's (ISO code, kind)."""
    codes: dict[str, tuple[str, str]] = {}
    for row in data_rows("subdivision_names.csv"):
        name = row["name"].split(" (")[0]  # "江原道 (南)": the CLDR's qualifier, not the name
        stem = _REGION_SUFFIX.sub("", name)
        for spelled in (name, stem) if len(stem) >= 2 else (name,):
            if spelled not in _HOMOGRAPHS:
                codes[spelled] = (row["code"][:2], "region")  # (South Korea's rows come last)
    others = _all_names()
    countries: set[str] = set()  # a country's name wins over a region's, the first language's
    for cc, lang, full in _rows():
        if lang not in SCRIPT_LANGUAGES:
            continue
        for name in _spellings(full, others):
            for spelled in _case_forms(name, lang):
                if spelled not in _HOMOGRAPHS and spelled not in countries:
                    codes[spelled] = (cc, "country")
                    countries.add(spelled)
    for name, cc in _JAPANESE_SHORT.items():
        codes.setdefault(name, (cc, "country"))
    # the largest cities (CLDR's time-zone cities: "カイロ", "Каир"), after the countries and
    # regions of the same spelling ("Алжир" is Algeria before Algiers)
    for name, cc in script_city_names().items():
        cyrillic = "\u0400" <= name[0] <= "\u04ff" and name[-1] not in "аяь"
        for spelled in _russian_forms(name) if cyrillic else (name,):
            if spelled not in _HOMOGRAPHS:
                codes.setdefault(spelled, (cc, "city"))
    # towns of GeoNames in those scripts ("Челябинск", "इंदौर"), after all of those
    for name, cc in script_town_names().items():
        if name not in _HOMOGRAPHS:
            codes.setdefault(name, (cc, "city"))
    # the longest name first: "インドネシア" (Indonesia) before "インド" (India)
    names = sorted(codes, key=len, reverse=True)
    scripts = tuple(
        (letters, re.compile("|".join(re.escape(n) for n in names if letters.match(n))))
        for letters in _SCRIPTS
    )
    return scripts, codes


def scripted_places(text: str) -> list[tuple[int, int, str, str]]:
    """Countries and regions named in a script other than Latin, in text order.

    Returns:
        ``(start, end, ISO code, kind)`` per name, ``kind`` being ``country`` or ``region``.
    """
    if text.isascii() or SCRIPT_LETTERS.search(text) is None:
        return []
    scripts, codes = _script_pattern()
    matches = [
        m
        for letters, pattern in scripts
        if letters.search(text) is not None
        for m in pattern.finditer(text)
    ]
    if len(matches) > 1:
        matches.sort(key=lambda m: m.start())  # (names in two scripts: in text order)
    found = []
    for m in matches:
        start, end = m.span()
        name = m.group(0)
        if _TIME_AFTER.match(text, end):
            continue
        if start > 0 and (
            (_KATAKANA.match(name) and _KATAKANA.match(text, start - 1))
            or (_HANGUL.match(name) and _HANGUL.match(text, start - 1))
        ):
            continue
        if _KATAKANA.match(name[-1]) and _KATAKANA.match(text, end):
            continue
        if _SPACED.match(name) and (
            (start > 0 and _SPACED.match(text, start - 1)) or _SPACED.match(text, end)
        ):
            continue
        if _ARABIC.match(name) and _inside_arabic_word(text, start, end):
            continue
        found.append((start, end, *codes[name]))
    japanese = japanese_features(text, found)
    return sorted(found + japanese) if japanese else found


def build_country_name_table(
    codes: Iterable[str], out: str | Path
) -> None:  # pragma: no cover - a maintainer's tool
    """Regenerate ``data/country_names.csv`` from CLDR (needs ``babel``).

    ``codes`` are the ISO codes of ``data/countries.csv``; a name equal to the English one is
    left out.
    """
    from babel import Locale

    english = Locale("en").territories
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cc", "lang", "name"])
        for lang in (*LATIN_LANGUAGES, *SCRIPT_LANGUAGES):
            names = Locale.parse(lang).territories
            for cc in sorted(codes):
                name = names.get(cc)
                if name and name != english.get(cc):
                    writer.writerow([cc, lang, name])
