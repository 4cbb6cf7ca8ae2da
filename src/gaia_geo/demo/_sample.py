"""The embedded sample: seeded article-like records about real places, dates and sensors.

Every record names a real place (approximate coordinates), a date (to the day, month or year) and
the sensor that took its image, in the phrasing of RS image articles. The images themselves are
synthetic (``_images.py``): the demo needs no network, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..sensors import Sensor, get_sensor

#: (name, country, lon, lat, theme, extent_km)
PLACES: tuple[tuple[str, str, float, float, str, float], ...] = (
    ("Po River Delta", "Italy", 12.45, 44.95, "delta", 40),
    ("Lake Urmia", "Iran", 45.40, 37.70, "lake", 90),
    ("Aral Sea", "Kazakhstan", 60.00, 45.00, "lake", 200),
    ("Jakobshavn Glacier", "Greenland", -49.90, 69.17, "glacier", 50),
    ("Mount Etna", "Italy", 15.00, 37.75, "volcano", 30),
    ("Kilauea", "United States", -155.28, 19.41, "volcano", 25),
    ("Nile Delta", "Egypt", 31.00, 30.90, "delta", 150),
    ("Ganges Delta", "Bangladesh", 89.50, 22.00, "delta", 250),
    ("Amazon River near Manaus", "Brazil", -60.02, -3.10, "river", 60),
    ("Atacama Desert", "Chile", -69.20, -24.50, "desert", 120),
    ("Okavango Delta", "Botswana", 22.70, -19.30, "delta", 150),
    ("Great Barrier Reef", "Australia", 146.80, -18.30, "reef", 100),
    ("Lake Chad", "Chad", 14.40, 13.20, "lake", 150),
    ("Sundarbans", "Bangladesh", 89.20, 21.90, "forest", 100),
    ("Pine Island Glacier", "Antarctica", -100.00, -75.20, "glacier", 80),
    ("Tokyo Bay", "Japan", 139.85, 35.45, "urban", 50),
    ("Dubai Palm Jumeirah", "United Arab Emirates", 55.14, 25.11, "urban", 15),
    ("Rondonia", "Brazil", -62.80, -10.80, "forest", 120),
    ("Lena River Delta", "Russia", 126.50, 72.80, "delta", 200),
    ("Mississippi River Delta", "United States", -89.25, 29.15, "delta", 100),
    ("Lake Poopo", "Bolivia", -67.05, -18.75, "lake", 70),
    ("Mount St. Helens", "United States", -122.19, 46.20, "volcano", 25),
    ("Sahara near Tassili n'Ajjer", "Algeria", 8.50, 25.50, "desert", 150),
    ("Kamchatka Peninsula", "Russia", 159.50, 55.50, "volcano", 150),
    ("Lake Victoria", "Uganda", 33.00, -1.00, "lake", 200),
    ("Yellow River Delta", "China", 119.10, 37.75, "delta", 60),
    ("Cairo", "Egypt", 31.24, 30.04, "urban", 40),
    ("Mekong Delta", "Vietnam", 105.80, 10.00, "delta", 150),
    ("Columbia Glacier", "United States", -147.05, 61.15, "glacier", 40),
    ("Lake Titicaca", "Peru", -69.35, -15.85, "lake", 120),
    ("Namib Sand Sea", "Namibia", 15.20, -24.70, "desert", 150),
    ("Taal Volcano", "Philippines", 120.99, 14.00, "volcano", 25),
    ("Central Valley", "United States", -120.50, 37.00, "agriculture", 120),
    ("Nile near Aswan", "Egypt", 32.90, 24.10, "river", 60),
    ("Punjab", "India", 75.50, 30.80, "agriculture", 150),
    ("Yukon Delta", "United States", -164.50, 62.60, "delta", 150),
    ("Lake Eyre", "Australia", 137.30, -28.40, "lake", 120),
    ("Bay of Bengal coast", "India", 86.80, 20.30, "coast", 100),
    ("Canterbury Plains", "New Zealand", 172.00, -43.60, "agriculture", 80),
    ("Svalbard", "Norway", 16.00, 78.50, "glacier", 200),
    ("Taveuni", "Fiji", 179.95, -16.85, "reef", 120),
)

THEMES: dict[str, dict[str, object]] = {
    "delta": {
        "tags": ["river delta", "sediment", "wetlands"],
        "sentences": [
            "Sediment-laden water fans out from the river mouths into the sea",
            "Distributary channels branch across a flat plain of farmland and marsh",
            "Brown plumes contrast with the darker, clearer water offshore",
        ],
    },
    "lake": {
        "tags": ["lake", "water level", "salt flats"],
        "sentences": [
            "The shoreline has retreated, exposing pale salt flats around the remaining water",
            "Shallow water near the margins shows green and turquoise tones from algae",
            "A causeway and old shorelines trace how far the water once reached",
        ],
    },
    "glacier": {
        "tags": ["glacier", "ice", "calving front"],
        "sentences": [
            "The glacier flows toward the sea, where its calving front breaks into icebergs",
            "Crevasses streak the ice surface and meltwater ponds dot its lower reaches",
            "Rock ridges of moraine line the edges of the ice tongue",
        ],
    },
    "volcano": {
        "tags": ["volcano", "lava flow", "ash plume"],
        "sentences": [
            "A plume of ash and gas drifts downwind from the summit crater",
            "Dark lava flows radiate from the vent across older, vegetated slopes",
            "Thermal signatures mark the active vent and the fronts of fresh lava",
        ],
    },
    "river": {
        "tags": ["river", "floodplain", "meanders"],
        "sentences": [
            "The river meanders across a wide floodplain lined with forest and fields",
            "Sandbars and oxbow lakes mark former paths of the channel",
            "Tributaries carry water of different colours into the main stream",
        ],
    },
    "desert": {
        "tags": ["desert", "sand dunes", "arid land"],
        "sentences": [
            "Linear sand dunes run in parallel ridges across the arid plain",
            "Dry riverbeds and rocky plateaus break the sea of sand",
            "Wind has shaped star-shaped dunes where sand accumulates",
        ],
    },
    "reef": {
        "tags": ["coral reef", "lagoon", "coast"],
        "sentences": [
            "Coral reefs appear as turquoise patches in the deep blue ocean",
            "Shallow lagoons and sand cays sit behind the outer reef crest",
            "Channels cut through the reef where tides exchange water with the open sea",
        ],
    },
    "forest": {
        "tags": ["forest", "deforestation", "land cover"],
        "sentences": [
            "Rectangular clearings cut into dense green forest along new roads",
            "Cleared land appears tan and pink beside the remaining canopy",
            "Rivers wind through the forest, bordered by flooded vegetation",
        ],
    },
    "urban": {
        "tags": ["urban area", "coastline", "infrastructure"],
        "sentences": [
            "Dense urban blocks spread along the coastline and around the harbour",
            "Artificial islands and reclaimed land extend the shore into the water",
            "Major roads and airport runways stand out as straight grey lines",
        ],
    },
    "agriculture": {
        "tags": ["agriculture", "crop fields", "irrigation"],
        "sentences": [
            "A patchwork of rectangular crop fields covers the valley floor",
            "Irrigated fields appear bright green beside fallow plots in brown",
            "Canals and roads divide the farmland into a regular grid",
        ],
    },
    "coast": {
        "tags": ["coast", "sediment", "beach"],
        "sentences": [
            "Sediment plumes swirl along the coast where rivers meet the sea",
            "Sandy beaches and lagoons line the shore",
            "Clouds gather over the land while the ocean stays clear",
        ],
    },
}

#: Sensors the demo draws from, with how articles name them.
SENSOR_PHRASES: tuple[tuple[str, str], ...] = (
    ("landsat-5-tm", "the Thematic Mapper (TM) on Landsat 5"),
    ("landsat-7-etm", "the Enhanced Thematic Mapper Plus (ETM+) on Landsat 7"),
    ("landsat-8-oli", "the Operational Land Imager (OLI) on Landsat 8"),
    ("landsat-9-oli", "the Operational Land Imager-2 (OLI-2) on Landsat 9"),
    ("sentinel-2-msi", "the MultiSpectral Instrument on Copernicus Sentinel-2"),
    ("sentinel-1-csar", "the radar on Copernicus Sentinel-1"),
    (
        "terra-modis",
        "the Moderate Resolution Imaging Spectroradiometer (MODIS) on NASA's Terra satellite",
    ),
    ("aqua-modis", "MODIS on NASA's Aqua satellite"),
    ("suomi-npp-viirs", "the Visible Infrared Imaging Radiometer Suite (VIIRS) on Suomi NPP"),
    ("iss-astronaut", "an astronaut on the International Space Station"),
    (
        "terra-aster",
        "the Advanced Spaceborne Thermal Emission and Reflection Radiometer (ASTER) on Terra",
    ),
    ("eo-1-ali", "the Advanced Land Imager (ALI) on Earth Observing-1"),
)
#: Sensors whose demo images are georeferenced COG chips (the rest are "article" PNGs).
CHIP_SENSORS = frozenset(
    {
        "landsat-5-tm",
        "landsat-7-etm",
        "landsat-8-oli",
        "landsat-9-oli",
        "sentinel-2-msi",
        "sentinel-1-csar",
        "terra-aster",
        "eo-1-ali",
    }
)
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass
class SampleRecord:
    """One embedded sample image's record, as a crawler would have collected it."""

    id: str
    place: str
    country: str
    lon: float
    lat: float
    theme: str
    extent_km: float
    sensor: Sensor
    sensor_phrase: str
    date: dt.date
    precision: str  # "day", "month" or "year"
    title: str
    text: str
    credits: str
    source_url: str
    chip: bool
    tags: list[str]


