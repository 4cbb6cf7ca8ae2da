"""Buffered splits for dense coverage: compact chunks of places go to splits, borders are dropped.

Where Items cover a region evenly (grid-sampled sets such as Major TOM, SkyScript or SSL4EO), the
neighbouring-cell blocks of :mod:`._split` chain into one block and no fractions can be met. Here,
as in spatial cross-validation with a buffer (blockCV's buffered folds; TorchGeo's
``random_grid_cell_assignment`` without a buffer), space is cut into chunks that go whole to one
split, and every Item closer than the block distance to an Item of another split is dropped, on
one side of each border. The guarantee of the unbuffered splits is kept for the Items that stay.

The chunks: the atomic units (Items joined by a shared H3 cell, a footprint spanning cells or a
near-duplicate image) sorted by the H3 index of their point at resolution 15, whose digit order
keeps the 7 children of every cell together, then cut into runs of about equal Item counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ._places import EARTH_RADIUS_KM, great_circle_km, unit_vectors

#: The great-circle buffer is widened by this factor: the sphere of mean radius is within 0.5% of
#: the WGS84 ellipsoid, and straight footprint edges in lon/lat bow a little between vertices.
_MARGIN = 1.01

#: Chunk counts tried; the one meeting the fractions with the fewest drops wins.
_CHUNK_COUNTS = (50, 100, 200, 400)

#: Re-weighting rounds that compensate for what the buffer drops.
_ROUNDS = 6


#: Shares this close to the fractions count as met; then the fewest drops win.
_GOOD = 0.01


@dataclass(frozen=True)
class BufferedSplit:
    """A buffered assignment.

    Attributes:
        index: split index per Item (0 train, 1 validate, 2 test), -1 where dropped.
        deviation: largest gap between the kept Items' shares and the requested fractions.
        chunks: the number of chunks space was cut into.
    """

    index: np.ndarray
    deviation: float
    chunks: int

    @property
    def dropped(self) -> int:
        """How many Items sit in a buffer and were dropped."""
        return int((self.index < 0).sum())


def _rank(found: BufferedSplit) -> tuple[float, int]:
    return max(found.deviation, _GOOD), found.dropped


def footprint_radii_km(geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Farthest vertex of each footprint from its point, km (0 for points and missing ones)."""
    radii = np.zeros(len(geoms))
    if len(geoms) == 0:
        return radii
    areal = np.flatnonzero(~shapely.is_missing(geoms) & (shapely.get_type_id(geoms) != 0))
    if len(areal) == 0:
        return radii
    coords, owner = shapely.get_coordinates(geoms[areal], return_index=True)
    rows = areal[owner]
    dist = great_circle_km(lon[rows], lat[rows], coords[:, 0], coords[:, 1])
    np.maximum.at(radii, rows, np.nan_to_num(dist))
    return radii


def _chord(km: np.ndarray | float) -> np.ndarray:
    angle = np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, np.pi)
    return np.asarray(2.0 * np.sin(angle / 2.0))


