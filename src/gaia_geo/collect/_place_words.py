"""The words of a capitalised run that say whether, and where, it names a place.

Part of :func:`gaia_geo.collect.extract_metadata` (``_extract_places`` finds the runs):
function words before a name, capitalised words that are never the place meant, words that
open a name ("Central Iowa", "Gunung Merapi"), and a demonym or a hyphenated compound that
names its country ("the Indonesian coastline", "Japan-based").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._place_order import _WATER

if TYPE_CHECKING:
    from ._gazetteer import Gazetteer, Place

_FUNCTION_WORDS = frozenset(
    "In On At From Near Over Around Across Along Outside Inside Off Above Below Beyond Toward "
    "Towards Into Of To By With For As And But Or This These That Those A An The Here There "
    "When While After Before During Since Until "
    # German nouns, capitalised, that put a place after them ("die Hauptstadt Berlin", "der
    # Stadt Köln", "die Insel Sylt", "im Bundesstaat Kalifornien")
    "Hauptstadt Stadt Insel Halbinsel Provinz Bundesstaat Bundesland Kanton Landkreis "
    # prepositions opening a sentence in French, German, Spanish, Italian, Portuguese ("En
    # Egypte, la pyramide", "Im Iran", "Nel Regno Unito", "Em Portugal")
    "En Au Aux Dans Près Vers Im Bei Nach Nel Nella Sul Sulla Em Desde Sobre Hacia".split()
)
_NOT_PLACES = frozenset(
    "Earth NASA ESA USGS NOAA JAXA Copernicus Sentinel Landsat Terra Aqua Space Station "
    "International Observatory Image Images Photo January February March April May June July "
    "August September October November December Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday The This These Local Together Smoke Dust Snow Hurricane Typhoon Cyclone "
    "Storm Tropical West Western East Eastern North Northern South Southern Northeast Northwest "
    "Southeast Southwest Central Mid Atlantic Pacific Indian Arctic Baltic Bay America Gulf Sea "
    "Ocean River Lake Mount Island Islands Coast Valley Delta Desert Ice "
    # other worlds, each also some town's name (Jupiter, Florida; Mars, Pennsylvania)
    "Moon Sun Mercury Venus Mars Jupiter Saturn Uranus Neptune Pluto Titan Europa Ceres "
    # continents, each also some town's name (Asia, Philippines; Africa, Mexico)
    "Asia Europe Africa Oceania "
    # holidays, each also some town's name ("taken on Christmas Eve"; Christmas, Florida)
    "Christmas Easter Thanksgiving Halloween "
    # Spanish words that head a feature's name ("Cordillera Huayhuash", "Cerro Azul", "Sierra
    # Madre"), each alone also a province's or a town's name (Cordillera, Philippines)
    "Cordillera Sierra Cerro Nevado Laguna Volcán "
    # a plural kind word heads a list of names ("Lakes Rukwa and Malawi") or closes one ("the
    # Ob and Yenisey Rivers"), or is a title's word ("Rivers Seen From Space"), not South
    # Sudan's Lakes state or Nigeria's Rivers state
    "Lakes Rivers "
    # compass words in German ("ein Blick von Norden nach Süden") and French ("le Nord-Ouest du
    # pays"), each also a town's or a province's name (Norden, Germany; Nord-Ouest, Haiti)
    "Norden Süden Osten Westen Nord Sud Est Ouest Nord-Est Nord-Ouest Sud-Est Sud-Ouest "
    # Malay and Indonesian words that head a feature's name ("Gunung Merapi", "Pulau Sumatera",
    # "Selat Sunda"), each alone also a town's name
    "Gunung Pulau Danau Sungai Teluk Selat Tanjung".split()
) | frozenset(
    # a coast named by its bearing is the coast of whichever country the text is about ("the
    # West Coast" of the USA or Canada), not New Zealand's West Coast region
    ("West Coast", "East Coast", "North Coast", "South Coast", "Gulf Coast")
)
#: Words that head an organisation's name when "for" or "of" follows ("the Centre for Space
#: Science and Technology Education", "Center for Satellite Applications"), each alone also a
#: region's or a town's name (Centre, France; Center, Texas).
_ORGANISATION_HEADS = frozenset(("Centre", "Center"))
_HEAD_OF_NAME = re.compile(r"[ \t]+(?:for|of)[ \t]")
#: Land words after a demonym: "the Indonesian coastline", "the Russian Arctic".
_LAND_AFTER = re.compile(
    r"\s+(?:coast(?:line)?s?|islands?|archipelago|border|capital|cities|city|Arctic|desert|outback|"
    r"highlands|lowlands|mainland|shores?|countryside|provinces?|states?|territory|regions?|"
    r"peninsula|plains?|steppes?|tundra|taiga|forests?|mountains|Alps|Andes|Himalaya|"
    r"side|sector|portion|part|"
    # "the Peruvian Amazon", "the Brazilian rainforest", "the Australian interior"
    r"Amazon|Amazonia|rainforests?|jungles?|interior|heartland|Patagonia|Himalayas?)\b"
)
#: Words that may open a place's name: compass words ("Central Iowa", "Northern California")
#: and kind words of other languages.
_COMPASS = frozenset(
    "North South East West Northern Southern Eastern Western Central Northeast Northwest "
    "Southeast Southwest Northeastern Northwestern Southeastern Southwestern Upper Lower".split()
) | frozenset(
    # kind words that head a feature's name in Malay and Indonesian ("Gunung Anak Krakatau",
    # "Danau Toba") and Spanish ("Volcán Villarrica", "Cerro Azul"): the place follows them
    "Gunung Pulau Danau Sungai Teluk Selat Tanjung Volcán Cerro Nevado Laguna".split()
)
#: Articles of other languages before a country or a feature: "en Las Filipinas", "El Volcán
#: Mayon" (a name that holds one, "Los Angeles", "La Palma", is looked up whole first; "Le
#: Centre canadien" is no region of France).
_ARTICLES = frozenset("El La Las Los Le Les Il Lo Gli Der Die Das Den Dem Des Het".split())


#: German kind words closing a hyphenated feature's name ("Santorini-Inseln", "Ätna-Vulkan").
_KIND_TAIL = re.compile(
    r"(?:Inseln?|Vulkans?|Gletschers?|Sees?|Halbinsel|Gebirges?|Tals?|Gebiets?|Deltas?|Wüste|"
    r"Massivs?|Küste|Becken|Bucht|Fluss|Flusses|Stausees?)"
)


#: "the Gulf of Oman", "the Sea of Japan", "the Bay of Bengal": a sea named after the country
#: it borders, its "of" naming no scene (the words a sea's name opens with before "of").
_WATER_BEFORE_OF = frozenset(("Gulf", "Sea", "Bay", "Strait", "Straits"))
#: "de" and "of" between the words of a capitalised run ("Incendie de Landiras").
_OF_WORDS = frozenset(("de", "of", "del", "da", "do"))
#: What comes before the first word of a sentence: a line break or a sentence's end, or nothing.
_OPENS_SENTENCE = re.compile(r"(?:^|\n|[.!?:][ \t]+)$")


def opens_name(text: str, before: list[str], kind: str, run_start: int) -> bool:
    """Whether the words ``before`` a place in its capitalised run leave it at a name's head.

    Compass words do ("Central Iowa"), and so do an article of another language before a
    country or a feature ("en Las Filipinas") and a sentence's first word, capitalised as such,
    with "de" or "of" before the place ("Incendie de Landiras en Gironde.", not "Gulf of
    Mexico").

    Args:
        text: the article.
        before: the run's words before the place (less its function words).
        kind: the kind of the place's likeliest entry.
        run_start: where the run starts in ``text``.
    """
    if all(w in _COMPASS for w in before):
        return True
    if kind in ("country", "feature") and all(w in _COMPASS or w in _ARTICLES for w in before):
        return True
    return (
        len(before) == 2
        and before[1] in _OF_WORDS
        and before[0] not in _WATER_BEFORE_OF
        and _OPENS_SENTENCE.search(text, max(0, run_start - 3), run_start) is not None
    )


def compound_country(
    text: str, word: str, i: int, base: int, candidate: str, gazetteer: Gazetteer
) -> tuple[int, int, str, tuple[Place, ...], int] | None:
    """A country opening a hyphenated compound ("die Antarktis-Expedition", "Japan-based").

    A feature or a region opens one too before a kind word ("die Santorini-Inseln", "des
    Santorini-Vulkans", German's way of naming a feature).
    """
    head, _, tail = word.partition("-")
    places = gazetteer.lookup(head)
    countries = tuple(p for p in places if p.kind == "country")
    if not countries and _KIND_TAIL.fullmatch(tail):
        countries = tuple(p for p in places if p.kind in ("feature", "region"))
    if not countries or head in _NOT_PLACES:
        return None
    start = word_start(text, candidate, word, i, base)
    return start, start + len(head), head, countries, i + 1


def word_start(text: str, candidate: str, word: str, i: int, base: int) -> int:
    """Where word ``i`` of the candidate found at ``base`` starts in ``text``."""
    return base + candidate.index(word) if i == 0 else text.index(word, base)


def demonym_place(
    text: str, words: list[str], i: int, base: int, gazetteer: Gazetteer
) -> tuple[int, int, str, tuple[Place, ...], int] | None:
    """A demonym before a land word ("the Indonesian coastline") names its country."""
    code = gazetteer.demonyms.get(words[i])
    country = gazetteer.country(code) if code else None
    if country is None:
        return None
    start = text.index(words[i], base)
    end = start + len(words[i])
    if not _LAND_AFTER.match(text, end) or _WATER.match(text, start):
        return None  # (the "Antarctic region", like the Arctic one, is no one country's)
    return start, end, words[i], (country,), i + 1
