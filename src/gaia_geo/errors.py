"""The gaia_geo error hierarchy: one root, specific subclasses whose message says what to do."""

from __future__ import annotations


class GaiaError(Exception):
    """Root of every error gaia_geo raises on purpose."""


class UnknownSensorError(GaiaError, KeyError):
    """A sensor name or key is not in the registry."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ItemError(GaiaError, ValueError):
    """An Item (or the record it is built from) is invalid; the message names the item and field."""

    def __init__(self, item_id: str | None, field: str, reason: str) -> None:
        self.item_id = item_id
        self.field = field
        self.reason = reason
        where = f"item {item_id!r}" if item_id else "item"
        super().__init__(f"{where}, field {field!r}: {reason}")


class GeometryError(ItemError):
    """A geometry is invalid and cannot be repaired safely."""


class CatalogError(GaiaError):
    """A catalog cannot be read or written; the message names the file."""


class ValidationError(GaiaError):
    """One or more STAC objects failed schema validation."""


class DependencyError(GaiaError, ImportError):
    """An optional dependency is missing; the message names the pip extra to install."""


def missing_dependency(package: str, extra: str) -> DependencyError:
    """Return the error for a missing optional dependency."""
    return DependencyError(
        f"{package} is needed for this feature; install it with: pip install 'gaia_geo[{extra}]'"
    )


class SearchEngineError(GaiaError):
    """The STAC API's search engine failed on a request (``gaia-geo api``)."""


class SearchTimeoutError(SearchEngineError, TimeoutError):
    """A search ran past the API's per-request deadline and was stopped."""


class SearchBusyError(SearchEngineError):
    """Every search worker stayed busy until the request's deadline."""
