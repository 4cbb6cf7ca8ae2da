"""Country names in the other languages articles are written in (CLDR), for the gazetteer.

Agencies publish in their own languages: DLR in German, CNES and news sites in French, JAXA in
Japanese, Greek news sites in Greek. ``data/country_names.csv`` (``cc``, ``lang``, ``name``)
holds every country's CLDR name in German, French, Spanish, Italian, Portuguese, Dutch, Greek
and Japanese (regenerate with :func:`build_country_name_table`). Names in Latin script join the
gazetteer's index beside the English ones ("Belgien", "Tchéquie"), except those that are an
English word or already name another place ("Island" is Iceland in German); names in another
script ("インドネシア", "Ελλάδα") are found by :func:`scripted_countries`, which scans only texts
that hold such letters.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

#: The languages of ``data/country_names.csv``: those in Latin script, then the others.
LATIN_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl")
SCRIPT_LANGUAGES = ("el", "ja")
#: Names that are also English words, given names or regions, never read as a country: German
#: "Island" (Iceland), French "Maurice" (Mauritius) and "Dominique" (Dominica), Spanish "Congo"
#: (the river and basin too), Portuguese "Guiana" (the Guiana Shield), French "Chili".
_ENGLISH_WORDS = frozenset({"Island", "Maurice", "Dominique", "Congo", "Guiana", "Chili"})
#: Letters of the scripts of ``SCRIPT_LANGUAGES`` (Greek; kana and CJK ideographs).
_SCRIPT_LETTERS = re.compile(r"[\u0370-\u03ff\u3040-\u30ff\u4e00-\u9fff]")
#: "日本時間" (Japan Standard Time), "Ελλάδας ώρα": a country named in a time zone, not a place.
_TIME_AFTER = re.compile(r"時間|標準時")


@functools.cache
def _rows() -> tuple[tuple[str, str, str], ...]:
    table = resources.files(__package__).joinpath("data/country_names.csv").read_text("utf-8")
    return tuple((r["cc"], r["lang"], r["name"]) for r in csv.DictReader(table.splitlines()))


def latin_country_names(taken: Iterable[str]) -> dict[str, str]:
    """Latin-script foreign country names -> ISO code.

    Names in ``taken`` (those the gazetteer already indexes) and English words are left out.
    """
    known = set(taken)
    out: dict[str, str] = {}
    for cc, lang, name in _rows():
        if lang in LATIN_LANGUAGES and name not in known and name not in _ENGLISH_WORDS:
            out.setdefault(name, cc)
    return out


@functools.cache
def _script_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    codes = {name: cc for cc, lang, name in _rows() if lang in SCRIPT_LANGUAGES}
    # the longest name first: "インドネシア" (Indonesia) before "インド" (India)
    names = sorted(codes, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)), codes


def scripted_countries(text: str) -> list[tuple[int, int, str]]:
    """Country names in Greek or Japanese script: (start, end, ISO code), in text order."""
    if text.isascii() or _SCRIPT_LETTERS.search(text) is None:
        return []
    pattern, codes = _script_pattern()
    return [
        (m.start(), m.end(), codes[m.group(0)])
        for m in pattern.finditer(text)
        if not _TIME_AFTER.match(text, m.end())
    ]


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
            names = Locale(lang).territories
            for cc in sorted(codes):
                name = names.get(cc)
                if name and name != english.get(cc):
                    writer.writerow([cc, lang, name])
