"""Dates and acquisition words of the other languages space agencies publish in.

ESA, DLR, CNES, ASI, INPE and the Copernicus services publish their image stories in German,
French, Spanish, Italian and Portuguese too ("hat am 8. Mai 2018 ... aufgenommen", "l'image
acquise le 2 septembre 2017", "tomada el 19 de marzo de 2021"). Part of
:mod:`gaia_geo.collect._date_formats` (the month names and the day-month-year pattern) and of
:mod:`gaia_geo.collect._dates` (the cue words). Only dates that write their year are read: a
foreign month alone is no anchor of the date scan.
"""

from __future__ import annotations

import calendar

from .._regex import trie_pattern

#: Month names by language, January first (lowercase; German capitalises them).
_NAMES = (
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
)


def _months() -> dict[str, int]:
    months = {word: number for names in _NAMES for number, word in enumerate(names.split(), 1)}
    months["jänner"] = 1  # Austrian German
    months["setiembre"] = 9  # Spanish, as written in parts of South America
    return months


#: Month number of each foreign month name (lowercase).
MONTHS = _months()
#: The names, either case of their first letter ("Mai", "mai"), and the English ones in full
#: ("am 19. April 2010"), as a trie (one branch per letter: a few tried at each place).
MONTH_PATTERN = trie_pattern(
    spelling
    for name in [*MONTHS, *(name.lower() for name in calendar.month_name if name)]
    for spelling in (name, name[0].upper() + name[1:])
)
#: Between the day and the month, and the month and the year: "8. Mai 2018", "1er mars 2020",
#: "19 de marzo de 2021", "2 settembre 2017".
DAY_MARK = r"(?:\.|er|º)?[ \t](?:de[ \t])?"
YEAR_MARK = r"(?:[ \t]de)?,?[ \t]"
#: Words of an acquisition (ASCII only: they join a caseless pattern): German "aufgenommen",
#: French "acquise", Spanish "tomada", Italian "acquisita", Portuguese "obtida".
STRONG = (
    r"aufgenommen|erfasst|aufgezeichnet|acquises?|prises?|tomadas?|adquiridas?|captadas?|"
    r"capturadas?|acquisit[ae]|ripres[ae]|scattat[ae]|obtidas?"
)
#: Image words: "Aufnahme", "Bild", "imagen", "immagine", "imagem".
WEAK = r"aufnahmen?|satellitenbild(?:er)?|bild(?:er)?|imagen(?:es|s)?|imagem|immagin[ei]"
#: Launches: "gestartet", "lancement", "lanzamiento", "lanciato".
NEGATIVE = r"gestartet|lancement|lanzad[oa]|lanzamiento|lanciat[oa]|lancio"
