"""Seeded article content for the sample site: what each article says, and the truth behind it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

#: (place as written, country) pairs the gazetteer knows.
PLACES: tuple[tuple[str, str], ...] = (
    ("Cairo", "Egypt"), ("Dubai", "United Arab Emirates"), ("Manaus", "Brazil"),
    ("Reykjavik", "Iceland"), ("Nairobi", "Kenya"), ("Dhaka", "Bangladesh"),
    ("Venice", "Italy"), ("Kathmandu", "Nepal"), ("Cape Town", "South Africa"),
    ("Jakarta", "Indonesia"), ("Tokyo", "Japan"), ("Mumbai", "India"), ("Lisbon", "Portugal"),
    ("Istanbul", "Turkey"), ("Tehran", "Iran"), ("Karachi", "Pakistan"),
    ("Seattle", "United States"),
    ("Hanoi", "Vietnam"), ("Khartoum", "Sudan"), ("Timbuktu", "Mali"), ("Ulaanbaatar", "Mongolia"),
)  # fmt: skip

#: (registry key, how the article names it, verb phrase, first year, last year).
SENSORS: tuple[tuple[str, str, str, int, int], ...] = (
    ("landsat-8-oli", "the Operational Land Imager (OLI) on Landsat 8", "acquired", 2014, 2023),
    ("terra-modis", "the Moderate Resolution Imaging Spectroradiometer (MODIS) on NASA's Terra "
     "satellite", "captured", 2001, 2023),
    ("aqua-modis", "MODIS on NASA's Aqua satellite", "acquired", 2003, 2023),
    ("iss-astronaut", "an astronaut on the International Space Station (ISS)", "took", 2002, 2023),
    ("sentinel-1-csar", "the Copernicus Sentinel-1 radar mission", "acquired", 2015, 2023),
    ("sentinel-2-msi", "the Copernicus Sentinel-2 mission", "captured", 2016, 2023),
    ("landsat-5-tm", "the Thematic Mapper on Landsat 5", "acquired", 1986, 2011),
)  # fmt: skip

_TOPICS = (
    (
        "Flooding",
        "Floodwaters spread across farmland and low-lying neighbourhoods after days of rain.",
    ),
    ("Dust Storm", "A plume of dust streamed over the city and out across the surrounding plains."),
    (
        "City Lights",
        "Dense urban districts, ring roads and the airport stand out against the desert.",
    ),
    (
        "Wildfire Smoke",
        "Smoke from several fires drifted downwind while burn scars darkened hillsides.",
    ),
    ("River Delta", "Sediment-laden water fans out where the river meets the sea."),
    ("Snow Cover", "Fresh snow blanketed the mountains and valleys around the city."),
)
_MONTHS = (
    "January February March April May June July August September October November December".split()
)


@dataclass(frozen=True)
class Article:
    """One generated article and the truth extraction should recover from it."""

    slug: str
    layout: str
    title: str
    paragraphs: tuple[str, ...]
    published: dt.date
    credits: str
    image_alt: str
    place: str
    country: str
    sensor_keys: tuple[str, ...]
    acquired: tuple[dt.date, ...]
    precision: str  # "day" or "month"


def _day(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _us_day(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def make_article(rng: random.Random, index: int, layout: str) -> Article:
    """Generate one seeded article in the ``"nasa_eo"`` or ``"esa"`` layout."""
    place, country = PLACES[index % len(PLACES)]
    topic, scene = _TOPICS[rng.randrange(len(_TOPICS))]
    pool = SENSORS if layout == "nasa_eo" else [s for s in SENSORS if s[0].startswith("sentinel")]
    key, name, verb, first, last = pool[rng.randrange(len(pool))]
    acquired = dt.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))
    published = acquired + dt.timedelta(days=rng.randint(2, 20))
    event = acquired - dt.timedelta(days=rng.randint(3, 9))
    style = rng.randrange(4) if layout == "nasa_eo" else 0
    precision = "day"
    noun = "photograph" if key == "iss-astronaut" else "image"
    if style == 0:
        when = f"on {_day(acquired)}"
    elif style == 1:
        when = f"on {_us_day(acquired)}"
    elif style == 2 and published.year == acquired.year:
        when = f"on the afternoon of {_MONTHS[acquired.month - 1]} {acquired.day}"
    else:
        when, precision = f"in {_MONTHS[acquired.month - 1]} {acquired.year}", "month"
    sensors: tuple[str, ...] = (key,)
    dates: tuple[dt.date, ...] = (acquired,)
    if layout == "nasa_eo":
        lead = f"{name[0].upper()}{name[1:]} {verb} this {noun} of {place}, {country}, {when}."
        if key == "landsat-5-tm" and rng.random() < 0.5:
            later = dt.date(rng.randint(2014, 2023), acquired.month, acquired.day)
            lead = (
                f"The left image was acquired by the Thematic Mapper on Landsat 5 on "
                f"{_day(acquired)}; the right image was acquired by the Operational Land Imager "
                f"(OLI) on Landsat 8 on {_day(later)}. Together they show how {place}, {country}, "
                "changed."
            )
            sensors, dates, precision = ("landsat-5-tm", "landsat-8-oli"), (acquired, later), "day"
            published = later + dt.timedelta(days=rng.randint(2, 20))
        paragraphs = (
            lead,
            f"{scene} The event began on {_day(event)}, according to local officials.",
            "Landsat 9 was launched in September 2021 and will continue the record; Sentinel-2B, "
            "launched in 2017, carries a similar instrument.",
        )
        credits = (
            "NASA Earth Observatory image by the sample-site team, using data from "
            f"{name.split(' on ')[-1]}."
        )
    else:
        paragraphs = (
            f"This Copernicus image of {place}, {country}, was captured by {name} {when}.",
            f"{scene} Local authorities reported the first effects on {_day(event)}.",
            "The mission's second satellite will be launched in 2025.",
        )
        credits = (
            f"contains modified Copernicus Sentinel data ({acquired.year}), processed by ESA, "
            "CC BY-SA 3.0 IGO"
        )
    title = f"{topic} near {place}"
    slug = f"{topic.lower().replace(' ', '-')}-{place.lower().replace(' ', '-')}-{index}"
    return Article(
        slug=slug,
        layout=layout,
        title=title,
        paragraphs=paragraphs,
        published=published,
        credits=credits,
        image_alt=f"{topic} around {place} seen from orbit",
        place=place,
        country=country,
        sensor_keys=sensors,
        acquired=dates,
        precision=precision,
    )
