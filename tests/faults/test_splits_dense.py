"""Splits on dense coverage: 40,000 Items spread evenly over Europe must still reach the fractions.

Before the buffered split, neighbouring H3 blocks chained into one block and every Item went to
train, at h3:3, h3:4 and h3:5 alike.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

import gaia_geo
from gaia_geo.balance import block_distance_km, split
from gaia_geo.balance._buffer import buffered_assignment
from gaia_geo.cli.main import app
from gaia_geo.stac import to_items, write_catalog

EARTH_KM = 6371.0088


def _even(n: int, box: tuple[float, float, float, float], seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` points uniform in a lon/lat box: the density of a grid-sampled set."""
    rng = np.random.default_rng(seed)
    west, south, east, north = box
    lon, lat = rng.uniform(west, east, n), rng.uniform(south, north, n)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)


@pytest.fixture(scope="module")
def europe() -> gpd.GeoDataFrame:
    """40,000 points over Europe (10 W-30 E, 36-60 N): about one per 250 km2."""
    return _even(40_000, (-10.0, 36.0, 30.0, 60.0))


@pytest.mark.parametrize("block", [pytest.param("h3:3", marks=pytest.mark.slow), "h3:4", "h3:5"])
def test_dense_europe_reaches_the_fractions(europe: gpd.GeoDataFrame, block: str) -> None:
    out = split(europe, (0.8, 0.1, 0.1), block=block, seed=0)
    labels = out["ml-aoi:split"]
    kept = labels.dropna()
    shares = kept.value_counts(normalize=True)
    assert shares["train"] == pytest.approx(0.8, abs=0.02)
    assert shares["validate"] == pytest.approx(0.1, abs=0.02)
    assert shares["test"] == pytest.approx(0.1, abs=0.02)
    info = out.attrs["gaia:split"]
    assert info["method"] == "buffered" and info["chunks"] > 0
    assert info["dropped"] == labels.isna().sum() > 0
    assert info["dropped"] < 0.2 * len(europe)
    assert info["fractions"] == pytest.approx(shares.reindex(["train", "validate", "test"]))


