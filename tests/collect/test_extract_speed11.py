"""Speed rewrites of the extraction rules (eighth pass) match exactly what they replace."""

from __future__ import annotations

import re

import pytest

from gaia_geo.collect._place_context import _STORM_NAME, launch_site, storm_names

#: ``_STORM_NAME`` as it was written before it was made to jump from capital to capital.
_STORM_NAME_BEFORE = re.compile(
    r"\b(?:Hurricane|Typhoon|Cyclone|(?:Tropical|Winter|Subtropical)\s+(?:Storm|Depression))"
    r"\s+([A-Z][a-z]+)\b"
)

STORM_TEXTS = [
    "Hurricane Ida made landfall; Typhoon Haiyan and Cyclone Nargis did too.",
    "Tropical Storm Alberto, Subtropical Depression Andrea and Winter Storm Uri.",
    "SuperTyphoon Haiyan, xHurricane Ida, _Cyclone Idai, 9Typhoon Mawar: no boundary.",
    "Tropical  Depression\tTwo, Tropical Storm ida, Hurricane IDA, Hurricane Ida's eye.",
    "Dust Storm near Manaus; a Storm Ciara; Winter Depression Bob; Tropical storm Ana",
    "(Hurricane Katrina) \u00e9Typhoon Jebi \u00abCyclone Fani\u00bb Subtropical Storm Ex",
    "Hurricane",
    "Cyclone Idai",
]


@pytest.mark.parametrize("text", STORM_TEXTS)
def test_storm_name_matches_as_before(text: str) -> None:
    assert [(m.span(), m.group(1)) for m in _STORM_NAME.finditer(text)] == [
        (m.span(), m.group(1)) for m in _STORM_NAME_BEFORE.finditer(text)
    ]


def test_storm_names_finds_given_names() -> None:
    assert storm_names(STORM_TEXTS[0]) == {"Ida", "Haiyan", "Nargis"}
    assert storm_names("A Dust Storm over Manaus") == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sentinel-1 was launched from Kourou aboard a Soyuz rocket.", True),
        ("The rocket lifted off from Baikonur on 3 May.", True),
        ("Landsat 9, launched in 2021, captured this image of Cairo.", False),
        ("Der Satellit wurde vom Kosmodrom Plesezk aus gestartet.", True),
        ("Le satellite a été LANCÉ depuis Kourou.", True),
        ("El satélite fue lanzado desde Kourou.", True),
        ("Smoke drifted over Cairo, Egypt, in January.", False),
    ],
)
def test_launch_site_as_before(text: str, expected: bool) -> None:
    name = next(w for w in ("Kourou", "Baikonur", "Cairo", "Plesezk") if w in text)
    assert launch_site(text, text.index(name)) is expected
