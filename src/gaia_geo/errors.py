"""The gaia_geo error hierarchy: one root, specific subclasses whose message says what to do.

Every exception gaia_geo raises on purpose is defined here and importable from here
(``from gaia_geo.errors import CaptionServiceError``), the stages' own modules re-export theirs.
"""

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


class SourceUnavailableError(GaiaError):
    """A source (a STAC API, a site) cannot be reached; the message names it and the root cause."""


class ValidationError(GaiaError):
    """One or more STAC objects failed schema validation."""


class DependencyError(GaiaError, ImportError):
    """An optional dependency is missing; the message names the pip extra to install."""


def missing_dependency(package: str, extra: str) -> DependencyError:
    """Return the error for a missing optional dependency."""
    return DependencyError(
        f"{package} is needed for this feature; install it with: pip install 'gaia_geo[{extra}]'"
    )


class UnsafeOutputError(GaiaError, ValueError):
    """An output folder would replace a command's input or files gaia_geo did not write."""


class SearchEngineError(GaiaError):
    """The STAC API's search engine failed on a request (``gaia-geo api``)."""


class SearchTimeoutError(SearchEngineError, TimeoutError):
    """A search ran past the API's per-request deadline and was stopped."""


class SearchBusyError(SearchEngineError):
    """Every search worker stayed busy until the request's deadline."""


# Collect stage


class RasterError(GaiaError):
    """A raster or its captions file cannot become an Item; the message names the file and fix."""


class DownloadError(GaiaError):
    """A URL could not be fetched, or what it served is not what was asked for.

    Attributes:
        url: the URL asked for.
        reason: one line for people (``HTTP 404``, ``truncated body: ...``).
        code: short and stable, for reports and counts (``http-404``, ``timeout``,
            ``too-large``, ``not-an-image``...).
        permanent: False when a retry may succeed (429, 5xx, timeouts, cut connections).
        retry_after: the seconds the server asked to wait (its ``Retry-After``), if any.
    """

    def __init__(
        self,
        url: str,
        reason: str,
        permanent: bool = True,
        retry_after: float | None = None,
        *,
        code: str = "failed",
    ) -> None:
        self.url = url
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.code = code
        super().__init__(f"{url}: {reason}")


class PointsError(GaiaError, ValueError):
    """A points file cannot be read; the message names the file and the fix."""


class ChipError(GaiaError):
    """A chip cannot be made for one point; the message says why (recorded, not raised)."""


# Datasets stage


class EmptySplitError(CatalogError):
    """A split (after the filters) holds no items."""


class ImageReadError(GaiaError):
    """An item's image cannot be opened or decoded."""

    def __init__(self, item_id: str, path: str, reason: str) -> None:
        self.item_id = item_id
        self.path = path
        super().__init__(
            f"item {item_id!r}: cannot read image {path!r} ({reason}); re-download the asset or "
            "drop the item from the catalog"
        )


class CaptionCountError(ItemError):
    """An item has fewer captions than the caption choice needs."""


class BandCountError(ItemError):
    """An image has a band count that does not fit the requested bands or the other images."""


# Train stage


class CheckpointError(GaiaError):
    """A checkpoint is missing, unreadable, or from another architecture; the message names it."""


class ModelLoadError(CheckpointError):
    """A model name, pretrained tag or checkpoint directory cannot be loaded for evaluation."""


class TrainingOptionError(GaiaError, ValueError):
    """An option of a training run cannot work (architecture, precision, accelerator, ...).

    A ValueError, as any bad argument; a GaiaError, so the CLI prints its one line and the fix.
    """


# Describe stage


class DescribeError(GaiaError):
    """Captioning could not go on; the message says why and what to do."""


class CaptionAuthError(DescribeError):
    """The API rejected the key (401/403): nothing is retried."""


class CaptionRequestError(DescribeError):
    """The API refused one request as invalid (a 4xx other than 401/403/408/409/429)."""


class CaptionServiceError(DescribeError):
    """The API stayed unreachable or failing after every retry; rerun to resume from the cache."""


class BatchError(DescribeError):
    """A Batch API job failed, expired or was cancelled; the message names its state file."""


# Evaluate stage


class BenchmarkImportError(GaiaError):
    """A benchmark cannot be imported; the message names the file and the fix."""


class ReportError(GaiaError):
    """A report file cannot be read; the message names the file."""


class CaptionMetricsError(GaiaError):
    """Captions cannot be scored (missing Java, mismatched ids, unreadable captions file)."""


class EvalDataError(GaiaError):
    """An evaluation dataset is missing or malformed; the message names the file and the fix."""
