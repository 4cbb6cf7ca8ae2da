"""Which satellite of a family, or which instrument of a registry row, an article's words mean.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "Meteosat"
named in 1977 is Meteosat-1, the only one flying; "DPR" names one of the GPM Core
Observatory's two instruments.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..sensors import Sensor, all_sensors, normalize_name

if TYPE_CHECKING:
    from ._extract_sensors import SensorMention


def named_instruments(
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """:func:`named_instrument` for each mention, and for the row's other mentions.

    "The Operational Land Imager (OLI) on Landsat 8 captured ...": the satellite named beside
    its instrument adds none of the row's other instruments (TIRS).
    """
    named = [(m, named_instrument(m, s), counts) for m, s, counts in kept]
    narrowed: dict[str, tuple[str, ...]] = {}
    for (_, row, _), (_, sensor, _) in zip(kept, named, strict=True):
        if sensor.instruments != row.instruments:
            narrowed[row.key] = (*narrowed.get(row.key, ()), *sensor.instruments)
    if not narrowed:
        return named
    return [
        (m, replace(s, instruments=tuple(dict.fromkeys(narrowed[s.key]))), counts)
        if s.key in narrowed and s.instruments == row.instruments
        else (m, s, counts)
        for (m, s, counts), (_, row, _) in zip(named, kept, strict=True)
    ]


def named_instrument(mention: SensorMention, sensor: Sensor) -> Sensor:
    """A row of several instruments named by one of them: that one took the picture.

    "GPM's DPR", "AWiFS on Resourcesat-2": the satellite carries both, the words say which;
    "the Operational Land Imager" spells OLI with its initials.
    """
    if len(sensor.instruments) < 2:
        return sensor
    named = _named(mention.text, sensor.instruments)
    return replace(sensor, instruments=named) if named else sensor


@functools.lru_cache(maxsize=4096)
def _named(text: str, instruments: tuple[str, ...]) -> tuple[str, ...]:
    words = normalize_name(text)
    initials = "".join("".join(g) for g in _INITIAL.findall(text)).lower()
    return tuple(
        i
        for i in instruments
        if re.search(rf"(?<![a-z0-9]){normalize_name(i)}(?![a-z0-9])", words)
        or (len(i) > 2 and i.isalpha() and initials == i)
    )


#: The initial of each capitalised word ("Thermal Infrared Sensor" -> TIRS: "Infrared" is IR).
_INITIAL = re.compile(r"\b(?:(I)nfra-?(r)ed|([A-Z])[a-z]+)\b")


def only_member(sensor: Sensor, years: tuple[int, int]) -> tuple[Sensor, bool] | None:
    """A family named alone (no satellite) in years when one satellite of it flew: that one.

    With whether its instruments count: not where it carried several.
    """
    if sensor.platform is not None or sensor.constellation is None:
        return None
    members = [
        s
        for s in all_sensors()
        if s.constellation == sensor.constellation
        and s.platform
        and s.start_year <= years[0]
        and years[1] <= (s.end_year or years[1])
    ]
    same = [s for s in members if s.instruments == sensor.instruments] or members
    return (same[0], len(same) == 1) if len({s.platform for s in same}) == 1 else None


def flying_twin(sensor: Sensor, years: tuple[int, int]) -> tuple[Sensor, bool] | None:
    """The one satellite of a family that flew in ``years`` carrying the same instruments.

    An instrument named alone by a name several satellites' copies share ("the Advanced
    Himawari Imager (AHI)" is an alias of Himawari-8's row) is, in 2026, Himawari-9's.
    """
    twins = [
        s
        for s in all_sensors()
        if s.constellation == sensor.constellation
        and s.platform
        and s.instruments == sensor.instruments
        and s.operating_in(years[0])
        and s.operating_in(years[1])
    ]
    return (twins[0], True) if sensor.constellation and len(twins) == 1 else None
