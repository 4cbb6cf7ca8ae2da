"""Natural features shared by several countries: a range, a desert, a basin or a lake.

Part of :func:`gaia_geo.collect.extract_metadata`. The gazetteer files each feature under one
country (the Andes under Peru, the Alps under Switzerland); named first, such a feature says
nothing of which country the picture shows ("the eastern margin of the Andes Mountains. The
desert plateau of Bolivia lies in the foreground"), so the first place named after it in one of
its countries is the subject instead.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ._gazetteer import load_gazetteer
from ._gazetteer_landforms import shared_landforms

if TYPE_CHECKING:
    from ._extract_places import PlaceMention

#: The features of ``data/features.csv`` that lie in several countries, and those countries
#: (ISO 3166-1 alpha-2; the countries each range, desert, basin or lake crosses or borders).
_LISTED: dict[str, frozenset[str]] = {
    name: frozenset(codes.split())
    for names, codes in (
        (("Andes",), "AR BO CL CO EC PE VE"),
        (("Alps",), "AT CH DE FR IT LI MC SI"),
        (("Himalayas", "Himalaya"), "BT CN IN NP PK"),
        (("Pyrenees",), "AD ES FR"),
        (("Rocky Mountains",), "CA US"),
        (("Tibetan Plateau",), "BT CN IN NP"),
        (("Sahara",), "DZ EG EH LY MA ML MR NE SD TD TN"),
        (("Gobi Desert",), "CN MN"),
        (("Kalahari Desert",), "BW NA ZA"),
        (("Amazon", "Amazon Rainforest"), "BO BR CO EC GF GY PE SR VE"),
        (("Patagonia",), "AR CL"),
        (("Lake Victoria",), "KE TZ UG"),
        (("Lake Titicaca",), "BO PE"),
        (("Lake Chad",), "CM NE NG TD"),
        (("Great Lakes",), "CA US"),
        (("Lake Tanganyika",), "BI CD TZ ZM"),
        (("Lake Malawi",), "MW MZ TZ"),
        (("Lake Erie", "Lake Ontario"), "CA US"),
        (("Mount Everest",), "CN NP"),
        (("Tierra del Fuego",), "AR CL"),
        (("Borneo",), "BN ID MY"),
        (("Kashmir",), "CN IN PK"),
        # rivers and deltas: the countries each flows through
        (("Ganges", "Ganges River", "Ganges Delta"), "BD IN"),
        (("Brahmaputra",), "BD CN IN"),
        (("Indus River",), "CN IN PK"),
        (("Mekong River",), "CN KH LA MM TH VN"),
        (("Mekong Delta",), "KH VN"),
        (("Nile", "Nile River"), "EG ER ET KE RW SD SS TZ UG"),
        (("Niger River",), "BJ GN ML NE NG"),
        (("Congo River",), "AO CD CG"),
        (("Zambezi",), "AO BW MZ NA ZM ZW"),
        (("Danube",), "AT BG DE HR HU MD RO RS SK UA"),
        (("Danube Delta",), "RO UA"),
        (("Rhine",), "AT CH DE FR LI NL"),
        (("Tigris", "Euphrates"), "IQ SY TR"),
        (("Amazon River",), "BR CO PE"),
        (("Colorado River",), "MX US"),
    )
    for name in names
}


@functools.cache
def shared_features() -> dict[str, frozenset[str]]:
    """The features of several countries, and those countries.

    The list above, and the landforms of ``data/landforms.csv`` (Natural Earth) that lie in
    several countries ("Tian Shan", "Gran Chaco"); the list wins where both name one.
    """
    return {**shared_landforms(load_gazetteer().lookup), **_LISTED}


def shared_feature_yields(
    ordered: list[PlaceMention], references: list[PlaceMention]
) -> list[PlaceMention]:
    """Put first the place named after a leading shared feature in one of its countries.

    Args:
        ordered: the places, the likeliest subject first.
        references: those that are only reference points (never moved first).

    Returns:
        ``ordered``, or a new list whose first place lies in the feature's countries.
    """
    shared = shared_features()
    countries = shared.get(ordered[0].name)
    if countries is None or ordered[0].kind != "feature":
        return ordered
    inside = next(
        (
            p
            for p in ordered[1:]
            # (another shared feature says no more: "Mount Everest ... the Himalayas")
            if p.country_code in countries and p.name not in shared and p not in references
        ),
        None,
    )
    if inside is None:
        return ordered
    return [inside] + [p for p in ordered if p is not inside]
