"""Figures of a catalog (matplotlib, no pyplot state): maps, histograms, bars, balance.

Every ``plot_*`` function returns a ``matplotlib.figure.Figure``; :func:`render_figures` writes
them all as PNGs. Coastlines come from the bundled Natural Earth 1:110m polygons (offline).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._atomic import atomic_write_bytes
from ..stac._read_dask import is_dask
from ._frame import ItemsLike, item_times, load_items, representative_points
from ._metrics import balance_report
from ._places import land_polygons
from ._strata import TemporalBin

SPLIT_COLOURS = {
    "train": "#1f77b4",
    "validate": "#ff7f0e",
    "test": "#2ca02c",
    "unsplit": "#7f7f7f",
}

#: The columns the figures read (besides the geometry).
FIGURE_COLUMNS = (
    "datetime",
    "start_datetime",
    "end_datetime",
    "ml-aoi:split",
    "constellation",
    "platform",
    "gaia:resolution_class",
    "gaia:geometry_kind",
)

RESOLUTION_ORDER = ("unknown", "Low", "Moderate", "High", "Very High")

#: How each ``gaia:geometry_kind`` is drawn on the split map: legend label, marker, polygon style.
GEOMETRY_KINDS = {
    "footprint": ("image footprint", "s", "filled"),
    "place": ("place extent (not a footprint)", "o", "dashed"),
    "point": ("point only", "^", "none"),
}


def _figure(width: float = 10.0, height: float = 5.2) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _world(ax: Any) -> None:
    land = land_polygons()
    land.plot(ax=ax, color="#ecebe4", edgecolor="#9a9a92", linewidth=0.4, zorder=0)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xticks(np.arange(-180, 181, 60))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.grid(color="#d0d0d0", linewidth=0.4, zorder=-1)
    ax.set_aspect("equal")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")


def _geometry_kinds(frame: pd.DataFrame) -> pd.Series:
    """``gaia:geometry_kind`` per row; without it, ``point`` for points and ``footprint`` else."""
    if "gaia:geometry_kind" in frame.columns:
        kinds = frame["gaia:geometry_kind"].astype(object)
    else:
        kinds = pd.Series(None, index=frame.index, dtype=object)
    guess = np.where(frame.geom_type == "Point", "point", "footprint")
    return kinds.where(kinds.notna(), pd.Series(guess, index=frame.index)).astype(str)


def plot_split_map(items: ItemsLike) -> Any:
    """World map of the Items coloured by ``ml-aoi:split``, each geometry kind drawn its own way.

    Image footprints are filled polygons, place extents (the area of a named place, not what the
    image shows) dashed outlines, and every Item also gets a marker whose shape tells its kind.
    """
    from matplotlib.lines import Line2D

    frame = load_items(items)
    fig = _figure()
    ax = fig.add_subplot()
    _world(ax)
    splits = (
        frame["ml-aoi:split"].fillna("unsplit").astype(str)
        if "ml-aoi:split" in frame.columns
        else pd.Series("unsplit", index=frame.index)
    )
    present = frame[~(frame.geometry.is_empty | frame.geometry.isna())]
    kinds = _geometry_kinds(present)
    split_handles = []
    kinds_seen: set[str] = set()
    for name in [*SPLIT_COLOURS, *sorted(set(splits) - set(SPLIT_COLOURS))]:
        in_split = splits.loc[present.index] == name
        if not in_split.any():
            continue
        colour = SPLIT_COLOURS.get(name, "#9467bd")
        for kind in sorted(set(kinds[in_split])):
            part = present[in_split & (kinds == kind)]
            _, marker, style = GEOMETRY_KINDS.get(kind, (kind, "D", "filled"))
            kinds_seen.add(kind)
            areal = part[part.geom_type.isin(["Polygon", "MultiPolygon"])]
            if len(areal) and style == "filled":
                areal.plot(ax=ax, facecolor=colour, edgecolor=colour, alpha=0.45, linewidth=0.8)
            elif len(areal) and style == "dashed":
                areal.boundary.plot(ax=ax, color=colour, linewidth=0.9, linestyle="--")
            lon, lat = representative_points(part)
            ax.scatter(
                lon, lat, s=14, marker=marker, color=colour, edgecolor="white", linewidth=0.3,
                zorder=3,
            )  # fmt: skip
        split_handles.append(
            Line2D(
                [], [], color=colour, marker="s", linestyle="", label=f"{name} ({in_split.sum()})"
            )
        )
    kind_handles = [
        Line2D([], [], color="#555555", marker=marker, linestyle="", label=label)
        for kind, (label, marker, _) in GEOMETRY_KINDS.items()
        if kind in kinds_seen
    ]
    kind_handles += [
        Line2D([], [], color="#555555", marker="D", linestyle="", label=kind)
        for kind in sorted(kinds_seen - set(GEOMETRY_KINDS))
    ]
    if split_handles:
        first = ax.legend(
            handles=split_handles, title="split (items)", loc="lower left", fontsize=8,
            title_fontsize=8,
        )  # fmt: skip
        ax.add_artist(first)
        ax.legend(
            handles=kind_handles, title="geometry kind", loc="lower right", fontsize=8,
            title_fontsize=8,
        )  # fmt: skip
    plural = {"footprint": "image footprints", "place": "place extents", "point": "points"}
    counts = ", ".join(
        f"{n} {plural.get(str(k), str(k))}" for k, n in kinds.value_counts().sort_index().items()
    )
    ax.set_title(f"Items by split: {len(frame)} items ({counts})", fontsize=10)
    return fig


def plot_density(items: ItemsLike, gridsize: int = 60) -> Any:
    """Hexbin map of item density (representative points, log colour scale)."""
    frame = load_items(items)
    lon, lat = representative_points(frame)
    keep = ~np.isnan(lon)
    fig = _figure()
    ax = fig.add_subplot()
    _world(ax)
    if keep.any():
        hexes = ax.hexbin(
            lon[keep],
            lat[keep],
            gridsize=gridsize,
            extent=(-180, 180, -90, 90),
            bins="log",
            mincnt=1,
            cmap="viridis",
            alpha=0.85,
            zorder=2,
        )
        from matplotlib.ticker import FuncFormatter

        bar = fig.colorbar(hexes, ax=ax, shrink=0.7, label="items per hexagon (log scale)")
        plain = FuncFormatter(lambda value, _: f"{value:g}")
        bar.ax.yaxis.set_major_formatter(plain)
        bar.ax.yaxis.set_minor_formatter(plain)
    ax.set_title(
        f"Item density: items per map hexagon (representative points of {int(keep.sum())} "
        "items with a place)",
        fontsize=10,
    )
    return fig


def plot_years(items: ItemsLike) -> Any:
    """Histogram of items per year (the midpoint of the range when only a range is known)."""
    frame = load_items(items)
    years = item_times(frame).dt.year.dropna().astype(int)
    fig = _figure(8.0, 4.0)
    ax = fig.add_subplot()
    if len(years):
        counts = years.value_counts().sort_index()
        full = counts.reindex(
            range(int(counts.index.min()), int(counts.index.max()) + 1), fill_value=0
        )
        ax.bar(full.index, full.to_numpy(), color="#4c72b0", width=0.85)
    ax.set_xlabel("year of acquisition (midpoint of the range when only a range is known)")
    ax.set_ylabel("items")
    ax.set_title(f"Items per year ({len(years)} dated, {len(frame) - len(years)} undated)")
    return fig


def plot_categories(
    items: ItemsLike, column: str, top: int = 20, *, title: str | None = None
) -> Any:
    """Horizontal bars of the most frequent values of ``column`` (list values count each entry).

    For ``constellation``, items without one count under their ``platform`` (and the default
    title says so).

    Args:
        items: the catalog (path) or its frame; a dask-geopandas frame gives only the columns
            the figures draw (geometry, dates, split, sensor, resolution class).
        column: the column counted.
        top: how many values to show.
        title: the figure title (default: "Items per <column>", with the top-N note).
    """
    frame = load_items(items)
    fig = _figure(8.0, 4.0)
    ax = fig.add_subplot()
    if column in frame.columns:
        values = frame[column]
        if column == "constellation" and "platform" in frame.columns:
            values = values.fillna(frame["platform"])
        if len(values) and values.map(np.ndim).max():
            values = values.explode()
        counts = values.fillna("unknown").astype(str).value_counts().head(top).iloc[::-1]
        if column == "gaia:resolution_class":  # the classes in their natural order
            order = [c for c in RESOLUTION_ORDER if c in counts.index or c != "unknown"]
            counts = counts.reindex(order, fill_value=0)
        ax.barh(counts.index, counts.to_numpy(), color="#55a868")
    ax.set_xlabel("items")
    ax.set_ylabel("constellation / platform" if column == "constellation" else column)
    if title is None:
        title = f"Items per {column}"
        if column == "constellation" and "platform" in frame.columns:
            title = "Items per constellation, or per platform when the sensor has none"
        shown = frame[column].nunique() if column in frame.columns else 0
        if shown > top:
            title += f" (top {top})"
    ax.set_title(f"{title}, {len(frame)} items", fontsize=10)
    return fig


def plot_balance(
    before: ItemsLike,
    after: ItemsLike,
    *,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
    by: Sequence[str] = (),
) -> Any:
    """Balance of a set and of its balanced subset, measured on the strata that were balanced.

    Left and middle: normalised entropy and Gini per axis (spatial cells, temporal bins, and the
    joint strata), both sets measured over the categories the full set occupies. Right: each
    stratum's share of its set's items, fullest first, against the even share. The title states
    both sizes and the strata, so a smaller "after" set is never mistaken for a loss.
    """
    from ._strata import compute_strata

    report = balance_report(before, after, spatial=spatial, temporal=temporal, by=by)
    after_stats = report.after or {}
    axes_names = list(report.before)
    first = report.before[axes_names[-1]]  # the joint strata
    n_after = after_stats[axes_names[-1]].items if axes_names[-1] in after_stats else 0
    fig = _figure(11.0, 4.6)
    fig.suptitle(
        f"Balancing {first.items} items to a {n_after}-item subset over {spatial} x {temporal} "
        f"strata ({first.categories} occupied)",
        fontsize=11,
    )
    left, middle, right = fig.subplots(1, 3)
    x = np.arange(len(axes_names))
    what = {"spatial": spatial, "temporal": temporal, "strata": "joint"}
    ticks = [f"{a}\n({what.get(a, 'column')}, {report.before[a].categories})" for a in axes_names]
    for ax, metric, title in (
        (left, "entropy", "normalised entropy (1 = even)"),
        (middle, "gini", "Gini (0 = even)"),
    ):
        ax.bar(
            x - 0.2,
            [getattr(report.before[a], metric) for a in axes_names],
            0.4,
            label=f"all ({first.items})",
            color="#c44e52",
        )
        ax.bar(
            x + 0.2,
            [getattr(after_stats[a], metric) if a in after_stats else 0.0 for a in axes_names],
            0.4,
            label=f"balanced ({n_after})",
            color="#4c72b0",
        )
        ax.set_xticks(x, ticks, fontsize=8)
        ax.set_xlabel("axis (kind, categories occupied by all items)", fontsize=8)
        ax.set_ylim(0, 1.2)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, loc="upper center", ncol=2)
    for data, label, colour in ((before, "all", "#c44e52"), (after, "balanced", "#4c72b0")):
        strata = compute_strata(load_items(data), spatial=spatial, temporal=temporal, by=by)
        sizes = np.sort(np.bincount(strata.stratum))[::-1]
        sizes = sizes[sizes > 0]
        right.step(
            np.arange(1, len(sizes) + 1),
            100.0 * sizes / max(1, sizes.sum()),
            where="mid",
            label=f"{label} ({sizes.sum()} items, {len(sizes)} strata)",
            color=colour,
        )
    right.axhline(
        100.0 / max(1, first.categories),
        color="#555555",
        linestyle="--",
        linewidth=0.8,
        label=f"even share (1/{first.categories})",
    )
    right.set_xlabel("stratum rank (fullest first)")
    right.set_ylabel("share of the set's items (%)")
    right.set_title("items per stratum", fontsize=10)
    right.legend(fontsize=8)
    return fig


def save_figure(fig: Any, path: str | Path) -> Path:
    """Write a Figure as PNG, atomically."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    atomic_write_bytes(path, buffer.getvalue())
    os.chmod(path, 0o644)  # the atomic temporary file is created owner-only
    return Path(path)


