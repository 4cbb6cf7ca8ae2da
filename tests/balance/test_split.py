from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
import shapely

from gaia_geo.balance import BalanceWarning, block_distance_km, split
from gaia_geo.balance._dedup import near_duplicate_pairs, perceptual_hashes


def _clustered(n: int = 500, seed: int = 2) -> gpd.GeoDataFrame:
    """Points and ~8 km footprints in 30 clusters over Europe, ~20 km spread each."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(-5, 25, 30), rng.uniform(40, 58, 30)])
    xy = centres[rng.integers(0, 30, n)] + rng.normal(0, 0.2, (n, 2))
    geoms = [
        shapely.box(x - 0.05, y - 0.035, x + 0.05, y + 0.035) if i % 4 == 0 else shapely.Point(x, y)
        for i, (x, y) in enumerate(xy)
    ]
    return gpd.GeoDataFrame({"id": [f"c{i}" for i in range(n)]}, geometry=geoms, crs=4326)


def test_no_close_items_in_different_splits() -> None:
    frame = _clustered()
    out = split(frame, block="h3:4", seed=1)
    labels = out["ml-aoi:split"].to_numpy()
    assert set(labels) == {"train", "validate", "test"}
    limit = block_distance_km("h3:4") * 1000
    metric = frame.to_crs(3035).geometry  # Lambert equal-area Europe: metres, ~1% distortion
    close_pairs = 0
    for i, geom in enumerate(metric):
        dist = metric.distance(geom).to_numpy()
        close = np.flatnonzero((dist < 0.98 * limit) & (np.arange(len(frame)) > i))
        close_pairs += len(close)
        assert (labels[close] == labels[i]).all(), (i, close[labels[close] != labels[i]])
    assert close_pairs > 1000  # the test is not vacuous
    # and one H3 cell never spans splits
    cells = [h3.latlng_to_cell(p.y, p.x, 4) for p in frame.geometry.representative_point()]
    assert pd.Series(labels).groupby(cells).nunique().max() == 1


def test_fractions_deterministic_and_attrs() -> None:
    rng = np.random.default_rng(0)
    frame = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(rng.uniform(-180, 180, 600), rng.uniform(-60, 70, 600)),
        crs=4326,
    )
    first = split(frame, (0.6, 0.2, 0.2), block="h3:3", seed=5)
    again = split(frame, (0.6, 0.2, 0.2), block="h3:3", seed=5)
    assert first["ml-aoi:split"].equals(again["ml-aoi:split"])
    shares = first["ml-aoi:split"].value_counts(normalize=True)
    assert shares["train"] == pytest.approx(0.6, abs=0.03)
    assert shares["validate"] == pytest.approx(0.2, abs=0.03)
    assert first.attrs["gaia:split"]["min_distance_km"] == pytest.approx(0.95 * 49.22)
    assert "ml-aoi:split" not in frame.columns or frame["ml-aoi:split"].isna().all()


def test_dense_data_warns_when_fractions_cannot_be_met() -> None:
    rng = np.random.default_rng(0)
    xy = rng.normal([10, 50], 0.3, (200, 2))  # one city-sized cluster: one block
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=4326)
    with pytest.warns(BalanceWarning, match="finer block"):
        out = split(frame, block="h3:2")
    assert out["ml-aoi:split"].nunique() == 1


def test_temporal_holdout(items: gpd.GeoDataFrame) -> None:
    with pytest.warns(BalanceWarning, match="no location"):  # the fixture has placeless Items
        out = split(items, block="h3:3", temporal_holdout="2022-01-01")
    from gaia_geo.balance._frame import item_times

    late = (item_times(items) >= pd.Timestamp("2022-01-01", tz="UTC")).to_numpy()
    labels = out["ml-aoi:split"].to_numpy()
    assert (labels[late] == "test").all()
    assert (labels[~late] != "test").all()
    assert {"train", "validate"} <= set(labels[~late])


def test_bad_arguments(items: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="fractions"):
        split(items, (0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match="fractions"):
        split(items, (0.9, 0.1))
    with pytest.raises(ValueError, match="H3"):
        split(items, block="grid:50")


def test_near_duplicate_pairs_multi_index() -> None:
    base = np.uint64(0xF0F0_1234_5678_9ABC)
    hashes = np.array([base, base ^ np.uint64(0b111), base ^ np.uint64(0xFFFF), 0], dtype=np.uint64)
    assert near_duplicate_pairs(hashes, 3).tolist() == [[0, 1]]
    assert near_duplicate_pairs(hashes, 2).tolist() == []
    assert near_duplicate_pairs(hashes, 19).tolist() == [[0, 1], [0, 2], [1, 2]]
    with pytest.raises(ValueError, match="Hamming"):
        near_duplicate_pairs(hashes, 64)


@pytest.mark.slow
def test_near_duplicate_images_share_a_split(images: list[Path]) -> None:
    # 15 items on distinct continents-apart points; items 12-14 show near-copies of items 0-2
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(-170, 170, 15), rng.uniform(-50, 60, 15)
    frame = gpd.GeoDataFrame(
        {"assets": [{"image": {"href": str(p), "roles": ["data"]}} for p in images]},
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    hashes = perceptual_hashes(frame)
    assert (hashes != 0).all()
    pairs = near_duplicate_pairs(hashes, 6)
    assert {(0, 12), (1, 13), (2, 14)} <= {tuple(p) for p in pairs.tolist()}
    for seed in range(6):
        labels = split(frame, block="h3:5", seed=seed, phash=6)["ml-aoi:split"].to_numpy()
        assert all(labels[i] == labels[i + 12] for i in range(3))
    without = [split(frame, block="h3:5", seed=s)["ml-aoi:split"].to_numpy() for s in range(6)]
    assert any(any(lab[i] != lab[i + 12] for i in range(3)) for lab in without)


def test_antimeridian_neighbours_share_a_split() -> None:
    rng = np.random.default_rng(3)
    lat = rng.uniform(-60, 60, 40)
    west = gpd.points_from_xy(np.full(40, 179.9), lat)
    east = gpd.points_from_xy(np.full(40, -179.9), lat + 0.05)  # ~11-16 km away, across 180
    frame = gpd.GeoDataFrame(geometry=[*west, *east], crs=4326)
    labels = split(frame, block="h3:3", seed=0)["ml-aoi:split"].to_numpy()
    assert (labels[:40] == labels[40:]).all()
    assert len(set(labels)) > 1


def test_empty_and_placeless_items() -> None:
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
    assert len(split(empty)) == 0
    placeless = gpd.GeoDataFrame(geometry=gpd.GeoSeries([None] * 50, crs=4326))
    with pytest.warns(BalanceWarning, match="50 Items have no location"):
        labels = split(placeless, seed=1)["ml-aoi:split"]
    assert labels.value_counts()["train"] == 35  # singletons fill the fractions exactly
