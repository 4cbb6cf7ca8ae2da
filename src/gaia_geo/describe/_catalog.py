"""``caption_catalog``: caption a whole catalog and rewrite it, or fall back to offline captions."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import pystac

from .._paths import check_output_folder
from ._caption import caption_items
from ._report import CaptionReport


def _catalog_meta(root: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    catalog = root / "catalog.json"
    if catalog.is_file():
        data = orjson.loads(catalog.read_bytes())
        meta.update(id=data.get("id"), title=data.get("title"), description=data.get("description"))
        for link in data.get("links", []):
            if link.get("rel") == "child":
                child = (root / link["href"]).resolve()
                if child.is_file():
                    coll = orjson.loads(child.read_bytes())
                    meta["license"] = coll.get("license", "other")
                    if coll.get("providers"):
                        meta["providers"] = coll["providers"]
                    break
    return {k: v for k, v in meta.items() if v is not None}


def caption_catalog(
    catalog: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    keep_excluded: bool = False,
    offline: bool | None = None,
    **kwargs: Any,
) -> CaptionReport:
    """Caption every Item of a catalog and rewrite it (GeoParquet mirrors included).

    Without an API key and a base URL (arguments or ``OPENAI_API_KEY``/``OPENAI_BASE_URL``), the
    offline captioner is used, as ``make demo`` does.

    Args:
        catalog: the catalog folder.
        out: where to write the result (default: rewrite ``catalog`` in place, atomically).
        keep_excluded: keep Items the model judged not remote sensing or a chart (default:
            drop them from the catalog; the report lists them).
        offline: force (``True``) or forbid (``False``) the offline captioner; default: offline
            only when neither a key nor a base URL is configured.
        **kwargs: passed to :func:`caption_items`.

    Returns:
        The report (nothing is written for a dry run or when the run fails).
    """
    from ..stac import read_catalog, to_items, write_catalog

    root = Path(catalog)
    if not kwargs.get("dry_run"):  # refuse before paying for captions that could not be written
        check_output_folder(out if out is not None else root, inputs=[root] if out else ())
    items = to_items(read_catalog(root))
    if offline is None:
        offline = not (
            kwargs.get("api_key")
            or kwargs.get("base_url")
            or os.environ.get("OPENAI_API_KEY")
            or os.environ.get("OPENAI_BASE_URL")
        )
    if offline and kwargs.get("dry_run"):
        # the offline captioner sends nothing and costs nothing: a dry run has nothing to add
        return CaptionReport(dry_run=True, pending=[i.id for i in items])
    if offline:
        report = _caption_offline(items, kwargs.get("texts"))
    else:
        report = caption_items(items, **kwargs)
    if report.dry_run:
        return report
    keep = [i for i in items if keep_excluded or i.id not in report.excluded]
    meta = _catalog_meta(root)
    target = Path(out) if out is not None else root
    write_catalog(keep, target, **meta)
    return report


def _caption_offline(
    items: Sequence[pystac.Item], texts: Mapping[str, str] | None
) -> CaptionReport:
    from ..sensors import lookup_sensor
    from ..stac import CaptionExtension
    from ._jobs import article_text
    from .offline import OfflineCaptioner

    captioner = OfflineCaptioner()
    report = CaptionReport(cost_usd=0.0)
    text_map = dict(texts) if texts is not None else None
    for item in items:
        ext = CaptionExtension.ext(item, add_if_missing=True)
        previous = ext.provenance
        if previous is not None and previous.generator != "offline":
            continue  # never replace a model's (or a person's) captions by template ones
        text = article_text(item, text_map)
        names = ext.sensor_names or []
        sensor = next((s for s in map(lookup_sensor, names) if s is not None), None)
        made = captioner.caption(
            text or item.properties.get("title") or "",
            location=ext.location,
            sensor=sensor,
            gsd=item.properties.get("gsd"),
            tags=ext.tags,
        )
        ext.captions = made.captions
        ext.provenance = made.provenance
        if made.source_text_sha256:
            ext.source_text_sha256 = made.source_text_sha256
        item.properties["description"] = made.captions[0]
        report.captioned.append(item.id)
    return report