def _date_phrase(date: dt.date, precision: str) -> str:
    if precision == "day":
        return f"on {date.day} {MONTHS[date.month - 1]} {date.year}"
    if precision == "month":
        return f"in {MONTHS[date.month - 1]} {date.year}"
    return f"in {date.year}"


def sample_records(n: int = 72, seed: int = 0) -> list[SampleRecord]:
    """Generate ``n`` seeded sample records (the same ones for the same arguments)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(seed)
    records = []
    for index in range(n):
        name, country, lon, lat, theme, extent = PLACES[index % len(PLACES)]
        key, phrase = SENSOR_PHRASES[int(rng.integers(len(SENSOR_PHRASES)))]
        sensor = get_sensor(key)
        last = min(sensor.end_year or 2024, 2024)
        first = max(sensor.start_year + 1 if sensor.start_year < 2000 else sensor.start_year, 1998)
        year = int(rng.integers(first, last + 1))
        month = int(rng.integers(1, 13))
        day = int(rng.integers(1, 29))
        date = dt.date(year, month, day)
        precision = ("day", "day", "month", "year")[int(rng.integers(4))]
        sentences = list(THEMES[theme]["sentences"])  # type: ignore[call-overload]
        rng.shuffle(sentences)
        verb = "photographed" if key == "iss-astronaut" else "acquired"
        what = "This photograph" if key == "iss-astronaut" else "This image"
        text = (
            f"{what} of {name}, {country}, was {verb} {_date_phrase(date, precision)} by "
            f"{phrase}. {sentences[0]}. {sentences[1]}. {sentences[2]}. "
            f"Scientists monitor the area to understand how {THEMES[theme]['tags'][0]} "  # type: ignore[index]
            f"landscapes change over time. Image by the gaia_geo demo, based on the style of "
            f"public Earth-observation image releases."
        )
        records.append(
            SampleRecord(
                id=f"demo-{index:03d}",
                place=name,
                country=country,
                lon=lon,
                lat=lat,
                theme=theme,
                extent_km=extent,
                sensor=sensor,
                sensor_phrase=phrase,
                date=date,
                precision=precision,
                title=f"{name}, {country}",
                text=text,
                credits="gaia_geo demo (synthetic image)",
                source_url=f"https://example.org/gaia-geo-demo/articles/{index:03d}",
                chip=key in CHIP_SENSORS,
                tags=list(THEMES[theme]["tags"]),  # type: ignore[call-overload]
            )
        )
    return records
