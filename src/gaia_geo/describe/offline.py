"""The offline captioner: five captions from an image's source text and metadata, no model.

It is honest about what it is: the captions restate what the article text and the Item's
metadata (sensor, resolution class, place, date precision) say; it does not look at the pixels.
Its provenance says ``generator: offline`` and ``model: gaia-geo-offline-template``, so a catalog
captioned this way can never pass for one captioned by a vision-language model. It is the default
when no API key or base URL is configured, and what ``make demo`` uses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .._hashing import text_sha256 as text_sha256  # collect/_items.py imports it from here
from ..sensors import Sensor
from ..stac._extension import CaptionProvenance

MODEL = "gaia-geo-offline-template"
PROMPT_VERSION = "offline-v1"
PREFIX = "The image showcases:"

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Dates, coordinates and credits are not visible in an image: keep them out of captions.
_NOT_VISIBLE = re.compile(
    r"\b(19|20)\d{2}\b|\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|\b(acquired|captured|credit|courtesy|photograph|photo|NASA|ESA|"
    r"Earth Observatory|image by|images by)\b|°|\b\d+(\.\d+)?\s*[NSEW]\b",
    re.IGNORECASE,
)
_STOP = {
    "the", "a", "an", "of", "and", "in", "on", "at", "to", "by", "with", "for", "from", "is",
    "this", "that", "image", "images", "based", "style", "public", "scientists", "over", "time",
    "understand", "monitor", "area", "was", "were", "acquired", "photographed", "satellite",
}  # fmt: skip


@dataclass
class OfflineCaptions:
    """Five captions, three tags and their provenance."""

    captions: list[str]
    tags: list[str]
    provenance: CaptionProvenance
    source_text_sha256: str | None = None
    notes: list[str] = field(default_factory=list)


def _visible_sentences(text: str) -> list[str]:
    out = []
    for sentence in _SENTENCE.split(" ".join(text.split())):
        sentence = sentence.strip()
        if 30 <= len(sentence) <= 300 and not _NOT_VISIBLE.search(sentence):
            out.append(sentence.rstrip("."))
    return out


def _keywords(text: str, k: int) -> list[str]:
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]{4,}", text.lower()):
        if word not in _STOP:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:k]]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym such as "MODIS" keeps its case
        return text
    return text[:1].lower() + text[1:]


class OfflineCaptioner:
    """Caption an image from its source text and metadata, offline and deterministically.

    Example:
        >>> from gaia_geo.sensors import lookup_sensor
        >>> out = OfflineCaptioner().caption(
        ...     "Sea ice breaks up along the coast. Open water appears dark blue.",
        ...     location="Hudson Bay, Canada", sensor=lookup_sensor("Terra"),
        ...     tags=["sea ice", "coast"], created=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        >>> len(out.captions), out.captions[0].startswith("The image showcases:")
        (5, True)
    """

    model = MODEL
    prompt_version = PROMPT_VERSION

    def caption(
        self,
        text: str,
        *,
        location: str | None = None,
        sensor: Sensor | None = None,
        gsd: float | None = None,
        tags: list[str] | None = None,
        created: dt.datetime | None = None,
    ) -> OfflineCaptions:
        """Make five captions.

        Args:
            text: the source (article) text.
            location: place name.
            sensor: the sensor that took the image, if known.
            gsd: ground sample distance in metres (else the sensor's nominal one).
            tags: topic tags (else the three most frequent content words of the text).
            created: the time to record in the provenance (default: now, UTC).

        Returns:
            Five distinct captions starting with "The image showcases:", three tags, provenance.
        """
        sentences = _visible_sentences(text)
        tags = list(tags or _keywords(text, 3))[:3]
        place = location or "an unnamed region"
        topic = ", ".join(tags) if tags else "the land surface"
        resolution = None
        if sensor is not None:
            resolution = sensor.resolution_class
        if gsd is not None:
            from ..sensors import resolution_class

            resolution = resolution_class(gsd)
        # The registry's name ("Landsat 8 OLI/TIRS", "Terra MODIS"); captions never say "photo".
        source = (
            sensor.name.replace(" photography", " camera")
            if sensor is not None
            else "an Earth-observing sensor"
        )
        # "astronaut-photography" names how the image was made; captions never call it a photo.
        kinds = [m for m in (sensor.modalities if sensor else ()) if "photo" not in m]
        modality = " and ".join(kinds[:2]) or "optical"
        res_text = f"{resolution.lower()}-resolution" if resolution else "remote-sensing"
        lead = sentences[0] if sentences else f"The scene centres on {place}"
        detail = sentences[1] if len(sentences) > 1 else f"Features related to {topic} stand out"
        third = (
            sentences[2] if len(sentences) > 2 else f"The surroundings of {place} frame the scene"
        )
        captions = [
            f"{PREFIX} a {res_text} {modality} view of {place}, recorded by {source}. {lead}.",
            f"{PREFIX} {_lower_first(detail)}, seen from orbit over {place}.",
            f"{PREFIX} an overhead scene whose main themes are {topic}; {_lower_first(third)}.",
            f"{PREFIX} {place} as observed by {source}, where patterns of {topic} "
            f"dominate the {modality} signal.",
            f"{PREFIX} a {res_text} Earth-observation scene; "
            f"{_lower_first(lead)}, and {_lower_first(detail)}.",
        ]
        digest = text_sha256(text)
        provenance = CaptionProvenance(
            generator="offline",
            model=MODEL,
            prompt_version=PROMPT_VERSION,
            created=created or dt.datetime.now(dt.UTC),
            source_text_sha256=digest,
        )
        return OfflineCaptions(
            captions=captions, tags=tags, provenance=provenance, source_text_sha256=digest
        )
