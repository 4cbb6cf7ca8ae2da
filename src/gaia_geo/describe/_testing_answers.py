"""What the loopback test server answers: faults, request records, deterministic answers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

#: Faults that change the structured answer (the rest act on the HTTP exchange).
ContentFault = Literal[
    "malformed_json",
    "four_captions",
    "photo",
    "duplicate",
    "wrong_sensor",
    "bad_date",
    "not_rs",
    "chart",
]
FaultKind = Literal[
    "rate_limit",
    "server_error",
    "timeout",
    "malformed_body",
    ContentFault,
    "drop",
    "unauthorized",
    "die",
    "redirect",
]
CONTENT_FAULTS: frozenset[str] = frozenset(get_args(ContentFault))


@dataclass
class Fault:
    """One injected fault.

    Attributes:
        kind: what goes wrong.
        times: how many requests it hits before it is used up.
        match: only requests whose body contains this text (e.g. an item id) are hit.
        after: only once this many chat completions have been answered successfully.
        structured_only: only requests asking for structured output (the captioning step).
    """

    kind: FaultKind
    times: int = 1
    match: str | None = None
    after: int = 0
    structured_only: bool = True


@dataclass
class RequestRecord:
    """One request the server received."""

    path: str
    status: int
    body_sha256: str
    text: str
    fault: str | None = None
    image_urls: list[str] = field(default_factory=list)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_text(body: dict[str, Any]) -> str:
    """Concatenate the text parts of a chat request's messages (what the answers derive from)."""
    parts: list[str] = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(p.get("text", "") for p in content if p.get("type") == "text")
    return "\n".join(parts)


def image_urls(body: dict[str, Any]) -> list[str]:
    """The image URLs (``data:`` or public) of a chat request."""
    urls: list[str] = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, list):
            urls.extend(p["image_url"]["url"] for p in content if p.get("type") == "image_url")
    return urls


def _field(text: str, name: str) -> str | None:
    match = re.search(rf'"{re.escape(name)}": "([^"]*)"', text)
    return match.group(1) if match else None


def _list_field(text: str, name: str) -> list[str]:
    match = re.search(rf'"{re.escape(name)}": \[([^\]]*)\]', text)
    return re.findall(r'"([^"]*)"', match.group(1)) if match else []


def caption_payload(text: str, fault: str | None = None) -> dict[str, Any]:
    """The structured answer the server gives for a request whose text parts are ``text``.

    Captions embed ``sha256(text)[:8]`` so a test can tell which request an answer came from. The
    satellite and sensor echo the Item metadata in the prompt (``"platform"``, ``"instruments"``).

    Args:
        text: :func:`request_text` of the request.
        fault: a content fault to apply (see :data:`CONTENT_FAULTS`), or ``None``.
    """
    tok = digest(text)[:8]
    place = _field(text, "gaia:location") or "the imaged region"
    platform = _field(text, "platform")
    instruments = _list_field(text, "instruments")
    sensor = f"{platform} {' '.join(instruments)}".strip() if platform else "the sensor"
    n = int(tok[:2], 16) % 7 + 2
    captions = [
        f"The image showcases: a wide view of {place} with {n} distinct land-cover patches "
        f"(ref {tok}).",
        "The image showcases: meandering river channels and rectangular field boundaries "
        f"crossing the scene, as recorded by {sensor}.",
        "The image showcases: bright urban surfaces in the upper left that contrast with dark "
        "vegetated slopes toward the south.",
        f"The image showcases: {n + 1} elongated ridges shaped by erosion, separated by pale "
        "sediment-filled valleys.",
        "The image showcases: a mosaic of agricultural plots whose spectral contrast reveals "
        "differences in soil moisture and crop stage.",
    ]
    satellite = [platform] if platform else []
    if fault == "four_captions":
        captions = captions[:4]
    elif fault == "photo":
        captions[2] = "The image showcases: a photograph of bright urban surfaces and vegetation."
    elif fault == "duplicate":
        captions[4] = captions[3].replace("elongated", "long")
    elif fault == "bad_date":
        captions[1] = captions[1].replace("scene,", "scene in March 1987,")
    elif fault == "wrong_sensor":
        satellite = ["worldview-3" if platform != "worldview-3" else "landsat-8"]
    payload: dict[str, Any] = {
        "captions": captions,
        "tags": ["land cover", "hydrology", place.split(",")[0].strip().lower()],
        "location": place,
        "modality": ["optical"],
        "satellite": satellite,
        "sensor": instruments,
        "resolution": "Moderate",
        "is_remote_sensing": fault != "not_rs",
        "is_chart": fault == "chart",
        "coordinates": None,
    }
    return payload


def summary_text(text: str) -> str:
    """The plain-text answer (the summary step) for a request whose text parts are ``text``."""
    body = text.split("ARTICLE:", 1)[-1].strip()
    return f"Summary [{digest(text)[:8]}]: {body[:240]}"
