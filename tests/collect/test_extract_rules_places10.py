"""Place rules of the tenth round (real-917..real-1041), each on a sentence of ours."""

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.collect._gazetteer import load_gazetteer
from gaia_geo.collect._gazetteer_names import scripted_places


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- CLDR country names in Russian, Hindi, Thai, Chinese and Turkish ------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # Thai writes no spaces between words: the name inside a longer run
        ("ภาพถ่ายดาวเทียมแสดงน้ำท่วมในกัมพูชาเมื่อเดือนที่แล้ว", "KH"),
        # Hindi, the name a whole word before its postposition
        ("उपग्रह ने नेपाल में बाढ़ की तस्वीर ली।", "NP"),
        # Russian, the name declined (prepositional case of "Монголия")
        ("Спутник снял пыльную бурю в Монголии весной.", "MN"),
        # Chinese, simplified
        ("卫星拍摄了巴西东北部的干旱。", "BR"),
        # Turkish, in Latin script
        ("Uydu görüntüsü Hindistan ve Pakistan sınırını gösteriyor.", "IN"),
    ],
)
def test_cldr_names_in_more_languages(text: str, country: str) -> None:
    assert _country(text) == country


@pytest.mark.parametrize(
    "text",
    [
        # "Оман" (Oman) inside "роман" (a novel): Russian words are spaced, a name is a whole word
        "Этот роман описывает спутниковые наблюдения.",
        # "चीन" (China) inside "चीनी" (sugar)
        "किसानों ने चीनी मिलों को गन्ना बेचा।",
    ],
)
def test_names_inside_spaced_words_are_no_country(text: str) -> None:
    assert [cc for _, _, cc, _ in scripted_places(text)] == []


def test_cldr_qualifier_is_a_name_of_its_own() -> None:
    # "ミャンマー (ビルマ)": CLDR's name in Japanese; pages write "ミャンマー" alone
    assert _country("サイクロンによるミャンマーの洪水を観測しました。") == "MM"


# ---- Latin-script names without accents, or shared with a village -------------------------


def test_french_name_without_accents() -> None:
    # "Égypte" written without its accent, after a capitalised French preposition
    assert _country("En Egypte, le delta du Nil vu par le satellite.") == "EG"


def test_foreign_name_before_a_village_of_that_name() -> None:
    # "Soudan" is also a village in France: the country comes first
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("Soudan")[0].country_code == "SD"
    assert _country("Des incendies dans une ville au Soudan, vus depuis l'espace.") == "SD"


# ---- German compass compounds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country"),
    [("Süditalien", "IT"), ("Nordspanien", "ES"), ("Ostgrönland", "GL")],
)
def test_german_compass_compound(name: str, country: str) -> None:
    places = load_gazetteer().lookup(name)
    assert places and places[0].country_code == country


def test_german_compass_compound_in_text() -> None:
    assert _country("Gewitter über Norditalien am Nachmittag, gesehen vom Satelliten.") == "IT"


def test_german_compass_word_alone_is_no_country() -> None:
    # "Norden" (the north) stays a town's name only; no country in it
    assert all(p.kind == "city" for p in load_gazetteer().lookup("Norden"))


# ---- a river by its bare name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # "the Lena" in a text about rivers: the Siberian river, not a town called Lena
        ("Ice breaks up on the Lena each spring; the river floods its banks.", "RU"),
        # an Italian river word before the name (Po is also a town in Burkina Faso)
        ("Il satellite mostra il fiume Po quasi asciutto ad agosto.", "IT"),
        # a title naming the river bare, then "the Po" in the caption
        ("Po runs low\nThe image shows the Po and the river's sandbanks.", "IT"),
    ],
)
def test_bare_river_name(text: str, country: str) -> None:
    assert _country(text) == country


def test_bare_name_without_rivers_is_no_river() -> None:
    # "the Columbia" in a text that speaks of no river: the shuttle, not the Columbia River
    assert _country("Astronauts aboard the Columbia photographed the Bahamas.") == "BS"


# ---- glaciers and ice shelves ------------------------------------------------------------


def test_ice_shelf_kind_in_lower_case() -> None:
    # "Larsen" alone in a title first (nothing), then with its kind in lower case
    text = "A Larsen Update\nA crack grows across the Larsen C ice shelf this winter."
    assert _country(text) == "AQ"


def test_iceberg_title_names_the_glacier_it_left() -> None:
    # the glacier an iceberg came from, in a title, is where it is; not a reference point
    text = (
        "Iceberg from Pine Island Glacier, Antarctica\n\n"
        "The iceberg keeps drifting into Amundsen Sea through the polar night."
    )
    assert _country(text) == "AQ"


# ---- place words of other languages --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # French, Italian and German prepositions before a town's name
        ("Le satellite montre les champs près de Montauban, au printemps.", "FR"),
        ("Il satellite ha ripreso le risaie a sud di Vercelli in primavera.", "IT"),
        ("Die Aufnahme zeigt Felder bei Cloppenburg im Sommer.", "DE"),
        # a German noun before a feature's name ("die Halbinsel Sinai")
        ("Die Aufnahme zeigt die Küste der Halbinsel Sinai im Winter.", "EG"),
    ],
)
def test_place_words_of_other_languages(text: str, country: str) -> None:
    assert _country(text) == country


def test_japanese_kanji_short_forms() -> None:
    # "米国" (America) and "豪州" (Australia): short forms CLDR does not list
    assert _country("米国中西部の農地を「だいち2号」で観測しました。") == "US"
    assert _country("豪州東部の森林火災を観測した画像です。") == "AU"


def test_joint_team_of_two_countries_is_no_place() -> None:
    # a credit to a team two countries share: the countries are its owners, not the scene
    text = (
        "Credit: NASA and the U.S./Japan ASTER Science Team.\n"
        "The image shows farmland near Lahore, Pakistan."
    )
    assert _country(text) == "PK"


def test_images_from_a_date_show_the_scene() -> None:
    # "These ... images from <date> show": the scene after a paragraph of background, and a
    # state named in an earlier sentence ("the U.S. state of Alaska") does not contain it
    text = (
        "Fires burned this summer in the U.S. state of Alaska and in Canada.\n\n"
        "These Sentinel-2 images from August 2 show a burn scar in eastern Siberia."
    )
    assert _country(text) == "RU"
