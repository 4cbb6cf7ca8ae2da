"""Which of the places an article names is the picture's subject, and whether it is one country.

Part of :func:`gaia_geo.collect.extract_metadata` (``_extract_places`` finds the names, this
orders them): reference points ("just west of Australia"), origins ("Sahara dust"), launch
sites and yardsticks go last; a sea, a continent or the whole Earth named before the subject
means the picture shows no one country.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._extract_sensors import SENTENCE_END
from ._gazetteer import load_gazetteer
from ._place_container import contained_first
from ._place_context import launch_site, mentions_launch
from ._place_earth import _WHOLE_EARTH as _WHOLE_EARTH  # re-exported: regions read them
from ._place_earth import _WHOLE_EARTH_HINT as _WHOLE_EARTH_HINT
from ._place_earth import whole_earth as whole_earth
from ._place_scene import credited, in_examples, lone_town_last, scene_first, shown_over
from ._place_shared import shared_feature_yields
from ._place_water import beside_scene, coast_locus

if TYPE_CHECKING:
    from ._extract_places import PlaceMention

#: Words before a name that say it is a place ("in Cairo", "over the Andes").
_PLACE_CUE = re.compile(
    r"\b(in|near|of|over|around|across|through|throughout|outside|from|at|off|along|above|to|"
    r"toward|towards|"
    r"north|south|east|west|northern|southern|eastern|western|central)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: Nouns right before a name that say it is a place: "the Thai capital Bangkok", "die deutsche
#: Hauptstadt Berlin", "der Stadt Köln", "die Insel Sylt" (a test ~5x cheaper than more words
#: in ``_PLACE_CUE``, which is tried at every position of its window).
_NOUN_WORDS = (
    "capital Capital Hauptstadt capitale Stadt Insel Provinz Bundesstaat Bundesland "
    # a glacier or a volcano, in the languages that put the kind before the name ("el glaciar
    # Perito Moreno", "il ghiacciaio Rutor", "le volcan Piton"): a feature named after the town
    # beside it
    "glaciar ghiacciaio glacier volcán volcan vulcano"
)
#: The same words of place in the other languages of agencies' and news pages ("vicino alla
#: città di Rio Branco", "a nord di Voghera", "in der Nähe von Grindavik", "près de Lyon", French
#: "de" and "à" joined to an article: "la banlieue du Caire", "au Caire").
_FOREIGN_CUE_WORDS = "di de del della von bei nahe près vicino cerca perto nord sud ovest du au"
_NOUN_CUES = tuple(f"{word} " for word in _NOUN_WORDS.split()) + tuple(
    f" {word} " for word in _FOREIGN_CUE_WORDS.split()
)


def place_cue(text: str, start: int) -> bool:
    """Whether the words before ``start`` say a place's name follows ("in", "near", "capital")."""
    if text.endswith(_NOUN_CUES, 0, start):
        return True
    return _PLACE_CUE.search(text, max(0, start - 25), start) is not None


