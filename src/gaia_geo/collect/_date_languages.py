"""Dates and acquisition words of the other languages space agencies publish in.

ESA, DLR, CNES, ASI, INPE and the Copernicus services publish their image stories in German,
French, Spanish, Italian and Portuguese too ("hat am 8. Mai 2018 ... aufgenommen", "l'image
acquise le 2 septembre 2017", "tomada el 19 de marzo de 2021"). Part of
:mod:`gaia_geo.collect._date_formats` (the month names, the day-month-year and month-year
patterns) and of :mod:`gaia_geo.collect._dates` (the cue words, a date naming an event). Each
class of word is covered in all five languages, both genders and numbers of a participle: the
verbs of an acquisition, the image and data words, the verbs of a launch, a publication and the
events pictures show; Turkish too, and the month names of Turkish, Hindi and Thai (from CLDR).
The month names of every national language join them (:mod:`gaia_geo.collect._date_names`),
and the cue words of Scandinavian, Dutch, Polish, Czech, Indonesian, Malay, Romanian and Hindi
(``*_MORE``, ``HINDI_*``: read on pages not in English). A foreign month alone is no anchor of
the date scan: a day and a month without their year are read by ``NO_YEAR_PATTERNS``, on pages
not in English.
"""

from __future__ import annotations

import calendar
import re

from .._regex import trie_pattern
from . import _date_thai
from ._date_names import cldr_months

#: Month names by language, January first (lowercase; German capitalises them).
_NAMES = (
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर",
    _date_thai.NAMES,
)

#: Their abbreviations, written with a dot (CLDR's abbreviated month names; "mars", "mai",
#: "juin" are not shortened), those English does not share: German "Okt.", "Dez."; French
#: "janv.", "févr.", "avr.", "juil.", "déc."; Spanish "ene.", "abr.", "ago.", "dic."; Italian
#: "gen.", "mag.", "giu.", "lug.", "set.", "ott."; Portuguese "fev.", "out.", "dez.".
_ABBREVIATIONS = (
    "jan feb mär apr mai jun jul aug sept okt nov dez",
    "janv févr mars avr mai juin juil août sept oct nov déc",
    "ene feb mar abr may jun jul ago sept oct nov dic",
    "gen feb mar apr mag giu lug ago set ott nov dic",
    "jan fev mar abr mai jun jul ago set out nov dez",
)


def _months() -> dict[str, int]:
    months = {word: number for names in _NAMES for number, word in enumerate(names.split(), 1)}
    months["jänner"] = 1  # Austrian German
    months["setiembre"] = 9  # Spanish, as written in parts of South America
    # Hindi spellings beside CLDR's: without the nukta ("फरवरी"), the nasal as a half "म"
    # ("सितम्बर", "नवम्बर", "दिसम्बर"), "अक्तूबर"
    months |= {"फरवरी": 2, "सितम्बर": 9, "अक्तूबर": 10, "नवम्बर": 11, "दिसम्बर": 12}
    return cldr_months() | months  # (the national languages' CLDR names)


def _abbreviations() -> dict[str, int]:
    english = {name.lower() for name in calendar.month_abbr if name} | {"sept"}
    return {
        word: number
        for names in _ABBREVIATIONS
        for number, word in enumerate(names.split(), 1)
        if word not in english and word not in _FULL
    }


_FULL = _months()
#: Month number of each foreign abbreviation (lowercase, without its dot).
ABBREVIATED = _abbreviations()
#: Month number of each foreign month name and abbreviation (lowercase, without a dot).
MONTHS = _FULL | ABBREVIATED
#: The names and abbreviations, either case of their first letter ("Mai", "mai", "Okt."), and
#: the English names in full ("am 19. April 2010"), as a trie (one branch per letter: a few
#: tried at each place).
_SPELLINGS = [
    spelling
    for name in [
        *_FULL,
        *(name.lower() for name in calendar.month_name if name),
        *(f"{short}." for short in ABBREVIATED),
    ]
    for spelling in (name, name[0].upper() + name[1:])
]
MONTH_PATTERN = trie_pattern(_SPELLINGS)
#: Those written in ASCII, for texts in ASCII (a trie of fewer first letters: tried faster).
MONTH_PATTERN_ASCII = trie_pattern(name for name in _SPELLINGS if name.isascii())
#: The foreign names alone, before a year ("im Juli 2017", "en juillet 2017", "julio de 2017"),
#: never "Mars" capitalised (the planet: "Mars 2020" is NASA's rover mission).
MONTH_YEAR_PATTERN = trie_pattern(
    spelling
    for name in _FULL  # (not the abbreviations: "two years ago. 2018 was ...")
    if name not in calendar.month_name[1:]  # (the English pattern reads those)
    for spelling in (name, name[0].upper() + name[1:])
    if spelling != "Mars"
)
#: Between the day and the month, and the month and the year: "8. Mai 2018", "1er mars 2020",
#: "19 de marzo de 2021", "19 de marzo del 2021", "2 settembre 2017", "27th october 2008" (a
#: month in lowercase after an English ordinal).
DAY_MARK = r"(?:\.|er|º|st|nd|rd|th)?[ \t](?:de[ \t])?"
YEAR_MARK = r"(?:[ \t]del?)?,?[ \t]"
#: A letter beyond ASCII (the text is lowercased first): "é" of "capturée", "ó" of "captó".
_A = r"[^\W\d_a-z]"


