"""Versioned prompt templates: the article summary and the structured caption request.

GAIA's two steps, in our own words: a small model condenses the article into the facts that can
be seen; a vision model then writes five captions as JSON that follows :data:`CAPTION_SCHEMA`. A
template's ``version`` is part of every cache key, so changing the text of a template means giving
it a new version (the digest of the text is part of the key too, so a forgotten bump cannot serve
stale answers).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Final

#: The resolution classes a model may answer (GAIA's, see the sensor registry's thresholds).
RESOLUTION_VALUES: Final = ("Low", "Moderate", "High", "Very High")

#: JSON Schema of the caption answer, sent as ``response_format`` (strict structured output).
CAPTION_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "captions",
        "tags",
        "location",
        "modality",
        "satellite",
        "sensor",
        "resolution",
        "is_remote_sensing",
        "is_chart",
        "coordinates",
    ],
    "properties": {
        "captions": {"type": "array", "items": {"type": "string"}, "minItems": 5, "maxItems": 5},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3},
        "location": {"type": "string"},
        "modality": {"type": "array", "items": {"type": "string"}},
        "satellite": {"type": "array", "items": {"type": "string"}},
        "sensor": {"type": "array", "items": {"type": "string"}},
        "resolution": {"type": "string", "enum": list(RESOLUTION_VALUES)},
        "is_remote_sensing": {"type": "boolean"},
        "is_chart": {"type": "boolean"},
        "coordinates": {
            "anyOf": [
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["lat", "lon"],
                    "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
                },
                {"type": "null"},
            ]
        },
    },
}


@dataclass(frozen=True)
class PromptTemplate:
    """A versioned chat prompt: a system message and a user message with ``{placeholders}``.

    Attributes:
        version: the version written into provenance and cache keys, e.g. ``"gaia-v1"``.
        system: the system message.
        user: the user message, a :meth:`str.format` template.
        schema: the JSON Schema of a structured answer, or ``None`` for plain text.
        max_tokens: the answer's token budget.
    """

    version: str
    system: str
    user: str
    schema: dict[str, Any] | None = None
    max_tokens: int = 1200
    _digest: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        text = json.dumps([self.system, self.user, self.schema, self.max_tokens], sort_keys=True)
        object.__setattr__(self, "_digest", hashlib.sha256(text.encode()).hexdigest()[:12])

    @property
    def key(self) -> str:
        """``version`` plus a digest of the template text: the part of a cache key it owns."""
        return f"{self.version}+{self._digest}"

    def messages(self, image_url: str | None = None, **fields: str) -> list[dict[str, Any]]:
        """Render the chat messages.

        Args:
            image_url: a ``data:`` URL or a public URL of the image, attached to the user message.
            **fields: values for the user template's placeholders.

        Returns:
            OpenAI chat messages.
        """
        text = self.user.format(**fields)
        content: Any = text
        if image_url is not None:
            content = [
                {"type": "text", "text": text},
                {"type": "image_url", "image_url": {"url": image_url, "detail": "auto"}},
            ]
        return [{"role": "system", "content": self.system}, {"role": "user", "content": content}]

    def response_format(self) -> dict[str, Any] | None:
        """The ``response_format`` argument: a strict JSON schema, or ``None`` for plain text."""
        if self.schema is None:
            return None
        return {
            "type": "json_schema",
            "json_schema": {"name": "rs_captions", "strict": True, "schema": self.schema},
        }


SUMMARY_V1 = PromptTemplate(
    version="summary-v1",
    system=(
        "You condense articles that accompany Earth-observation images. Keep only what helps to "
        "describe the image itself: the place, the phenomenon and its cause, what the colours or "
        "textures show, the instrument and satellite that acquired it, and the acquisition date. "
        "Leave out credits, quotes, history and anything that cannot be seen. At most 120 words, "
        "plain prose, no lists."
    ),
    user="ARTICLE:\n{text}",
    max_tokens=300,
)

CAPTION_V1 = PromptTemplate(
    version="gaia-v1",
    system=(
        "You are an Earth-observation analyst writing training captions for a vision-language "
        "model. You see one image with a summary of the article published with it and the "
        "catalogue metadata of the image. Write exactly five captions. Each starts with "
        "'The image showcases:' and describes what is visible: land cover, objects and how many "
        "there are, their shapes, sizes and positions in the frame, colours and textures, and "
        "the process that most likely caused them. Use precise remote-sensing vocabulary; name "
        "the satellite, the sensor, the modality and the resolution class when they are known, "
        "spelling out acronyms once. The five captions must differ in focus and wording. Never "
        "call the image a photo or photograph. Mention a date or coordinates only when the "
        "metadata gives them, and name no sensor or satellite other than the metadata's. No "
        "subjective or promotional words, no credits. Also give three topic tags, the location "
        "('Landmark, City, Country' or a region), the modality, satellite and sensor lists, the "
        "resolution class (Low, Moderate, High or Very High: the sensor's class), whether this "
        "is a remote-sensing image at all, whether it is a chart, map or graphic rather than an "
        "image, and coordinates (lat, lon in EPSG:4326) only if the metadata supports them, "
        "else null."
    ),
    user=(
        "ITEM METADATA (authoritative; the captions must agree with it):\n{metadata}\n\n"
        "ARTICLE SUMMARY:\n{summary}"
    ),
    schema=CAPTION_SCHEMA,
    max_tokens=1200,
)

#: Every template, by version.
PROMPTS: Final[dict[str, PromptTemplate]] = {p.version: p for p in (SUMMARY_V1, CAPTION_V1)}


def get_prompt(version: str) -> PromptTemplate:
    """Return the template with ``version``.

    Raises:
        ValueError: if no template has that version.
    """
    try:
        return PROMPTS[version]
    except KeyError:
        raise ValueError(
            f"no prompt template {version!r}; known versions: {', '.join(sorted(PROMPTS))}"
        ) from None


def rejection_message(reasons: list[str]) -> dict[str, Any]:
    """The follow-up user message that sends a rejected answer back with its reasons."""
    listed = "\n".join(f"- {r}" for r in reasons)
    return {
        "role": "user",
        "content": (
            "Your answer was rejected for these reasons:\n"
            f"{listed}\n"
            "Answer again with the same JSON structure, fixing every point and keeping all the "
            "other rules."
        ),
    }
