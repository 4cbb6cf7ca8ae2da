"""Out-of-core balancing: the same subset as the in-memory one, from the GeoParquet in batches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import gaia_geo
from gaia_geo.balance import balance_report, read_rows, strata_frame
from gaia_geo.cli.main import app
from gaia_geo.errors import CatalogError
from gaia_geo.stac._read import collection_mirrors

SETTINGS = [
    {"n": 12},
    {"n": 15, "spatial": "h3:1", "temporal": "decade", "by": ("constellation",)},
    {"cap": 2, "spatial": "country", "temporal": "month"},
    {"n": 9, "nested": True, "by": ("gaia:tags",), "seed": 3},
    {"n": 10, "spatial": "grid:500", "temporal": "season", "strategy": "sqrt"},
    {"n": 8, "spatial": "continent", "temporal": "none", "missing": "unknown"},
]


@pytest.mark.parametrize("settings", SETTINGS)
def test_same_subset_as_in_memory(demo_catalog: Path, settings: dict) -> None:
    full = gaia_geo.balance(gaia_geo.read_catalog(demo_catalog), **settings)
    # batches of 5 rows: many batches per Collection mirror, and several mirrors
    streamed = gaia_geo.balance_parquet(demo_catalog, batch_rows=5, **settings)
    assert list(streamed.index) == list(full.index)
    pd.testing.assert_frame_equal(
        pd.DataFrame(streamed.drop(columns="geometry")), pd.DataFrame(full.drop(columns="geometry"))
    )
    assert streamed.geometry.geom_equals(full.geometry).all()


def test_partitioned_folder_and_single_file(demo_catalog: Path, tmp_path: Path) -> None:
    mirrors = [m for _, _, m in collection_mirrors(demo_catalog / "catalog.json")]
    assert len(mirrors) > 1 and all(mirrors)
    parts = tmp_path / "parts"
    parts.mkdir()
    for number, mirror in enumerate(mirrors):  # in read_catalog's order, named to sort so
        shutil.copy(mirror, parts / f"part-{number:03d}.parquet")
    full = gaia_geo.balance(gaia_geo.read_catalog(demo_catalog), n=11, spatial="h3:1")
    assert list(gaia_geo.balance_parquet(parts, n=11, spatial="h3:1")["id"]) == list(full["id"])
    one = gaia_geo.balance_parquet(mirrors[0], n=3, temporal="none")
    assert list(one["id"]) == list(
        gaia_geo.balance(gaia_geo.read_catalog(mirrors[0]), n=3, temporal="none")["id"]
    )


def test_light_frame_gives_the_same_report(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    light = strata_frame(demo_catalog, by=("constellation",), batch_rows=4)
    assert len(light) == len(frame) and set(light.columns) == {
        "geometry",
        "datetime",
        "constellation",
    }
    subset = gaia_geo.balance(frame, n=10, by=("constellation",))
    ours = balance_report(light, subset, by=("constellation",))
    theirs = balance_report(frame, subset, by=("constellation",))
    assert str(ours) == str(theirs)


def test_bad_sources_and_options(demo_catalog: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo"
    shutil.copytree(demo_catalog, copy)
    next(copy.rglob("items.parquet")).unlink()
    with pytest.raises(CatalogError, match="has no GeoParquet mirror"):
        gaia_geo.balance_parquet(copy, n=5)
    with pytest.raises(CatalogError, match="does not exist"):
        gaia_geo.balance_parquet(tmp_path / "nothing.parquet", n=5)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError, match="no catalog.json and no .parquet"):
        gaia_geo.balance_parquet(tmp_path / "empty", n=5)
    with pytest.raises(ValueError, match="by='no-such-column'"):
        gaia_geo.balance_parquet(demo_catalog, n=5, by=("no-such-column",))
    with pytest.raises(ValueError, match="give n"):
        gaia_geo.balance_parquet(demo_catalog)


@pytest.mark.slow
def test_cli_stream_writes_the_same_catalog(demo_catalog: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outputs = {}
    for mode in ([], ["--stream"]):
        out = tmp_path / ("streamed" if mode else "in-memory")
        args = ["balance", str(demo_catalog), "--n", "10", "--spatial", "h3:1", "--out", str(out)]
        result = runner.invoke(app, [*args, *mode])
        assert result.exit_code == 0, result.output
        outputs[bool(mode)] = result.output.rsplit(" to ", 1)[0]  # all but the folder
        assert "wrote 10 of" in result.output
    assert outputs[True] == outputs[False]  # the same report and counts
    a = gaia_geo.read_catalog(tmp_path / "streamed")
    b = gaia_geo.read_catalog(tmp_path / "in-memory")
    assert sorted(a["id"]) == sorted(b["id"])


def test_read_rows_gives_read_catalog_rows(demo_catalog: Path) -> None:
    frame = gaia_geo.read_catalog(demo_catalog)
    positions = [len(frame) - 1, 3, 0, 3]  # any order, repeats once
    rows = read_rows(demo_catalog, positions, batch_rows=4)
    assert list(rows.index) == [0, 3, len(frame) - 1]
    assert list(rows["id"]) == list(frame["id"].iloc[[0, 3, len(frame) - 1]])
