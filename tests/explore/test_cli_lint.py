from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gaia_geo.cli.main import app
from gaia_geo.explore import lint_catalog

runner = CliRunner()


def test_lint_runs_offline_and_reports_best_practices(explore_catalog: Path) -> None:
    results = lint_catalog(explore_catalog, items_per_collection=1)
    kinds = [r.kind.upper() for r in results]
    assert kinds[0] == "CATALOG" and kinds.count("COLLECTION") == 3 and kinds.count("ITEM") == 3
    assert all(r.valid for r in results), [r.to_dict() for r in results if not r.valid]
    # the seeded catalog has no self links: stac-check must say so
    assert any("self" in m for m in results[0].best_practices)


def test_lint_reports_an_invalid_item(explore_catalog: Path, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(explore_catalog, broken)
    item_path = broken / "train" / "train-000000" / "train-000000.json"  # first item link
    item = json.loads(item_path.read_text())
    item["bbox"] = "not a bbox"
    item_path.write_text(json.dumps(item))
    results = lint_catalog(broken, items_per_collection=1)
    bad = [r for r in results if not r.valid]
    assert [r.path for r in bad] == [item_path.resolve()]
    out = runner.invoke(app, ["lint", str(broken), "--items", "1"])
    assert out.exit_code == 1 and "INVALID" in out.output


def test_cli_search_prints_matches(explore_catalog: Path) -> None:
    out = runner.invoke(app, ["search", str(explore_catalog), "--text", "glacier", "--limit", "0"])
    assert out.exit_code == 0, out.output
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 5 and all("glacier" in line.lower() for line in lines)
    out = runner.invoke(
        app, ["search", str(explore_catalog), "--filter", "gsd < 30", "--text", "glacier", "--json"]
    )
    assert out.exit_code == 0, out.output
    collection = json.loads(out.stdout)
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["gsd"] < 30 for f in collection["features"]} == {True}
