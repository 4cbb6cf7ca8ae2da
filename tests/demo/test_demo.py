import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaia_geo.cli.main import app
from gaia_geo.demo import build_demo, sample_records
from gaia_geo.stac import read_catalog


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.slow
def test_demo_is_deterministic_and_complete(tmp_path: Path, demo_catalog: Path) -> None:
    again = build_demo(tmp_path / "demo", n=24, seed=0)
    assert _digest(again) == _digest(demo_catalog)
    frame = read_catalog(demo_catalog)
    assert set(frame["gaia:geometry_kind"]) == {"footprint", "place"}
    tifs = [a["image"]["href"] for a in frame["assets"] if a["image"]["href"].endswith(".tif")]
    pngs = [a["image"]["href"] for a in frame["assets"] if a["image"]["href"].endswith(".png")]
    assert tifs and pngs
    chips = frame[frame["gaia:geometry_kind"] == "footprint"]
    assert (
        chips["proj:code"].str.startswith("EPSG:326").any()
        or chips["proj:code"].str.startswith("EPSG:327").any()
    )
    provenance = frame.iloc[0]["gaia:caption_provenance"]
    assert provenance["generator"] == "offline" and "offline" in provenance["model"]
    for captions in frame["gaia:captions"]:
        assert len(set(captions)) == 5
        assert all(c.startswith("The image showcases:") for c in captions)
        assert not any("photograph" in c.lower() for c in captions)


def test_records_name_place_date_and_sensor() -> None:
    records = sample_records(50, seed=3)
    assert len({r.place for r in records}) >= 30
    for r in records:
        assert r.place in r.text and str(r.date.year) in r.text
        assert r.sensor.operating_in(r.date.year)


@pytest.mark.slow
def test_cli_demo_validate_info(tmp_path: Path, shared_schemas: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "cli-demo"
    result = runner.invoke(app, ["demo", "--out", str(out), "--n", "12"])
    assert result.exit_code == 0, result.output
    assert "items: 12" in result.output
    result = runner.invoke(app, ["validate", str(out), "--schema-dir", str(shared_schemas)])
    assert result.exit_code == 0 and "0 invalid" in result.output
    result = runner.invoke(app, ["info", str(out), "--json"])
    summary = json.loads(result.output)
    assert summary["items"] == 12 and sum(summary["splits"].values()) == 12
    assert sum(summary["years"].values()) == 12
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "catalog.json").write_text("{not json")
    result = runner.invoke(app, ["info", str(bad)])
    assert result.exit_code != 0
