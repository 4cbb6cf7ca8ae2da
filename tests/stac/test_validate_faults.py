"""Faults a careless or hostile user meets: every bad object named, no crash, no network."""

from __future__ import annotations

import json
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gaia_geo.cli.main import app
from gaia_geo.errors import CatalogError, ValidationError
from gaia_geo.explore import lint_catalog
from gaia_geo.stac import validate
from gaia_geo.stac._checks import find_duplicate_ids, geometry_problems

runner = CliRunner()


@pytest.fixture()
def catalog(demo_catalog: Path, tmp_path: Path) -> Path:
    """A private copy of the demo catalog (24 Items, train/validate/test)."""
    root = tmp_path / "demo"
    shutil.copytree(demo_catalog, root)
    return root


def _items(root: Path, split: str) -> list[Path]:
    return sorted((root / split).glob("*/*.json"))


def _edit(path: Path, **changes: Any) -> dict[str, Any]:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))
    return data


@pytest.mark.slow
def test_every_bad_file_is_named_and_the_walk_goes_on(catalog: Path) -> None:
    truncated, not_utf8, missing, *_ = _items(catalog, "train")
    truncated.write_bytes(truncated.read_bytes()[:200])
    not_utf8.write_bytes(not_utf8.read_bytes().replace(b'"id"', b'"\xff\xfeid"', 1))
    missing.unlink()
    report = validate(catalog)
    assert report.checked == 28  # every object, bad ones included
    reasons = {p.path: p.reason for p in report.problems}
    assert set(reasons) == {str(truncated), str(not_utf8), str(missing)}
    assert "not valid JSON" in reasons[str(truncated)] and "truncated" in reasons[str(truncated)]
    assert "not UTF-8" in reasons[str(not_utf8)] and "0xff" in reasons[str(not_utf8)]
    assert "does not exist" in reasons[str(missing)]
    assert "collection.json" in reasons[str(missing)]  # names the file that links to it
    assert report.counts == {"valid": 25, "invalid": 3, "unchecked": 0}
    out = runner.invoke(app, ["validate", str(catalog)])
    assert out.exit_code == 1
    assert "3 invalid" in out.stdout and "Traceback" not in out.output
    assert out.output.count("INVALID") == 3


def test_same_item_id_in_train_and_test_is_invalid_and_refused_for_training(
    catalog: Path,
) -> None:
    from gaia_geo.datasets import load_records

    train, test = _items(catalog, "train")[0], _items(catalog, "test")[0]
    item_id = json.loads(train.read_text())["id"]
    _edit(test, id=item_id)
    report = validate(catalog)
    assert {p.path for p in report.problems} == {str(train), str(test)}
    problem = next(p for p in report.problems if p.path == str(test))
    assert item_id in problem.reason and str(train) in problem.reason
    with pytest.raises(CatalogError, match=f"Item id '{item_id}' is in more than one split"):
        load_records(catalog)


def test_repeats_inside_one_group_are_left_alone() -> None:
    found = find_duplicate_ids([("a", "train", 1), ("a", "train", 2), ("b", "train", 3)])
    assert found == {}
    found = find_duplicate_ids([("a", "train", 1), ("b", "test", 2), ("a", "test", 3)])
    assert found == {"a": [1, 3]}


def test_bad_linked_item_is_a_catalog_error_naming_the_file(catalog: Path) -> None:
    from gaia_geo.datasets import GaiaCaptions

    bad = _items(catalog, "train")[2]
    bad.write_text('{"type": "Feature", "stac_version": "1.1.0", "id": 5}')
    with pytest.raises(CatalogError, match=rf"cannot read '{bad}' \(linked as 'item'"):
        GaiaCaptions(catalog, split="train")


def test_self_intersecting_polygon_and_out_of_range_ring_are_invalid(catalog: Path) -> None:
    bowtie, far, *_ = _items(catalog, "validate")
    _edit(
        bowtie,
        geometry={"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]},
        bbox=[0, 0, 10, 10],
    )
    _edit(
        far,
        geometry={"type": "Polygon", "coordinates": [[[990, 0], [999, 0], [999, 5], [990, 0]]]},
        bbox=[990, 0, 999, 5],
    )
    report = validate(catalog)
    reasons = {p.path: p.reason for p in report.problems if p.schema == "geometry"}
    assert "Self-intersection" in reasons[str(bowtie)]
    assert "outside longitude [-180, 180]" in reasons[str(far)]


def test_geometry_checks_accept_the_antimeridian_and_catch_a_short_bbox() -> None:
    across = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[170, 0], [180, 0], [180, 5], [170, 5], [170, 0]]],
            [[[-180, 0], [-170, 0], [-170, 5], [-180, 5], [-180, 0]]],
        ],
    }
    assert geometry_problems(across, [170, 0, -170, 5]) == []
    square = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert geometry_problems(square, [0, 0, 2, 2]) == []
    [problem] = geometry_problems(square, [0, 0, 1, 2])
    assert "does not hold the geometry" in problem
    assert geometry_problems(None, None) == []  # geometry: null is valid STAC


