"""Regions named in other languages (CLDR subdivisions, twelfth round), on sentences of ours."""

import pytest

from gaia_geo.collect import extract_metadata, load_gazetteer


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Das Radarbild zeigt die überfluteten Felder in der Toskana nach dem Regen.", "IT"),
        ("Le satellite a photographié la Bavière sous une épaisse couche de neige.", "DE"),
        ("Il satellite ha ripreso la Bassa Sassonia dopo le piogge.", "DE"),
        ("El satélite captó los incendios de Baviera a finales de agosto.", "DE"),
        ("Zdjęcie satelitarne: Andaluzja po tygodniach upałów.", "ES"),
        ("A imagem mostra a Baviera coberta de neve no inverno.", "DE"),
        ("Het satellietbeeld toont Beieren na de sneeuwval.", "DE"),
        ("Satellitbilden visar Toscana efter översvämningarna.", "IT"),
        ("Satellitbilledet viser Andalusien efter tørken.", "ES"),
        ("A műholdkép Bajorország havas tájait mutatja.", "DE"),
        ("ひまわりがカムチャツカの火山の噴煙を捉えた。", "RU"),
        ("위성이 바이에른 상공의 구름을 촬영했다.", "DE"),
        ("卫星拍摄了四川西部的山区。", "CN"),
        ("उपग्रह ने बायर्न के जंगलों की तस्वीर ली।", "DE"),
    ],
)
def test_a_region_named_in_the_texts_language(text: str, country: str) -> None:
    assert _country(text) == country


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Toscana", "IT"),
        ("Bayern", "DE"),
        ("Île-de-France", "FR"),
        ("Andalucía", "ES"),
        ("Hokkaidō", "JP"),
        ("Kalabrien", "IT"),
    ],
)
def test_the_gazetteer_holds_the_region(name: str, country: str) -> None:
    places = load_gazetteer().lookup(name)
    assert places
    assert places[0].country_code == country


@pytest.mark.parametrize("word", ["Lago", "Costa", "Väst", "Unión"])
def test_region_names_that_are_words_are_left_out(word: str) -> None:
    assert all(p.kind != "region" for p in load_gazetteer().lookup(word))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Le satellite a photographié l'Île-de-France sous la neige le 3 mai 2020.",
            "Ile-de-France",
        ),
        ("Die Aufnahme zeigt Österreich und die Alpen am 3. Mai 2020.", "Austria"),
    ],
)
def test_a_name_may_open_with_an_accented_capital(text: str, name: str) -> None:
    assert [p.name for p in extract_metadata(text).places][:1] == [name]
