"""Which satellite of a family, or which instrument of a registry row, an article's words mean.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "Meteosat"
named in 1977 is Meteosat-1, the only one flying; "DPR" names one of the GPM Core
Observatory's two instruments.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..sensors import Sensor, all_sensors, normalize_name

if TYPE_CHECKING:
    from ._extract_sensors import SensorMention


def named_instrument(mention: SensorMention, sensor: Sensor) -> Sensor:
    """A row of several instruments named by one of them: that one took the picture.

    "GPM's DPR", "AWiFS on Resourcesat-2": the satellite carries both, the words say which.
    Landsat 8 and 9 keep both: OLI and TIRS bands come in one Level-1 scene.
    """
    if len(sensor.instruments) < 2 or sensor.constellation == "landsat":
        return sensor
    words = normalize_name(mention.text)
    named = tuple(
        i
        for i in sensor.instruments
        if re.search(rf"(?<![a-z0-9]){normalize_name(i)}(?![a-z0-9])", words)
    )
    return replace(sensor, instruments=named) if named else sensor


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
