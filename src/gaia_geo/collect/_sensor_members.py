"""A family named beside one of its satellites: the satellite says which one took the picture.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "the Geostationary
Operational Environmental Satellite (GOES-16)", "Meteosat-7 ... the satellite Meteosat, the last
of the first generation", "EUMETSAT's Meteosat satellites ... from Meteosat-12": the family row
(no platform: "Meteosat", "GOES") only repeats what the named satellite says more exactly, even
where the generations carried different imagers (MVIRI, SEVIRI, FCI).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sensors import Sensor
    from ._extract_sensors import SensorMention


def members_outrank_family(
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Drop each family row whose constellation a kept satellite of it names.

    Only a row of the family itself ("Meteosat", "GOES"), not an instrument flown on several of
    its satellites ("GOME-2" beside "Metop-B AVHRR" is a second picture).
    """
    named = {s.constellation for _, s, _ in kept if s.platform and s.constellation}
    if not named:
        return kept
    return [k for k in kept if not _family_of(k[1], named)]


def _family_of(sensor: Sensor, named: set[str]) -> bool:
    family = sensor.constellation
    return sensor.platform is None and family in named and sensor.key.startswith(f"{family}-")