def test_unknown_extension_is_unchecked_and_exits_zero(catalog: Path) -> None:
    item = _items(catalog, "test")[0]
    data = json.loads(item.read_text())
    unknown = "https://stac-extensions.github.io/not-bundled/v1.0.0/schema.json"
    _edit(item, stac_extensions=[*data["stac_extensions"], unknown])
    out = runner.invoke(app, ["validate", str(catalog)])
    assert out.exit_code == 0, out.output
    assert "27 valid, 0 invalid, 1 unchecked" in out.stdout
    assert f"UNCHECKED {item}" in out.output and unknown in out.output


@pytest.mark.slow
def test_https_child_link_is_reported_not_followed_nor_glued(catalog: Path) -> None:
    url = "https://raw.githubusercontent.com/radiantearth/stac-spec/v1.0.0/examples/catalog.json"
    root = catalog / "catalog.json"
    data = json.loads(root.read_text())
    data["links"].append({"rel": "child", "href": url, "type": "application/json"})
    root.write_text(json.dumps(data))
    report = validate(catalog)
    assert report.valid
    [note] = report.unchecked
    assert note.path == url and "not followed" in note.reason and str(root) in note.reason
    assert report.verdicts[url] == "unchecked"
    assert not any("https:/raw" in path for path in report.verdicts)
    out = runner.invoke(app, ["validate", str(catalog)])
    assert out.exit_code == 0 and f"UNCHECKED {url}" in out.output


def test_schema_dir_that_does_not_exist_is_refused(catalog: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist or is not a folder"):
        validate(catalog, schema_dir=tmp_path / "nope")
    out = runner.invoke(app, ["validate", str(catalog), "--schema-dir", str(tmp_path / "nope")])
    assert out.exit_code != 0 and "schema folder" in str(out.exception or out.output)


@pytest.mark.slow
def test_lint_reports_a_missing_item_and_a_bad_file(catalog: Path) -> None:
    first, second = _items(catalog, "train")[:2]
    first.unlink()
    second.write_bytes(b"\xff\xfe not json")
    results = lint_catalog(catalog, items_per_collection=None)
    bad = {str(r.path): r for r in results if r.valid is False}
    assert set(bad) == {str(first), str(second)}
    assert "does not exist" in bad[str(first)].error and "not UTF-8" in bad[str(second)].error
    out = runner.invoke(app, ["lint", str(catalog), "--items", "0"])
    assert out.exit_code == 1 and "2 invalid" in out.output and "Traceback" not in out.output


_CONNECTIONS: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHING[0]:
        return
    if event == "socket.getaddrinfo":
        host = str(args[0])
    elif event == "socket.connect" and isinstance(args[1], tuple):
        host = str(args[1][0])
    else:
        return
    if host not in ("127.0.0.1", "::1", "localhost"):
        _CONNECTIONS.append(f"{event} {host}")


@pytest.mark.slow
def test_lint_and_validate_never_touch_the_network(catalog: Path) -> None:
    item = _items(catalog, "train")[0]
    data = json.loads(item.read_text())
    extra = "https://stac-extensions.github.io/not-bundled/v1.0.0/schema.json"
    _edit(item, stac_extensions=[*data["stac_extensions"], extra])
    root = catalog / "catalog.json"
    meta = json.loads(root.read_text())
    meta["links"].append({"rel": "child", "href": "https://example.com/remote/catalog.json"})
    root.write_text(json.dumps(meta))
    sys.addaudithook(_audit)  # audit hooks cannot be removed: the flag switches it off
    _WATCHING[0] = True
    try:
        socket.getaddrinfo("127.0.0.1", 80)  # the hook sees loopback but does not count it
        results = lint_catalog(catalog, items_per_collection=None)
        report = validate(catalog)
    finally:
        _WATCHING[0] = False
    assert _CONNECTIONS == []
    assert [r.valid for r in results].count(None) == 2  # the extended Item and the remote link
    assert report.valid and len(report.unchecked) == 2
