"""Leak-free splits: spatial blocks grown over neighbouring H3 cells, then assigned to splits.

Each item touches one or more H3 cells (its point, or every cell its footprint overlaps). A graph
joins each item to its cells and each occupied cell to its occupied neighbours (and, optionally,
near-duplicate images to each other); its connected components are the blocks, and whole blocks
go to one split. Two points less than one H3 edge apart lie in the same or in adjacent cells, so
no two items closer than :func:`block_distance_km` land in different splits.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..stac._read_dask import is_dask
from ._buffer import buffered_assignment, footprint_radii_km
from ._dedup import near_duplicate_pairs, perceptual_hashes
from ._frame import (
    BalanceWarning,
    ItemsLike,
    item_times,
    load_items,
    representative_points,
)
from ._strata import parse_spatial

logger = logging.getLogger(__name__)

SPLIT_COLUMN = "ml-aoi:split"
SPLIT_NAMES = ("train", "validate", "test")

#: Whole blocks that miss the fractions by more than this fall back to a buffered split.
TOLERANCE = 0.02

#: A buffered split that would drop more than this share of the located Items is not used.
MAX_DROPPED = 0.25

#: Shortest H3 cell edge, km, per resolution (measured over every cell with h3 4.x for 0-4).
_MIN_EDGE_KM = {0: 1195.57, 1: 380.10, 2: 141.05, 3: 49.22, 4: 19.49}


def block_distance_km(block: str) -> float:
    """The distance below which two items always share a split, for an H3 block spec.

    It is 95% of the shortest H3 edge at that resolution (measured for resolutions 0-4; for finer
    ones 0.65 x the average edge, below the 0.71-0.93 ratio measured at 0-4).

    Raises:
        ValueError: ``block`` is not ``"h3:<res>"``.
    """
    kind, param = parse_spatial(block)
    if kind != "h3":
        raise ValueError(f"block={block!r}: split blocks must be H3 cells, e.g. 'h3:3'")
    import h3

    res = int(param)
    edge = _MIN_EDGE_KM.get(res, 0.65 * h3.average_hexagon_edge_length(res, unit="km"))
    return 0.95 * edge


def _item_cells(
    geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray, res: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (item row, H3 cell) for every cell an item's point or footprint touches."""
    import h3
    import h3.api.numpy_int as h3int

    rows: list[int] = []
    cells: list[int] = []
    to_cell = h3int.latlng_to_cell
    for i in np.flatnonzero(~np.isnan(lon)).tolist():
        rows.append(i)
        cells.append(int(to_cell(float(lat[i]), float(lon[i]), res)))
    kinds = shapely.get_type_id(geoms)
    areal = np.flatnonzero(np.isin(kinds, (3, 6)) & ~np.isnan(lon))
    for i in areal.tolist():
        geom = geoms[i]
        minx, _, maxx, _ = geom.bounds
        if maxx - minx > 180.0:  # an unsplit antimeridian footprint: its vertices stand in
            coords = shapely.get_coordinates(geom)
            found = {int(to_cell(float(y), float(x), res)) for x, y in coords}
        else:
            shape = h3.geo_to_h3shape(shapely.geometry.mapping(geom))
            found = {int(c) for c in h3int.h3shape_to_cells_experimental(shape, res, "overlap")}
        rows.extend([i] * len(found))
        cells.extend(found)
    return np.asarray(rows, dtype=np.int64), np.asarray(cells, dtype=np.uint64)


