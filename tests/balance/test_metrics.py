from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from gaia_geo.balance import balance, balance_report
from gaia_geo.balance._metrics import axis_stats


def test_even_counts() -> None:
    stats = axis_stats(pd.Series([5, 5, 5, 5], index=list("abcd")))
    assert stats.entropy == pytest.approx(1.0)
    assert stats.gini == pytest.approx(0.0)
    assert stats.kl == pytest.approx(0.0)
    assert stats.occupied == 4 and stats.items == 20


def test_concentrated_counts_against_reference() -> None:
    stats = axis_stats(pd.Series([10], index=["a"]), reference=list("abcd"))
    assert stats.entropy == pytest.approx(0.0)
    assert stats.gini == pytest.approx(0.75)  # (K - 1) / K
    assert stats.kl == pytest.approx(math.log(4))
    assert stats.largest == ("a", 10) and stats.occupied == 1 and stats.categories == 4


def test_formulas_on_skewed_counts() -> None:
    counts = np.array([6, 3, 1])
    p = counts / counts.sum()
    stats = axis_stats(pd.Series(counts, index=["x", "y", "z"]))
    assert stats.entropy == pytest.approx(-(p * np.log(p)).sum() / math.log(3))
    pairs = np.abs(counts[:, None] - counts[None, :]).sum()
    assert stats.gini == pytest.approx(pairs / (2 * 3 * counts.sum()))
    assert stats.kl == pytest.approx((p * np.log(p * 3)).sum())
    assert stats.smallest == ("z", 1)
    target = {"x": 0.6, "y": 0.3, "z": 0.1}
    assert axis_stats(pd.Series(counts, index=["x", "y", "z"]), target=target).kl == pytest.approx(
        0
    )


def test_small_sample_entropy_is_normalised_by_what_it_can_reach() -> None:
    # 3 items over 10 reference cells, each in its own cell: as even as 3 items can be
    stats = axis_stats(pd.Series([1, 1, 1], index=list("abc")), reference=list("abcdefghij"))
    assert stats.entropy == pytest.approx(1.0)


def test_report_before_after(items: gpd.GeoDataFrame) -> None:
    subset = balance(items, 80, spatial="continent", temporal="decade")
    report = balance_report(
        items, subset, spatial="continent", temporal="decade", by=["constellation"]
    )
    assert set(report.before) == {"spatial", "temporal", "constellation", "strata"}
    assert report.after is not None and report.after["spatial"].items == 80
    assert report.after["spatial"].categories == report.before["spatial"].occupied
    assert report.dropped == {"place": 2, "time": 2}
    text = str(report)
    assert "entropy (norm)" in text and "after" in text and "left out" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["settings"]["spatial"] == "continent"
    alone = balance_report(items, spatial="continent", temporal="none", missing="unknown")
    assert alone.after is None and "unknown" in str(alone)
