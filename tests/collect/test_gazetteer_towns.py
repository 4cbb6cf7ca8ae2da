"""GeoNames towns by their own spelling and in other scripts (``data/town_names.csv``)."""

import pytest

from gaia_geo.collect import extract_metadata, load_gazetteer
from gaia_geo.collect._gazetteer_names import scripted_places


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a town the older ASCII town file lacks (GeoNames "Chebarkul’", less the soft sign)
        (
            "El satélite Pléiades 1A ha adquirido una imagen de la ciudad rusa de Chebarkul, "
            "donde un fragmento de meteorito cayó.",
            "RU",
        ),
        # a town in Devanagari, after a dateline
        ("चेन्नई: इसरो ने कार्टोसैट-2 उपग्रह द्वारा ली गई पहली तस्वीर जारी की।", "IN"),
        # a town in Cyrillic
        ("Снимок сделан над городом Челябинск 15 февраля.", "RU"),
    ],
)
def test_towns_in_their_own_spelling(text: str, country: str) -> None:
    assert _country(text) == country


def test_town_names_left_out() -> None:
    gazetteer = load_gazetteer()
    # a renamed city is found by its new name; a large city's district is not a town
    assert [p.country_code for p in gazetteer.lookup("Chattogram")][:1] == ["BD"]
    assert not gazetteer.lookup("Pacífico")
    # one or two kana, kanji or Hangul letters are as often a word ("光", light; "이", this)
    assert scripted_places("光の画像") == scripted_places("이 사진") == []