def _neighbour_pairs(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of indices into ``cells`` (unique) of cells that are H3 neighbours."""
    import h3.api.numpy_int as h3int

    index = {int(c): i for i, c in enumerate(cells.tolist())}
    a: list[int] = []
    b: list[int] = []
    for i, cell in enumerate(cells.tolist()):
        for other in h3int.grid_disk(cell, 1).tolist():
            j = index.get(int(other))
            if j is not None and j > i:
                a.append(i)
                b.append(j)
    return np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)


def spatial_blocks(
    frame: pd.DataFrame,
    block: str = "h3:3",
    *,
    extra_pairs: np.ndarray | None = None,
    skip_cells: np.ndarray | None = None,
    neighbours: bool = True,
) -> np.ndarray:
    """Block id per item: connected components of items, their cells and neighbouring cells.

    Args:
        frame: the items.
        block: ``"h3:<res>"``.
        extra_pairs: more ``(i, j)`` item pairs that must share a block (near-duplicates).
        skip_cells: mask of items whose cells are ignored (they join blocks only by extra pairs).
        neighbours: join occupied neighbouring cells; without, the components are the atomic
            units of a buffered split (items sharing a cell, a footprint or an image).

    Returns:
        A dense ``int64`` block id per row.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    kind, param = parse_spatial(block)
    if kind != "h3":
        raise ValueError(f"block={block!r}: split blocks must be H3 cells, e.g. 'h3:3'")
    n = len(frame)
    lon, lat = representative_points(load_items(frame))
    if skip_cells is not None:
        lon = np.where(skip_cells, np.nan, lon)
    geoms = np.asarray(frame.geometry.array, dtype=object)
    rows, cells = _item_cells(geoms, lon, lat, int(param))
    unique, cell_index = np.unique(cells, return_inverse=True)
    if neighbours:
        na, nb = _neighbour_pairs(unique)
    else:
        na = nb = np.zeros(0, dtype=np.int64)
    extra = np.zeros((0, 2), dtype=np.int64) if extra_pairs is None else extra_pairs
    src = np.concatenate([rows, n + na, extra[:, 0]])
    dst = np.concatenate([n + cell_index.ravel(), n + nb, extra[:, 1]])
    size = n + len(unique)
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(size, size))
    _, labels = connected_components(graph.tocsr(), directed=False)
    return pd.factorize(labels[:n])[0].astype(np.int64)