def close_pairs(
    lon: np.ndarray, lat: np.ndarray, radii: np.ndarray, distance_km: float
) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of Items that may be closer than ``distance_km``.

    Two Items count as close when the great-circle distance of their points is below
    ``distance_km`` (widened by 1%) plus both footprint radii: a bound that never misses a close
    pair of footprints and may add a few that are not.
    """
    from scipy.spatial import cKDTree

    located = np.flatnonzero(~np.isnan(lon))
    if len(located) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    reach = distance_km * _MARGIN
    xyz = unit_vectors(lon[located], lat[located])
    rad = radii[located]
    tree = cKDTree(xyz)
    small = rad <= reach
    found = [np.zeros((0, 2), dtype=np.int64)]
    if small.sum() >= 2:
        sub = np.flatnonzero(small)
        limit = float(_chord(reach + 2 * rad[sub].max()))
        pairs = cKDTree(xyz[sub]).query_pairs(limit, output_type="ndarray")
        found.append(sub[pairs])
    widest = float(rad.max())
    for i in np.flatnonzero(~small).tolist():  # few, large footprints: one query each
        hits = np.asarray(tree.query_ball_point(xyz[i], float(_chord(reach + rad[i] + widest))))
        hits = hits[(hits != i) & (small[hits] | (hits > i))]
        found.append(np.column_stack([np.full(len(hits), i), hits]).astype(np.int64))
    pairs = np.concatenate(found)
    a, b = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    gap = np.linalg.norm(xyz[a] - xyz[b], axis=1)  # chords grow with great-circle distance
    keep = gap < _chord(reach + rad[a] + rad[b])
    return np.column_stack([located[a[keep]], located[b[keep]]])


def _drop_borders(
    index: np.ndarray, pairs: np.ndarray, fractions: np.ndarray
) -> tuple[np.ndarray, float]:
    """Drop one side of every close pair across splits, the sides that best keep the fractions.

    For each of the three pairs of splits one side loses its border Items; of the 8 choices the
    one whose kept shares are nearest ``fractions`` (then the fewest drops) wins.
    """
    si, sj = index[pairs[:, 0]], index[pairs[:, 1]]
    cross = si != sj
    ends = pairs[cross]
    lo, hi = np.minimum(si[cross], sj[cross]), np.maximum(si[cross], sj[cross])
    low_end = np.where(si[cross] < sj[cross], ends[:, 0], ends[:, 1])
    high_end = np.where(si[cross] < sj[cross], ends[:, 1], ends[:, 0])
    best: tuple[float, int, np.ndarray] | None = None
    for choice in range(8):
        drop = np.zeros(len(index), dtype=bool)
        for bit, (s, t) in enumerate(((0, 1), (0, 2), (1, 2))):
            mine = (lo == s) & (hi == t)
            drop[(low_end if choice >> bit & 1 else high_end)[mine]] = True
        kept = index[~drop]
        shares = np.bincount(kept, minlength=3) / max(len(kept), 1)
        key = (float(np.abs(shares - fractions).max()), int(drop.sum()))
        if best is None or key < best[:2]:
            best = (*key, drop)
    assert best is not None
    out = index.copy()
    out[best[2]] = -1
    return out, best[0]


def _chunk_of(keys: np.ndarray, units: np.ndarray, chunks: int) -> np.ndarray:
    """Chunk id per Item: units in key order, cut into ``chunks`` runs of about equal size."""
    n_units = int(units.max()) + 1
    unit_key = np.full(n_units, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(unit_key, units, keys)
    order = np.argsort(unit_key, kind="stable")
    sizes = np.bincount(units, minlength=n_units)[order]
    before = np.cumsum(sizes) - sizes
    chunk = np.empty(n_units, dtype=np.int64)
    chunk[order] = np.minimum(before * chunks // max(len(units), 1), chunks - 1)
    return np.asarray(np.unique(chunk[units], return_inverse=True)[1], dtype=np.int64).ravel()


def buffered_assignment(
    lon: np.ndarray,
    lat: np.ndarray,
    radii: np.ndarray,
    units: np.ndarray,
    fractions: np.ndarray,
    distance_km: float,
    seed: int,
) -> BufferedSplit:
    """Assign chunks of space to splits and drop the Items in the buffer at their borders.

    Args:
        lon: longitude of each Item's point (NaN for an Item placed only through its unit).
        lat: latitude of each Item's point.
        radii: footprint radius per Item, km (see :func:`footprint_radii_km`).
        units: atomic unit per Item (dense ids): Items of one unit always share a split.
        fractions: train, validate, test shares.
        distance_km: no two kept Items closer than this are in different splits.
        seed: random seed of the chunk assignment.

    Returns:
        The best assignment over the chunk counts tried, re-weighted so that the kept Items
        reach ``fractions``.
    """
    import h3.api.numpy_int as h3int

    from ._split import assign_blocks

    keys = np.full(len(lon), np.iinfo(np.uint64).max, dtype=np.uint64)  # placeless: unit's key
    for i in np.flatnonzero(~np.isnan(lon)).tolist():
        keys[i] = h3int.latlng_to_cell(float(lat[i]), float(lon[i]), 15)
    pairs = close_pairs(lon, lat, radii, distance_km)
    best: BufferedSplit | None = None
    for chunks in _CHUNK_COUNTS:
        if chunks > int(units.max()) + 1 and best is not None:
            break
        chunk = _chunk_of(keys, units, chunks)
        weights = fractions.copy()
        for _ in range(_ROUNDS):
            index = assign_blocks(chunk, weights, np.random.default_rng(seed))
            index, deviation = _drop_borders(index, pairs, fractions)
            found = BufferedSplit(index, deviation, chunks)
            if best is None or _rank(found) < _rank(best):
                best = found
            if deviation <= _GOOD:
                break
            kept = index[index >= 0]
            shares = np.bincount(kept, minlength=3) / max(len(kept), 1)
            weights = np.where(shares > 0, weights * fractions / np.maximum(shares, 1e-9), weights)
            weights = np.where(fractions > 0, weights, 0.0)
            weights = weights / weights.sum()
    assert best is not None
    return best
