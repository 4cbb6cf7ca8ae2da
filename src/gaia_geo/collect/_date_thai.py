"""Thai dates: month names, and years of the Buddhist era.

Thai pages (GISTDA, Thai news sites, translations of ESA and NASA stories) write a date as the
day, the month's name and a year of the Buddhist era, 543 years ahead of the Gregorian one:
"1 สิงหาคม 2563" is 1 August 2020, sometimes with the era's mark ("พ.ศ. 2563") or a
two-digit year after an abbreviated month ("1 ส.ค. 63"). A Gregorian year after a Thai month
("1 สิงหาคม 2020") is read by the patterns of :mod:`gaia_geo.collect._date_languages`
(the names below join its month names). Part of :mod:`gaia_geo.collect._date_formats`.
"""

from __future__ import annotations

#: The months, January first (CLDR's wide and abbreviated Thai month names, from ``babel``).
NAMES = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"
ABBREVIATIONS = "ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค."
#: Month number of each name and abbreviation (without its last dot, as dates are looked up).
MONTHS = {
    word.rstrip("."): number
    for names in (NAMES, ABBREVIATIONS)
    for number, word in enumerate(names.split(), 1)
}
#: Years between the Buddhist era's 2493 and 2599 (1950-2056).
BUDDHIST_OFFSET = 543
_MONTH = "|".join(
    sorted((name.replace(".", r"\.") for name in (NAMES + " " + ABBREVIATIONS).split()), key=len)[
        ::-1
    ]
)
#: A Buddhist-era year, with its era mark or not ("พ.ศ. 2563", "2563"), or two digits ("63").
_YEAR = r"[ \t]*(?:พ\.[ \t]?ศ\.[ \t]*)?(?:(?P<be>2(?:49[3-9]|5\d\d))|(?P<be2>[4-9]\d))(?!\d)"
#: (pattern, kind): a day ("1 สิงหาคม 2563", "วันที่ 1 ส.ค. 63"), a month ("สิงหาคม 2563": Thai
#: writes no space between words, so no word boundary opens it).
PATTERNS = (
    (rf"\b(?P<d>[0-3]?\d)[ \t]*(?P<mon>{_MONTH}){_YEAR}", "dmy-be"),
    (rf"(?P<mon>{_MONTH}){_YEAR}", "my-be"),
)
#: Where a Thai date may be (an anchor of the date scan): the last letters of a full month
#: name ("...คม", "...ยน", "...พันธ์") or of an abbreviation ("ส.ค.", "พ.ย.", "ก.พ."); never
#: a character of other scripts, so other texts pay nothing.
ANCHOR = r"|ค(?=[ม.])|ย(?=[น.])|พ(?=\.)|ธ(?=์)"


def buddhist_year(groups: dict[str, str | None]) -> int | None:
    """The Gregorian year of a Buddhist-era year ("2563": 2020; "63": 2020), else None."""
    if groups.get("be"):
        return int(groups["be"] or 0) - BUDDHIST_OFFSET
    short = groups.get("be2")
    if short:
        return 2500 + int(short) - BUDDHIST_OFFSET
    return None
