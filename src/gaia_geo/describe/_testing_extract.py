"""What the loopback test server answers to a metadata-extraction request (``gaia_extraction``).

A deterministic stand-in for a model: the first written date, the first sensor names and the
first "of <Place>" it finds in the article text. An article containing ``[hallucinate]`` gets
an answer the text does not support (a made-up date and sensor), to test the checks.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")
_PLATFORM = re.compile(r"\b(Landsat \d|Terra|Aqua|Sentinel-\d[AB]?|Suomi NPP|GOES-\d\d)\b")
_INSTRUMENT = re.compile(r"\b(MODIS|OLI|MSI|VIIRS|ASTER|ABI)\b")
_PLACE = re.compile(r"\bof ([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:, ([A-Z][a-z]+))?")
_COUNTRIES = {"Egypt": "EG", "Peru": "PE", "France": "FR", "Japan": "JP", "Chile": "CL"}


def is_extraction_request(body: dict[str, Any]) -> bool:
    """Whether a chat request asks for the ``gaia_extraction`` structured output."""
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return False
    schema = response_format.get("json_schema")
    return isinstance(schema, dict) and schema.get("name") == "gaia_extraction"


def extraction_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The structured answer to an extraction request, from its user message."""
    text = next(
        (m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"),
        "",
    )
    if "[hallucinate]" in text:
        return {
            "acquisition_start": "1999-01-01",
            "acquisition_end": "1999-01-01",
            "platforms": ["WorldView-3"],
            "instruments": ["Hubble WFC3"],
            "place": "Atlantis",
            "country_code": "GR",
        }
    date = _DATE.search(text)
    iso = f"{date.group(3)}-{_MONTHS[date.group(1)]:02d}-{int(date.group(2)):02d}" if date else None
    place = _PLACE.search(text)
    country = _COUNTRIES.get(place.group(2) or place.group(1)) if place else None
    return {
        "acquisition_start": iso,
        "acquisition_end": iso,
        "platforms": list(dict.fromkeys(_PLATFORM.findall(text))),
        "instruments": list(dict.fromkeys(_INSTRUMENT.findall(text))),
        "place": place.group(1) if place else None,
        "country_code": country,
    }
