"""Places an article names: candidate names resolved in the offline gazetteer, then ordered.

Part of :func:`gaia_geo.collect.extract_metadata`. The first place is the likeliest subject of
the picture; reference points ("just west of Australia"), origins ("Sahara dust") and owners
("Japan's weather satellite") go last or out, and a sea or a region of several countries named
before the subject means the picture shows no one country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._extract_sensors import SENTENCE_END
from ._gazetteer import Gazetteer, Place, load_gazetteer
from ._place_context import (
    heads_caption,
    launch_site,
    mentions_launch,
    names_organisation,
    storm_names,
)

_PLACE_CUE = re.compile(
    r"\b(in|near|of|over|around|across|through|throughout|outside|from|at|off|along|above|to|"
    r"toward|towards|"
    r"north|south|east|west|northern|southern|eastern|western|central)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A capitalised word ("U.S." too) and up to three more. It starts with a capital, the word
#: boundary tested after it ("(?<!\w.)"), so that ``re`` jumps from capital to capital: 2x faster
#: than a leading ``\b``.
_PLACE_CANDIDATE = re.compile(
    # words of one name are on one line ("Kuril Islands\n\nThe Kuril..." is two names)
    r"[A-Z](?<!\w.)(?:(?<=U)\.[SK]\.(?:A\.)?"
    r"|[a-zA-Z\u00C0-\u017F'\-]+(?:\.(?<=[SM]t\.)(?=[ \t]+[A-Z]))?)"
    r"(?:[ \t]+(?:(?:de|da|do|del|la|le|al|el|of)[ \t]+)?"
    # "St." and "Mt." before a name are words of it ("Mount St. Helens", "St. Louis")
    r"[A-Z][a-zA-Z\u00C0-\u017F'\-]+(?:\.(?<=[SM]t\.)(?=[ \t]+[A-Z]))?){0,3}"
)
_FUNCTION_WORDS = frozenset(
    "In On At From Near Over Around Across Along Outside Inside Off Above Below Beyond Toward "
    "Towards Into Of To By With For As And But Or This These That Those A An The Here There "
    "When While After Before During Since Until".split()
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
    "Asia Europe Africa Oceania".split()
)
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
    r"(?:near|off(?:\s+the\s+coast\s+of)?))\s+(?:the\s+)?$"
)
#: "the village of Balatun in northeastern Bosnia", "the island nation of Kiribati": a precise
#: locus, the scene even after a sea or a region of several countries.
_LOCUS_BEFORE = re.compile(
    r"(?:\b(?:village|town|city|municipality|island nation|nation|island|district)\s+of|"
    r"\bin\s+(?:north|south|east|west|central)(?:east|west)?(?:ern)?)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: The whole planet ("this image of our planet Earth", "a full-disk view"): no one country.
_WHOLE_EARTH = re.compile(
    # one picture: "hundreds of photographs of our home planet" is a collection, not the scene
    r"\b(?:(?:image|view|picture|photo(?:graph)?|mosaic|portrait|map)\s+of\s+(?:our|the)\s+"
    r"(?:home\s+)?planet(?:\s+Earth)?|(?:whole|entire)\s+(?:Earth|globe|planet)|full[- ]dis[ck]|"
    r"global\s+(?:mosaic|map|view|image|composite))\b(?!['\u2019])",
    re.IGNORECASE,
)
#: Words one of which any match of ``_WHOLE_EARTH`` holds (a scan ~8x cheaper, tried first).
_WHOLE_EARTH_HINT = re.compile("lanet|LANET|lobe|LOBE|Earth|EARTH|dis[ck]|DIS[CK]|lobal|LOBAL")
#: "just west of Australia": a reference point, not the subject.
_REFERENCE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:east|west)?\s+of|near|beyond|border(?:s|ing)?(?:\s+with)?|"
    r"neighbou?ring|from|out of|as far(?: away)? as|"
    # a company's seat ("headquarters in Espoo, Finland", "offices in Poland")
    r"(?:offices?|headquarters|headquartered|based)\s+in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: What joins the names of one list: ", ", " and ", ", and the ".
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s+(?:the\s+)?|,\s+(?:the\s+)?")
#: Words one of which any match of ``_COMPARED_BEFORE`` holds (a cheaper scan, tried first).
_COMPARED_HINT = re.compile("than|THAN|size|SIZE| as | AS |ompared|OMPARED")
#: "the iceberg calved from the Ronne Ice Shelf": where the subject broke off, the scene itself.
_BROKE_FROM = re.compile(
    r"\b(?:calv(?:ed|es|ing)|br(?:oke|eaks?|eaking|oken)\s+(?:off|away)|split(?:s|ting)?(?:\s+off)?)"
    r"\s+from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "slightly larger than the Spanish island of Majorca": a yardstick, not the subject.
_COMPARED_BEFORE = re.compile(
    r"\b(?:(?:larger|bigger|smaller|wider|longer|taller|higher|more|less)\s+than|the\s+size\s+of|"
    r"(?:as|so)\s+(?:large|big|small|wide|long)\s+as|compared\s+(?:to|with))"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:(?:island|state|city|country)\s+of\s+)?$",
    re.IGNORECASE,
)
#: "Sahara dust", "Canadian smoke": where something came from, not what the picture shows.
_ORIGIN_AFTER = re.compile(r"\s+(?:dust|sand|smoke|ash|air|haze|plumes?)\b", re.IGNORECASE)
#: "Japan's new weather satellite", "China's space agency": the owner, not the place imaged.
_OWNER_AFTER = re.compile(
    # on one line: "Iceland's Grimsvotn Volcano\n\nThis natural-color satellite image" is no owner
    r"['\u2019]s[ \t]+(?:[\w-]+[ \t]+){0,4}?"
    r"(?:satellites?|space agency|agency|astronauts?|missions?)\b"
)
#: "in the state of Western Australia", "the Kimberly region of Western Australia": the
#: container of the places before it.
_CONTAINER_BEFORE = re.compile(
    r"(?:\bin\s+(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?(?:state|province|region|territory|country)\s+of\s+)?"
    r"|\b(?:[Ss]tate|[Pp]rovince|[Rr]egion|[Tt]erritory|[Pp]art|[Dd]istrict|[Cc]ounty|[Nn]ation|"
    r"[Cc]ountry)\s+of\s+"
    r"(?:the\s+)?(?:(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral)\w*\s+)?)$"
)
#: "Palm Jebel Ali, Dubai" closing a title line: the town qualifies the name before it.
_ENDS_LINE = re.compile(r"[ \t]*(?:\n|$)")
#: Land words after a demonym: "the Indonesian coastline", "the Russian Arctic".
_LAND_AFTER = re.compile(
    r"\s+(?:coast(?:line)?s?|islands?|archipelago|border|capital|cities|city|Arctic|desert|outback|"
    r"highlands|lowlands|mainland|shores?|countryside|provinces?|states?|territory|regions?|"
    r"peninsula|plains?|steppes?|tundra|taiga|forests?|mountains|Alps|Andes|Himalaya|"
    r"side|sector|portion|part)\b"
)
#: Facilities and events named after a town ("Hanford Nuclear Reservation", "the Boston
#: Marathon"): the town is the place.
_FACILITY = re.compile(
    r"(?:Reservation|Airport|Dam|Reservoir|National Park|National Forest|Air Force Base|"
    r"Naval Air Station|Power Plant|Power Station|Nuclear Plant|Harbou?r|Port|Marathon|"
    r"Olympics|Olympic Games|Grand Prix)$"
)
#: Organisations named after a place ("U.S. Geological Survey", "Japan Aerospace Exploration
#: Agency", "Alaska Satellite Facility"): their seat or owner, not what the picture shows.
_ORGANISATION_AFTER = re.compile(
    r"(?:[ \t]+(?:[A-Z][\w'-]*|of|and|for)){0,5}?[ \t]+"
    r"(?:Survey|Agency|Administration|Cent(?:er|re)|Institute|University|College|Laboratory|"
    r"Service|Department|Ministry|Office|Facility|Team|Programme|Program|Society|Corporation|"
    r"Company|Foundation|Association|Council|Commission|Authority|Observatory|Museum|"
    # newspapers named after their city ("the Washington Post", "the Los Angeles Times")
    r"Post|Times|Journal|Herald|Tribune|Chronicle|Gazette)\b"
)
#: Compass words that may open a place's name ("Central Iowa", "Northern California").
_COMPASS = frozenset(
    "North South East West Northern Southern Eastern Western Central Northeast Northwest "
    "Southeast Southwest Northeastern Northwestern Southeastern Southwestern Upper Lower".split()
)


@dataclass(frozen=True)
class PlaceMention:
    """A place the text names, resolved in the offline gazetteer.

    Attributes:
        name: the gazetteer's name.
        lon: longitude.
        lat: latitude.
        country_code: ISO 3166-1 alpha-2.
        kind: ``city``, ``region`` or ``country``.
        text: the words as written (with their qualifier, e.g. ``"Cairo, Egypt"``).
        span: character offsets.
    """

    name: str
    lon: float
    lat: float
    country_code: str
    kind: str
    text: str
    span: tuple[int, int]


#: Candidates ("Scientists have", "Researchers") whose words and word runs name no place and
#: no demonym in the gazetteer they were looked up in: skipped at once next time. Bounded: the
#: set is emptied when full or when the gazetteer changes.
_NO_PLACE: tuple[object, set[str]] = (None, set())
_NO_PLACE_MAX = 8192


def find_places(text: str, excluded: list[tuple[int, int]]) -> list[PlaceMention]:
    global _NO_PLACE
    gazetteer = load_gazetteer()
    if _NO_PLACE[0] is not gazetteer:
        _NO_PLACE = (gazetteer, set())
    no_place = _NO_PLACE[1]
    raw: list[tuple[int, int, str, tuple[Place, ...]]] = []
    for match in _PLACE_CANDIDATE.finditer(text):
        candidate = match.group(0)
        if candidate in no_place:
            continue
        nothing = True  # no name looked up and no demonym: the same in any text
        words = candidate.split()
        base = match.start()
        lead = 0
        while lead < len(words) and words[lead] in _FUNCTION_WORDS:
            lead += 1  # "In Cairo" -> "Cairo"
        i = lead
        while i < len(words):
            # "the Argentine side": a demonym before a land word, not the town of Argentine
            hit = _demonym_place(text, words, i, base, gazetteer)
            for j in range(len(words), i, -1) if hit is None else ():
                name = " ".join(words[i:j])
                if name.endswith("'s"):  # "Brazil's Amazon"
                    name = name[:-2]
                if name in _NOT_PLACES:
                    continue
                places = gazetteer.lookup(name)
                if not places and "Mt. " in name:  # "Mt. Etna" as "Mount Etna"
                    places = gazetteer.lookup(name.replace("Mt. ", "Mount "))
                if places:
                    start = (
                        base + match.group(0).index(words[i])
                        if i == 0
                        else text.index(words[i], base)
                    )
                    hit = (start, start + len(name), name, places, j)
                    break
            if hit is None and words[i] in gazetteer.demonyms:
                nothing = False
            if hit is None:
                i += 1
                continue
            nothing = False
            start, end, name, places, j = hit
            # "Central Iowa": a compass word opening the name leaves the place at its head
            at_lead = i == lead or all(w in _COMPASS for w in words[lead:i])
            if not (at_lead and j == len(words)):
                # part of a longer name ("Hurricane Ida", "Goddard Space Flight Center"): a town
                # of that name is a coincidence; a country, region or feature inside it counts
                keep: tuple[str, ...] = (
                    # "the Coast Mountains of British Columbia": what follows "of" contains
                    # the feature before it
                    ("country", "region", "feature")
                    if at_lead or words[i - 1] == "of"
                    else ("country",)
                )
                rest = " ".join(words[j:])
                if at_lead and _FACILITY.search(rest):
                    keep = ("country", "region", "city")
                if _ORGANISATION_AFTER.match(text, end):
                    keep = ()
                places = tuple(p for p in places if p.kind in keep)
            if _OWNER_AFTER.match(text, start + len(name)) or names_organisation(text, start):
                places = ()
            if places and not any(s < end and start < e for s, e in excluded):
                raw.append((start, end, name, places))
            base, i = end, j
        if nothing:
            if len(no_place) >= _NO_PLACE_MAX:
                no_place.clear()
            no_place.add(candidate)
    # the countries the other names lie in ("Georgia" among Florida and Jacksonville): each a
    # country, or the likeliest region or feature of its name unless a country shares it
    votes = [
        p[0].country_code
        if not any(q.kind == "country" and q.country_code != p[0].country_code for q in p)
        else ""
        for _, _, _, p in raw
    ]
    voters = {
        (code, name)
        for code, (_, _, name, p) in zip(votes, raw, strict=True)
        if code and p[0].kind != "city"
    }
    used_as_qualifier: set[int] = set()
    resolved: list[PlaceMention] = []
    storms = storm_names(text) if raw else frozenset()
    for index, (start, end, name, places) in enumerate(raw):
        if index in used_as_qualifier:
            continue
        mentioned_cc = {code for code, other in voters if other != name}
        if name in storms:
            places = tuple(p for p in places if p.kind != "city")  # "this image of Nargis"
        qualifier = None
        if index + 1 < len(raw) and re.fullmatch(r",\s*", text[end : raw[index + 1][0]]):
            qualifier = raw[index + 1]
        best, best_score, span_end = None, -1.0, end
        regions = {p.name for p in places if p.kind == "region"}
        for place in places:
            score = place.weight / 1e8 if place.kind != "city" else place.weight / 1e4
            if (
                place.kind == "city"
                and regions
                and place.admin1 not in regions
                and place.weight < 1e4
            ):
                score /= 1e4  # "California": the state, not a town of that name in Pennsylvania
            if qualifier is not None and any(
                q.kind != "city"
                and (
                    q.country_code == place.country_code
                    and (q.kind == "country" or q.name == place.admin1)
                )
                for q in qualifier[3]
            ):
                score += 100.0
            if place.country_code in mentioned_cc:
                score += 10.0
            if score > best_score:
                best, best_score = place, score
        if best is None:
            continue
        if best.kind == "region":  # "Khartoum", "Lima", "Tokyo": the city, not its province
            region = best
            best = next(
                (
                    p
                    for p in places
                    if p.kind == "city"
                    and p.country_code == region.country_code
                    and p.admin1 == region.name
                ),
                region,
            )
        if qualifier is not None and best_score >= 100.0:
            used_as_qualifier.add(index + 1)
            span_end = qualifier[1]
        cue = bool(
            _PLACE_CUE.search(text, max(0, start - 25), start)
            or (text[max(0, start - 2) : start].strip() == "," and _ENDS_LINE.match(text, span_end))
            # "Berlin: The elevation model ...": a major city heading its caption
            or (best.weight >= 1e4 and heads_caption(text, start, span_end))
        )
        if best.kind == "city" and not cue and span_end == end:
            continue  # a capitalised word that is also some town's name: not enough evidence
        resolved.append(
            PlaceMention(
                best.name,
                best.lon,
                best.lat,
                best.country_code,
                best.kind,
                text[start:span_end],
                (start, span_end),
            )
        )
    return _order_places(text, resolved)


def _demonym_place(
    text: str, words: list[str], i: int, base: int, gazetteer: Gazetteer
) -> tuple[int, int, str, tuple[Place, ...], int] | None:
    """A demonym before a land word ("the Indonesian coastline") names its country."""
    code = gazetteer.demonyms.get(words[i])
    country = gazetteer.country(code) if code else None
    if country is None:
        return None
    start = text.index(words[i], base)
    end = start + len(words[i])
    if not _LAND_AFTER.match(text, end):
        return None
    return start, end, words[i], (country,), i + 1


def _order_places(text: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Put the likeliest subject first; none when the text is about a sea or an ocean."""
    if not places:
        return places
    launches = mentions_launch(text)
    references = [
        p
        for p in places
        if (
            _REFERENCE.search(text, max(0, p.span[0] - 25), p.span[0])
            and not _BROKE_FROM.search(text, max(0, p.span[0] - 40), p.span[0])
        )
        or _ORIGIN_AFTER.match(text, p.span[1])
        or (launches and launch_site(text, p.span[0]))
        or (
            _COMPARED_HINT.search(text, max(0, p.span[0] - 50), p.span[0]) is not None
            and _COMPARED_BEFORE.search(text, max(0, p.span[0] - 50), p.span[0]) is not None
        )
    ]
    for before, after in zip(places, places[1:], strict=False):
        # "offices in Poland, Luxembourg and the UK": a list goes on from a reference point
        if before in references and after not in references and _LIST_GOES_ON.fullmatch(
            text, before.span[1], after.span[0]
        ):
            references.append(after)
    located = next(
        (p for p in references if _LOCATES_SEA.search(text, max(0, p.span[0] - 60), p.span[0])),
        None,
    )
    if located is not None:
        return [located] + [p for p in places if p is not located]
    ordered = [p for p in places if p not in references] + references
    first = ordered[0]
    if first.kind in ("city", "feature") and len(ordered) > 1:
        # "the Kimberly coast in the state of Western Australia": a same-named town elsewhere
        # loses to the region or country the same sentence names
        end = SENTENCE_END.search(text, first.span[1])
        limit = end.start() if end else len(text)
        others = [
            p
            for p in ordered[1:]
            if p.kind != "city" and p.country_code != first.country_code and p.span[0] < limit
        ]
        if others and (
            # a feature ("the Patagonia region of southern Chile") yields to a container only
            (
                first.kind == "city"
                and not _PLACE_CUE.search(text, max(0, first.span[0] - 25), first.span[0])
            )
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
    if _WHOLE_EARTH_HINT.search(text, 0, head) and _WHOLE_EARTH.search(text, 0, head):
        return []  # "this image of our planet Earth ... at Le Bourget"
    # only a sea named before the subject matters: scanning no further keeps long texts fast
    water = next(
        # a lake called a sea in one country's land ("Salton Sea") keeps its country (one shared
        # by several, like the Aral Sea, is not in the gazetteer), and a sea that names a region
        # ("Red Sea" state) keeps its country; a town ("Asia") hides nothing
        (
            w
            for w in _WATER.finditer(text, 0, subject.span[1] if subject else len(text))
            if (
                w.group(0) in _SEVERAL_COUNTRIES
                or not any(p.kind != "city" for p in gazetteer.lookup(w.group(0)))
            )
            and not _RANKED_IN.search(text, max(0, w.start() - 60), w.start())
            # "swept northward out of Africa": where it came from, not the scene
            and not _REFERENCE.search(text, max(0, w.start() - 25), w.start())
        ),
        None,
    )
    if water and subject is not None and water.start() <= subject.span[0] < water.end():
        return []  # the subject is part of the sea or continent's name ("Asia and Australia")
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
            if locus is not None:  # "... the Balkans ... the village of X in northern Bosnia"
                return [locus] + [p for p in ordered if p is not locus]
            return []  # "the Baltic Sea ... Sweden and Finland to the north"
    return ordered
