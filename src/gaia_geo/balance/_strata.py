"""Strata: a spatial cell x a temporal bin x optional extra columns, computed vectorised.

Spatial specs: ``"h3:<res>"`` (H3 cell at resolution 0-15), ``"grid:<km>"`` (a near-equal-area grid
of latitude rows ``km`` tall, each split into as many columns as fit ``km`` wide at the row's
centre, as Major TOM does), ``"country"``, ``"continent"`` and ``"none"``. Temporal bins:
``"year"``, ``"month"`` (year-month), ``"season"`` (meteorological, flipped south of the equator),
``"decade"`` and ``"none"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ._frame import item_times, representative_points
from ._places import EARTH_RADIUS_KM, UNKNOWN, continents_of, nearest_country

TemporalBin = Literal["year", "month", "season", "decade", "none"]
MissingPolicy = Literal["drop", "unknown"]

_SPATIAL = re.compile(
    r"^(?:h3:(?P<res>\d{1,2})|grid:(?P<km>\d+(?:\.\d+)?)|country|continent|none)$"
)
_SEASONS = np.array(["winter", "spring", "summer", "autumn"], dtype=object)
_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0


def parse_spatial(spec: str) -> tuple[str, float]:
    """Split a spatial spec into its kind and parameter (``("h3", 2.0)``, ``("country", 0.0)``).

    Raises:
        ValueError: the spec is not one of the supported forms.
    """
    match = _SPATIAL.match(spec) if isinstance(spec, str) else None
    if match is None:
        raise ValueError(
            f"spatial={spec!r} is not supported; use 'h3:<0-15>', 'grid:<km>', 'country', "
            "'continent' or 'none'"
        )
    if match.group("res") is not None:
        res = int(match.group("res"))
        if res > 15:
            raise ValueError(f"spatial={spec!r}: H3 resolution must be 0-15")
        return "h3", float(res)
    if match.group("km") is not None:
        km = float(match.group("km"))
        if km <= 0:
            raise ValueError(f"spatial={spec!r}: the grid size must be positive")
        return "grid", km
    return spec, 0.0


@dataclass
class Axis:
    """One stratification axis: a dense code per row and a label per code."""

    name: str
    codes: np.ndarray
    labels: np.ndarray


@dataclass
class Strata:
    """The strata of the eligible rows of a frame.

    Attributes:
        axes: ``spatial``, ``temporal``, then one per extra column; codes per eligible row.
        stratum: the joint stratum (dense code) per eligible row.
        eligible: mask over all rows of the frame: rows that take part (not dropped).
        missing: how many rows lack a place (``place``) or a time (``time``).
        policy: what was done with them (``drop`` or ``unknown``).
        weights: how many items each row stands for (``None``: one each); a catalog too large
            to hold row by row is summed up as one row per stratum weighted by its count.
    """

    axes: list[Axis]
    stratum: np.ndarray
    eligible: np.ndarray
    missing: dict[str, int] = field(default_factory=dict)
    policy: MissingPolicy = "drop"
    weights: np.ndarray | None = None

    @property
    def n_strata(self) -> int:
        """Number of occupied joint strata."""
        return int(self.stratum.max()) + 1 if len(self.stratum) else 0

    def counts(self) -> np.ndarray:
        """Items per joint stratum."""
        return self.axis_counts(self.stratum, self.n_strata)

    def axis_counts(self, codes: np.ndarray, size: int) -> np.ndarray:
        """Items per code of ``codes`` (an axis's codes, or the joint stratum), as int64."""
        if self.weights is None:
            return np.bincount(codes, minlength=size)
        return np.bincount(codes, weights=self.weights, minlength=size).astype(np.int64)

    def stratum_labels(self) -> np.ndarray:
        """A label per joint stratum: the axis labels joined by ``" | "``."""
        if not len(self.stratum):
            return np.array([], dtype=object)
        _, first = np.unique(self.stratum, return_index=True)
        parts = [axis.labels[axis.codes[first]].astype(str) for axis in self.axes]
        joined = parts[0].astype(object)
        for part in parts[1:]:
            joined = joined + " | " + part
        return joined


def factor_keys(
    keys: np.ndarray, valid: np.ndarray, label: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Codes in key order (unknown, where not ``valid``, last) and a label per code."""
    codes = np.full(len(valid), -1, dtype=np.int64)
    found, uniques = pd.factorize(keys[valid], sort=True)
    codes[valid] = found
    labels = np.asarray(label(np.asarray(uniques)), dtype=object)
    if not valid.all():
        codes[~valid] = len(labels)
        labels = np.append(labels, UNKNOWN).astype(object)
    return codes, labels


def _h3_keys(lon: np.ndarray, lat: np.ndarray, res: int) -> np.ndarray:
    import h3.api.numpy_int as h3int

    to_cell = h3int.latlng_to_cell
    cells = [to_cell(y, x, res) for y, x in zip(lat.tolist(), lon.tolist(), strict=True)]
    return np.asarray(cells, dtype=np.uint64).astype(np.int64)


def _h3_labels(keys: np.ndarray) -> np.ndarray:
    import h3

    return np.array([h3.int_to_str(int(k)) for k in keys], dtype=object)


def grid_cells(lon: np.ndarray, lat: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of a near-equal-area grid with cells about ``km`` x ``km``."""
    dlat = km / _KM_PER_DEGREE
    n_rows = max(1, math.ceil(180.0 / dlat))
    row = np.clip(np.floor((lat + 90.0) / dlat), 0, n_rows - 1).astype(np.int64)
    centre = np.minimum(-90.0 + (row + 0.5) * dlat, 90.0)
    width_km = 360.0 * np.cos(np.radians(centre)) * _KM_PER_DEGREE
    n_cols = np.maximum(1, np.floor(width_km / km)).astype(np.int64)
    col = np.floor((lon + 180.0) / 360.0 * n_cols).astype(np.int64)
    return row, np.clip(col, 0, n_cols - 1)


def _all(uniques: np.ndarray) -> np.ndarray:
    return np.full(len(uniques), "all", dtype=object)


def _same(uniques: np.ndarray) -> np.ndarray:
    return uniques


def _grid_labels(uniques: np.ndarray) -> np.ndarray:
    return np.array([f"r{k >> 32}c{k & 0xFFFFFFFF}" for k in uniques.tolist()], dtype=object)


def _year_labels(uniques: np.ndarray) -> np.ndarray:
    return uniques.astype(str)


def _decade_labels(uniques: np.ndarray) -> np.ndarray:
    return np.char.add(uniques.astype(str), "s")


def _month_labels(uniques: np.ndarray) -> np.ndarray:
    return np.array([f"{k // 100}-{k % 100:02d}" for k in uniques.tolist()], dtype=object)


def _season_labels(uniques: np.ndarray) -> np.ndarray:
    return _SEASONS[uniques]


_TEMPORAL_LABELS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "none": _all,
    "year": _year_labels,
    "decade": _decade_labels,
    "month": _month_labels,
    "season": _season_labels,
}


def axis_labellers(
    spatial: str, temporal: TemporalBin, by: Sequence[str]
) -> list[Callable[[np.ndarray], np.ndarray]]:
    """Per axis (spatial, temporal, each ``by``), the labels of its sorted valid keys.

    Raises:
        ValueError: an unsupported spec or bin.
    """
    kind, _ = parse_spatial(spatial)
    if temporal not in _TEMPORAL_LABELS:
        raise ValueError(
            f"temporal={temporal!r} is not supported; use 'year', 'month', 'season', 'decade' "
            "or 'none'"
        )
    place = {"none": _all, "h3": _h3_labels, "grid": _grid_labels}.get(kind, _same)
    return [place, _TEMPORAL_LABELS[temporal], *[_same for _ in by]]


def _spatial_keys(
    lon: np.ndarray, lat: np.ndarray, valid: np.ndarray, kind: str, param: float
) -> np.ndarray:
    n = len(lon)
    x = np.where(valid, lon, 0.0)
    y = np.where(valid, lat, 0.0)
    if kind == "none":
        return np.zeros(n, dtype=np.int64)
    if kind == "h3":
        keys = np.zeros(n, dtype=np.int64)
        keys[valid] = _h3_keys(x[valid], y[valid], int(param))
        return keys
    if kind == "grid":
        row, col = grid_cells(x, y, param)
        return np.where(valid, row * (1 << 32) + col, 0)
    places = np.full(n, "", dtype=object)
    places[valid] = nearest_country(x[valid], y[valid])
    if kind == "continent":
        places[valid] = continents_of(places[valid])
    return places


def spatial_axis(lon: np.ndarray, lat: np.ndarray, valid: np.ndarray, spatial: str) -> Axis:
    """The spatial cells of points (``valid``: those with a place), numbered in key order."""
    kind, param = parse_spatial(spatial)
    keys = _spatial_keys(lon, lat, valid, kind, param)
    return Axis("spatial", *factor_keys(keys, valid, axis_labellers(spatial, "none", ())[0]))


def _temporal_keys(times: pd.Series, lat: np.ndarray, temporal: TemporalBin) -> np.ndarray:
    if temporal == "none":
        return np.zeros(len(times), dtype=np.int64)
    year = times.dt.year.fillna(0).to_numpy(dtype=np.int64)
    month = times.dt.month.fillna(1).to_numpy(dtype=np.int64)
    if temporal == "year":
        return year
    if temporal == "decade":
        return year // 10 * 10
    if temporal == "month":
        return year * 100 + month
    season = (month % 12) // 3
    return np.where(np.nan_to_num(lat, nan=1.0) < 0, (season + 2) % 4, season)


def first_value(value: object) -> str:
    """The stratum label of a ``by`` value: a list's first element, ``unknown`` for none."""
    if isinstance(value, list | tuple | np.ndarray):
        value = value[0] if len(value) else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    return str(value)


def _column_keys(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        raise ValueError(
            f"by={column!r}: no such column in the items; "
            f"columns are {sorted(map(str, frame.columns))}"
        )
    return np.array([first_value(v) for v in frame[column].tolist()], dtype=object)


def _compact(axis: Axis) -> Axis:
    used, codes = np.unique(axis.codes, return_inverse=True)
    return Axis(axis.name, codes.astype(np.int64).ravel(), axis.labels[used])


def combine_axes(axes: Sequence[Axis]) -> np.ndarray:
    """The joint stratum per row: the axis codes' combinations, numbered in their order."""
    sizes = [len(axis.labels) for axis in axes]
    if math.prod(sizes) < (1 << 62):
        combined = np.zeros(len(axes[0].codes), dtype=np.int64)
        for axis, size in zip(axes, sizes, strict=True):
            combined = combined * size + axis.codes
        return pd.factorize(combined, sort=True)[0].astype(np.int64)
    table = pd.DataFrame({str(i): axis.codes for i, axis in enumerate(axes)})
    return table.groupby(list(table.columns), sort=True).ngroup().to_numpy(np.int64)


@dataclass
class StratumKeys:
    """The raw stratum keys of every item, before they are numbered.

    Attributes:
        names: the axis names (``spatial``, ``temporal``, then each ``by`` column).
        keys: per axis, a sortable key per row (H3 cell, year, country, label...).
        valid: per axis, the rows whose key is known (the others are ``unknown``).
        eligible: rows that take part (not dropped for lack of a place or time).
        missing: how many rows lack a place (``place``) or a time (``time``).
    """

    names: list[str]
    keys: list[np.ndarray]
    valid: list[np.ndarray]
    eligible: np.ndarray
    missing: dict[str, int]


def stratum_keys(
    frame: pd.DataFrame,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
    missing: MissingPolicy = "drop",
    points: tuple[np.ndarray, np.ndarray] | None = None,
) -> StratumKeys:
    """The keys :func:`compute_strata` numbers, row by row: they need no other row.

    A chunk of a catalog gives the same keys alone as within the whole, so a partitioned
    catalog is stratified partition by partition (see :func:`compute_strata` for the args).

    Raises:
        ValueError: an unsupported spec, bin, policy or column.
    """
    kind, param = parse_spatial(spatial)
    axis_labellers(spatial, temporal, by)  # checks the temporal bin
    if missing not in ("drop", "unknown"):
        raise ValueError(f"missing={missing!r} is not supported; use 'drop' or 'unknown'")
    lon, lat = points if points is not None else representative_points(frame)
    times = item_times(frame)
    has_place = ~(np.isnan(lon) | np.isnan(lat))
    has_time = times.notna().to_numpy()
    uses_place = kind != "none"
    uses_time = temporal != "none"
    everyone = np.ones(len(frame), dtype=bool)
    eligible = everyone.copy()
    if missing == "drop":
        if uses_place:
            eligible &= has_place
        if uses_time:
            eligible &= has_time
    return StratumKeys(
        names=["spatial", "temporal", *by],
        keys=[
            _spatial_keys(lon, lat, has_place, kind, param),
            _temporal_keys(times, lat, temporal),
            *[_column_keys(frame, column) for column in by],
        ],
        valid=[
            has_place if uses_place else everyone,
            has_time if uses_time else everyone,
            *[everyone for _ in by],
        ],
        eligible=eligible,
        missing={
            "place": int((~has_place).sum()) if uses_place else 0,
            "time": int((~has_time).sum()) if uses_time else 0,
        },
    )


def compute_strata(
    frame: pd.DataFrame,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
    missing: MissingPolicy = "drop",
    points: tuple[np.ndarray, np.ndarray] | None = None,
) -> Strata:
    """Compute the strata of every item of ``frame``.

    Args:
        frame: the items (see ``gaia_geo.read_catalog``).
        spatial: the spatial cell spec.
        temporal: the temporal bin.
        by: extra columns; list values (``gaia:tags``) stratify by their first element.
        missing: ``"drop"`` leaves items without a place/time (for the axes in use) out;
            ``"unknown"`` gives them an ``unknown`` cell or bin.
        points: precomputed representative points ``(lon, lat)``.

    Raises:
        ValueError: an unsupported spec, bin, policy or column.
    """
    if isinstance(by, str):
        by = (by,)
    found = stratum_keys(
        frame, spatial=spatial, temporal=temporal, by=by, missing=missing, points=points
    )
    labellers = axis_labellers(spatial, temporal, by)
    axes = [
        Axis(name, *factor_keys(keys, valid, label))
        for name, keys, valid, label in zip(
            found.names, found.keys, found.valid, labellers, strict=True
        )
    ]
    eligible = found.eligible
    if not eligible.all():  # keep only the categories the remaining rows occupy
        axes = [_compact(Axis(a.name, a.codes[eligible], a.labels)) for a in axes]
    stratum = combine_axes(axes) if len(axes[0].codes) else np.zeros(0, dtype=np.int64)
    return Strata(axes, stratum, eligible, found.missing, missing)
