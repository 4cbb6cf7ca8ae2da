"""Summarise a catalog frame: counts per split, sensor and year; spatial and temporal extent."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts(dropna=False).sort_index().items()}


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(object)
    return pd.Series(None, index=frame.index, dtype=object)


def acquisition_midpoints(frame: pd.DataFrame) -> pd.Series:
    """Each item's acquisition time: ``datetime``, else the midpoint of its start/end range."""
    when = frame["datetime"]
    mid = frame["start_datetime"] + (frame["end_datetime"] - frame["start_datetime"]) / 2
    return when.fillna(mid)


def summarize_catalog(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts per split, sensor (constellation or platform) and year, and the extents.

    Args:
        frame: a ``read_catalog`` frame.

    Returns:
        A JSON-ready dict: ``items``, ``splits``, ``sensors``, ``years``, ``geometry_kinds``,
        ``bbox`` [west, south, east, north] and ``interval`` [first, last] (ISO dates).
    """
    # "platform instruments", the constellation standing in for a missing platform
    plat = _column(frame, "platform").fillna(_column(frame, "constellation")).fillna("unknown")
    inst = _column(frame, "instruments").map(
        lambda v: "/".join(v) if isinstance(v, list | tuple | np.ndarray) else ""
    )
    sensor = (plat.astype(str) + " " + inst.astype(str)).str.strip()
    when = acquisition_midpoints(frame)
    bounds = frame.geometry.total_bounds if len(frame) else [float("nan")] * 4
    return {
        "items": len(frame),
        "splits": _counts(frame["ml-aoi:split"].fillna("unsplit"))
        if "ml-aoi:split" in frame.columns
        else {"unsplit": len(frame)},
        "sensors": _counts(sensor),
        "years": _counts(when.dt.year.astype("Int64").astype(str)),
        "geometry_kinds": _counts(frame["gaia:geometry_kind"])
        if "gaia:geometry_kind" in frame.columns
        else {},
        "bbox": [round(float(b), 4) for b in bounds],
        "interval": [
            when.min().date().isoformat() if len(when.dropna()) else None,
            when.max().date().isoformat() if len(when.dropna()) else None,
        ],
    }
