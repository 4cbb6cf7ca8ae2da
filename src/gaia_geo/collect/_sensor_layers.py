"""An elevation model under a picture: a layer of the view, not the sensor that took it.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "a 3-D
perspective view generated using topographic data from the Shuttle Radar Topography Mission
(SRTM) and a Landsat 7 satellite image" names two sources of one view. The elevation mission
counts as one of them, yet "data collected during the SRTM" must not make the draped picture's
satellite a mere mention; and beside a radar that measured the terrain itself ("comparing the
SRTM elevation model from 2000 and the data acquired by TanDEM-X") it is only the reference.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..sensors import all_sensors

if TYPE_CHECKING:
    from ..sensors import Sensor
    from ._extract_sensors import SensorMention


@functools.cache
def elevation_keys() -> frozenset[str]:
    """Registry rows of missions that made an elevation model rather than a picture (SRTM)."""
    return frozenset(s.key for s in all_sensors() if "elevation" in s.modalities)


def elevation_beside_radar(
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Drop an elevation mission kept beside a radar satellite that is not one of its own."""
    keys = elevation_keys()
    elevation = {s.platform for _, s, _ in kept if s.key in keys}
    if not elevation or not any(
        "sar" in s.modalities and s.platform not in elevation for _, s, _ in kept
    ):
        return kept
    return [k for k in kept if k[1].key not in keys]
