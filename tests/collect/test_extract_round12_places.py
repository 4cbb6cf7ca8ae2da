"""Place rules of the twelfth round (real-1167..real-1411), each on a sentence of ours."""

import pytest

from gaia_geo.collect import extract_metadata, load_gazetteer


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # the country after "Gulf of" names the sea; the scene is the land named after it
        ("Sediment plumes spread into the Gulf of Thailand from rivers in Cambodia.", "KH"),
        ("An oil slick drifted across the Gulf of Oman towards the coast of Iran.", "IR"),
        ("Drift ice filled the Sea of Japan along the coast of Korea this winter.", "KR"),
    ],
)
def test_country_in_a_sea_name_is_not_the_scene(text: str, country: str) -> None:
    assert _country(text) == country


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a region (Sudan's Blue Nile state) or a feature filed under another country, put in
        # a country by the words right after it
        ("The reservoir on the Blue Nile River in Ethiopia kept rising through July.", "ET"),
        ("Fog banks rolled over the Atacama Desert of southern Peru at dawn.", "PE"),
        ("Keywords: reservoir, dam, Blue Nile, Ethiopia", "ET"),
    ],
)
def test_country_named_right_after_a_region_contains_it(text: str, country: str) -> None:
    assert _country(text) == country


def test_a_list_after_a_region_does_not_contain_it() -> None:
    # "Bavaria, Austria and Hungary": a list, not Bavaria in Austria
    text = "Heavy rain fell over Bavaria, Austria and Hungary during the week."
    assert _country(text) == "DE"


@pytest.mark.parametrize(
    ("name", "country"),
    [("Denali", "US"), ("Matterhorn", "CH"), ("Mount Kenya", "KE"), ("Tatar Strait", "RU")],
)
def test_natural_earth_marks_are_in_the_gazetteer(name: str, country: str) -> None:
    places = load_gazetteer().lookup(name)
    assert places
    assert places[0].country_code == country


def test_a_peak_named_alone_is_the_scene() -> None:
    text = "Fresh snow covered the upper slopes of Denali, seen from orbit on a clear morning."
    assert _country(text) == "US"


def test_short_peak_names_are_left_out() -> None:
    # one-word names under five letters are words too ("Nun", "Talo")
    assert not any(p.kind == "feature" for p in load_gazetteer().lookup("Nun"))


def test_a_possessive_ends_the_name_before_it() -> None:
    # the volcano is a name of its own, not a word of "Iceland's ...": the scene, named before
    # the ocean (the country itself is named only as where the ash came from)
    text = "The plume rose from Iceland's Eyjafjallajokull over the Atlantic Ocean."
    assert _country(text) == "IS"


def test_marks_corrections() -> None:
    # (Torres del Paine's nearest town is Argentine; "La Soufriere" names three volcanoes)
    meta = extract_metadata("Landsat 8 captured this view of Torres del Paine on 3 March 2020.")
    assert [(p.name, p.country_code) for p in meta.places][:1] == [("Torres del Paine", "CL")]
    assert "GP" not in {p.country_code for p in load_gazetteer().lookup("La Soufriere")}
