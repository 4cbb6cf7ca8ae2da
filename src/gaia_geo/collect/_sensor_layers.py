"""An elevation model under a picture: a layer of the view, not the sensor that took it.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "a 3-D
perspective view generated using topographic data from the Shuttle Radar Topography Mission
(SRTM) and a Landsat 7 satellite image" names two sources of one view. The elevation mission
counts as one of them, yet "data collected during the SRTM" must not make the draped picture's
satellite a mere mention; and beside a radar that measured the terrain itself ("comparing the
SRTM elevation model from 2000 and the data acquired by TanDEM-X") it is only the reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sensors import Sensor
    from ._extract_sensors import SensorMention

#: The modality of a registry row that made an elevation model rather than a picture.
ELEVATION = "elevation"


def elevation_beside_radar(
    kept: list[tuple[SensorMention, Sensor, bool]],
) -> list[tuple[SensorMention, Sensor, bool]]:
    """Drop an elevation mission kept beside a radar satellite that is not one of its own."""
    elevation = {s.platform for _, s, _ in kept if ELEVATION in s.modalities}
    if not elevation or not any(
        "sar" in s.modalities and s.platform not in elevation for _, s, _ in kept
    ):
        return kept
    return [k for k in kept if ELEVATION not in k[1].modalities]
