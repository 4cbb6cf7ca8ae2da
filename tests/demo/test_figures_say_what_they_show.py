"""The demo's figures and balance report say what they measure, and balancing visibly helps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gaia_geo
from gaia_geo.balance._figures import plot_balance, plot_categories, plot_split_map

STRATA: dict[str, Any] = {"spatial": "continent", "temporal": "decade"}


def _texts(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_balance_figure_states_sizes_and_strata(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    subset = gaia_geo.balance(frame, n=12, **STRATA)
    fig = plot_balance(frame, subset, **STRATA)
    title = fig.get_suptitle()
    assert f"Balancing {len(frame)} items to a 12-item subset" in title
    assert "continent x decade" in title
    texts = _texts(fig)
    assert any("share of the set's items" in t for t in texts)
    assert any(t.startswith("even share") for t in texts)


def test_balance_report_names_strata_and_subset(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    subset = gaia_geo.balance(frame, n=12, **STRATA)
    text = str(gaia_geo.balance_report(frame, subset, **STRATA))
    first = text.splitlines()[0]
    assert "continent x decade" in first and f"before = {len(frame)} items" in first
    assert "a subset of 12 (50%)" in first
    alone = str(gaia_geo.balance_report(frame, **STRATA)).splitlines()[0]
    assert alone == f"Balance of {len(frame)} items over continent x decade strata"


def test_balancing_the_shipped_demo_helps_on_every_axis() -> None:
    """What docs/figures/balance.png shows: `make demo`'s strata and subset size."""
    root = Path(__file__).resolve().parents[2] / "catalogs" / "demo"
    frame = gaia_geo.read_catalog(root)
    subset = gaia_geo.balance(frame, n=len(frame) // 2, nested=True, **STRATA)
    report = gaia_geo.balance_report(frame, subset, **STRATA)
    assert report.after is not None
    for axis, before in report.before.items():
        after = report.after[axis]
        assert after.entropy > before.entropy, axis
        assert after.gini < before.gini, axis
        assert after.occupied == before.occupied, axis  # no stratum lost


def test_split_map_tells_geometry_kinds_apart(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    fig = plot_split_map(frame)
    ax = fig.axes[0]
    title = ax.get_title()
    counts = frame["gaia:geometry_kind"].value_counts()
    assert f"{counts['footprint']} image footprints" in title
    assert f"{counts['place']} place extents" in title
    assert "Footprints" not in title
    texts = _texts(fig)
    assert "geometry kind" in texts and "split (items)" in texts
    assert "image footprint" in texts and "place extent (not a footprint)" in texts


def test_sensor_figure_says_constellation_or_platform(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    title = plot_categories(frame, "constellation").axes[0].get_title()
    assert title.startswith("Items per constellation, or per platform when the sensor has none")
    assert title.endswith(f"{len(frame)} items")