def _great_circle_km(lon: np.ndarray, lat: np.ndarray, i: int) -> np.ndarray:
    """Haversine distance from point ``i`` to every point, km (written apart from the library)."""
    phi, lam = np.radians(lat), np.radians(lon)
    h = (
        np.sin((phi - phi[i]) / 2) ** 2
        + np.cos(phi) * np.cos(phi[i]) * np.sin((lam - lam[i]) / 2) ** 2
    )
    return np.asarray(2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


@pytest.mark.parametrize("block", ["h3:3", "h3:4"])
def test_no_kept_pair_closer_than_the_block_distance_crosses_splits(block: str) -> None:
    # 3,000 points over France, as dense as the 40,000 over Europe
    frame = _even(3000, (0.0, 44.0, 8.0, 50.0), seed=3)
    out = split(frame, (0.8, 0.1, 0.1), block=block, seed=2)
    assert out.attrs["gaia:split"]["method"] == "buffered"
    labels = out["ml-aoi:split"].to_numpy()
    kept = np.flatnonzero(pd.notna(labels))
    assert len(set(labels[kept])) == 3
    lon, lat = frame.geometry.x.to_numpy()[kept], frame.geometry.y.to_numpy()[kept]
    limit = block_distance_km(block)
    close_pairs = 0
    for i in range(len(kept)):  # brute force: every pair
        near = np.flatnonzero(_great_circle_km(lon, lat, i) < limit)
        near = near[near > i]
        close_pairs += len(near)
        assert (labels[kept[near]] == labels[kept[i]]).all()
    assert close_pairs > 1000  # the check is not vacuous


def test_footprints_near_borders_are_kept_apart() -> None:
    rng = np.random.default_rng(7)
    frame = _even(1500, (2.0, 45.0, 8.0, 49.0), seed=7)
    xy = np.column_stack([frame.geometry.x, frame.geometry.y])
    half = rng.uniform(0.01, 0.05, len(frame))  # footprints of 2-8 km
    frame["geometry"] = [
        shapely.box(x - h, y - h, x + h, y + h) if i % 3 == 0 else shapely.Point(x, y)
        for i, ((x, y), h) in enumerate(zip(xy, half, strict=True))
    ]
    out = split(frame, (0.7, 0.15, 0.15), block="h3:4", seed=1)
    assert out.attrs["gaia:split"]["method"] == "buffered"
    labels = out["ml-aoi:split"].to_numpy()
    kept = np.flatnonzero(pd.notna(labels))
    metric = out.iloc[kept].to_crs(3035).geometry  # Lambert equal-area Europe, ~1% distortion
    limit = 0.98 * block_distance_km("h3:4") * 1000
    tree = metric.sindex
    left, right = tree.query(metric, predicate="dwithin", distance=limit)
    cross = labels[kept[left]] != labels[kept[right]]
    assert len(left) > len(kept) * 3 and not cross.any()


def test_deterministic_for_a_seed() -> None:
    frame = _even(3000, (0.0, 44.0, 8.0, 50.0), seed=3)
    first = split(frame, (0.8, 0.1, 0.1), block="h3:4", seed=11)["ml-aoi:split"]
    again = split(frame, (0.8, 0.1, 0.1), block="h3:4", seed=11)["ml-aoi:split"]
    other = split(frame, (0.8, 0.1, 0.1), block="h3:4", seed=12)["ml-aoi:split"]
    assert first.equals(again)
    assert not first.equals(other)


def test_buffer_option() -> None:
    frame = _even(3000, (0.0, 44.0, 8.0, 50.0), seed=3)
    with pytest.warns(gaia_geo.balance.BalanceWarning, match="too few separate places"):
        whole = split(frame, (0.8, 0.1, 0.1), block="h3:3", buffer=False)
    assert whole.attrs["gaia:split"]["dropped"] == 0
    assert whole["ml-aoi:split"].nunique() == 1  # the blocks chain into one
    # sparse points far apart: the buffer has nothing to drop
    sparse = _even(300, (-170.0, -50.0, 170.0, 60.0), seed=1)
    forced = split(sparse, (0.8, 0.1, 0.1), block="h3:4", buffer=True)
    assert forced.attrs["gaia:split"]["method"] == "buffered"
    assert forced.attrs["gaia:split"]["dropped"] == 0


@pytest.mark.slow
def test_cli_reports_the_dropped_items(tmp_path: Path) -> None:
    frame = _even(400, (0.0, 45.0, 4.0, 48.0), seed=0)
    frame["id"] = [f"p{i:03d}" for i in range(len(frame))]
    frame["datetime"] = pd.Timestamp("2020-01-01", tz="UTC")
    write_catalog(to_items(frame), tmp_path / "dense", id="dense")
    result = CliRunner().invoke(
        app, ["split", str(tmp_path / "dense"), "--block", "h3:4", "--fractions", "0.8,0.1,0.1"]
    )
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("dropped"))
    dropped = int(line.split()[1])
    assert dropped > 0 and "18.5 km" in line and "unsplit" in line
    back = gaia_geo.read_catalog(tmp_path / "dense")
    assert len(back) == 400  # nothing deleted: the dropped Items stay, unsplit
    assert back["ml-aoi:split"].isna().sum() == dropped
    assert (tmp_path / "dense" / "unsplit").is_dir()


def test_an_item_placed_only_through_its_unit() -> None:
    # a placeless Item joined to a located one (a near-duplicate image) follows its unit
    frame = _even(600, (0.0, 45.0, 3.0, 47.0), seed=5)
    lon, lat = frame.geometry.x.to_numpy().copy(), frame.geometry.y.to_numpy().copy()
    lon[0] = lat[0] = np.nan
    units = np.concatenate([[0], np.arange(len(lon) - 1)])  # Items 0 and 1 form one unit
    fractions = np.array([0.8, 0.1, 0.1])
    found = buffered_assignment(lon, lat, np.zeros(len(lon)), units, fractions, 18.5, seed=0)
    assert found.index[0] >= 0 and found.index[1] in (-1, found.index[0])