def assign_blocks(
    blocks: np.ndarray, fractions: Sequence[float] | np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Split index per item so whole blocks go to one split, near the requested fractions.

    Blocks of more than one item go first, largest first (random order among equals), each to the
    split furthest below its target; single items then fill the remaining gaps at random.
    """
    n = len(blocks)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    sizes = np.bincount(blocks)
    target = np.asarray(fractions, dtype=np.float64) * n
    current = np.zeros(len(target))
    shuffled = rng.permutation(len(sizes))
    order = shuffled[np.argsort(-sizes[shuffled], kind="stable")]
    choice = np.zeros(len(sizes), dtype=np.int64)
    multi = order[sizes[order] > 1]
    for block in multi.tolist():
        k = int(np.argmax(target - current))
        choice[block] = k
        current[k] += sizes[block]
    singles = order[sizes[order] == 1]
    if len(singles):
        gap = np.maximum(target - current, 0.0)
        share = (gap / gap.sum() if gap.sum() > 0 else target / n) * len(singles)
        counts = np.floor(share).astype(np.int64)
        spare = len(singles) - int(counts.sum())
        counts[np.argsort(-(share - counts), kind="stable")[:spare]] += 1
        choice[rng.permutation(singles)] = np.repeat(np.arange(len(target)), counts)
    return choice[blocks]


def _placeless_splits(
    blocks: np.ndarray,
    existing: np.ndarray,
    fractions: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Split index for blocks of Items without a location: their own label, else drawn.

    A block keeps the label of its first labelled Item; blocks without one are drawn by the
    fractions (exact counts, as single Items fill gaps in :func:`assign_blocks`).

    Returns:
        The split index per Item and how many Items were drawn.
    """
    dense = pd.factorize(blocks)[0]
    labelled = pd.Series(existing).groupby(dense).first().reindex(range(dense.max() + 1))
    label = labelled.to_numpy()[dense]
    index = np.full(len(blocks), -1, dtype=np.int64)
    known = pd.notna(label)
    index[known] = [SPLIT_NAMES.index(str(v)) for v in label[known]]
    drawn = ~known
    if drawn.any():
        index[drawn] = assign_blocks(pd.factorize(dense[drawn])[0], fractions, rng)
    return index, int(drawn.sum())


def _existing_labels(frame: pd.DataFrame, allowed: Sequence[str]) -> np.ndarray:
    """The Items' current ``ml-aoi:split`` where it is one of ``allowed``, else None."""
    if SPLIT_COLUMN not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[SPLIT_COLUMN].to_numpy(dtype=object)
    return np.asarray([v if v in allowed else None for v in values], dtype=object)


def _assign_located(
    frame: gpd.GeoDataFrame,
    rows: np.ndarray,
    blocks: np.ndarray,
    fractions: np.ndarray,
    *,
    block: str,
    seed: int,
    buffer: bool | None,
    units: Callable[[], np.ndarray],
) -> tuple[np.ndarray, int]:
    """Split index of the located Items ``rows`` (-1 where a buffer drops one), and the chunks.

    The chunk count is 0 when whole blocks were used.

    Whole blocks first; if they miss the fractions by more than 2 points (or ``buffer`` is
    True), the buffered assignment of :mod:`._buffer`, kept when it comes closer and drops at
    most :data:`MAX_DROPPED` of the Items.
    """
    rng = np.random.default_rng(seed)
    whole = assign_blocks(pd.factorize(blocks[rows])[0], fractions, rng)
    miss = float(np.abs(np.bincount(whole, minlength=3) / max(len(rows), 1) - fractions).max())
    if buffer is False or len(rows) < 2 or (buffer is None and miss <= TOLERANCE):
        return whole, 0
    lon, lat = representative_points(frame.iloc[rows])
    geoms = np.asarray(frame.geometry.array, dtype=object)[rows]
    found = buffered_assignment(
        lon,
        lat,
        footprint_radii_km(geoms, lon, lat),
        pd.factorize(units()[rows])[0],
        fractions,
        block_distance_km(block),
        seed,
    )
    logger.info(
        "split: whole blocks missed the fractions by %.3f; a buffer of %d chunks misses by %.3f "
        "and drops %d of %d items",
        miss,
        found.chunks,
        found.deviation,
        found.dropped,
        len(rows),
    )
    if buffer or (found.deviation < miss and found.dropped <= MAX_DROPPED * len(rows)):
        return found.index, found.chunks
    return whole, 0


def check_fractions(fractions: Sequence[float]) -> np.ndarray:
    """The train, validate, test shares as an array; ValueError unless three summing to 1."""
    weights = np.asarray(list(fractions), dtype=np.float64)
    if weights.shape != (3,) or (weights < 0).any() or not math.isclose(weights.sum(), 1.0):
        raise ValueError(
            f"fractions={tuple(fractions)!r} must be three non-negative shares "
            "(train, validate, test) summing to 1"
        )
    return weights


def split(
    items: ItemsLike,
    fractions: Sequence[float] = (0.7, 0.1, 0.2),
    *,
    block: str = "h3:3",
    seed: int = 0,
    temporal_holdout: str | pd.Timestamp | None = None,
    phash: int | None = None,
    buffer: bool | None = None,
) -> gpd.GeoDataFrame:
    """Assign ``ml-aoi:split`` (train / validate / test) without leaking a place across splits.

    No two located Items closer than ``block_distance_km(block)`` (about 47 km for ``h3:3``)
    are in different splits. Items are first grouped into blocks: the H3 cells (``block``) their
    points or footprints touch, merged with every occupied neighbouring cell, and whole blocks go
    to one split. Where coverage is dense the blocks chain into a few large ones and the
    fractions cannot be met; then space is cut into compact chunks that go to splits, and the
    Items within that distance of an Item of another split are dropped on one side of each
    border (their ``ml-aoi:split`` is None: they stay in the catalog, unsplit). A BalanceWarning
    says when the fractions are still missed by more than 5 points.

    Items without a location (null geometry, as in RSICD-like benchmarks) cannot leak across
    space: they keep an existing ``ml-aoi:split``, and those without one are drawn at random
    by the fractions, with a BalanceWarning that counts them.

    Args:
        items: a frame as ``gaia_geo.read_catalog`` returns it, or a catalog path; or a
            dask-geopandas frame: its geometry and dates are gathered and split in memory, and
            a lazy dask frame with the labels comes back (the whole rows stay in partitions).
        fractions: train, validate, test shares (non-negative, summing to 1).
        block: ``"h3:<res>"``, the block cell size.
        seed: random seed; the same seed and input give the same splits.
        temporal_holdout: a date (``"2022-01-01"``); items on or after it form the test split,
            and the rest is split into train and validate by blocks (in the ratio of their
            fractions). Places seen in training may then reappear, later, in the test split.
        phash: if set, near-duplicate images (perceptual hashes of the local image assets at most
            this many bits apart, 0 = identical hash) share a split, whatever their place.
        buffer: ``None`` (default) drops border Items only when whole blocks miss the fractions
            by more than 2 points and the buffer comes closer dropping at most a quarter of the
            Items; ``True`` always uses the buffer; ``False`` never drops an Item.

    Returns:
        A copy of the items (a GeoDataFrame) with the ``ml-aoi:split`` column set (None for the
        dropped Items). ``attrs["gaia:split"]`` holds ``block``, ``min_distance_km``, ``blocks``,
        ``method`` (``blocks`` or ``buffered``), ``chunks`` (0 for whole blocks), ``dropped``,
        ``no_location``, ``no_location_drawn`` and the kept Items' ``fractions``.

    Raises:
        ValueError: bad fractions, block or holdout.
    """
    weights = check_fractions(fractions)
    if is_dask(items):
        from ._dask_gather import split_dask

        return split_dask(
            items,
            fractions,
            block=block,
            seed=seed,
            temporal_holdout=temporal_holdout,
            phash=phash,
            buffer=buffer,
        )
    frame = load_items(items).copy()
    rng = np.random.default_rng(seed)
    pairs = None
    if phash is not None:
        pairs = near_duplicate_pairs(perceptual_hashes(frame), int(phash))
        logger.info("split: %d near-duplicate image pairs share a split", len(pairs))
    held = np.zeros(len(frame), dtype=bool)
    pool = weights
    if temporal_holdout is not None:
        cutoff = pd.Timestamp(temporal_holdout)
        cutoff = cutoff.tz_localize("UTC") if cutoff.tzinfo is None else cutoff.tz_convert("UTC")
        held = (item_times(frame) >= cutoff).to_numpy()
        rest = weights[:2] / weights[:2].sum() if weights[:2].sum() > 0 else np.array([1.0, 0.0])
        pool = np.append(rest, 0.0)
    blocks = spatial_blocks(frame, block, extra_pairs=pairs, skip_cells=held)
    located = ~np.isnan(representative_points(frame)[0])
    index = np.full(len(frame), 2, dtype=np.int64)  # the held-out blocks stay in test
    in_test = np.isin(blocks, np.unique(blocks[held]))
    has_place = np.bincount(blocks, weights=located, minlength=int(blocks.max(initial=-1)) + 1)
    placeless = ~in_test & (has_place[blocks] == 0)
    rows = np.flatnonzero(~in_test & ~placeless)
    chunks = 0
    if len(rows):
        index[rows], chunks = _assign_located(
            frame,
            rows,
            blocks,
            pool,
            block=block,
            seed=seed,
            buffer=buffer,
            units=lambda: spatial_blocks(
                frame, block, extra_pairs=pairs, skip_cells=held, neighbours=False
            ),
        )
    drawn = 0
    if placeless.any():
        allowed = [n for n, w in zip(SPLIT_NAMES, pool, strict=True) if w > 0]
        existing = _existing_labels(frame, allowed)[placeless]
        index[placeless], drawn = _placeless_splits(blocks[placeless], existing, pool, rng)
        if drawn:
            warnings.warn(
                f"split: {drawn} Items have no location (null geometry) and no ml-aoi:split; "
                f"they were drawn at random by the fractions {np.round(pool, 3).tolist()} "
                "(without a place they cannot leak across space)",
                BalanceWarning,
                stacklevel=2,
            )
    labels = np.asarray((*SPLIT_NAMES, None), dtype=object)[index]  # -1: dropped, None
    frame[SPLIT_COLUMN] = labels
    if "collection" in frame.columns and (index < 0).any():
        # a dropped Item leaves its old split's Collection: write_catalog files it as unsplit
        frame["collection"] = frame["collection"].where(index >= 0, None)
    kept = index[index >= 0]
    achieved = np.bincount(kept, minlength=3) / max(len(kept), 1)
    spatial = index[rows][index[rows] >= 0]  # what the blocks decided
    by_place = np.bincount(spatial, minlength=3) / max(len(spatial), 1)
    if temporal_holdout is None and len(spatial) and np.abs(by_place - weights).max() > 0.05:
        warnings.warn(
            f"split: blocks of {block} gave fractions {np.round(by_place, 3).tolist()} instead of "
            f"{weights.tolist()}, even with a buffer dropping up to "
            f"{MAX_DROPPED:.0%} of the items: they sit in too few separate places for these "
            "fractions; a finer block (a larger H3 resolution) shortens the distance kept apart",
            BalanceWarning,
            stacklevel=2,
        )
    frame.attrs["gaia:split"] = {
        "block": block,
        "min_distance_km": block_distance_km(block),
        "blocks": int(blocks.max()) + 1 if len(blocks) else 0,
        "method": "buffered" if chunks else "blocks",
        "chunks": chunks,
        "dropped": int((index < 0).sum()),
        "no_location": int(placeless.sum()),
        "no_location_drawn": drawn,
        "fractions": achieved.tolist(),
    }
    return frame
