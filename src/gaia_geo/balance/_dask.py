"""Balance, measure and split a dask-geopandas frame: strata per partition, the in-memory draw.

``balance`` on a dask frame returns the subset :func:`gaia_geo.balance` returns on the same rows
computed in memory, bit for bit, without gathering the rows:

1. each partition computes its items' stratum keys (H3 cell, year, ``by`` labels: they depend
   on the item alone) and keeps them on its worker; only the count of each key combination
   comes back. Numbered in key order, these few rows are the in-memory strata, so the quotas
   (water-filling on the per-stratum counts) are the in-memory ones.
2. the in-memory draw gives every eligible item one uniform number from the seeded generator,
   in row order, and keeps in each stratum the items with the smallest numbers. Each partition
   jumps a copy of that generator to its first eligible item (``PCG64.advance``), draws its own
   numbers, and sends back per stratum only its ``quota`` smallest: the only items that can
   win. The client picks the winners among these candidates.
3. only the chosen rows are then read, partition by partition (lazily).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._sample import Strategy, check_counts, log_dropped, smallest_draws, stratum_quotas
from ._strata import (
    Axis,
    MissingPolicy,
    Strata,
    TemporalBin,
    axis_labellers,
    combine_axes,
    factor_keys,
    stratum_keys,
)

TIME_COLUMNS = ("datetime", "start_datetime", "end_datetime")


@dataclass
class _Keys:
    """One partition's stratum keys: its eligible rows only."""

    table: pd.DataFrame  # k0.. (key per axis, a constant where unknown), v0.. (known), row
    rows: int
    missing: dict[str, int]


def _names(n_axes: int) -> list[str]:
    return [f"k{i}" for i in range(n_axes)] + [f"v{i}" for i in range(n_axes)]


def _partition_keys(part: pd.DataFrame, settings: dict[str, Any]) -> _Keys:
    found = stratum_keys(as_geo(part), **settings)
    keep = found.eligible
    table = {}
    for i, (keys, valid) in enumerate(zip(found.keys, found.valid, strict=True)):
        blank = "" if keys.dtype == object else 0
        table[f"k{i}"] = np.where(valid, keys, blank)[keep]
        table[f"v{i}"] = valid[keep]
    table["row"] = np.flatnonzero(keep)
    return _Keys(pd.DataFrame(table), len(part), found.missing)


def as_geo(part: pd.DataFrame) -> Any:
    import geopandas as gpd

    if isinstance(part, gpd.GeoDataFrame):
        return part
    return gpd.GeoDataFrame(part, geometry="geometry", crs=4326)