#: A sea, an ocean or a region of several countries named before any land: the picture shows
#: water or a continent, no one country ("Mid-Atlantic" is a US region, not the ocean).
_WATER = re.compile(
    # every name starts with a capital: testing for one first makes the scan ~3x faster
    r"\b(?=[A-Z])(?:(?:[A-Z][a-z]+\s+){1,2}(?:Sea|Ocean)|(?:Gulf|Bay|Sea) of [A-Z][a-z]+|"
    r"(?:(?:Western |Eastern )?Mediterranean|(?<![Mm]id-)Atlantic|Pacific)"
    r"(?!\s+(?:[Cc]oast|[Nn]orthwest|[Ss]eaboard|Canada|[Ff]orest|[Ii]slands?|[Rr]im|side))|"
    r"(?:Western|Eastern|Northern|Southern|Central|North|West|East|Northeast|Northwest|"
    r"Southeast|Southwest) (?:Europe|Africa|Asia)|Central America|"
    r"Caribbean|Middle East|Scandinavia|Balkans|Sahel|Horn of Africa|"
    r"(?:Ant)?[Aa]rctic(?=\s+regions?\b)|"
    # a continent; Australia too when named beside one ("the cities of Asia and Australia")
    r"(?:Asia|Europe|Africa|Antarctica) and Australia|Australia and (?:Asia|Antarctica)|"
    r"Asia|Europe|(?<!South )Africa|(?:North|South) America|Oceania)\b(?!['\u2019])"
    # "the 2004 Indian Ocean tsunami", "the Atlantic hurricane season": a name, not the scene
    r"(?!\s+(?:tsunami|hurricanes?|typhoons?|cyclones?|storms?|season|earthquake|basin)\b)"
)
#: Regions of several countries that also name one country's province ("Sahel" in Burkina
#: Faso): the region is meant.
_SEVERAL_COUNTRIES = frozenset({"Sahel", "Balkans", "Scandinavia", "Caribbean", "Middle East"})
#: "the second largest river delta in Europe": a sea or continent that only ranks something.
_RANKED_IN = re.compile(r"\b(?:[a-z]{2,}est|most \w+)\b[^.,;:]{0,40}\b(?:in|of)\s+(?:the\s+)?$")
#: "in the Baltic Sea south of Gotland", "over the Atlantic Ocean near the Cape Verde islands":
#: land that locates a sea, or that an ocean is near, is where the picture is ("the Southern
#: Ocean, just west of Australia" is not: an ocean is too wide for a bearing to place it).
_LOCATES_SEA = re.compile(
    r"(?:(?:Sea|Gulf|Bay|Strait|Channel)\s*,?\s*(?:just\s+)?(?:north|south|east|west)(?:east|west)?"
    r"\s+of|(?:Sea|Ocean|Atlantic|Pacific|Gulf|Bay|Strait|Channel)\s*,?\s*(?:just\s+)?"
    r"(?:near|off(?:\s+the\s+coast\s+of)?)"
    # "sea ice floating on the frigid waters off of Sakhalin Island"
    r"|\bwaters\s+off(?:\s+of)?(?:\s+the\s+coast\s+of)?)\s+(?:the\s+)?$"
)
#: "the village of Balatun in northeastern Bosnia", "the island nation of Kiribati": a precise
#: locus, the scene even after a sea or a region of several countries.
_LOCUS_BEFORE = re.compile(
    r"(?:\b(?:village|town|city|municipality|island nation|nation|island|district)\s+of|"
    r"\bin\s+(?:north|south|east|west|central)(?:east|west)?(?:ern)?|"
    # "about 35 km northeast of Athens": a distance and a bearing put the scene beside it
    r"\d\s*(?:km|kilomet(?:er|re)s?|miles|mi)\)?\s+(?:north|south|east|west)(?:east|west)?\s+of)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "the Alps and ...": what joins two names of one scene.
_AND_AFTER = re.compile(r"[ \t]+and[ \t]+(?:the[ \t]+)?")
#: The land among ``_WATER``'s names: continents and regions of several countries.
_LAND_REGION = re.compile(
    r"(?:Europe|Africa|Asia|America|Middle East|Scandinavia|Balkans|Sahel|Oceania|Australia)$"
)
#: The words of a sea's or a region's name that a text repeats ("Mediterranean" of "the Western
#: Mediterranean Sea"): the name less its compass word and its "Sea" or "Ocean".
_TITLE_CORE = re.compile(r"^(?:(?:Western|Eastern|Northern|Southern|Central)\s+)|\s+(?:Sea|Ocean)$")
#: "just west of Australia": a reference point, not the subject.
_REFERENCE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:east|west)?\s+of|near|beyond|border(?:s|ing)?(?:\s+with)?|"
    # "flowed from the highlands of Angola into northern Namibia": where something came from
    r"neighbou?ring|from(?:\s+the\s+(?:highlands|mountains|interior|deserts?)\s+of)?|out of|"
    r"as far(?: away)? as|"
    # a company's seat ("headquarters in Espoo, Finland", "offices in Poland"), an agency's or a
    # centre's ("sent their report to the Maritime Safety Agency in Lisbon")
    r"(?:offices?|headquarters|headquartered|based|Agency|Cent(?:er|re)|Institute|University|"
    # a company's ("die Betreiberfirma RapidEye AG in Brandenburg")
    r"Laboratory|Ministry|AG|GmbH|Inc\.?|Ltd\.?|LLC)\s+in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: What joins the names of one list: ", ", " and ", ", and the ".
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s+(?:the\s+)?|,\s+(?:the\s+)?")
#: Words one of which any match of ``_COMPARED_BEFORE`` holds (a cheaper scan, tried first).
_COMPARED_HINT = re.compile("than|THAN|size|SIZE| as | AS |ompared|OMPARED")
#: "the iceberg calved from the Ronne Ice Shelf": where the subject broke off, the scene itself.
_BROKE_FROM = re.compile(
    r"\b(?:calv(?:ed|es|ing)|br(?:oke|eaks?|eaking|oken)\s+(?:off|away)|split(?:s|ting)?(?:\s+off)?"
    # "Iceberg from Pine Island Glacier": an iceberg's title names the glacier it came from
    r"|icebergs?(?:\s+[A-Z]-?\d+\w*)?)"
    r"\s+from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A caption's field that names where the picture is ("Location: Argentina", "Area: Bihar"), as
#: image galleries and disaster maps write it beside "Sensor:" and "Date:".
_LOCATION_FIELD = re.compile(
    r"(?:^|\n)[ \t]*(?:(?:Image|Scene|Target)[ \t]+)?(?:Location|Place|Area|Region|Site)s?"
    r"[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
#: "This Black Marble composite image shows": the sentence that says what the picture shows.
_SHOWS = re.compile(
    r"T(?<![\w]T)h(?:is|ese)\s+(?:[\w/-]+\s+){0,5}?(?:images?|photo(?:graph)?s?|pictures?|views?|"
    r"scenes?|mosaic|composite|animation)"
    # "These Landsat 8 images from July 30 show", "This image of the delta reveals"
    r"(?:\s+(?:from|of|on|taken|acquired)(?:\s+[\w,]+){1,3}?)?"
    r"\s+(?:shows?|captures?|captured|reveals?|depicts?)\b"
)
#: "slightly larger than the Spanish island of Majorca": a yardstick, not the subject.
_COMPARED_BEFORE = re.compile(
    r"\b(?:(?:larger|bigger|smaller|wider|longer|taller|higher|more|less)\s+than|the\s+size\s+of|"
    r"(?:as|so)\s+(?:large|big|small|wide|long)\s+as|compared\s+(?:to|with))"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:(?:island|state|city|country)\s+of\s+)?$",
    re.IGNORECASE,
)
#: "Sahara dust", "Canadian smoke": where something came from, not what the picture shows.
_ORIGIN_AFTER = re.compile(
    r"(?:['\u2019]s)?\s+(?:dust|sand|smoke|ash|air|haze|plumes?)\b", re.IGNORECASE
)
#: "in the state of Western Australia", "the Kimberly region of Western Australia": the
#: container of the places before it.
_CONTAINER_BEFORE = re.compile(
    r"(?:\bin\s+(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?(?:state|province|region|territory|country)\s+of\s+)?"
    r"|\b(?:[Ss]tate|[Pp]rovince|[Rr]egion|[Tt]erritory|[Pp]art|[Dd]istrict|[Cc]ounty|[Nn]ation|"
    r"[Cc]ountry)\s+of\s+"
    r"(?:the\s+)?(?:(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral)\w*\s+)?)$"
)


def order_places(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Put the likeliest subject first; none when the text is about a sea or an ocean."""
    if not places:
        return places
    if mentions_launch(text):
        # "launched from Plesetsk (Russia)": where the satellite left from is never the scene
        places = [p for p in places if not launch_site(text, p.span[0])]
        if not places:
            return places
    references = [
        p
        for p in places
        if (
            _REFERENCE.search(text, max(0, p.span[0] - 25), p.span[0])
            and not _BROKE_FROM.search(text, max(0, p.span[0] - 40), p.span[0])
        )
        or _ORIGIN_AFTER.match(text, p.span[1])
        or in_examples(text, p.span[0])
        or credited(text, p.span[0])
        or (
            _COMPARED_HINT.search(text, max(0, p.span[0] - 50), p.span[0]) is not None
            and _COMPARED_BEFORE.search(text, max(0, p.span[0] - 50), p.span[0]) is not None
        )
    ]
    for before, after in zip(places, places[1:], strict=False):
        # "offices in Poland, Luxembourg and the UK": a list goes on from a reference point
        if (
            before in references
            and after not in references
            and _LIST_GOES_ON.fullmatch(text, before.span[1], after.span[0])
        ):
            references.append(after)
    field = next(
        (
            p
            for p in places
            if ":" in text[max(0, p.span[0] - 10) : p.span[0]]
            and _LOCATION_FIELD.search(text, max(0, p.span[0] - 30), p.span[0])
        ),
        None,
    )
    if field is not None:  # "Location: Argentina": the caption says where the picture is
        return [field] + [p for p in places if p is not field]
    located = next(
        (
            p
            # a name after "waters off" is no reference point: it is tried too where one is
            for p in (places if "waters off" in text else references)
            if _LOCATES_SEA.search(text, max(0, p.span[0] - 60), p.span[0])
        ),
        None,
    )
    if located is not None:
        return [located] + [p for p in places if p is not located]
    ordered = [p for p in places if p not in references] + references
    paragraph = text.find("\n", ordered[0].span[1])
    shown = None
    if paragraph >= 0 and ordered[0] not in references:
        shown = _SHOWS.search(text, paragraph)
    if shown is not None:
        # "... Puerto Rico ...\n\nThis composite image shows Hurricane Dorian ... the outline of
        # the Bahamas": after a paragraph of background, the sentence that says what the picture
        # shows, or the next, names its scene
        end = SENTENCE_END.search(text, shown.end())
        end = SENTENCE_END.search(text, end.end()) if end else None
        limit = end.start() if end else len(text)
        scene = next(
            (p for p in ordered if shown.start() <= p.span[0] < limit and p not in references),
            None,
        )
        if scene is not None:
            ordered = [scene] + [p for p in ordered if p is not scene]
    ordered = lone_town_last(ordered, references)
    ordered = scene_first(text, ordered, references)
    first = ordered[0]
    if first.kind in ("city", "feature") and len(ordered) > 1:
        # "the Kimberly coast in the state of Western Australia": a same-named town elsewhere
        # loses to the region or country the same sentence names
        end = SENTENCE_END.search(text, first.span[1])
        limit = end.start() if end else len(text)
        others = [
            p
            for p in ordered[1:]
            # (in its sentence, after it: a container named sentences before is another scene)
            if p.kind != "city"
            and p.country_code != first.country_code
            and first.span[0] < p.span[0] < limit
        ]
        if others and (
            # a feature ("the Patagonia region of southern Chile") yields to a container only
            (first.kind == "city" and not place_cue(text, first.span[0]))
            or any(
                _CONTAINER_BEFORE.search(text, max(0, p.span[0] - 40), p.span[0]) for p in others
            )
        ):
            ordered = ordered[1:] + [first]
    first = ordered[0]
    if first.kind == "feature":
        # "the Nile River near Khartoum, Sudan": a qualified place beats a long river or range
        end = SENTENCE_END.search(text, first.span[1])
        limit = end.start() if end else len(text)
        qualified = [p for p in ordered[1:] if "," in p.text and p.span[0] < limit]
        if qualified:
            ordered = [qualified[0]] + [p for p in ordered if p is not qualified[0]]
    gazetteer = load_gazetteer()
    subject = ordered[0] if ordered[0] not in references else None
    head = len(text)
    if subject is not None:  # "smog in Northern India appear in the first global image": whole
        end = SENTENCE_END.search(text, subject.span[1])  # Earth in the subject's own sentence
        head = end.start() if end else len(text)
    if whole_earth(text, head):
        return []  # "this image of our planet Earth ... at Le Bourget"
    # only a sea named before the subject matters: scanning no further keeps long texts fast
    water = next(
        # a lake called a sea keeps its country, one country's ("Salton Sea") or that of most of
        # its shore when two or three share it ("Dead Sea"; the Caspian is not in the
        # gazetteer), and a sea that names a region ("Red Sea" state) keeps its country; a town
        # ("Asia") hides nothing
        (
            w
            for w in _WATER.finditer(text, 0, subject.span[1] if subject else len(text))
            if (
                w.group(0) in _SEVERAL_COUNTRIES
                or not any(p.kind != "city" for p in gazetteer.lookup(_sea_name(w)))
            )
            and not _RANKED_IN.search(text, max(0, w.start() - 60), w.start())
            # "swept northward out of Africa": where it came from, not the scene
            and not _REFERENCE.search(text, max(0, w.start() - 25), w.start())
            and not (subject is not None and _only_in_title(text, w))
            # "the Black Sea to the north", "separating Europe and Asia", "400 miles above the
            # Pacific Ocean": named beside the scene
            and not beside_scene(text, w.start(), w.end())
        ),
        None,
    )
    if subject is not None and (joined := _AND_AFTER.match(text, subject.span[1])):
        # "snow over the Alps and Central Europe": named together with a continent or a region
        # of several countries, the subject is part of a wider scene (a sea beside a coast is
        # not: "Florida and the Gulf of Mexico" stays in Florida)
        region = _WATER.match(text, joined.end())
        if region and _LAND_REGION.search(region.group(0)):
            return []
    if (
        water
        and subject is not None
        and water.start() <= subject.span[0] < water.end()
        # (unless a country qualifies the name: "Gulf of Tadjourah, Djibouti")
        and subject.span[1] <= water.end()
    ):
        # the subject is part of the sea or continent's name ("Asia and Australia", the town
        # of North Sea, New York), unless the sea lies off a coast ("the North Sea off the coast
        # of eastern Scotland")
        coast = coast_locus(text, ordered, references)
        return [] if coast is None else [coast] + [p for p in ordered if p is not coast]
    if water and (subject is None or water.start() < subject.span[0]):
        # the sea is the scene unless its own sentence goes on to name land that is not a
        # reference point ("over the western Pacific Ocean moving towards Japan")
        end = SENTENCE_END.search(text, water.end())
        if subject is None or subject.span[0] >= (end.start() if end else len(text)):
            locus = next(
                (
                    p
                    for p in ordered
                    if _LOCUS_BEFORE.search(text, max(0, p.span[0] - 40), p.span[0])
                ),
                None,
            )
            if locus is None:
                # "A dust storm ... engulfed the central Mediterranean. Images from Sentinel-2
                # show the dust over Tunisia, Sicily and Italy": the land the pictures show
                locus = next(
                    (p for p in ordered if p not in references and shown_over(text, p.span[0])),
                    None,
                )
            if locus is None:  # "the Barents Sea off the northeast coast of Norway"
                locus = coast_locus(text, ordered, references)
            if locus is not None:  # "... the Balkans ... the village of X in northern Bosnia"
                return [locus] + [p for p in ordered if p is not locus]
            return []  # "the Baltic Sea ... Sweden and Finland to the north"
    # "the Andes ... the desert plateau of Bolivia": a range of several countries says which
    # country only through the place named after it (tried last: the feature, not that place,
    # is what a sea named before it is weighed against)
    # "the Blue Nile River in Ethiopia": the country named right after a region or a feature
    return contained_first(text, shared_feature_yields(ordered, references))


def _only_in_title(text: str, water: re.Match[str]) -> bool:
    """Whether a sea or a region is named in a title line only, never again in the text below.

    "Fires in South America" over "Fires continued burning in Brazil", "Monitoring tropical
    cyclones in the Indian Ocean" over a storm's landfall in India: a title names the wider area
    or the series, the body the scene; a sea the body names again is the scene itself.
    """
    start = text.rfind("\n", 0, water.start()) + 1
    end = text.find("\n", water.end())
    if end < 0 or end - start > 100:
        return False
    line = text[start:end].rstrip()
    if line.endswith((".", ":")) or ". " in line:
        return False  # a sentence, not a title
    core = _TITLE_CORE.sub("", water.group(0))
    # (named again as a word: "the African coasts" does not name Africa again)
    return re.compile(re.escape(core) + r"(?![a-z])").search(text, end) is None


def _sea_name(water: re.Match[str]) -> str:
    """A sea's name less the capitalised "The" opening a sentence ("The Dead Sea is ...")."""
    name = water.group(0)
    return name[4:] if name.startswith("The ") else name