def _each(stems: str, ending: str) -> str:
    """``stem1ending|stem2ending|...``, each entry opening with its literal word.

    A cue pattern's fast path looks for those words; one group of stems before an ending
    would turn it off (6x slower).
    """
    return "|".join(f"{stem}{ending}" for stem in stems.split())


#: Words of an acquisition (lowercase ASCII: they join a caseless pattern; ``_A`` stands for an
#: accented letter), both genders and numbers of each participle ("the image", "the data"):
#: German "aufgenommen", "beobachtet", "fotografiert"; French "acquise", "prise", "obtenue",
#: "capturée", "observée", "photographiée", "enregistrée"; Spanish "tomada", "captada", "obtenida",
#: "registrada", "observada", "captó", "capturó", "fotografió"; Italian "acquisita", "ripresa",
#: "scattata", "osservata", "catturata", "rilevata"; Portuguese "obtida", "captada",
#: "registrada", "observada"; and the nouns of its labels ("Aufnahmedatum:", "fecha de
#: adquisición:", "data di acquisizione:", "data de aquisição:").
STRONG = "|".join(
    (
        r"aufgenommene?[nrs]?|erfasst|aufgezeichnet|beobachtet|fotografiert|abgelichtet|"
        r"eingefangen|festgehalten|aufnahmedatum|aufnahmezeitpunkt|beobachtung|"
        rf"adquisici{_A}n|acquisizione|aquisi{_A}{_A}o|observaci{_A}n|osservazione|"
        rf"observa{_A}{_A}o|acquise?s?|prise?s?|obtenue?s?",
        _each("captur observ photographi enregistr", rf"{_A}(?:es?)?"),
        _each("tomad adquirid captad capturad obtenid obtid registrad observad", "[ao]s?"),
        _each("fotografiad fotografad", "[ao]s?"),
        _each("capt captur tom fotografi registr observ", rf"{_A}\b"),
        # Portuguese "captou", "capturou", "registrou", "observou", "fotografou", "obteve";
        # Spanish "obtuvo"
        _each("capt captur fotograf registr observ", "ou"),
        r"obteve|obtuvo",
        _each("acquisit ripres scattat osservat catturat registrat fotografat rilevat", "[aeio]"),
        # Turkish "kaydedilen", "görüntülenen", "gözlemlenen", "yakalanan" (the participle and
        # the past: "kaydedildi")
        _each(f"kaydedil g{_A}r{_A}nt{_A}len g{_A}zlemlen", rf"(?:en|di|mi{_A})"),
        r"yakalan(?:an|di)|elde edil(?:en|di)",
    )
)
#: Words of an acquisition in the other national languages, read on pages not in English (an
#: English page is scanned for fewer words, faster):
STRONG_MORE = "|".join(
    (
        # Swedish, Danish, Norwegian "togs", "tagen", "tatt", "fanget", "optaget"; Dutch
        # "genomen", "opgenomen", "vastgelegd"; Polish "wykonane", "zarejestrowane",
        # "uchwycone"; Czech "zachycen"; Indonesian and Malay "diambil", "direkam", "ditangkap",
        # "menangkap", "diabadikan"; Romanian "capturată", "surprinsă" (never a word whose
        # literal opening English words share, "tog", "f" of "fångade": the fast path looks
        # for those openings)
        r"togs|tagen|tagna|tagits|taget|tatt|optaget|opptatt|fotograferad|fotografert|"
        r"fanget|registrerad|registrert|observerad|observert|"
        r"genomen|opgenomen|vastgelegd|gefotografeerd|waargenomen",
        _each("wykonan zarejestrowan uchwycon zaobserwowan sfotografowan", "[eoayi]"),
        r"wykonano|zachycen[aoy]?",
        r"diambil|direkam|ditangkap|menangkap|mengambil|memotret|dipotret|terekam|merekam|"
        r"diabadikan|mengabadikan|diamati",
        rf"capturat(?:a|{_A})?|surprins(?:a|{_A})?",
    )
)
#: Hindi words of an acquisition: "ली गई" / "लिया गया" (taken), "कैद" (captured), "कैप्चर";
#: each opens and ends with a letter ``\b`` sees (a vowel sign after it would leave no word
#: boundary). Apart from ``STRONG``: a cue pattern's fast path looks for ASCII words only, so
#: they join a second pattern, for texts with a date in Devanagari.
HINDI_STRONG = r"ली गई|ली गयी|लिया गया|लिए गए|खींची गई|कैद|कैप्चर"
#: Image and data words: "Aufnahme", "Bild", "Daten", "imagen", "immagine", "imagem", "cliché",
#: "données", "datos", "dati", "dados".
WEAK = (
    r"aufnahmen?|satellitenaufnahmen?|satellitenbild(?:er)?|bild(?:er)?|"
    r"imagen(?:es|s)?|imagens?|"
    # the snapshot: Spanish "instantánea", Portuguese "instantâneo", Italian "istantanea"
    rf"instant{_A}ne[ao]s?|istantane[ae]|"
    rf"immagin[ei]|fotos?|clich{_A}s?|daten|donn{_A}es|datos|dati|dados|"
    # Turkish "görüntü", "görüntüsü", "görüntüleri", "fotoğraf", "fotoğrafları"
    rf"g{_A}r{_A}nt{_A}(?:s{_A}|ler(?:i|de)?|y{_A})?|foto{_A}raf(?:lar)?i?"
)
#: Image words of the other national languages (see ``STRONG_MORE``): Swedish, Danish,
#: Norwegian "bilden", "billede"; Dutch "beeld", "opname"; Polish "zdjęcie", "obraz"; Indonesian
#: and Malay "gambar", "citra"; Romanian "imaginea".
WEAK_MORE = (
    r"bild(?:erna|erne|en|et|ene)|satellitbild(?:er(?:na|ne)?|en|et|ene)?|"
    r"billed(?:e|er|erne|et)|"
    rf"beeld(?:en)?|satellietbeeld(?:en)?|opnamen?|zdj{_A}ci(?:e|a|u|ach)|obraz(?:y|ie|u|ach)?|"
    r"gambar(?:nya)?|citra(?:nya)?|imaginea|imaginile|imaginii"
)
#: Hindi image words: "तस्वीर" (picture, "तस्वीरें"), "चित्र", "इमेज" (see ``HINDI_STRONG``).
HINDI_WEAK = r"तस्वीर|चित्र|इमेज"
#: Launches, publications and the events pictures show: German "gestartet", "veröffentlicht",
#: "traf", "ausgebrochen"; French "lancé", "publié", "s'est abattu", "frappé", "survenu";
#: Spanish "lanzado", "publicado", "publicó", "ocurrió", "golpeó", "azotó"; Italian "lanciato",
#: "pubblicato", "pubblicò", "avvenuto", "colpito"; Portuguese "lançado", "publicado",
#: "publicou", "ocorreu", "atingiu".
NEGATIVE = (
    rf"gestartet|startete|lancement|lanc{_A}(?:es?)?|lanzad[oa]|lanzamiento|lanz{_A}|"
    rf"lanciat[oa]|lancio|lan{_A}ad[oa]s?|lan{_A}amento|"
    rf"ver{_A}ffentlicht|publi{_A}(?:es?)?|publicad[oa]s?|pubblicat[aeio]|public{_A}|publicou|"
    rf"pubblic{_A}|"
    r"traf|getroffen|ereignete|ausgebrochen|ausbruch|begann|"
    rf"abattue?s?|frapp{_A}(?:es?)?|survenue?s?|"
    rf"ocurri{_A}|golpe{_A}|azot{_A}|comenz{_A}|sucedi{_A}|erupci{_A}n|"
    r"avvenut[aeio]|colpit[aeio]|accadut[aeio]|eruzione|"
    rf"ocorreu|ocorrid[oa]|atingiu|come{_A}ou|erup{_A}{_A}o|"
    # Turkish "fırlatıldı" / "fırlatılan" (launched), "yayınlandı" / "yayımlanan" (published),
    # "meydana gelen" (that occurred), "vurdu" (struck); "i" stands for the dotless "ı" too
    # (a text holding one is matched case-insensitively, where the two are one letter)
    r"firlatil(?:di|an)|firlatma|yayi[nm]la(?:ndi|nan|di)|"
    r"meydana gel(?:en|di)|vurdu"
)
#: Launches and publications of the other national languages (see ``STRONG_MORE``): Swedish,
#: Danish, Norwegian "uppskjuten", "publicerad"; Dutch "gelanceerd", "gepubliceerd"; Polish
#: "wystrzelony", "opublikowane"; Indonesian and Malay "diluncurkan", "dirilis", "dilansir";
#: Romanian "lansat", "publicat".
NEGATIVE_MORE = (
    r"uppskjuten|oppskutt|opsendt|publicerad|publisert|offentliggjort|gelanceerd|gepubliceerd|"
    r"wystrzelon[yaoe]|opublikowan[yaoe]|diluncurkan|peluncuran|dirilis|diterbitkan|"
    rf"dipublikasikan|dilansir|lansat(?:a|{_A})?|publicat(?:a|{_A})?"
)
#: Hindi launches: "लॉन्च" / "लांच" (launched), "प्रक्षेपित" / "प्रक्षेपण" (see ``HINDI_STRONG``).
HINDI_NEGATIVE = r"लॉन्च|लांच|प्रक्षेपित|प्रक्षेपण"
#: "le tsunami du 11 mars 2011", "das Erdbeben vom 6. Februar 2023", "el terremoto del 19 de
#: septiembre de 2017", "il terremoto del 24 agosto 2016", "as inundações de maio de 2024": a
#: date naming the event, not a picture (before it: one of ``EVENT_OF_ENDS``).
EVENT_OF = re.compile(
    r"\b(?:s[ée]ismes?|tremblements? de terre|tsunamis?|inondations?|crues?|[ée]ruptions?|"
    r"cyclones?|ouragans?|temp[êe]tes?|incendies?|"
    r"(?:erd)?bebens?|hochwassers?|fluten?|überschwemmungen?|ausbruch(?:s|es)?|sturms?|"
    r"hurrikans?|waldbr[äa]nde?|"
    r"terremotos?|sismos?|sismas?|inundaci(?:ón|on|ones)|erupci(?:ón|on)|huracanes|huracán|"
    r"tormentas?|incendios?|alluvion[ei]|eruzion[ei]|uragan[oi]|tempest[ae]|incendi|"
    r"inunda[çc](?:ão|ao|ões|oes)|erup[çc](?:ão|ao)|furac(?:ão|ao)|tempestades?|incêndios?)\s+"
    r"(?:du|de(?: la| l'|l| los| las)?|des|vom|del(?:la|lo|l')?|dei|do|da|dos|das)\s*$",
    re.I,
)
#: How the words before a date end when ``EVENT_OF`` may match ("du ", "vom ", "dell'").
EVENT_OF_ENDS = (
    "du ",
    "de ",
    "la ",
    "l'",
    "os ",
    "as ",
    "des ",
    "vom ",
    "del ",
    "dei ",
    "do ",
    "da ",
    "lo ",
)

