from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from gaia_geo.balance import sample_locations
from gaia_geo.balance._places import gazetteer, unit_vectors


def test_points_on_land_balanced_over_cells() -> None:
    points = sample_locations(400, spatial="h3:1", seed=7)
    assert len(points) == 400 and points.crs.to_epsg() == 4326
    per_cell = points["cell"].value_counts()
    assert per_cell.max() - per_cell.min() <= 1  # one (or two) per land cell
    # independent check of "land": near a gazetteer town (Arctic islands: < 1,100 km), or Antarctica
    places = gazetteer()
    tree = cKDTree(unit_vectors(places["lon"].to_numpy(), places["lat"].to_numpy()))
    x, y = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    chord, _ = tree.query(unit_vectors(x, y))
    km = 2 * 6371.0 * np.arcsin(chord / 2)
    assert ((km < 1100) | (y < -60)).all()
    assert (km < 300).mean() > 0.6
    # nothing in the open Pacific
    pacific = points.cx[-170:-130, -40:10]
    assert len(pacific) == 0


def test_globe_covers_sea_and_is_deterministic() -> None:
    first = sample_locations(300, "globe", spatial="h3:0", seed=1)
    again = sample_locations(300, "globe", spatial="h3:0", seed=1)
    assert first.geometry.equals(again.geometry)
    assert first["cell"].nunique() == 122  # every res-0 cell, sea included
    land = sample_locations(300, spatial="h3:0", seed=1)
    assert land["cell"].nunique() < 122


def test_continents_even() -> None:
    points = sample_locations(70, spatial="continent", seed=0)
    counts = points["cell"].value_counts()
    assert len(counts) == 7 and counts.max() - counts.min() <= 1
    assert set(points["country"]) & {"FR", "DE", "ES", "IT", "PL", "GB", "RU", "UA", "NO", "SE"}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n="):
        sample_locations(-1)
    with pytest.raises(ValueError, match="over="):
        sample_locations(5, "sea")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="spatial"):
        sample_locations(5, spatial="hex")
    assert len(sample_locations(0)) == 0
    assert np.isfinite(sample_locations(3, spatial="grid:1000").geometry.x).all()
