"""Items without a location (``geometry: null``, as in RSICD-like benchmarks): split, balance."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from gaia_geo.balance import BalanceWarning, balance, split


def _mixed(located: int = 40, placeless: int = 20, labelled: int = 6) -> gpd.GeoDataFrame:
    """Points continents apart, then Items with null geometry, the first ``labelled`` of them
    already in ``test``."""
    rng = np.random.default_rng(0)
    points = gpd.points_from_xy(rng.uniform(-170, 170, located), rng.uniform(-55, 65, located))
    labels = [None] * located + ["test"] * labelled + [None] * (placeless - labelled)
    return gpd.GeoDataFrame(
        {
            "id": [f"i{k:02d}" for k in range(located + placeless)],
            "datetime": pd.Timestamp("2020-06-01", tz="UTC"),
            "ml-aoi:split": labels,
        },
        geometry=[*points, *([None] * placeless)],
        crs=4326,
    )


def test_split_keeps_labels_and_draws_the_rest_with_a_warning() -> None:
    frame = _mixed()
    with pytest.warns(BalanceWarning, match=r"14 Items have no location .* drawn at random"):
        out = split(frame, (0.5, 0.25, 0.25), block="h3:3", seed=4)
    labels = out["ml-aoi:split"].to_numpy()
    assert (labels[40:46] == "test").all()  # an existing split label is kept
    drawn = pd.Series(labels[46:]).value_counts()
    assert drawn.sum() == 14 and drawn["train"] == 7  # exact counts by the fractions
    assert sorted(drawn[["validate", "test"]]) == [3, 4]
    assert pd.notna(labels).all()
    info = out.attrs["gaia:split"]
    assert info["no_location"] == 20 and info["no_location_drawn"] == 14 and info["dropped"] == 0
    with pytest.warns(BalanceWarning, match="no location"):
        again = split(frame, (0.5, 0.25, 0.25), block="h3:3", seed=4)
    assert out["ml-aoi:split"].equals(again["ml-aoi:split"])


def test_split_without_a_warning_when_every_placeless_item_is_labelled() -> None:
    frame = _mixed(placeless=6, labelled=6)
    out = split(frame, block="h3:3", seed=0)  # filterwarnings=error: no warning may be raised
    assert (out["ml-aoi:split"].to_numpy()[40:] == "test").all()


def test_split_relabels_located_items() -> None:
    frame = _mixed(placeless=0, labelled=0)
    frame["ml-aoi:split"] = "test"
    out = split(frame, (0.5, 0.25, 0.25), block="h3:3", seed=0)
    assert out["ml-aoi:split"].nunique() == 3  # a place's old label is not trusted


def test_balance_drops_placeless_items_naming_the_option(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frame = _mixed()
    with caplog.at_level(logging.WARNING, logger="gaia_geo.balance"):
        subset = balance(frame, n=30, spatial="h3:1", temporal="year")
    assert len(subset) == 30 and subset.geometry.notna().all()
    assert "no place: 20" in caplog.text and "missing='unknown'" in caplog.text


def test_balance_keeps_placeless_items_in_an_unknown_stratum() -> None:
    frame = _mixed()
    subset = balance(frame, n=41, spatial="h3:1", temporal="year", missing="unknown")
    # 40 located Items in 40 cells and one 'unknown' cell: uniform gives each cell one
    assert len(subset) == 41 and subset.geometry.isna().sum() == 1
