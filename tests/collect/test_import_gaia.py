"""The GAIA release importer against generated release files (and a loopback image server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from _helpers import load_script
from gaia_geo.collect._gaia_import import (  # noqa: E402
    GAIA_END,
    GAIA_START,
    import_gaia,
    match_sensor_name,
    resolve_sensors,
    split_from_filename,
)
from gaia_geo.errors import CatalogError  # noqa: E402
from gaia_geo.sensors import get_sensor  # noqa: E402
from gaia_geo.stac import read_catalog, validate  # noqa: E402

data = load_script("data/collect_sources/data.py")
BASE = "http://127.0.0.1:9"  # never contacted: the importer leaves images remote


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return data.make_gaia_release(tmp_path_factory.mktemp("release"), BASE)


@pytest.fixture(scope="module")
def imported(release: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("cat") / "gaia"
    report = import_gaia(list(release.values()), out)
    return out, report


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("GAIA_train.json", "train"),
        ("gaia-validation.json", "validate"),
        ("val.json", "validate"),
        ("GAIA_test.json", "test"),
        ("records.json", None),
        ("contest.json", None),  # "test" inside a word is not a split
    ],
)
def test_split_from_filename(name: str, split: str | None) -> None:
    assert split_from_filename(name) == split


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("NASA Terra", ["terra-modis"]),
        ("EOS-Terra", ["terra-modis"]),
        ("Sentinel-2A/B", ["sentinel-2-msi"]),
        ("International Space Station (ISS)", ["iss-astronaut"]),
        ("STS-97 Space Shuttle", ["space-shuttle"]),
        ("ESA's Sentinel-1A", ["sentinel-1a-csar"]),
        ("Landsat 8 (OLI)", ["landsat-8-oli"]),
        ("Terra/Aqua", ["terra-modis", "aqua-modis"]),
        ("Landsat 8 and Landsat 9", ["landsat-8-oli", "landsat-9-oli"]),
        ("Zorblax-7", []),
    ],
)
def test_match_sensor_name(name: str, keys: list[str]) -> None:
    assert [s.key for s in match_sensor_name(name)] == keys


def test_resolve_sensors_prefers_the_instrument_on_the_named_satellite() -> None:
    primary, matched, unmatched = resolve_sensors(["Terra"], ["ASTER"])
    assert primary is not None and primary.key == "terra-aster"
    assert unmatched == []
    primary, _, _ = resolve_sensors(["NASA Terra"], ["MODIS"])
    assert primary is not None and primary.key == "terra-modis"
    primary, _, unmatched = resolve_sensors(["Zorblax-7"], ["MSI"])
    assert primary is not None and primary.key == "sentinel-2-msi"
    assert unmatched == ["Zorblax-7"]
    assert resolve_sensors([], []) == (None, [], [])


def test_import_report(imported) -> None:
    out, report = imported
    assert report.files == {"GAIA_train.json": 7, "GAIA_validation.json": 2, "GAIA_test.json": 2}
    assert report.splits == {"train": 5, "validate": 1, "test": 2}
    assert report.items == 8
    reasons = {r["id"]: r["reason"] for r in report.rejected}
    assert set(reasons) == {"1005", "1006", "1000"}
    assert "lat" in reasons["1005"] and "outside" in reasons["1005"]
    assert "no captions" in reasons["1006"]
    assert "duplicate" in reasons["1000"]
    assert report.duplicates == ["1000"]
    assert report.unmatched_names == {"Zorblax-7": 1, "HyperCam": 1}
    assert report.without_sensor == 1
    on_disk = json.loads((out / "import-report.json").read_text())
    assert on_disk == report.to_dict()


def test_imported_items(imported, shared_schemas: Path) -> None:
    out, _ = imported
    frame = read_catalog(out).set_index("id")
    assert len(frame) == 8
    assert set(frame["gaia:geometry_kind"]) == {"point"}
    assert all(g.geom_type == "Point" for g in frame.geometry)
    assert frame.loc["1001"].geometry.x == pytest.approx(-120.05)
    assert frame.loc["1001"].geometry.y == pytest.approx(39.10)

    terra = frame.loc["1001"]  # "NASA Terra" + "MODIS"
    assert terra["platform"] == "terra" and list(terra["instruments"]) == ["modis"]
    assert terra["gsd"] == get_sensor("terra-modis").gsd
    assert list(terra["gaia:sensor_names"]) == ["NASA Terra", "MODIS"]
    assert frame.loc["1002"]["platform"] == "terra"  # "EOS-Terra" as a plain string
    s2 = frame.loc["1003"]
    assert s2["constellation"] == "sentinel-2" and s2["gsd"] == 10.0
    assert s2["gaia:resolution_class"] == "High"
    assert frame.loc["1010"]["platform"] == "iss"
    assert frame.loc["1010"]["ml-aoi:split"] == "validate"

    # the shuttle flew until 2011: the GAIA span narrowed to its operating years
    shuttle = frame.loc["1020"]
    assert shuttle["platform"] == "space-shuttle"
    assert shuttle["start_datetime"].year == 1998 and shuttle["end_datetime"].year == 2011
    # Landsat 8 and Sentinel-2 compared: both instruments named, Landsat 8 primary
    both = frame.loc["1021"]
    assert both["platform"] == "landsat-8"
    assert list(both["instruments"]) == ["oli", "tirs", "msi"]

    unknown = frame.loc["1004"]  # nothing matched: kept verbatim, no platform, GAIA span
    assert list(unknown["gaia:sensor_names"]) == ["Zorblax-7", "HyperCam"]
    assert not isinstance(unknown.get("platform"), str)
    assert unknown["gaia:resolution_class"] == "Very High"  # "very high" normalised
    assert unknown["start_datetime"] == GAIA_START and unknown["end_datetime"] == GAIA_END

    landsat = frame.loc["1000"]
    assert landsat["start_datetime"].year == 2013  # Landsat 8 launched in 2013
    assert landsat["gaia:caption_provenance"]["generator"] == "gaia-release"
    assert len(landsat["gaia:captions"]) == 5
    assert landsat["description"] == landsat["gaia:captions"][0]
    assert landsat["assets"]["image"]["href"] == f"{BASE}/files/img-000.png"
    assert list(landsat["gaia:tags"]) == ["lake", "mountains", "snow"]

    report = validate(out, schema_dir=shared_schemas)
    assert report.valid, report


def test_import_rejects_broken_files(tmp_path: Path) -> None:
    bad = tmp_path / "GAIA_train.json"
    bad.write_text("{not json")
    with pytest.raises(CatalogError, match="GAIA_train.json.*not valid JSON"):
        import_gaia([bad], tmp_path / "out")
    with pytest.raises(CatalogError, match="does not exist"):
        import_gaia([tmp_path / "missing.json"], tmp_path / "out")
    only_bad = tmp_path / "GAIA_test.json"
    only_bad.write_text(json.dumps([data.gaia_record(0, "ftp://x/y.png")]))
    with pytest.raises(CatalogError, match="no record"):
        import_gaia([only_bad], tmp_path / "out")
    with pytest.raises(ValueError, match="split"):
        import_gaia([only_bad], tmp_path / "out", split="holdout")
    assert not (tmp_path / "out").exists()


def test_import_cli(release: dict[str, Path], tmp_path: Path) -> None:
    from gaia_geo.cli.collect_sources import register

    app, collect_app = typer.Typer(), typer.Typer()
    app.add_typer(collect_app, name="collect")
    register(app, collect_app)
    out = tmp_path / "gaia"
    result = CliRunner().invoke(
        app, ["import-gaia", str(release["test"]), "--out", str(out), "--split", "train"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[: result.output.rindex("}") + 1])
    assert summary["items"] == 2 and summary["splits"] == {"train": 2}
    assert (out / "train" / "collection.json").is_file()


def test_commands_are_wired_into_gaia_geo(release: dict[str, Path], tmp_path: Path) -> None:
    from gaia_geo.cli.main import app

    runner = CliRunner()
    for args in (["download", "--help"], ["collect", "stac", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    out = tmp_path / "gaia"
    result = runner.invoke(app, ["import-gaia", str(release["validation"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "import-report.json").read_text())["splits"] == {"validate": 2}


def test_import_cli_layout_geoparquet(release: dict[str, Path], tmp_path: Path) -> None:
    from gaia_geo.cli.main import app
    from gaia_geo.stac._partitioned import catalog_partitions, partition_keys

    out = tmp_path / "gaia"
    args = ["import-gaia", *map(str, release.values()), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--layout", "geoparquet", "--partition-by", "h3"])
    assert result.exit_code == 0, result.output
    files = catalog_partitions(out) or []
    assert {tuple(partition_keys(f)) for f in files} == {("split", "h3")}
    assert not list(out.rglob("*/*/*.json"))  # no Item JSON in this layout
    assert (out / "import-report.json").is_file()
    static = import_gaia(list(release.values()), tmp_path / "static")
    assert sorted(read_catalog(out)["id"]) == sorted(read_catalog(tmp_path / "static")["id"])
    assert static.items == len(read_catalog(out))
    bad = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "no"), "--partition-by", "year"])
    assert bad.exit_code == 2
    assert "--partition-by needs --layout geoparquet" in " ".join(bad.output.split())
    assert not (tmp_path / "no").exists()
