"""Place rules of the eleventh round (real-1042..real-1166), each on a sentence of ours."""

import pytest

from gaia_geo.collect import extract_metadata


def _country(text: str) -> str | None:
    meta = extract_metadata(text)
    return meta.places[0].country_code if meta.places else None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a plural kind word heading a list of lakes is not South Sudan's Lakes state
        ("Lakes Buenos Aires and Cardiel lie east of the range in southern Argentina.", "AR"),
        # German compass nouns are directions, not the towns Norden and Osten
        ("Der Blick reicht von Norden nach Süden über die Wüste bis nach Tunesien.", "TN"),
        # a French compass word is no Haitian department
        ("Les inondations ont touché le Nord-Ouest du pays, au Burundi.", "BI"),
    ],
)
def test_words_that_are_no_place(text: str, country: str) -> None:
    assert _country(text) == country


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # Malay and Indonesian kind words open a feature's name like a compass word
        ("Citra satelit menunjukkan letusan Gunung Merapi pada pagi hari.", "ID"),
        ("Awan abu terlihat di atas Gunung Sinabung sejak kemarin.", "ID"),
    ],
)
def test_kind_word_opens_a_name(text: str, country: str) -> None:
    assert _country(text) == country


def test_glacier_word_before_a_town_name_is_a_cue() -> None:
    # Spanish puts the kind before the name; the glacier bears the name of a nearby town
    text = "Las imágenes muestran el retroceso del glaciar Perito Moreno durante el verano."
    assert _country(text) == "AR"


def test_centre_for_is_an_organisation() -> None:
    text = (
        "The Centre for Remote Sensing Applications mapped the flood near Tashkent in Uzbekistan."
    )
    assert _country(text) == "UZ"


def test_country_before_sea_kanji_is_a_sea() -> None:
    # 日本海 is the Sea of Japan: the country named after it is the scene
    assert _country("日本海を越えて韓国に雪雲が流れ込む様子を観測した。") == "KR"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a range of several countries yields to the country named after it
        (
            "Snow covered the Andes Mountains this week. The peaks along the border of "
            "Ecuador stand out above the clouds.",
            "EC",
        ),
        ("Dust rose over the Sahara on Monday, thickest over central Niger.", "NE"),
        # a river of several countries too
        ("Floods spread along the Ganges River, worst in low-lying Bangladesh.", "BD"),
    ],
)
def test_shared_feature_yields_to_its_country(text: str, country: str) -> None:
    assert _country(text) == country


def test_shared_feature_alone_keeps_its_country() -> None:
    assert _country("Fresh snow blankets the Alps in this image from Tuesday.") == "CH"
    # another shared feature after it says no more than the first
    assert _country("Mount Everest rises above the Himalayas in this photograph.") == "NP"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # CLDR's time-zone cities in the languages of the pages: Latin script, behind a place word
        ("Die Aufnahme zeigt die Vororte von Kairo am Rand der Wüste.", "EG"),
        ("L'image montre la banlieue du Caire sous le smog.", "EG"),
        # and in other scripts, at their country's point
        ("衛星がカイロ周辺の砂嵐を観測した。", "EG"),
        ("Спутник сфотографировал окрестности Каира.", "EG"),
    ],
)
def test_cldr_city_names(text: str, country: str) -> None:
    assert _country(text) == country


def test_cldr_city_table_rows() -> None:
    from gaia_geo.collect._gazetteer import load_gazetteer
    from gaia_geo.collect._gazetteer_cities import script_city_names

    assert load_gazetteer().lookup("Kairo")[0].name == "Cairo"
    assert script_city_names()["カイロ"] == "EG"
    assert "Pasqua" not in {p.name for p in load_gazetteer().lookup("Pasqua")}


def test_sea_named_after_a_town_qualified_by_its_country() -> None:
    # the town inside the sea's name, qualified by its country, holds the scene
    text = "Bay of Kotor, Montenegro: the fjord-like bay winds between steep mountains."
    assert _country(text) == "ME"