def render_figures(
    items: ItemsLike,
    out: str | Path,
    *,
    balanced: ItemsLike | None = None,
    spatial: str = "h3:2",
    temporal: TemporalBin = "year",
) -> list[Path]:
    """Write every figure of a catalog as PNG into ``out``.

    Args:
        items: the catalog (path) or its frame; a dask-geopandas frame gives only the columns
            the figures draw (geometry, dates, split, sensor, resolution class).
        out: the folder for the PNGs (created).
        balanced: a balanced subset to compare against in ``balance.png`` (its size is in the
            figure's title); by default ``balance(items, n=len(items) // 2, nested=True)`` with
            the same strata.
        spatial: spatial cells for the balance figure.
        temporal: temporal bins for the balance figure.

    Returns:
        The paths written: ``splits_map.png``, ``density.png``, ``years.png``,
        ``sensors.png``, ``resolution.png``, ``balance.png``.
    """
    from ._sample import balance

    if is_dask(items):  # only the columns the figures draw come back
        from ._dask_gather import gather

        items = gather(items, FIGURE_COLUMNS)
        if balanced is not None and is_dask(balanced):
            balanced = gather(balanced, FIGURE_COLUMNS)
    frame = load_items(items)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    sensor = "constellation" if "constellation" in frame.columns else "platform"
    if balanced is None:
        balanced = balance(
            frame, n=max(1, len(frame) // 2), spatial=spatial, temporal=temporal, nested=True
        )
    figures = {
        "splits_map.png": plot_split_map(frame),
        "density.png": plot_density(frame),
        "years.png": plot_years(frame),
        "sensors.png": plot_categories(frame, sensor),  # constellation, else platform
        "resolution.png": plot_categories(
            frame, "gaia:resolution_class", title="Items per resolution class"
        ),
        "balance.png": plot_balance(frame, balanced, spatial=spatial, temporal=temporal),
    }
    return [save_figure(fig, folder / name) for name, fig in figures.items()]
