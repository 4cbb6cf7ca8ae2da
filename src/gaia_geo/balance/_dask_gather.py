"""Steps that need every item at once, on a dask frame: only the columns they use come back.

``split`` joins items over neighbouring H3 cells and footprints into blocks (a graph over the
whole catalog) and ``render_figures`` draws every item: the client gathers, partition by
partition, the few columns each needs (geometry and dates; a point, an instant and a label),
runs the in-memory step on them, and hands the answer back to the partitions. The whole rows
(captions, assets, links) never leave the workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ._dask import TIME_COLUMNS, as_geo, in_4326, light_columns
from ._frame import item_times, representative_points
from ._split import SPLIT_COLUMN, split
from ._strata import first_value


def _light_part(part: pd.DataFrame, by: Sequence[str]) -> gpd.GeoDataFrame:
    lon, lat = representative_points(as_geo(part))
    light = gpd.GeoDataFrame(
        {"datetime": item_times(part)},
        geometry=gpd.points_from_xy(lon, lat, crs="EPSG:4326"),
        index=part.index,
    )
    light.loc[np.isnan(lon) | np.isnan(lat), "geometry"] = None
    for column in by:
        light[column] = pd.Categorical([first_value(v) for v in part[column].tolist()])
    return light


def light_frame(frame: Any, by: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """A dask frame reduced, partition by partition, to a point, an instant and ``by`` labels.

    The in-memory frame it gives (about 150 bytes an item, as :func:`strata_frame`) stands in
    for the whole rows in ``balance``, ``balance_report`` and the figures.

    Args:
        frame: a dask-geopandas frame (``read_catalog(path, engine="dask")``).
        by: columns to keep as categorical labels (a list keeps its first element).

    Raises:
        ValueError: a ``by`` column the frame lacks.
    """
    from dask.base import compute
    from dask.delayed import delayed

    by = (by,) if isinstance(by, str) else tuple(by)
    light = light_columns(in_4326(frame), by)
    parts = compute(*[delayed(_light_part)(p, by) for p in light.to_delayed()])
    merged = gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs="EPSG:4326")
    for column in by:
        merged[column] = pd.api.types.union_categoricals([p[column] for p in parts])
    return merged


def _gathered_parts(frame: Any, columns: Sequence[str]) -> tuple[pd.DataFrame, ...]:
    from dask.base import compute

    wanted = dict.fromkeys(["geometry", *columns])
    return compute(*frame[[c for c in wanted if c in frame.columns]].to_delayed())


def gather(frame: Any, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """The geometry and those of ``columns`` a dask frame has, computed into one GeoDataFrame.

    Rows and values are those of the computed frame; the other columns are never read when
    the frame reads its partitions lazily (``read_catalog(..., engine="dask")``).
    """
    parts = _gathered_parts(in_4326(frame), columns)
    return gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs="EPSG:4326")


def _labelled(part: pd.DataFrame, labels: np.ndarray, info: dict[str, Any]) -> pd.DataFrame:
    part = part.copy()
    part[SPLIT_COLUMN] = labels
    dropped = np.array([label is None for label in labels], dtype=bool)
    if "collection" in part.columns and dropped.any():
        part["collection"] = part["collection"].where(~dropped, None)
    part.attrs["gaia:split"] = info
    return part


def split_dask(
    frame: Any,
    fractions: Sequence[float],
    *,
    block: str,
    seed: int,
    temporal_holdout: str | pd.Timestamp | None,
    phash: int | None,
    buffer: bool | None,
) -> Any:
    """:func:`gaia_geo.split` of a dask frame: a lazy dask frame with ``ml-aoi:split`` set.

    The geometry, dates and existing splits (and the assets, with ``phash``) are gathered and
    split in memory; each partition then gets its labels. ``.compute()`` gives what ``split``
    gives on the computed frame, ``attrs["gaia:split"]`` included.
    """
    import dask.config
    import dask.dataframe as dd
    from dask.delayed import delayed

    frame = in_4326(frame)
    wanted = [*TIME_COLUMNS, SPLIT_COLUMN, *(["assets"] if phash is not None else [])]
    parts = _gathered_parts(frame, wanted)
    gathered = gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs="EPSG:4326")
    done = split(
        gathered,
        fractions,
        block=block,
        seed=seed,
        temporal_holdout=temporal_holdout,
        phash=phash,
        buffer=buffer,
    )
    labels = done[SPLIT_COLUMN].to_numpy(dtype=object)
    info = done.attrs["gaia:split"]
    bounds = np.concatenate([[0], np.cumsum([len(p) for p in parts])]).astype(int)
    pieces = [
        delayed(_labelled)(part, labels[bounds[i] : bounds[i + 1]], info)
        for i, part in enumerate(frame.to_delayed())
    ]
    meta = _labelled(frame._meta, np.zeros(0, dtype=object), info)
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(pieces, meta=meta, verify_meta=False)
