"""Clues in the words around a place name that it is, or is not, the picture's scene.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_place_order``): credit lines,
lists of examples or partners, a town whose country nothing else names, and the sentences a
picture verb opens ("Images ... show the dust over Tunisia", "the crew took ... of the Upsala
Glacier in Argentina"). Each test reads at most a few hundred characters before the name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._extract_places import PlaceMention

#: "in countries such as Britain, Sweden and Greece", "in Ländern wie Schweden": examples of
#: a wider area, not the scene; a programme's partners neither (the whole list up to the name,
#: within one sentence).
_EXAMPLES_BEFORE = re.compile(
    r"\b(?:(?:countries|nations|Ländern|Länder|pays|países|paesi)\s+(?:such\s+as|like|including|"
    r"wie|comme|tels\s+que|como|come)"
    # "a joint programme of the European Commission, France, Belgium": the partners
    r"|joint\s+(?:programme|program|mission|project|venture|effort)\s+(?:of|between|by))"
    r"\s+[^.;:\n]{0,60}$"
)
#: Words one of which any match of ``_EXAMPLES_BEFORE`` holds (a scan ~3x cheaper, tried first).
_EXAMPLES_HINT = re.compile("countries|nations|Länder|pays|países|paesi|joint")
#: A credit or author line ("Author(s): Sentinel Vision team, VisioTerra, France", "Image
#: credit: ...", "Photo by: ...", a byline "By X (Switzerland)"): who made the picture and
#: where they sit, not the scene.
_CREDIT_LINE = re.compile(
    r"[ \t]*(?:Authors?(?:\(s\))?|(?:Image\s+|Photo\s+)?[Cc]redits?|Photo\s+by|Courtesy|"
    r"Copyright|\u00a9)\b"
    # a byline giving each author's seat: "By HansPeter Roesli (Switzerland) and ..."
    r"|[ \t]*By[ \t]+[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){0,3}[ \t]*\("
)
#: "Images from the Sentinel-2 mission show the dust over Tunisia": land a picture shows,
#: within its own sentence.
_SHOWN_OVER = re.compile(
    r"\b(?:[Ii]mages?|[Pp]hoto(?:graph)?s?|[Pp]ictures?)\b[^.;\n]{0,60}?\b(?:show|reveal|depict)"
    r"(?:s|ing)?\b[^.;\n]{0,50}?\b(?:over|across|above)\s+(?:the\s+)?$"
)
#: "the crew took ISS008-E-11807 of the Upsala Glacier in Argentina": the land a picture verb's
#: own sentence puts its subject in.
_TAKEN_OF_IN = re.compile(
    r"\b(?:took|taken|captured|acquired|photographed|imaged)\b[^.;\n]{0,80}?\bof\b[^.;\n]{0,60}?"
    r"\bin\s+(?:the\s+)?$"
)


def lone_town_last(
    ordered: list[PlaceMention], references: list[PlaceMention]
) -> list[PlaceMention]:
    """A town first whose country nothing else names goes last when the other names agree.

    "the Angeles National Forest ... Southern California ... Nevada and Utah" (Angeles, Costa
    Rica): a town's name, being short and often shared, is the weakest evidence there is; when
    its country is named nowhere else and two names or more (not reference points) lie in one
    other country, the text is about that country.
    """
    first = ordered[0]
    if first.kind != "city" or len(ordered) < 3:
        return ordered
    skipped = {id(p) for p in references}  # (identity: comparing the dataclasses costs more)
    codes = [p.country_code for p in ordered[1:] if id(p) not in skipped]
    if first.country_code in codes or max(map(codes.count, set(codes)), default=0) < 2:
        return ordered
    return ordered[1:] + [first]


def in_examples(text: str, start: int) -> bool:
    """Whether the name at ``start`` is in a list of examples ("countries such as ...")."""
    lo = max(0, start - 90)
    return (
        _EXAMPLES_HINT.search(text, lo, start) is not None
        and _EXAMPLES_BEFORE.search(text, lo, start) is not None
    )


def credited(text: str, start: int) -> bool:
    """Whether the name at ``start`` is on a credit or author line ("Author(s): ..., France")."""
    lo = max(0, start - 200)
    newline = text.rfind("\n", lo, start)
    if newline < 0 and lo > 0:
        return False  # (its line starts more than 200 characters before it)
    return _CREDIT_LINE.match(text, newline + 1) is not None


def shown_over(text: str, start: int) -> bool:
    """Whether a picture's own sentence shows something over the name at ``start``."""
    return _SHOWN_OVER.search(text, max(0, start - 120), start) is not None


def taken_in_first(
    text: str, ordered: list[PlaceMention], references: list[PlaceMention]
) -> list[PlaceMention]:
    """A feature first yields to the land a picture verb's own sentence puts its subject in.

    "glaciers in the far southern Andes ... the crew took a photograph of the Upsala Glacier in
    Argentina": a range or a river that several countries share is the background.
    """
    first = ordered[0]
    if first.kind != "feature":
        return ordered
    skipped = {id(p) for p in references}
    if id(first) in skipped:
        return ordered
    taken = next(
        (
            p
            for p in ordered[1:]
            if id(p) not in skipped
            and p.country_code != first.country_code
            and _TAKEN_OF_IN.search(text, max(0, p.span[0] - 150), p.span[0])
        ),
        None,
    )
    return ordered if taken is None else [taken] + [p for p in ordered if p is not taken]


#: "These two satellite images, from the Copernicus Sentinel-2 mission, show Athens": the place
#: a picture verb names as its object.
_SHOWS_NAME = re.compile(
    r"\b(?:[Ii]mages?|[Pp]hoto(?:graph)?s?|[Pp]ictures?|[Vv]iews?|[Ss]cenes?)\b[^.;\n]{0,80}?"
    r"\b(?:show|depict|reveal|capture)(?:s|d)?[ \t]+(?:the[ \t]+(?:city|town|island|region|"
    r"coast|capital)[ \t]+of[ \t]+)?$"
)


def shown_object(text: str, start: int) -> bool:
    """Whether a picture verb names the place at ``start`` as its object ("images show Athens")."""
    window = text[max(0, start - 30) : start]
    if "show" not in window and "pict" not in window and "veal" not in window:
        if "aptur" not in window:
            return False
    return _SHOWS_NAME.search(text, max(0, start - 150), start) is not None


def scene_first(
    text: str, ordered: list[PlaceMention], references: list[PlaceMention]
) -> list[PlaceMention]:
    """The place a picture verb puts its subject in, or names as its object, goes first.

    "the crew took a photograph of the Upsala Glacier in Argentina" (:func:`taken_in_first`),
    "parts of Turkey and Greece ... These two satellite images ... show Athens".
    """
    ordered = taken_in_first(text, ordered, references)
    first = ordered[0]
    for place in ordered[1:]:
        if (
            place.country_code != first.country_code
            and place not in references
            and shown_object(text, place.span[0])
        ):
            return [place] + [p for p in ordered if p is not place]
    return ordered
