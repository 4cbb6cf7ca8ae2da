"""The gaia_geo captions STAC extension, in the pystac extension template.

No STAC extension for captions exists, so gaia_geo defines one: the JSON Schema ships in this
package (``schemas/captions/v1.0.0/schema.json``) under a versioned URI, and this module gives
pystac the usual ``CaptionExtension.ext(item)`` accessor, a summaries class and hooks.

Example:
    >>> import pystac, datetime
    >>> item = pystac.Item("a", None, None, datetime.datetime(2020, 1, 1), {})
    >>> ext = CaptionExtension.ext(item, add_if_missing=True)
    >>> ext.captions = ["The image showcases: a delta."] * 5
    >>> item.properties["gaia:captions"][0]
    'The image showcases: a delta.'
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

import pystac
from pystac.extensions.base import (
    ExtensionManagementMixin,
    PropertiesExtension,
    SummariesExtension,
)
from pystac.extensions.hooks import ExtensionHooks

SCHEMA_URI = "https://gaia-geo.github.io/stac-extensions/captions/v1.0.0/schema.json"
PREFIX = "gaia:"

#: The schema's path below a host's ``stac-extensions/`` folder, the same in every copy.
SCHEMA_PATH = "captions/v1.0.0/schema.json"
#: Environment variable naming the captions schema URI to write (a copy the author hosts).
SCHEMA_URI_ENV = "GAIA_CAPTIONS_SCHEMA_URI"
_ANY_VERSION = re.compile(r"^https?://[^?#]+/(captions/v\d+\.\d+\.\d+/schema\.json)$")

CAPTIONS_PROP = PREFIX + "captions"
PROVENANCE_PROP = PREFIX + "caption_provenance"
GEOMETRY_KIND_PROP = PREFIX + "geometry_kind"
LOCATION_PROP = PREFIX + "location"
TAGS_PROP = PREFIX + "tags"
RESOLUTION_CLASS_PROP = PREFIX + "resolution_class"
MODALITIES_PROP = PREFIX + "modalities"
CREDITS_PROP = PREFIX + "credits"
SOURCE_URL_PROP = PREFIX + "source_url"
IMAGE_ALT_PROP = PREFIX + "image_alt"
SOURCE_TEXT_SHA256_PROP = PREFIX + "source_text_sha256"
SENSOR_NAMES_PROP = PREFIX + "sensor_names"

GeometryKind = Literal["footprint", "point", "place", "unknown"]
Generator = Literal["offline", "openai", "test-server", "gaia-release", "model", "human"]

T = TypeVar("T", pystac.Item, pystac.Collection)


def captions_schema_uri(uri: str | None = None) -> str:
    """Return the captions schema URI to write into Items and Collections.

    Catalog authors who host the schema themselves (a copy of the repository's
    ``stac-extensions/`` folder) pass its URI, or set ``GAIA_CAPTIONS_SCHEMA_URI``; offline
    validation maps every such URI to the bundled copy.

    Args:
        uri: an ``http(s)`` URI ending in ``/captions/v1.0.0/schema.json``; ``None`` reads
            ``GAIA_CAPTIONS_SCHEMA_URI``, then falls back to :data:`SCHEMA_URI`.

    Raises:
        ValueError: if the URI is not ``http(s)`` or does not end in the schema's path.
    """
    chosen = uri if uri is not None else os.environ.get(SCHEMA_URI_ENV) or SCHEMA_URI
    match = _ANY_VERSION.match(chosen)
    if match is None or match.group(1) != SCHEMA_PATH:
        where = "captions_schema_uri" if uri is not None else SCHEMA_URI_ENV
        raise ValueError(
            f"{where} is {chosen!r}; give the http(s) URL of a hosted copy of the captions "
            f"schema, ending in '/{SCHEMA_PATH}' (e.g. https://example.org/stac-extensions/"
            f"{SCHEMA_PATH})"
        )
    return chosen


def captions_schema_path(uri: str) -> str | None:
    """Return the bundled path (``captions/vX.Y.Z/schema.json``) of a captions schema URI.

    Any ``http(s)`` URI ending in ``/captions/vX.Y.Z/schema.json`` counts, so a catalog that
    points at a self-hosted copy still validates offline against the bundled one.

    Args:
        uri: a schema URI from ``stac_extensions``.
    """
    match = _ANY_VERSION.match(uri.split("#", 1)[0])
    return match.group(1) if match else None


@dataclass
class CaptionProvenance:
    """Where an Item's captions came from.

    Attributes:
        generator: ``offline`` (gaia_geo's template captioner), ``openai`` (any OpenAI-compatible
            model), ``test-server`` (gaia_geo's loopback test server: fake captions),
            ``gaia-release`` (imported), ``model`` (a fine-tuned captioning model) or ``human``.
        model: the model name, e.g. ``gpt-4o-2024-08-06``.
        prompt_version: the prompt template's version, e.g. ``gaia-v1``.
        created: when the captions were made (UTC).
        source_text_sha256: sha256 of the text the captions were grounded on, if any.
        input_tokens: prompt tokens spent, if known.
        output_tokens: completion tokens spent, if known.
        cost_usd: what the request cost, if known.
    """

    generator: Generator
    model: str
    prompt_version: str
    created: dt.datetime
    source_text_sha256: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form stored in ``gaia:caption_provenance`` (``None`` fields left out)."""
        out = {k: v for k, v in asdict(self).items() if v is not None and k != "extra"}
        out["created"] = format_datetime(self.created)
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaptionProvenance:
        """Parse the JSON form stored in ``gaia:caption_provenance``."""
        known = {
            "generator",
            "model",
            "prompt_version",
            "created",
            "source_text_sha256",
            "input_tokens",
            "output_tokens",
            "cost_usd",
        }
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["created"] = parse_datetime(data["created"])
        return cls(**kwargs, extra={k: v for k, v in data.items() if k not in known})


def format_datetime(value: dt.datetime) -> str:
    """Format a datetime as RFC 3339 UTC with a ``Z`` (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    text = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    if value.microsecond:  # as few fraction digits as the value needs: .552Z, not .552000Z
        head, fraction = text[: -len("+00:00")].split(".")
        text = f"{head}.{fraction.rstrip('0')}+00:00"
    return text.replace("+00:00", "Z")


def parse_datetime(text: str) -> dt.datetime:
    """Parse an RFC 3339 datetime string into an aware UTC datetime."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class CaptionExtension(
    Generic[T],
    PropertiesExtension,
    ExtensionManagementMixin[pystac.Item | pystac.Collection],
):
    """Captions and GAIA metadata of an Item (``gaia:*`` fields).

    Use :meth:`ext` to get one: ``CaptionExtension.ext(item, add_if_missing=True)``.
    """

    name: Literal["gaia"] = "gaia"

    def apply(
        self,
        *,
        captions: list[str] | None = None,
        provenance: CaptionProvenance | None = None,
        geometry_kind: GeometryKind | None = None,
        location: str | None = None,
        tags: list[str] | None = None,
        resolution_class: str | None = None,
        modalities: list[str] | None = None,
        credits: str | None = None,
        source_url: str | None = None,
        image_alt: str | None = None,
        source_text_sha256: str | None = None,
        sensor_names: list[str] | None = None,
    ) -> None:
        """Apply the captions extension's fields to the extended Item.

        As in pystac's extensions (``EOExtension.apply``, ``ProjectionExtension.apply``), every
        field is set: a ``None`` removes it. Each argument is the property of the same name.

        Args:
            captions: the captions (five in a complete GAIA-style item).
            provenance: where the captions came from; required with ``captions``.
            geometry_kind: ``footprint``, ``point``, ``place`` or ``unknown``.
            location: place name.
            tags: topic tags.
            resolution_class: ``Low``, ``Moderate``, ``High`` or ``Very High``.
            modalities: image modalities, e.g. ``["optical"]``.
            credits: image credits as published.
            source_url: the article or release page.
            image_alt: the image's alt text.
            source_text_sha256: sha256 of the source text.
            sensor_names: sensor names as the source wrote them.

        Raises:
            ValueError: for captions without a provenance, or a field's invalid value.
        """
        if captions is not None and provenance is None:
            raise ValueError("captions need a CaptionProvenance: pass provenance=...")
        self.captions = captions
        self.provenance = provenance
        self.geometry_kind = geometry_kind
        self.location = location
        self.tags = tags
        self.resolution_class = resolution_class
        self.modalities = modalities
        self.credits = credits
        self.source_url = source_url
        self.image_alt = image_alt
        self.source_text_sha256 = source_text_sha256
        self.sensor_names = sensor_names

    def _get(self, prop: str) -> Any:
        return self.properties.get(prop)

    @property
    def captions(self) -> list[str] | None:
        """The captions (five in a complete GAIA-style item)."""
        return self._get(CAPTIONS_PROP)

    @captions.setter
    def captions(self, value: list[str] | None) -> None:
        if value is not None:
            value = [str(c) for c in value]
            if not value or any(not c.strip() for c in value):
                raise ValueError("captions must be a non-empty list of non-empty strings")
        self._set_property(CAPTIONS_PROP, value)

    @property
    def provenance(self) -> CaptionProvenance | None:
        """Where the captions came from."""
        data = self._get(PROVENANCE_PROP)
        return None if data is None else CaptionProvenance.from_dict(data)

    @provenance.setter
    def provenance(self, value: CaptionProvenance | None) -> None:
        self._set_property(PROVENANCE_PROP, None if value is None else value.to_dict())

    @property
    def geometry_kind(self) -> GeometryKind | None:
        """What the geometry is: ``footprint``, ``point``, ``place`` or ``unknown`` (null)."""
        return self._get(GEOMETRY_KIND_PROP)

    @geometry_kind.setter
    def geometry_kind(self, value: GeometryKind | None) -> None:
        if value is not None and value not in ("footprint", "point", "place", "unknown"):
            raise ValueError(
                f"geometry_kind must be footprint, point, place or unknown, got {value!r}"
            )
        self._set_property(GEOMETRY_KIND_PROP, value)

    def _str_prop(self, prop: str) -> str | None:
        return self._get(prop)

    @property
    def location(self) -> str | None:
        """Place name: "Landmark, City, Country" or a region."""
        return self._str_prop(LOCATION_PROP)

    @location.setter
    def location(self, value: str | None) -> None:
        self._set_property(LOCATION_PROP, value)

    @property
    def tags(self) -> list[str] | None:
        """Topic tags."""
        return self._get(TAGS_PROP)

    @tags.setter
    def tags(self, value: list[str] | None) -> None:
        self._set_property(TAGS_PROP, None if value is None else list(value))

    @property
    def resolution_class(self) -> str | None:
        """GAIA's resolution class: Low, Moderate, High or Very High."""
        return self._str_prop(RESOLUTION_CLASS_PROP)

    @resolution_class.setter
    def resolution_class(self, value: str | None) -> None:
        if value is not None and value not in ("Low", "Moderate", "High", "Very High"):
            raise ValueError(
                f"resolution_class must be Low, Moderate, High or Very High, got {value!r}"
            )
        self._set_property(RESOLUTION_CLASS_PROP, value)

    @property
    def modalities(self) -> list[str] | None:
        """Image modalities, e.g. ``["optical", "multispectral"]``."""
        return self._get(MODALITIES_PROP)

    @modalities.setter
    def modalities(self, value: list[str] | None) -> None:
        self._set_property(MODALITIES_PROP, None if value is None else list(value))

    @property
    def credits(self) -> str | None:
        """Image credits as published."""
        return self._str_prop(CREDITS_PROP)

    @credits.setter
    def credits(self, value: str | None) -> None:
        self._set_property(CREDITS_PROP, value)

    @property
    def source_url(self) -> str | None:
        """The article or release page the image came from."""
        return self._str_prop(SOURCE_URL_PROP)

    @source_url.setter
    def source_url(self, value: str | None) -> None:
        self._set_property(SOURCE_URL_PROP, value)

    @property
    def image_alt(self) -> str | None:
        """The image's alt text."""
        return self._str_prop(IMAGE_ALT_PROP)

    @image_alt.setter
    def image_alt(self, value: str | None) -> None:
        self._set_property(IMAGE_ALT_PROP, value)

    @property
    def source_text_sha256(self) -> str | None:
        """sha256 of the article text."""
        return self._str_prop(SOURCE_TEXT_SHA256_PROP)

    @source_text_sha256.setter
    def source_text_sha256(self, value: str | None) -> None:
        self._set_property(SOURCE_TEXT_SHA256_PROP, value)

    @property
    def sensor_names(self) -> list[str] | None:
        """Sensor and satellite names as the source wrote them."""
        return self._get(SENSOR_NAMES_PROP)

    @sensor_names.setter
    def sensor_names(self, value: list[str] | None) -> None:
        self._set_property(SENSOR_NAMES_PROP, None if value is None else list(value))

    @classmethod
    def get_schema_uri(cls) -> str:
        """The versioned schema URI of this extension."""
        return SCHEMA_URI

    @classmethod
    def has_extension(cls, obj: pystac.STACObject) -> bool:
        """Whether ``obj`` declares the captions schema, at its published URI or a hosted copy."""
        return any(captions_schema_path(uri) for uri in obj.stac_extensions or [])

    @classmethod
    def ext(cls, obj: T, add_if_missing: bool = False) -> CaptionExtension[T]:
        """Return the extension view of an Item.

        Args:
            obj: a :class:`pystac.Item`.
            add_if_missing: add the schema URI to ``stac_extensions`` if it is not there.

        Raises:
            pystac.ExtensionTypeError: for objects other than Items.
            pystac.ExtensionNotImplemented: if the item lacks the extension and
                ``add_if_missing`` is false.
        """
        if isinstance(obj, pystac.Item):
            cls.ensure_has_extension(obj, add_if_missing)
            return cast(CaptionExtension[T], ItemCaptionExtension(obj))
        raise pystac.ExtensionTypeError(cls._ext_error_message(obj))

    @classmethod
    def summaries(
        cls, obj: pystac.Collection, add_if_missing: bool = False
    ) -> SummariesCaptionExtension:
        """Return the summaries view of a Collection."""
        cls.ensure_has_extension(obj, add_if_missing)
        return SummariesCaptionExtension(obj)