def test_sea_alone_still_has_no_country() -> None:
    assert _country("Sediment swirls in the Gulf of Carpentaria after the monsoon rains.") is None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # the country that owns the satellite, named again elsewhere, is not the scene
        (
            "A proud day for Kenya! Kenya's first operational satellite returned its first "
            "picture, a view of farmland in Tanzania.",
            "TZ",
        ),
        # a demonym names the owner too
        (
            "Turkey celebrates: the Turkish satellite sent back a view of farmland in Georgia's "
            "Kakheti region, Georgia.",
            "GE",
        ),
    ],
)
def test_owner_country_goes_after_the_scene(text: str, country: str) -> None:
    assert _country(text) == country


def test_owner_country_alone_stays() -> None:
    assert _country("India's new satellite imaged the floods across India.") == "IN"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a sea given a bearing from the scene lies beside it
        (
            "The radar scene shows the Caspian Sea to the east. The busy port of Baku fills "
            "the centre of the image.",
            "AZ",
        ),
        # the two sides of a boundary are not the scene
        (
            "The narrow strait separating Europe and Africa carries heavy traffic. Ships crowd "
            "the harbour of Tangier.",
            "MA",
        ),
        # where the satellite was is not what it imaged
        (
            "Locked in orbit 400 miles above the eastern Pacific Ocean, the satellite turned "
            "east. Snow covered the farms in Colorado that morning.",
            "US",
        ),
        (
            "Flying 420 kilometers over the Indian Ocean, the astronauts looked north. Haze "
            "hung over Sri Lanka.",
            "LK",
        ),
    ],
)
def test_sea_named_beside_the_scene(text: str, country: str) -> None:
    assert _country(text) == country


def test_sea_as_the_scene_keeps_no_country() -> None:
    text = "The image shows the Caspian Sea covered in ice. Baku lies far to the south."
    assert _country(text) is None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # Natural Earth's physical regions: ranges, islands, deserts, plateaus, peninsulas
        ("Snow dusts the peaks of the Zagros Mountains in this winter view.", "IR"),
        ("Sea ice surrounds Victoria Island at the end of the summer melt.", "CA"),
        ("Dunes ripple across the Great Sandy Desert after rare rains.", "AU"),
        ("The Deccan Plateau lies under monsoon clouds in this image.", "IN"),
    ],
)
def test_natural_earth_landforms(text: str, country: str) -> None:
    assert _country(text) == country


def test_landform_of_several_countries_yields_to_its_country() -> None:
    # the Tian Shan lies in China, Kyrgyzstan and Kazakhstan (data/landforms.csv)
    text = "Glaciers cap the Tian Shan. Meltwater feeds the farms of Kyrgyzstan below."
    assert _country(text) == "KG"


def test_landform_names_that_are_regions_are_not_indexed() -> None:
    from gaia_geo.collect._gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    assert not any(p.kind == "feature" for p in gazetteer.lookup("Melanesia"))
    assert not gazetteer.lookup("Coastal Plain")


def test_owner_country_in_japanese_goes_after_the_scene() -> None:
    text = "日本の地球観測衛星が撮影したタイの洪水の画像です。"
    assert _country(text) == "TH"
    # a picture of the country itself keeps it
    assert _country("日本の衛星画像で見る桜前線。") == "JP"


def test_adjective_does_not_name_a_title_region_again() -> None:
    # "African" below does not make the title's "Africa" the scene
    text = (
        "Dust storms over Africa\n\nDust rose over eastern Algeria on Monday and drifted "
        "toward the African coast of the Mediterranean."
    )
    assert _country(text) == "DZ"


def test_byline_country_is_an_authors_seat() -> None:
    text = (
        "Fog season begins\n\nBy Anna Rossi (Switzerland)\n\nDense fog filled the "
        "valleys of northern Italy on 3 January."
    )
    assert _country(text) == "IT"


def test_cldr_city_goes_before_a_village_of_its_name() -> None:
    from gaia_geo.collect._gazetteer import load_gazetteer

    # French "Calcutta" is Kolkata, not the village in Ohio; "Vienne" stays France's town
    assert load_gazetteer().lookup("Calcutta")[0].country_code == "IN"
    assert load_gazetteer().lookup("Vienne")[0].country_code == "FR"
