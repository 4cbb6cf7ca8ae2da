from __future__ import annotations

import json
import shutil
from pathlib import Path

import h3
import pandas as pd
import pytest
from typer.testing import CliRunner

import gaia_geo
from gaia_geo.cli.main import app

runner = CliRunner()


@pytest.mark.slow
def test_balance_command(demo_catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "balanced"
    args = ["balance", str(demo_catalog), "--n", "10", "--spatial", "h3:1", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "entropy (norm)" in result.output and "wrote 10 of 24" in result.output
    frame = gaia_geo.read_catalog(out)
    assert len(frame) == 10
    assert gaia_geo.validate(out).valid
    as_json = runner.invoke(app, [*args, "--json", "--seed", "1"])
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.output[: as_json.output.rindex("}") + 1])
    assert report["after"]["spatial"]["items"] == 10
    bad = runner.invoke(
        app, ["balance", str(demo_catalog), "--n", "5", "--spatial", "hex:2", "--out", str(out)]
    )
    assert bad.exit_code == 2 and "not supported" in bad.output


@pytest.mark.slow
def test_split_command_rewrites_collections(demo_catalog: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "demo"
    shutil.copytree(demo_catalog, catalog)
    before = json.loads((catalog / "catalog.json").read_text())
    result = runner.invoke(app, ["split", str(catalog), "--block", "h3:2", "--seed", "9"])
    assert result.exit_code == 0, result.output
    assert "always share a split" in result.output
    assert json.loads((catalog / "catalog.json").read_text())["id"] == before["id"]
    frame = gaia_geo.read_catalog(catalog)
    assert len(frame) == 24
    # every item sits in the Collection of its split, and no H3 block spans two splits
    assert (frame["collection"].str.rsplit("-", n=1).str[-1] == frame["ml-aoi:split"]).all()
    cells = [h3.latlng_to_cell(p.y, p.x, 2) for p in frame.geometry.representative_point()]
    assert pd.Series(frame["ml-aoi:split"].to_numpy()).groupby(cells).nunique().max() == 1
    assert gaia_geo.validate(catalog).valid
    bad = runner.invoke(app, ["split", str(catalog), "--fractions", "0.5,x,0.5"])
    assert bad.exit_code != 0


@pytest.mark.slow
def test_stats_command(demo_catalog: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["stats", str(demo_catalog), "--out", str(tmp_path), "--spatial", "h3:0"]
    )
    assert result.exit_code == 0, result.output
    assert "gini" in result.output
    assert len(list(tmp_path.glob("*.png"))) == 6


def _partition_keys(root: Path) -> set[str]:
    from gaia_geo.stac._partitioned import catalog_partitions, partition_keys

    files = catalog_partitions(root) or []
    return {key for file in files for key in partition_keys(file)}


@pytest.mark.slow
def test_layout_options_of_balance_and_split(demo_catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "balanced"
    args = ["balance", str(demo_catalog), "--n", "10", "--spatial", "continent", "--out", str(out)]
    result = runner.invoke(app, [*args, "--layout", "geoparquet", "--partition-by", "h3"])
    assert result.exit_code == 0, result.output
    assert _partition_keys(out) == {"split", "h3"} and not list(out.rglob("*/*/*.json"))
    balanced = sorted(gaia_geo.read_catalog(out)["id"])
    assert len(balanced) == 10
    # split rewrites it in place in the layout it found: geoparquet, partitioned by H3 cell
    result = runner.invoke(app, ["split", str(out), "--block", "h3:1"])
    assert result.exit_code == 0, result.output
    assert _partition_keys(out) == {"split", "h3"}
    frame = gaia_geo.read_catalog(out)
    assert sorted(frame["id"]) == balanced and frame["ml-aoi:split"].notna().all()
    # --layout static writes it back as one JSON file per Item
    static = tmp_path / "static"
    result = runner.invoke(app, ["split", str(out), "--out", str(static), "--layout", "static"])
    assert result.exit_code == 0, result.output
    assert _partition_keys(static) == set() and len(list(static.rglob("*/*/*.json"))) == 10
    assert gaia_geo.validate(static).valid


def test_partition_by_needs_the_geoparquet_layout(tmp_path: Path) -> None:
    out, catalog = tmp_path / "out", tmp_path / "catalog"  # refused before anything is read
    for extra in (["--partition-by", "h3"], ["--layout", "static", "--partition-by", "year"]):
        args = ["balance", str(catalog), "--n", "5", "--out", str(out), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "--partition-by needs --layout geoparquet" in " ".join(result.output.split())
    result = runner.invoke(app, ["split", str(catalog), "--layout", "json"])
    assert result.exit_code == 2 and "'json' is not one of" in " ".join(result.output.split())
    assert not out.exists()