class ItemCaptionExtension(CaptionExtension[pystac.Item]):
    """The caption extension of one :class:`pystac.Item`."""

    item: pystac.Item
    properties: dict[str, Any]

    def __init__(self, item: pystac.Item) -> None:
        self.item = item
        self.properties = item.properties

    def __repr__(self) -> str:
        return f"<ItemCaptionExtension Item id={self.item.id}>"


class SummariesCaptionExtension(SummariesExtension):
    """Summaries of the caption extension's fields on a Collection."""

    @property
    def resolution_class(self) -> list[str] | None:
        """The resolution classes present."""
        return self.summaries.get_list(RESOLUTION_CLASS_PROP)

    @resolution_class.setter
    def resolution_class(self, value: list[str] | None) -> None:
        self._set_summary(RESOLUTION_CLASS_PROP, value)

    @property
    def geometry_kind(self) -> list[str] | None:
        """The geometry kinds present."""
        return self.summaries.get_list(GEOMETRY_KIND_PROP)

    @geometry_kind.setter
    def geometry_kind(self, value: list[str] | None) -> None:
        self._set_summary(GEOMETRY_KIND_PROP, value)


class CaptionExtensionHooks(ExtensionHooks):
    """pystac hooks, so pystac knows the extension's schema URI and object types."""

    schema_uri: str = SCHEMA_URI
    prev_extension_ids: set[str] = set()
    stac_object_types = {pystac.STACObjectType.ITEM, pystac.STACObjectType.COLLECTION}


CAPTION_EXTENSION_HOOKS: ExtensionHooks = CaptionExtensionHooks()
pystac.EXTENSION_HOOKS.add_extension_hooks(CAPTION_EXTENSION_HOOKS)
