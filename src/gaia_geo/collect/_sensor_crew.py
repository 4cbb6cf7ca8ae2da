"""A crewed spacecraft's pictures: its crew's hand-held camera, or an instrument it carried.

Part of :func:`gaia_geo.collect.extract_metadata` (used by ``_sensor_resolve``): "astronaut
photograph ... by the STS-118 crew" is the Shuttle crew's camera; "SIR-C/X-SAR aboard the space
shuttle Endeavour" is the radar's picture, the Shuttle only carried it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._sensor_context import photo_numbers

if TYPE_CHECKING:
    from ..sensors import Sensor
    from ._extract_sensors import SensorMention

#: Words that make the ISS a camera platform rather than an instrument carrier.
ASTRONAUT = re.compile(
    r"astronaut|crew|photograph|Expedition|camera|cosmonaut"
    # astronaut in Japanese, Chinese, Korean, Russian, Hindi, Thai
    r"|宇宙飛行士|宇航员|宇航員|우주비행사|우주인|космонавт|астронавт|अंतरिक्ष यात्री|นักบินอวกาศ"
    # "captured from the ISS": a picture taken from the station, not by an instrument on it
    r"|\bfrom\s+(?:aboard\s+)?(?:the\s+)?(?:ISS|International Space Station|space station)\b",
    re.IGNORECASE,
)


def crew_or_payload(
    text: str, kept: list[tuple[SensorMention, Sensor, bool]]
) -> list[tuple[SensorMention, Sensor, bool]]:
    """A crewed spacecraft's hand-held camera, or an instrument it carried (SIR-C on the Shuttle).

    A crew photograph's number ("STS087-704-53") makes the picture the crew's: the payload named
    as past work ("radar images taken by SIR-C in 1994") goes. Without it, and without a word of
    astronauts or photographs, the spacecraft named beside its payload ("SIR-C/X-SAR aboard the
    space shuttle Endeavour") only carried the instrument that took it.
    """
    crew = {s.platform for _, s, _ in kept if "astronaut-photography" in s.modalities}
    if not crew or not any(
        s.platform in crew and "secondary-payload" in s.modalities for _, s, _ in kept
    ):
        return kept
    if next(photo_numbers(text), None) is not None:
        return [k for k in kept if "secondary-payload" not in k[1].modalities]
    if ASTRONAUT.search(text):
        return kept
    return [(m, s, counts and "astronaut-photography" not in s.modalities) for m, s, counts in kept]
