"""Load the sensor table and look sensors up by key or by the names texts use."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

from ..errors import UnknownSensorError

ResolutionClass = Literal["Very High", "High", "Moderate", "Low"]

#: Upper GSD bound (metres, inclusive) of each resolution class, finest first. GAIA's classes name
#: the sensor's class, not a measured GSD:
#: <= 1 m Very High, <= 10 m High, <= 500 m Moderate, else Low.
RESOLUTION_CLASSES: Final[tuple[tuple[ResolutionClass, float], ...]] = (
    ("Very High", 1.0),
    ("High", 10.0),
    ("Moderate", 500.0),
    ("Low", float("inf")),
)


def resolution_class(gsd: float) -> ResolutionClass:
    """Return GAIA's resolution class for a ground sample distance.

    Args:
        gsd: ground sample distance in metres (positive).

    Returns:
        ``"Very High"`` (<= 1 m), ``"High"`` (<= 10 m), ``"Moderate"`` (<= 500 m) or ``"Low"``.

    Raises:
        ValueError: if ``gsd`` is not a positive number.
    """
    if not gsd > 0:
        raise ValueError(f"gsd must be a positive number of metres, got {gsd!r}")
    for name, upper in RESOLUTION_CLASSES:
        if gsd <= upper:
            return name
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Sensor:
    """One sensor (instrument on a platform, or a family of identical ones) of the registry.

    Attributes:
        key: the registry key, e.g. ``"landsat-8-oli"``.
        name: a human name, e.g. ``"Landsat 8 OLI/TIRS"``.
        platform: STAC ``platform`` (lower case), or ``None`` for a constellation of identical ones.
        constellation: STAC ``constellation``, or ``None``.
        instruments: STAC ``instruments`` (empty for a camera without a name of its own).
        mission: STAC ``mission``.
        gsd: nominal ground sample distance in metres.
        modalities: e.g. ``("optical", "multispectral")``.
        start_year: first year of operation.
        end_year: last year of operation, ``None`` while operating.
        aliases: names used for it in texts.
    """

    key: str
    name: str
    platform: str | None
    constellation: str | None
    instruments: tuple[str, ...]
    mission: str
    gsd: float
    modalities: tuple[str, ...]
    start_year: int
    end_year: int | None
    aliases: tuple[str, ...]

    @property
    def resolution_class(self) -> ResolutionClass:
        """GAIA's resolution class of the nominal GSD."""
        return resolution_class(self.gsd)

    def operating_in(self, year: int) -> bool:
        """Whether the sensor operated in ``year``."""
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)

    def stac_properties(self) -> dict[str, object]:
        """The STAC common-metadata properties this sensor sets on an Item."""
        props: dict[str, object] = {}
        if self.platform:
            props["platform"] = self.platform
        if self.constellation:
            props["constellation"] = self.constellation
        props["instruments"] = list(self.instruments)
        props["mission"] = self.mission
        props["gsd"] = self.gsd
        return props


_PUNCT = re.compile(r"[^0-9a-z+]+")
#: Kana, CJK ideographs and Hangul: the scripts of the names JAXA, CNSA, NSPO and KARI pages use
#: ("だいち2号", "高分一号", "福衛五號", "아리랑 2호"); Cyrillic, Devanagari and Thai, those of
#: Roscosmos, ISRO and Hindi or Thai news ("Метеор-М", "सुओमी एनपीपी", "สถานีอวกาศนานาชาติ").
NATIVE_SCRIPT = (
    "\u0400-\u04ff\u0900-\u097f\u0e00-\u0e7f"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
)
_NATIVE = re.compile(f"[{NATIVE_SCRIPT}]")
_NATIVE_PUNCT = re.compile(f"[^0-9a-z+{NATIVE_SCRIPT}]+")
#: A space beside a native-script character: those scripts do not separate a name's parts.
_NATIVE_SPACE = re.compile(f"(?<=[{NATIVE_SCRIPT}]) | (?=[{NATIVE_SCRIPT}])")


@functools.lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """Normalise a sensor name for lookup: case, accents, punctuation and spacing do not matter.

    ``"Sentinel-2A/B"``, ``"sentinel 2a b"`` and ``"SENTINEL_2A-B"`` normalise alike. A possessive
    ``'s`` is dropped (``"NASA's Terra"`` == ``"NASA Terra"``). A name in kana, CJK ideographs,
    Hangul, Cyrillic, Devanagari or Thai keeps them, without spaces beside them
    (``"아리랑 2호"`` == ``"아리랑2호"``).
    """
    text = re.sub(r"['\u2019]s\b", "", name)
    if not text.isascii() and _NATIVE.search(text):
        text = unicodedata.normalize("NFKC", text).lower()
        return _NATIVE_SPACE.sub("", _NATIVE_PUNCT.sub(" ", text).strip())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _PUNCT.sub(" ", text).strip()


