"""Place rules of the ninth round (real-797..real-916), each on a sentence of ours."""

import pytest

from gaia_geo.collect import extract_metadata
from gaia_geo.collect._gazetteer import load_gazetteer
from gaia_geo.collect._gazetteer_names import scripted_places


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- names in Japanese and Korean script: CLDR regions and country names -------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a prefecture by its full name and by its stem; a Korean metropolitan city's stem
        ("静岡県の沿岸を「だいち2号」が観測した画像です。", "JP"),
        ("大阪の市街地を高分解能モードで観測しました。", "JP"),
        ("아리랑 3호가 촬영한 부산항의 위성영상을 공개하였다.", "KR"),
        # a Korean country name (CLDR, Korean)
        ("아리랑 5호가 촬영한 몽골 사막의 영상이다.", "MN"),
    ],
)
def test_scripted_regions_and_countries(text: str, country: str) -> None:
    assert _country(text) == country


@pytest.mark.parametrize(
    "text",
    [
        # "タイ" (Thailand) inside a katakana word ("データベース", "リアルタイム")
        "画像はリアルタイムで地上局に送られた。",
        # a Korean word that is also a country's name ("수단", means) and a region stem that is
        # a word ("大分", considerably)
        "새로운 관측 수단을 확보하였다.",
        "大分前に打ち上げられた衛星です。",
    ],
)
def test_scripted_names_inside_words_are_none(text: str) -> None:
    assert scripted_places(text) == []


# ---- names in English and German prose ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a storm's given name that is also a region's (Douglas, Isle of Man)
        (
            "Hurricane Douglas neared the islands on Friday. The radar measured heavy rain near "
            "Douglas as it passed south of Hawaii.",
            "US",
        ),
        # a demonym before a capitalised land word
        ("Satellite images reveal new logging roads in the Bolivian Amazon this year.", "BO"),
        # a Spanish word heading a feature's name, alone a province's name
        ("The crew photographed Cordillera Blanca, whose glaciers feed rivers in Peru.", "PE"),
        # a credit line's place is where the author sits
        (
            "Author(s): the mapping team, Toulouse, France\nThe radar image shows an oil slick "
            "spreading off the coast of Angola.",
            "AO",
        ),
        # an agency's seat named by "in"
        (
            "The analysts sent their report to the European Space Agency in Paris, showing slicks "
            "near the port of Valencia, Spain.",
            "ES",
        ),
        # countries named as examples of a wider area
        (
            "Heat waves struck countries such as Spain, Portugal and Greece. The image shows "
            "fields near the Polish capital Warsaw.",
            "PL",
        ),
        # land that the waters of a sea lie off
        (
            "The image shows ice floes swirling in the Barents Sea. The floes drift in the frigid "
            "waters off Novaya Zemlya.",
            "RU",
        ),
        # a capital word as a German place cue
        ("Das Bild zeigt Felder rund um die spanische Hauptstadt Madrid im Juli.", "ES"),
        # a lone town first, the other names in one other country
        (
            "A fire burned in the Heredia National Forest, and its smoke spread over Oregon and "
            "Idaho.",
            "US",
        ),
        # a programme's partner countries
        (
            "The satellite is a joint mission between France and India. Its camera recorded "
            "floods in Dhaka, Bangladesh.",
            "BD",
        ),
        # after a sea named first, the land a later picture sentence shows
        (
            "Smoke from wildfires has spread across the Aegean Sea. Photos taken from orbit "
            "show the haze over Turkey and Bulgaria.",
            "TR",
        ),
        # a shared range first yields to the land a picture verb's sentence names
        (
            "Snow fell across the Himalayas this week. On Tuesday the crew took a photograph "
            "of a glacial lake in Bhutan.",
            "BT",
        ),
        # a country opening a hyphenated German compound
        ("Die Grönland-Kampagne nutzte die Radardaten für die Navigation.", "GL"),
    ],
)
def test_place_rules(text: str, country: str) -> None:
    assert _country(text) == country


def test_bearing_coast_is_no_region() -> None:
    # "West Coast" names New Zealand's region only in New Zealand: alone it is no one place
    text = "Fog covered the West Coast this morning, hugging the shore from Oregon to California."
    assert _country(text) == "US"


@pytest.mark.parametrize(
    "text",
    [
        # a polar region, the Arctic's or the Antarctic's, is no one country
        "Sea ice in the Arctic region is shrinking while that in the Antarctic region grows.",
        # a global synthesis is the whole land surface, whoever built the instrument
        "The instrument came from a joint programme of Norway and Finland. Today's picture is "
        "the first global, weekly synthesis of vegetation.",
    ],
)
def test_no_one_country(text: str) -> None:
    assert _country(text) is None


# ---- lakes two or three countries share (Natural Earth) -------------------------------------


def test_shared_lake_names_one_of_its_countries() -> None:
    (dead_sea,) = load_gazetteer().lookup("Dead Sea")
    assert dead_sea.country_code in {"IL", "JO", "PS"}
    # "The" opening the sentence is no word of the sea's name
    text = "The Aral Sea has shrunk to a fraction of its 1960 area, as this Landsat image shows."
    assert _country(text) in {"KZ", "UZ"}
    # a lake one country holds whole stays out: towns across a nearby border made it look shared
    assert load_gazetteer().lookup("Sea of Galilee") == ()