def _key_counts(keys: _Keys) -> tuple[pd.DataFrame, int, dict[str, int]]:
    columns = _names((len(keys.table.columns) - 1) // 2)
    counts = keys.table.groupby(columns, sort=False).size().rename("count").reset_index()
    return counts, keys.rows, keys.missing


def _settings(
    spatial: str, temporal: TemporalBin, by: Sequence[str], missing: MissingPolicy
) -> dict[str, Any]:
    return {"spatial": spatial, "temporal": temporal, "by": tuple(by), "missing": missing}


def light_columns(frame: Any, by: Sequence[str]) -> Any:
    """The columns the strata need; ValueError for a ``by`` column the frame lacks."""
    for column in by:
        if column not in frame.columns:
            raise ValueError(
                f"by={column!r}: no such column in the items; "
                f"columns are {sorted(map(str, frame.columns))}"
            )
    if "geometry" not in frame.columns:
        raise TypeError("items is a dask frame without a 'geometry' column")
    wanted = ["geometry", *TIME_COLUMNS, *by]
    return frame[[c for c in dict.fromkeys(wanted) if c in frame.columns]]


def in_4326(frame: Any) -> Any:
    crs = getattr(frame, "crs", None)
    if crs is not None and crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _condense(
    summaries: Sequence[tuple[pd.DataFrame, int, dict[str, int]]],
    settings: dict[str, Any],
) -> tuple[Strata, pd.DataFrame, int]:
    """The strata of the whole frame, one row per key combination weighted by its count.

    Returns:
        The strata, the key table (key columns and ``stratum``) and the number of items.
    """
    by = settings["by"]
    labellers = axis_labellers(settings["spatial"], settings["temporal"], by)
    columns = _names(len(labellers))
    tables = [s[0] for s in summaries if len(s[0])] or [summaries[0][0]]
    table = pd.concat(tables, ignore_index=True)
    table = table.groupby(columns, sort=False)["count"].sum().reset_index()
    names = ["spatial", "temporal", *by]
    axes = [
        Axis(name, *factor_keys(table[f"k{i}"].to_numpy(), table[f"v{i}"].to_numpy(), label))
        for i, (name, label) in enumerate(zip(names, labellers, strict=True))
    ]
    stratum = combine_axes(axes) if len(table) else np.zeros(0, dtype=np.int64)
    missing = {key: sum(s[2][key] for s in summaries) for key in ("place", "time")}
    strata = Strata(
        axes,
        stratum,
        np.ones(len(table), dtype=bool),
        missing,
        settings["missing"],
        weights=table["count"].to_numpy(np.int64),
    )
    table["stratum"] = stratum
    return strata, table.drop(columns="count"), sum(s[1] for s in summaries)


def dask_strata(
    frame: Any,
    *,
    spatial: str,
    temporal: TemporalBin,
    by: Sequence[str],
    missing: MissingPolicy,
) -> Strata:
    """The strata of a dask frame, as :func:`compute_strata` would find them in memory.

    One row per occupied key combination, weighted by its count: what ``balance_report``
    and the quotas need.
    """
    from dask.base import compute
    from dask.delayed import delayed

    settings = _settings(spatial, temporal, by, missing)
    light = light_columns(in_4326(frame), settings["by"])
    tasks = [
        delayed(_key_counts)(delayed(_partition_keys)(part, settings))
        for part in light.to_delayed()
    ]
    return _condense(compute(*tasks), settings)[0]


def _candidates(
    keys: _Keys,
    lookup: pd.DataFrame,
    quota: np.ndarray,
    state: dict[str, Any],
    first: int,
) -> pd.DataFrame:
    """A partition's rows that may win: its ``quota`` smallest draws in each stratum."""
    from numpy.random import PCG64, Generator

    columns = _names((len(keys.table.columns) - 1) // 2)
    stratum = keys.table[columns].merge(lookup, on=columns, how="left")["stratum"].to_numpy()
    generator = PCG64()
    generator.state = state  # type: ignore[assignment]
    generator.advance(first)  # the in-memory draw's numbers for this partition's rows
    draws = Generator(generator).random(len(stratum))
    keep = smallest_draws(stratum, draws, quota)  # in row order: ties fall as in memory
    return pd.DataFrame(
        {"row": keys.table["row"].to_numpy()[keep], "stratum": stratum[keep], "draw": draws[keep]}
    )


def balance_dask(
    frame: Any,
    n: int | None,
    *,
    spatial: str,
    temporal: TemporalBin,
    by: Sequence[str],
    cap: int | None,
    strategy: Strategy,
    seed: int,
    missing: MissingPolicy,
    nested: bool,
) -> Any:
    """:func:`gaia_geo.balance` of a dask frame (see the module notes): a lazy dask frame."""
    from dask.base import compute, persist
    from dask.delayed import delayed

    check_counts(n, cap)
    settings = _settings(spatial, temporal, (by,) if isinstance(by, str) else by, missing)
    frame = in_4326(frame)
    light = light_columns(frame, settings["by"])
    keys = persist(*[delayed(_partition_keys)(part, settings) for part in light.to_delayed()])
    summaries = compute(*[delayed(_key_counts)(k) for k in keys])
    strata, lookup, total = _condense(summaries, settings)
    log_dropped(strata, total)
    rng = np.random.default_rng(seed)
    quota = stratum_quotas(strata, n, cap=cap, strategy=strategy, rng=rng, nested=nested)
    state = rng.bit_generator.state
    eligible = [int(s[0]["count"].sum()) for s in summaries]
    firsts = np.concatenate([[0], np.cumsum(eligible)[:-1]]).astype(int).tolist()
    found = compute(
        *[
            delayed(_candidates)(k, lookup, quota, state, first)
            for k, first in zip(keys, firsts, strict=True)
        ]
    )
    del keys
    starts = np.concatenate([[0], np.cumsum([s[1] for s in summaries])[:-1]]).astype(np.int64)
    pool = pd.concat(
        [f.assign(row=f["row"] + start) for f, start in zip(found, starts, strict=True)],
        ignore_index=True,
    )
    chosen = _winners(pool, quota)
    return _take(frame, chosen, starts)


def _winners(pool: pd.DataFrame, quota: np.ndarray) -> np.ndarray:
    """Sorted global rows of the candidates that rank within their stratum's quota."""
    stratum = pool["stratum"].to_numpy(np.int64)
    kept = smallest_draws(stratum, pool["draw"].to_numpy(), quota)
    return pool["row"].to_numpy(np.int64)[kept]


def _rows_of(part: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    return part.iloc[positions]


def _take(frame: Any, rows: np.ndarray, starts: np.ndarray) -> Any:
    """The rows at global positions ``rows`` (sorted) of a dask frame, lazily, in order."""
    import dask.config
    import dask.dataframe as dd
    from dask.delayed import delayed

    from ..stac._read_dask import take_rows

    fast = take_rows(frame, rows)  # a catalog's own partitions convert only the chosen rows
    if fast is not None:
        return fast

    bounds = np.searchsorted(rows, np.append(starts, np.iinfo(np.int64).max))
    pieces = [
        delayed(_rows_of)(part, rows[bounds[i] : bounds[i + 1]] - starts[i])
        for i, part in enumerate(frame.to_delayed())
        if bounds[i + 1] > bounds[i]
    ]
    if not pieces:
        pieces = [delayed(_rows_of)(frame.to_delayed()[0], np.zeros(0, dtype=np.int64))]
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(pieces, meta=frame._meta, verify_meta=False)
