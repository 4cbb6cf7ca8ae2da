"""The dask engine: partitioned stac-geoparquet balances, splits and measures as in memory."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import orjson
import pandas as pd
import pytest
from typer.testing import CliRunner

import gaia_geo
from _helpers import load_script
from gaia_geo.balance import BalanceWarning, light_frame, strata_frame
from gaia_geo.cli.main import app
from gaia_geo.errors import CatalogError
from gaia_geo.stac._arrow import write_items_parquet
from gaia_geo.stac._read import frame_to_dicts

make_items = load_script("data/balance/data.py").make_items

dask = pytest.importorskip("dask", reason="the dask engine needs: pip install 'gaia_geo[dask]'")
pytest.importorskip("dask_geopandas", reason="the dask engine needs: pip install 'gaia_geo[dask]'")

#: Every strategy, spatial kind, temporal bin and missing policy, nested or not, n or cap.
SETTINGS = [
    {"n": 120},
    {"n": 150, "spatial": "h3:1", "temporal": "decade", "by": ("constellation",)},
    {"cap": 2, "spatial": "country", "temporal": "month"},
    {"n": 90, "nested": True, "by": ("gaia:tags",), "seed": 3},
    {"n": 100, "spatial": "grid:500", "temporal": "season", "strategy": "sqrt"},
    {"n": 80, "spatial": "continent", "temporal": "none", "missing": "unknown"},
    {"n": 70, "strategy": "proportional", "spatial": "none", "seed": 9},
    {"n": 60, "nested": True, "strategy": "sqrt", "cap": 3, "by": ("gaia:resolution_class",)},
    {"n": 0},
]

# Hive-style partitions, as write_catalog(layout="geoparquet") writes them; the last one lacks
# the gaia:tags column (a partition written before the column existed).
PARTS = [("train", 0, 150), ("train", 150, 250), ("validate", 250, 300), ("test", 300, 400)]


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    items = frame_to_dicts(make_items(400, seed=0))
    root = tmp_path_factory.mktemp("dask") / "items"
    for number, (split, start, stop) in enumerate(PARTS):
        chunk = items[start:stop]
        if number == 3:
            for item in chunk:
                item["properties"].pop("gaia:tags", None)
        folder = root / f"split={split}"
        folder.mkdir(parents=True, exist_ok=True)
        write_items_parquet(folder / f"part-{number}.parquet", chunk)
    return root


@pytest.fixture()
def sync() -> Iterator[None]:
    with dask.config.set(scheduler="synchronous"):
        yield


def _same_frame(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert list(ours.index) == list(theirs.index)
    pd.testing.assert_frame_equal(
        pd.DataFrame(ours.drop(columns="geometry")), pd.DataFrame(theirs.drop(columns="geometry"))
    )
    assert ours.geometry.geom_equals(theirs.geometry).sum() == theirs.geometry.notna().sum()


def test_read_catalog_dask_computes_to_the_in_memory_frame(parts: Path, sync: None) -> None:
    frame = gaia_geo.read_catalog(parts, engine="dask")
    assert frame.npartitions == 4 and frame.known_divisions
    full = gaia_geo.read_catalog(parts)
    _same_frame(frame.compute(), full)
    assert isinstance(frame.compute(), gpd.GeoDataFrame)
    light = frame[["id", "datetime"]].compute()  # a selection reads only those columns
    assert list(light.columns) == ["id", "datetime"] and list(light["id"]) == list(full["id"])
    assert light.index.equals(full.index)


def test_read_catalog_dask_of_a_catalog_reads_its_mirrors(demo_catalog: Path, sync: None) -> None:
    _same_frame(
        gaia_geo.read_catalog(demo_catalog, engine="dask").compute(),
        gaia_geo.read_catalog(demo_catalog),
    )


def test_read_catalog_dask_refusals(demo_catalog: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine='spark' is not supported"):
        gaia_geo.read_catalog(demo_catalog, engine="spark")
    json_only = tmp_path / "items.json"
    items = frame_to_dicts(make_items(10))
    json_only.write_bytes(orjson.dumps({"type": "FeatureCollection", "features": items}))
    with pytest.raises(CatalogError, match="no current GeoParquet mirror.*engine='pandas'"):
        gaia_geo.read_catalog(json_only, engine="dask")


@pytest.mark.parametrize("settings", SETTINGS)
def test_balance_same_subset_as_in_memory(parts: Path, sync: None, settings: dict) -> None:
    full = gaia_geo.read_catalog(parts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BalanceWarning)  # cap: fewer than asked, both ways
        expected = gaia_geo.balance(full, **settings)
        lazy = gaia_geo.balance(gaia_geo.read_catalog(parts, engine="dask"), **settings)
    assert not isinstance(lazy, gpd.GeoDataFrame)  # a dask frame, read when computed
    _same_frame(lazy.compute(), expected)


def test_balance_of_a_filtered_dask_frame(parts: Path, sync: None) -> None:
    # not the reader's own partitions: the chosen rows are taken from the filtered ones
    frame = gaia_geo.read_catalog(parts, engine="dask")
    full = gaia_geo.read_catalog(parts)
    ours = gaia_geo.balance(frame[frame["constellation"] != "modis"], n=60, seed=5).compute()
    _same_frame(ours, gaia_geo.balance(full[full["constellation"] != "modis"], n=60, seed=5))


@pytest.mark.parametrize("layout", ["static", "geoparquet"])
def test_write_catalog_of_a_lazy_balance(parts: Path, sync: None, tmp_path: Path, layout) -> None:
    # what a user does with the lazy subset: write it (to_parquet of dask cannot: dict columns)
    from dask.callbacks import Callback

    lazy = gaia_geo.balance(gaia_geo.read_catalog(parts, engine="dask"), n=60, seed=1)
    computes: list[int] = []

    class Count(Callback):  # type: ignore[misc]
        def _start(self, dsk: object) -> None:
            computes.append(1)

    with Count():
        root = gaia_geo.write_catalog(lazy, tmp_path / "lazy", id="b", layout=layout)
    assert len(computes) == lazy.npartitions > 1  # one partition at a time, never all at once
    expected = gaia_geo.balance(gaia_geo.read_catalog(parts), n=60, seed=1)
    mem = gaia_geo.write_catalog(expected, tmp_path / "mem", id="b", layout=layout)  # computed
    ours, theirs = (
        gaia_geo.read_catalog(f).sort_values("id", ignore_index=True) for f in (root, mem)
    )
    assert len(ours) == 60
    _same_frame(ours, theirs)
    assert [i.id for i in gaia_geo.to_items(lazy)] == list(expected["id"])


def test_balance_warns_and_refuses_as_in_memory(parts: Path, sync: None) -> None:
    frame = gaia_geo.read_catalog(parts, engine="dask")
    with pytest.warns(BalanceWarning, match="strata hold only 396 items"):
        assert len(gaia_geo.balance(frame, n=10_000).compute()) == 396
    with pytest.raises(ValueError, match="by='no-such'"):
        gaia_geo.balance(frame, n=5, by=("no-such",))
    with pytest.raises(ValueError, match="temporal='week' is not supported"):
        gaia_geo.balance(frame, n=5, temporal="week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="give n"):
        gaia_geo.balance(frame)


@pytest.mark.parametrize(
    "settings",
    [
        {"by": ("constellation",)},
        {"spatial": "country", "temporal": "season", "missing": "unknown"},
        {"spatial": "grid:800", "temporal": "month", "by": ("gaia:tags",)},
    ],
)
def test_balance_report_same_as_in_memory(parts: Path, sync: None, settings: dict) -> None:
    frame = gaia_geo.read_catalog(parts, engine="dask")
    full = gaia_geo.read_catalog(parts)
    subset = gaia_geo.balance(frame, n=100, **settings)
    ours = gaia_geo.balance_report(frame, subset, **settings)
    theirs = gaia_geo.balance_report(full, gaia_geo.balance(full, n=100, **settings), **settings)
    assert ours.to_dict() == theirs.to_dict()
    assert str(ours) == str(theirs)


@pytest.mark.parametrize(
    "settings",
    [{}, {"block": "h3:2", "seed": 4, "buffer": True}, {"temporal_holdout": "2020-01-01"}],
)
def test_split_same_as_in_memory(parts: Path, sync: None, settings: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BalanceWarning)  # 2 items without a place: drawn
        expected = gaia_geo.split(gaia_geo.read_catalog(parts), **settings)
        lazy = gaia_geo.split(gaia_geo.read_catalog(parts, engine="dask"), **settings)
    ours = lazy.compute()
    _same_frame(ours, expected)
    assert ours.attrs["gaia:split"] == expected.attrs["gaia:split"]
    with pytest.raises(ValueError, match="three non-negative shares"):
        gaia_geo.split(gaia_geo.read_catalog(parts, engine="dask"), (0.5, 0.5))


def test_light_frame_is_the_streamed_one(parts: Path, sync: None) -> None:
    ours = light_frame(gaia_geo.read_catalog(parts, engine="dask"), by=("constellation",))
    theirs = strata_frame(parts, by=("constellation",))
    _same_frame(ours, theirs)


@pytest.mark.slow
def test_figures_of_a_dask_frame(parts: Path, tmp_path: Path) -> None:
    from gaia_geo.balance import render_figures

    theirs = render_figures(gaia_geo.read_catalog(parts), tmp_path / "pandas")
    args = ["stats", str(parts), "--engine", "dask", "--out", str(tmp_path / "dask")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    ours = sorted((tmp_path / "dask").glob("*.png"))
    assert [p.name for p in ours] == sorted(p.name for p in theirs)
    assert [p.read_bytes() for p in ours] == [p.read_bytes() for p in sorted(theirs)]


runner = CliRunner()


def _ids(folder: Path) -> list[str]:
    return sorted(gaia_geo.read_catalog(folder)["id"])


@pytest.mark.slow
def test_cli_balance_engine_dask(parts: Path, tmp_path: Path) -> None:
    args = ["balance", str(parts), "--n", "50", "--by", "constellation", "--seed", "2"]
    ours = runner.invoke(app, [*args, "--engine", "dask", "--out", str(tmp_path / "dask")])
    theirs = runner.invoke(app, [*args, "--out", str(tmp_path / "pandas")])
    assert ours.exit_code == 0 and theirs.exit_code == 0, ours.output + theirs.output
    assert ours.output.splitlines()[:-1] == theirs.output.splitlines()[:-1]  # the report
    assert "wrote 50 of 400 items" in ours.output
    assert _ids(tmp_path / "dask") == _ids(tmp_path / "pandas")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--engine", "spark"], "--engine 'spark': use pandas or dask"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["--engine", "dask", "--stream"], "--stream and --engine dask: choose one"),
    ],
)
def test_cli_engine_refusals(parts: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["balance", str(parts), "--n", "5", "--out", str(out), *extra])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not out.exists()


@pytest.mark.slow
def test_on_a_local_cluster(parts: Path, tmp_path: Path) -> None:
    # processes=True passes too (every task pickles), but starting two worker processes that
    # import geopandas takes ~45 s on a 2-core machine; threads keep this test ~10 s.
    from distributed import Client, LocalCluster

    full = gaia_geo.read_catalog(parts)
    settings = {"n": 90, "nested": True, "by": ("constellation",), "strategy": "sqrt"}
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        frame = gaia_geo.read_catalog(parts, engine="dask")
        expected = gaia_geo.balance(full, **settings)
        _same_frame(gaia_geo.balance(frame, **settings).compute(), expected)
        report = gaia_geo.balance_report(frame, by=("constellation",))
        assert report.to_dict() == gaia_geo.balance_report(full, by=("constellation",)).to_dict()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BalanceWarning)
            _same_frame(gaia_geo.split(frame).compute(), gaia_geo.split(full))
        out = tmp_path / "balanced"
        address = cluster.scheduler_address
        args = ["balance", str(parts), "--n", "90", "--nested", "--by", "constellation"]
        args += ["--strategy", "sqrt", "--engine", "dask", "--scheduler", address]
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert _ids(out) == sorted(expected["id"])
