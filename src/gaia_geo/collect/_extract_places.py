"""Places an article names: candidate names resolved in the offline gazetteer.

Part of :func:`gaia_geo.collect.extract_metadata`. Each capitalised run of words is looked up
(its longest known part first), a town needs a place word before it ("in", "near") and a name
shared by several places takes the one in the countries the text's other names lie in; the
mentions are then ordered by ``_place_order`` (subject first, none for a sea or the Earth).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._gazetteer import Place, load_gazetteer
from ._gazetteer_names import scripted_places
from ._place_context import (
    _FACILITY,
    _JOINT_AFTER,
    _ORGANISATION_AFTER,
    heads_caption,
    ice_named,
    kind_stems,
    names_organisation,
    names_river,
    storm_names,
)
from ._place_order import _RANKED_IN as _RANKED_IN  # re-exported: seas and continents read them
from ._place_order import _REFERENCE as _REFERENCE
from ._place_order import _WATER as _WATER
from ._place_order import _WHOLE_EARTH as _WHOLE_EARTH
from ._place_order import _WHOLE_EARTH_HINT as _WHOLE_EARTH_HINT
from ._place_order import order_places, place_cue
from ._place_scene import shown_object
from ._place_words import (
    _FUNCTION_WORDS,
    _HEAD_OF_NAME,
    _NOT_PLACES,
    _ORGANISATION_HEADS,
    _WATER_BEFORE_OF,
    compound_country,
    demonym_place,
    opens_name,
    word_start,
)

#: A capitalised word ("U.S." too) and up to three more. It starts with a capital, the word
#: boundary tested after it ("(?<!\w.)"), so that ``re`` jumps from capital to capital: 2x faster
#: than a leading ``\b``.
#: The capitals a name may open with: ASCII, Latin-1 and Latin Extended-A ("Île-de-France",
#: "Örebro", "Şanlıurfa", "Łódź", "Ñuble"), as pages in other languages write them.
_CAPITAL = "A-Z\u00c0-\u00d6\u00d8-\u00de" + "".join(
    chr(c) for c in range(0x100, 0x17F) if chr(c).isupper()
)
_PLACE_CANDIDATE = re.compile(
    # words of one name are on one line ("Kuril Islands\n\nThe Kuril..." is two names)
    rf"[{_CAPITAL}](?<!\w.)(?:(?<=U)\.[SK]\.(?:A\.)?"
    r"|[a-zA-Z\u00C0-\u017F'\-]+(?:\.(?<=[SM]t\.)(?=[ \t]+[A-Z]))?)"
    r"(?:[ \t]+(?:(?:de|da|do|del|la|le|al|el|of)[ \t]+)?"
    # "St." and "Mt." before a name are words of it ("Mount St. Helens", "St. Louis")
    rf"[{_CAPITAL}][a-zA-Z\u00C0-\u017F'\-]+(?:\.(?<=[SM]t\.)(?=[ \t]+[A-Z]))?){{0,3}}"
    # (group 1, empty: a capitalised word follows, the run stopped at its word limit)
    rf"((?=[ \t]+[{_CAPITAL}]))?"
)
#: A water body named after a country ("the Mozambique Channel", "the Korea Strait"): the
#: country is a word of the sea's name, not the scene.
_WATER_AFTER = re.compile(r"(?:Channel|Straits?|Trench|Current|Passage)\b")
#: "Japan's new weather satellite", "China's space agency": the owner, not the place imaged.
_OWNER_AFTER = re.compile(
    # on one line: "Iceland's Grimsvotn Volcano\n\nThis natural-color satellite image" is no owner
    r"['\u2019]s[ \t]+(?:[\w-]+[ \t]+){0,4}?"
    r"(?:satellites?|space agency|agency|astronauts?|missions?)\b"
)
#: "the Nigerian satellites", "an Indian Earth observation satellite": a demonym as the owner.
_DEMONYM_OWNER = re.compile(
    r"[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:satellites?|space agency|astronauts?)\b"
)
#: The same in Japanese, Chinese and Korean: "日本の地球資源衛星" (Japan's Earth resources
#: satellite), "中国的气象卫星", "한국의 다목적실용위성"; not "日本の衛星画像", a picture of Japan.
_SCRIPTED_OWNER = re.compile(
    r"(?:(?:の|的|의)[ \t]?[^。、，,.\n]{0,12}?"
    # or no particle, a short compound: "美国陆地卫星" (America's land satellite), "미국
    # 항공우주국" (the US aerospace agency, NASA)
    r"|[\u4e00-\u9fff]{0,4}|[ \t]?[\uac00-\ud7af]{0,4}?)"
    r"(?:衛星|卫星|위성|宇宙機関|航天局|航空宇宙局|항공우주국)"
    r"(?!画像|写真|データ|影像|图像|영상|照|圖|图|사진)"
)
#: Between a name and the one that qualifies it ("Cairo, Egypt").
_QUALIFIER_GAP = re.compile(r",\s*")
#: "Palm Jebel Ali, Dubai" closing a title line: the town qualifies the name before it.
_ENDS_LINE = re.compile(r"[ \t]*(?:\n|$)")


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
    stems = kind_stems(gazetteer)
    rivers: dict[str, tuple[Place, ...]] = {}  # names read as a river's ("the Po")
    mentions_rivers: list[bool] = []
    owners: set[str] = set()  # countries named as a satellite's or an agency's owner
    resume = 0
    while resume >= 0:
        runs, resume = _PLACE_CANDIDATE.finditer(text, resume), -1
        for match in runs:
            candidate = match.group(0)
            if match.lastindex:
                # a run cut at its fourth word ("NASA Satellite Sees Smoke Over New Mexico"):
                # a name may go on past it, so the next run starts again at its second word
                first = len(candidate.split(None, 1)[0])
                resume = match.start() + first + len(candidate) - len(candidate[first:].lstrip())
            if candidate in no_place:
                if resume >= 0:
                    break
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
                hit = demonym_place(text, words, i, base, gazetteer)
                derived = hit is not None  # (a demonym's or a compound's country)
                for j in range(len(words), i, -1) if hit is None else ():
                    name = " ".join(words[i:j])
                    if name.endswith("'s"):  # "Brazil's Amazon"
                        name = name[:-2]
                    if name in _NOT_PLACES:
                        continue
                    places = gazetteer.lookup(name)
                    if not places and "Mt. " in name:  # "Mt. Etna" as "Mount Etna"
                        places = gazetteer.lookup(name.replace("Mt. ", "Mount "))
                    if name in stems and all(p.kind == "city" for p in places):
                        nothing = False  # (what it names depends on the words around it)
                        if j == len(words):
                            # "the Larsen C ice shelf", "the Viedma glacier": the kind in lower
                            # case
                            places = ice_named(text, match.end(), name, gazetteer) or places
                        if j == i + 1 and all(p.kind == "city" for p in places):
                            # "the Po", "il fiume Po": a river, not Po in Burkina Faso
                            at = word_start(text, candidate, words[i], i, base)
                            if names_river(text, at, mentions_rivers):
                                river = gazetteer.lookup(name + " River")
                                if river:
                                    rivers[name] = places = river
                    if places:
                        start = word_start(text, candidate, words[i], i, base)
                        hit = (start, start + len(name), name, places, j)
                        break
                if hit is None and "-" in words[i]:
                    hit = compound_country(text, words[i], i, base, candidate, gazetteer)
                    derived = hit is not None
                if hit is None and words[i] in gazetteer.demonyms:
                    nothing = False
                    at = word_start(text, candidate, words[i], i, base) + len(words[i])
                    if _DEMONYM_OWNER.match(text, at):  # "Nigerian satellites": the owner
                        owners.add(gazetteer.demonyms[words[i]])
                if hit is None:
                    i += 1
                    continue
                nothing = False
                start, end, name, places, j = hit
                # "Central Iowa": a compass word opening the name leaves the place at its head
                at_lead = (
                    i == lead
                    or opens_name(text, words[lead:i], places[0].kind, match.start())
                    # "Hawaii's Kilauea Volcano", "Iceland's Vatnajokull": a possessive ends
                    # the name before it, the next name starts after it
                    or words[i - 1].endswith(("'s", "\u2019s"))
                )
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
                    elif _WATER_AFTER.match(rest) or (
                        i >= 2 and words[i - 1] == "of" and words[i - 2] in _WATER_BEFORE_OF
                    ):
                        keep = tuple(k for k in keep if k != "country")
                    places = tuple(p for p in places if p.kind in keep)
                    if (
                        places
                        and not derived  # "the Peruvian Amazon" is Peru's
                        and name not in gazetteer.country_codes
                        and places[0].name != name
                    ):
                        # a country's name in another language inside a longer one is a
                        # company's ("OHB Italia S.p.A."), not a place
                        places = tuple(p for p in places if p.kind != "country")
                owned = _OWNER_AFTER.match(text, start + len(name)) is not None
                if owned:
                    owners.update(p.country_code for p in places if p.kind == "country")
                if (
                    owned
                    or names_organisation(text, start)
                    # "the Centre for Space Science": an organisation's name, not France's region
                    or (name in _ORGANISATION_HEADS and _HEAD_OF_NAME.match(text, end))
                    # "the U.S./Japan ASTER Science Team": a joint team of two countries
                    or (text.startswith("/", end) and _JOINT_AFTER.match(text, end))
                ):
                    places = ()
                if places and not any(s < end and start < e for s, e in excluded):
                    raw.append((start, end, name, places))
                base, i = end, j
                if 0 <= resume < end:  # (no name found twice)
                    resume = end
            if nothing:
                if len(no_place) >= _NO_PLACE_MAX:
                    no_place.clear()
                no_place.add(candidate)
            if resume >= 0:
                break
    if rivers:  # "Po drought warning ... an image of the Po": each bare "Po" is the river
        raw = [
            (s, e, n, rivers[n]) if n in rivers and p[0].kind == "city" else (s, e, n, p)
            for s, e, n, p in raw
        ]
    # the countries the other names lie in ("Georgia" among Florida and Jacksonville): each a
    # country, or the likeliest region or feature of its name unless a country shares it
    # (countries sort first: a second entry that is another country makes the name ambiguous)
    voters: dict[str, set[str]] = {}  # country -> the names that vote for it
    for _, _, name, p in raw:
        if p[0].kind != "city" and not (
            len(p) > 1 and p[1].kind == "country" and p[1].country_code != p[0].country_code
        ):
            voters.setdefault(p[0].country_code, set()).add(name)
    used_as_qualifier: set[int] = set()
    resolved: list[PlaceMention] = []
    storms: frozenset[str] | None = None  # read from the text when a town needs it
    lone_city: PlaceMention | None = None  # the first major city named without a cue
    for index, (start, end, name, places) in enumerate(raw):
        if index in used_as_qualifier:
            continue
        if " " not in name and places[-1].kind == "city":  # (towns sort last)
            storms = storm_names(text) if storms is None else storms
            if name in storms:  # "Cyclone Nargis ... this image of Nargis", "Hurricane Douglas"
                places = tuple(p for p in places if p.kind not in ("city", "region"))
        qualifier = None
        if index + 1 < len(raw) and _QUALIFIER_GAP.fullmatch(text, end, raw[index + 1][0]):
            qualifier = raw[index + 1]
        best, best_score, span_end = None, -1.0, end
        regions = {p.name for p in places if p.kind == "region"}
        country_named = any(p.kind == "country" for p in places)
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
            names = voters.get(place.country_code)
            others = len(names) - (name in names) if names else 0  # other names lying there
            if (
                others
                # a country's name is that country, not a town named after it ("Norway" beside
                # "Wisconsin" is no Norway, Maine) unless a qualifier says so
                and not (place.kind == "city" and country_named)
            ):
                # ("Punjab" beside Haryana and India is India's, not Pakistan's: more names win)
                score += 10.0 + 0.1 * min(others, 9)
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
            place_cue(text, start)
            or (text[max(0, start - 2) : start].strip() == "," and _ENDS_LINE.match(text, span_end))
            # "Berlin: The elevation model ...": a major city heading its caption
            or (best.weight >= 1e4 and heads_caption(text, start, span_end))
            # "These two satellite images ... show Athens": a picture's object
            or shown_object(text, start)
        )
        lone = best.kind == "city" and not cue and span_end == end
        if lone and (best.weight < 1e4 or lone_city is not None):
            continue  # a capitalised word that is also some town's name: not enough evidence
        mention = PlaceMention(
            best.name,
            best.lon,
            best.lat,
            best.country_code,
            best.kind,
            text[start:span_end],
            (start, span_end),
        )
        if lone:  # a major city is the place when nothing else is ("osservare Milano")
            lone_city = mention
        else:
            resolved.append(mention)
    # "インドネシア", "長野県", "인천": no capitals to find them by (a region is put at its
    # country's point: the gazetteer has no coordinates for these spellings)
    scripted = scripted_places(text)
    for start, end, code, kind in scripted:
        country = gazetteer.country(code)
        if kind == "country" and _SCRIPTED_OWNER.match(text, end):
            owners.add(code)  # "日本の地球資源衛星", "中国的气象卫星": the owner
            continue
        if country is not None and not any(s < end and start < e for s, e in excluded):
            resolved.append(
                PlaceMention(
                    country.name if kind == "country" else text[start:end],
                    country.lon,
                    country.lat,
                    code,
                    kind,
                    text[start:end],
                    (start, end),
                )
            )
    if scripted:
        resolved.sort(key=lambda p: p.span)
    if not resolved and lone_city is not None:
        resolved = [lone_city]
    ordered = order_places(text, resolved)
    if owners and ordered and ordered[0].country_code in owners:
        # "Nigeria's latest satellites ... the first picture is of New Zealand's biggest city":
        # the country that owns the satellite, named elsewhere too, is not what it imaged
        other = next((p for p in ordered if p.country_code not in owners), None)
        if other is not None:
            ordered = [other] + [p for p in ordered if p is not other]
    return ordered
