"""Place rules of the sixth round (real-425..real-549), one sentence of our own each."""

import pytest

from gaia_geo.collect import extract_metadata, load_gazetteer
from gaia_geo.collect._gazetteer import spelled_out
from gaia_geo.collect._gazetteer_water import water_entries
from gaia_geo.collect._place_order import _WHOLE_EARTH, whole_earth
from gaia_geo.sensors import lookup_sensor


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


# ---- gazetteer: CLDR country names as articles write them ---------------------------------


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("Myanmar (Burma)", {"Myanmar", "Burma"}),
        ("Trinidad & Tobago", {"Trinidad and Tobago", "Trinidad", "Tobago"}),
        ("St. Vincent & Grenadines", {"Saint Vincent", "St. Vincent", "Grenadines"}),
        ("St. Lucia", {"Saint Lucia"}),
        ("Cocos (Keeling) Islands", {"Cocos Islands", "Keeling Islands"}),
    ],
)
def test_country_names_spelled_out(name: str, spellings: set[str]) -> None:
    assert spellings <= set(spelled_out(name))


def test_a_people_is_no_part_of_a_country_name() -> None:
    assert "Turks" not in spelled_out("Turks & Caicos Islands")
    assert spelled_out("France") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Monsoon rains swelled the rivers of central Myanmar in August.", "MM"),
        ("Ash from the eruption fell across Saint Vincent for days.", "VC"),
        ("Oil spread along the southern coast of Tobago after the spill.", "TT"),
    ],
)
def test_spelled_out_country_found(text: str, code: str) -> None:
    assert _country(text) == code
    assert load_gazetteer().country_codes["Myanmar"] == "MM"


# ---- decision rules ------------------------------------------------------------------------


def test_a_storm_name_is_not_a_town_later_on() -> None:
    text = (
        "Hurricane Florence churned in the open ocean on Monday. This view of Florence shows a "
        "clear eye far from any coast."
    )
    assert all(p.name != "Florence" for p in extract_metadata(text).places)


def test_many_photographs_of_the_planet_are_no_whole_earth_view() -> None:
    text = (
        "The crew took thousands of photographs of our home planet this year. "
        "This one shows the lights of Chicago at night."
    )
    assert _country(text) == "US"


def test_whole_earth_wording_in_the_subject_sentence() -> None:
    text = "Dust over Chad shows up in the first global image from the new imager."
    assert _country(text) is None


def test_a_company_seat_and_its_list_are_reference_points() -> None:
    text = (
        "The operator has headquarters in Oslo, Norway, and offices in Germany, Spain and "
        "Italy. Its satellite recorded the port of Mombasa in Kenya on 2 May."
    )
    assert _country(text) == "KE"


def test_a_region_after_of_inside_a_longer_name() -> None:
    text = "Glaciers flow down the Purcell Mountains of British Columbia toward the sea."
    assert _country(text) == "CA"


def test_a_name_shared_by_a_country_and_a_state_follows_the_other_names() -> None:
    text = (
        "A wildfire burned in southern Georgia this week, and its smoke drifted over "
        "northern Florida."
    )
    assert _country(text) == "US"
    assert _country("Floods struck western Georgia near the Black Sea coast town of Poti.") == (
        "GE"
    )


# ---- sensors: registry families and a launch named after the satellite ---------------------


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("RADARSAT", "radarsat-1"),
        ("INSAT-3DS", "insat-3ds-imager"),
        ("INSAT-3DR Sounder", "insat-3dr-sounder"),
        ("INSAT-3A", "insat-3a-vhrr"),
        ("Kalpana-1", "kalpana-1-vhrr"),
    ],
)
def test_registry_families(alias: str, key: str) -> None:
    found = lookup_sensor(alias)
    assert found is not None and found.key == key


def test_radarsat_names_radarsat_1_while_it_was_the_only_one() -> None:
    meta = extract_metadata("RADARSAT captured this radar image of the ice on 3 March 1997.")
    assert meta.platforms == ("radarsat-1",)


def test_a_satellite_named_for_its_launch_took_no_picture() -> None:
    text = (
        "Landsat 8 acquired this image of the launch pad on 20 September, a week before the "
        "Landsat 9 launch."
    )
    assert extract_metadata(text).platforms == ("landsat-8",)


def test_named_with_a_region_of_several_countries_is_no_one_country() -> None:
    assert _country("Fresh snow whitened the Alps and Central Europe after the storm.") is None
    assert _country("Smoke drifted over Florida and the Gulf of Mexico on Monday.") == "US"


@pytest.mark.parametrize(
    "text",
    [
        "This mosaic is a view of our home planet Earth from a million miles away.",
        "A full-disk scan by the imager, then a close look at the storm.",
        "The first global composite from the new satellite, made of many passes.",
        "Scientists studied Earth and its planet neighbours for years.",
    ],
)
def test_whole_earth_around_hints_agrees_with_the_full_pattern(text: str) -> None:
    padded = "Filler words about nothing in particular. " * 3 + text
    full = _WHOLE_EARTH.search(padded) is not None
    assert whole_earth(padded, len(padded)) is full


@pytest.mark.parametrize(
    ("name", "code"),
    [("Volga River", "RU"), ("Great Salt Lake", "US"), ("Bratsk Reservoir", "RU")],
)
def test_lakes_and_rivers_from_natural_earth(name: str, code: str) -> None:
    places = load_gazetteer().lookup(name)
    assert places and places[0].kind == "feature" and places[0].country_code == code


def test_hand_made_features_keep_their_country() -> None:
    assert "Nile River" in set(n for n, *_ in water_entries(()))
    assert all(n != "Nile River" for n, *_ in water_entries(load_gazetteer().by_name))


def test_town_country_gives_the_land_around_a_point_or_none_at_sea() -> None:
    from gaia_geo.collect._gazetteer import TownCountry

    town_country = TownCountry(300.0)
    assert town_country(48.85, 2.35) == "FR"  # Paris
    assert town_country(-33.87, 151.21) == "AU"  # Sydney
    assert town_country(-30.0, -140.0) is None  # the South Pacific, far from any town
    assert TownCountry(1.0)(47.0, 8.0) is None  # a town exists near, but not within 1 km