#: The words that join two days of one month, in the languages of ``MONTHS``: "14 et 26
#: janvier", "3 y 4 de mayo", "26 och 31 juli", "9 dan 10 Oktober", "30/31 juli", "3-5 maja".
_JOIN = (
    r"und|bis|et|au|y|al|a|e|och|og|til|en|tot|i|do|dan|hingga|sampai|ve|és|ja|și|и|до|"
    r"-|–|/"
)
#: No letter, digit or date mark glued before a day ("A5", "1.5", "12/5").
_DAY_OPENS = r"(?<![\w.,/:])"
#: The month name ends its word, unless a script that writes no spaces goes on (Thai, Lao,
#: Khmer: "1 สิงหาคมที่ผ่านมา").
_MONTH_ENDS = r"(?![^\W\u0e00-\u0eff\u1780-\u17ff])"
#: A day and a month written without their year, day first, in any language of ``MONTHS``
#: ("le 17 janvier dernier", "den 26 juli", "el 10 de septiembre", "pada 9 Oktober lalu",
#: "14 et 26 janvier"): read on pages not written in English (their year is the page's);
#: (pattern, kind) as in ``_date_formats``.
NO_YEAR_PATTERNS = (
    (
        re.compile(
            rf"{_DAY_OPENS}(?P<d>[0-3]?\d)\.?[ \t]*(?P<join>{_JOIN})[ \t]*(?P<d2>[0-3]?\d)"
            rf"{DAY_MARK}(?P<mon>{MONTH_PATTERN}){_MONTH_ENDS}"
        ),
        "range-d-day-first-noyear",
    ),
    (
        re.compile(rf"{_DAY_OPENS}(?P<d>[0-3]?\d){DAY_MARK}(?P<mon>{MONTH_PATTERN}){_MONTH_ENDS}"),
        "dmy-noyear",
    ),
)
