"""Export a catalog's local images with their captions as webdataset shards (one set per split).

Each sample holds the image under its format's extension (``png``, ``jpg`` or ``tif``) and a
``json`` with the captions and the Item's metadata, as GAIA's release shards do, so webdataset
loaders (open_clip's ``--dataset-type webdataset``) can stream them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from .._atomic import swap_directory
from .._paths import check_output_folder, fresh_temporary_folder
from ..errors import CatalogError

_EXT = {"image/png": "png", "image/jpeg": "jpg"}
_META = (
    "title",
    "description",
    "platform",
    "constellation",
    "instruments",
    "gsd",
    "eo:cloud_cover",
    "ml-aoi:split",
    "gaia:location",
    "gaia:tags",
    "gaia:resolution_class",
    "gaia:modalities",
    "gaia:credits",
    "gaia:source_url",
    "gaia:geometry_kind",
)


def _value(value: Any) -> Any:
    """A frame cell as a JSON value (arrays to lists, timestamps to RFC 3339, nulls to None)."""
    if value is None or isinstance(value, str | list | dict):
        return value
    if hasattr(value, "tolist"):
        return value.tolist()
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat().replace("+00:00", "Z")
    return value


def sample_metadata(row: pd.Series) -> dict[str, Any]:
    """The ``json`` member of a sample: id, captions, bbox, time and the Item's metadata."""
    meta: dict[str, Any] = {
        "id": row["id"],
        "captions": _value(row.get("gaia:captions")) or [],
        "bbox": [float(v) for v in row.geometry.bounds] if row.geometry is not None else None,
    }
    for key in ("datetime", "start_datetime", "end_datetime"):
        meta[key] = _value(row.get(key))
    for key in _META:
        if key in row.index:
            value = _value(row[key])
            if value is not None:
                meta[key] = value
    return meta


def export_webdataset(
    catalog: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    shard_size: int = 1000,
) -> list[Path]:
    """Write the catalog's Items that have a local image as webdataset tar shards.

    Shards are named ``<split>-000000.tar`` (``train``, ``validate``, ``test``, ``unsplit``); the
    sample key is the Item id with dots replaced (webdataset splits keys at dots). The folder is
    built beside ``out`` and swapped in, so readers never see half a shard set.

    Args:
        catalog: the catalog folder.
        out: the shard folder (replaced if it exists).
        shard_size: samples per shard.

    Returns:
        The shard paths.

    Raises:
        CatalogError: when no Item has a local image.
        ValueError: for a bad ``shard_size``.
    """
    import orjson
    import webdataset as wds

    from ..stac import is_remote, read_catalog

    if shard_size < 1:
        raise ValueError(f"shard_size must be >= 1, got {shard_size}")
    target = check_output_folder(out, inputs=[catalog], kind="shards")
    frame = read_catalog(catalog)
    tmp = fresh_temporary_folder(target)
    written = 0
    try:
        split_col = frame.get("ml-aoi:split", pd.Series(None, index=frame.index))
        splits = split_col.fillna("unsplit")
        for split in sorted(splits.unique()):
            rows = frame[splits == split].sort_values("id")
            writer = None
            for _, row in rows.iterrows():
                asset = (row.get("assets") or {}).get("image") or {}
                href = asset.get("href")
                if not href or is_remote(href) or not Path(href).is_file():
                    continue
                ext = _EXT.get(
                    str(asset.get("type")), "tif" if "tiff" in str(asset.get("type")) else "png"
                )
                if writer is None:
                    writer = wds.ShardWriter(
                        str(tmp / f"{split}-%06d.tar"), maxcount=shard_size, verbose=0
                    )
                writer.write(
                    {
                        "__key__": str(row["id"]).replace(".", "_"),
                        ext: Path(href).read_bytes(),
                        "json": orjson.dumps(sample_metadata(row)),
                    }
                )
                written += 1
            if writer is not None:
                writer.close()
        if not written:
            raise CatalogError(
                f"no Item of {str(catalog)!r} has a local image; run gaia-geo download first"
            )
        swap_directory(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(target.glob("*.tar"))