#: A family name and a one-digit number ("goes 8", "cbers 4a"), as normalised.
_ONE_DIGIT = re.compile(r"([a-z]+) (\d[a-d]?)")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


@functools.cache
def _load() -> tuple[dict[str, Sensor], dict[str, Sensor]]:
    by_key: dict[str, Sensor] = {}
    by_alias: dict[str, Sensor] = {}
    text = resources.files(__package__).joinpath("sensors.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        sensor = Sensor(
            key=row["key"],
            name=row["name"],
            platform=row["platform"] or None,
            constellation=row["constellation"] or None,
            instruments=_split(row["instruments"]),
            mission=row["mission"],
            gsd=float(row["gsd"]),
            modalities=_split(row["modalities"]),
            start_year=int(row["start_year"]),
            end_year=int(row["end_year"]) if row["end_year"] else None,
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
        )
        if sensor.key in by_key:
            raise ValueError(f"sensors.csv: duplicate key {sensor.key!r}")
        by_key[sensor.key] = sensor
        for name in (sensor.key, sensor.name, *sensor.aliases):
            norm = normalize_name(name)
            other = by_alias.get(norm)
            if other is not None and other.key != sensor.key:
                raise ValueError(
                    f"sensors.csv: alias {name!r} of {sensor.key!r} is already an alias of "
                    f"{other.key!r}; aliases must be unique"
                )
            by_alias[norm] = sensor
    for norm, sensor in list(by_alias.items()):
        for variant in spelling_variants(norm):
            by_alias.setdefault(variant, sensor)
    return by_key, by_alias


#: A family name, a satellite number and its letter ("sentinel 1a", "kompsat 3a"), normalised.
_NUMBER_LETTER = re.compile(r"(.*[a-z] \d{1,2})([a-d])")


#: A family name of four letters or more and a satellite's number ("sentinel 2", "goes 16").
_FUSED = re.compile(r"([a-z]{4,}) (\d{1,2}[a-d]?)")


def spelling_variants(norm: str) -> tuple[str, ...]:
    """Other spellings of a normalised alias that texts use, derived rather than listed.

    "GOES-08", "NOAA-09", "CBERS-04A": operators' lists and image galleries pad a satellite's
    number;
    "Sentinel 1-A", "CBERS-4 A": the letter of a satellite apart from its number (the alias
    matcher wants it in capitals); "Sentinelle-1": French articles write the Copernicus
    families so; "Sentinel2", "Landsat8", "GOES16": hashtags and file names fuse a family
    name and its number; "the first Landsat satellite" is Landsat 1.
    """
    variants: list[str] = []
    fused = _FUSED.fullmatch(norm)
    if fused:
        variants.append(fused[1] + fused[2])
        if fused[2] == "1":
            variants.append(f"first {fused[1]} satellite")
    padded = _ONE_DIGIT.fullmatch(norm)
    if padded:
        variants.append(f"{padded[1]} 0{padded[2]}")
    lettered = _NUMBER_LETTER.fullmatch(norm)
    if lettered:
        variants.append(f"{lettered[1]} {lettered[2]}")
    for variant in (norm, *variants):
        if variant.startswith(("sentinel ", "copernicus sentinel ")):
            variants.append(variant.replace("sentinel ", "sentinelle ", 1))
    return tuple(variants)


def all_sensors() -> tuple[Sensor, ...]:
    """Every sensor of the registry, in table order."""
    return tuple(_load()[0].values())


def get_sensor(key: str) -> Sensor:
    """Return the sensor with registry key ``key``.

    Raises:
        UnknownSensorError: if no sensor has that key.
    """
    try:
        return _load()[0][key]
    except KeyError:
        raise UnknownSensorError(
            f"no sensor with key {key!r} in the registry; known keys: "
            f"{', '.join(sorted(_load()[0]))}. Add a row to gaia_geo/sensors/sensors.csv "
            "to add one."
        ) from None


def lookup_sensor(name: str) -> Sensor | None:
    """Find a sensor by key, name or alias; case, accents and punctuation are ignored.

    Args:
        name: e.g. ``"OLI on Landsat 8"``, ``"EOS-Terra"``, ``"Sentinel-2A/B"``.

    Returns:
        The sensor, or ``None`` when no alias matches.
    """
    return _load()[1].get(normalize_name(name))


def alias_table() -> dict[str, Sensor]:
    """Every normalised alias mapped to its sensor (for text matchers)."""
    return dict(_load()[1])
