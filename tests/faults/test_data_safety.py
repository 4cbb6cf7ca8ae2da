"""No command deletes or overwrites what it did not create (issue: never lose a user's data).

Each test points a writing command at its own input, at a folder inside or around it, or at a
folder holding a user's file, and checks the refusal (one line, exit 1) and that every byte of
the input is still there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from gaia_geo.cli.main import main
from gaia_geo.collect import import_gaia
from gaia_geo.errors import GeometryError, UnsafeOutputError
from gaia_geo.stac import read_catalog, to_items, write_catalog


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def catalog(demo_catalog: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_catalog, copy)
    return copy


def _refused(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    assert err.startswith("error: ") and "Traceback" not in err
    for word in words:
        assert word in err, err


def test_balance_out_is_the_input(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(catalog)
    code, _, err = _run(["balance", str(catalog), "--n", "5", "--out", str(catalog)], capsys)
    _refused(code, err, "is the input", str(catalog.resolve()))
    assert _digest(catalog) == before


def test_balance_out_inside_the_input(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(catalog)
    out = catalog / "train"
    code, _, err = _run(["balance", str(catalog / "catalog.json"), "--out", str(out)], capsys)
    _refused(code, err, "lies inside the input")
    assert _digest(catalog) == before
    assert len(read_catalog(catalog)) == 24


@pytest.mark.slow
def test_balance_out_over_a_user_folder(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    code, _, err = _run(["balance", str(catalog), "--out", str(mine)], capsys)
    _refused(code, err, "not a catalog written by gaia_geo", "thesis.tex")
    assert (mine / "thesis.tex").read_text() == "years of work"
    # an earlier output of gaia_geo is replaced, as documented
    again = tmp_path / "balanced"
    assert _run(["balance", str(catalog), "--n", "6", "--out", str(again)], capsys)[0] == 0
    assert _run(["balance", str(catalog), "--n", "4", "--out", str(again)], capsys)[0] == 0
    assert len(read_catalog(again)) == 4


def _release(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "id": "r1",
        "image_src": "https://example.org/a.jpg",
        "captions": ["The image showcases: a delta."],
        "lat": 10.0,
        "lon": 20.0,
    }
    path = folder / "GAIA_train.json"
    path.write_text(json.dumps([record]))
    (folder / "notes.txt").write_text("my notes")
    return path


def test_import_gaia_out_holds_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path / "rel")
    code, _, err = _run(["import-gaia", str(release), "--out", str(tmp_path / "rel")], capsys)
    _refused(code, err, "holds the input", "GAIA_train.json")
    assert release.is_file() and (tmp_path / "rel" / "notes.txt").read_text() == "my notes"


@pytest.mark.parametrize("out", [".", ".."])
def test_import_gaia_out_dot_is_one_line(
    out: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    release = _release(tmp_path / "work" / "rel")
    monkeypatch.chdir(release.parent)
    code, _, err = _run(["import-gaia", release.name, "--out", out], capsys)
    _refused(code, err, "holds the input")
    assert release.is_file()


def test_import_gaia_library_refuses_too(tmp_path: Path) -> None:
    release = _release(tmp_path / "rel")
    with pytest.raises(UnsafeOutputError, match="is the input"):
        import_gaia([release], release)


def test_split_out_is_the_input_folder(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(catalog)
    code, _, err = _run(["split", str(catalog / "catalog.json"), "--out", str(catalog)], capsys)
    _refused(code, err, "is the input")
    assert _digest(catalog) == before


def test_split_in_place_keeps_user_files(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (catalog / "train" / "notes.txt").write_text("mine")
    before = _digest(catalog)
    code, _, err = _run(["split", str(catalog), "--block", "h3:2"], capsys)
    _refused(code, err, "train/notes.txt", "gaia_geo did not write")
    assert _digest(catalog) == before
    (catalog / "train" / "notes.txt").unlink()
    code, out, err = _run(
        ["split", str(catalog), "--block", "h3:2"], capsys
    )  # in place, as documented
    assert code == 0, err
    assert len(read_catalog(catalog)) == 24


def test_caption_out_inside_the_input(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(catalog)
    code, _, err = _run(
        ["caption", str(catalog), "--offline", "--out", str(catalog / "captioned")], capsys
    )
    _refused(code, err, "lies inside the input")
    assert _digest(catalog) == before


def test_download_refuses_a_catalog_holding_user_files(
    catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalog / "todo.md").write_text("mine")
    code, _, err = _run(["download", str(catalog)], capsys)
    _refused(code, err, "todo.md")
    assert (catalog / "todo.md").read_text() == "mine"


def test_webdataset_out_inside_the_catalog(catalog: Path) -> None:
    from gaia_geo.collect._webdataset import export_webdataset

    before = _digest(catalog)
    with pytest.raises(UnsafeOutputError, match="lies inside the input"):
        export_webdataset(catalog, catalog / "test")
    assert _digest(catalog) == before


def test_collect_web_catalog_over_the_crawl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "records.jsonl").write_text("{}\n")
    args = ["collect", "web", "http://127.0.0.1:9/", "--out", str(crawl)]
    code, _, err = _run([*args, "--catalog-dir", str(crawl)], capsys)
    _refused(code, err, "is the input")
    (crawl / "notes.txt").write_text("mine")
    # --demo starts its crawl afresh in OUT/crawl: only an earlier crawl folder may go
    code, _, err = _run(["collect", "web", "--demo", "--out", str(tmp_path)], capsys)
    _refused(code, err, "not a crawl folder")
    assert (crawl / "notes.txt").read_text() == "mine"


def test_collect_stac_out_holds_the_points(tmp_path: Path) -> None:
    from gaia_geo.collect._stac_chips import collect_stac_chips

    folder = tmp_path / "points"
    folder.mkdir()
    points = folder / "points.csv"
    points.write_text("lon,lat\n10,20\n")
    with pytest.raises(UnsafeOutputError, match="holds the input"):
        collect_stac_chips("http://127.0.0.1:9", "c", points, None, 64, folder)
    assert points.is_file()


def test_import_rasters_out_is_the_raster_folder(tmp_path: Path) -> None:
    from gaia_geo.collect import import_rasters

    rasters = tmp_path / "rasters"
    rasters.mkdir()
    (rasters / "scene.tif").write_bytes(b"II*\x00")
    with pytest.raises(UnsafeOutputError, match="is the input"):
        import_rasters(rasters, rasters)
    with pytest.raises(UnsafeOutputError, match="lies inside the input"):
        import_rasters(rasters, rasters / "catalog")
    assert (rasters / "scene.tif").read_bytes() == b"II*\x00"


def test_import_stac_out_is_the_source(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(catalog)
    code, _, err = _run(["import-stac", str(catalog), "--out", str(catalog)], capsys)
    _refused(code, err, "is the input")  # referenced assets would go with the old tree
    code, _, err = _run(["import-stac", str(catalog), "--out", str(catalog / "copy")], capsys)
    _refused(code, err, "lies inside the input")
    assert _digest(catalog) == before


def test_write_catalog_library_guard(catalog: Path, tmp_path: Path) -> None:
    items = to_items(read_catalog(catalog))
    home = tmp_path / "home"
    home.mkdir()
    (home / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(UnsafeOutputError, match="is not a catalog written by gaia_geo"):
        write_catalog(items, home)
    assert (home / "photo.jpg").read_bytes() == b"\xff\xd8"
    (catalog / "README").write_text("mine")
    with pytest.raises(UnsafeOutputError, match="'README'"):
        write_catalog(items, catalog)
    (catalog / "README").unlink()
    write_catalog(items, catalog)  # a gaia_geo catalog may be rewritten in place
    assert len(read_catalog(catalog)) == 24


def test_demo_out_over_a_user_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, _, err = _run(["demo", "--out", str(tmp_path), "--n", "12"], capsys)
    _refused(code, err, "keep.txt")
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_import_gaia_refuses_captions_that_are_not_strings(tmp_path: Path) -> None:
    good = {"image_src": "https://example.org/a.jpg", "lat": 1.0, "lon": 2.0}
    records = [
        {**good, "id": "ok", "captions": ["The image showcases: fields."]},
        {**good, "id": "obj", "captions": {"a": "b"}},
        {**good, "id": "num", "captions": 42},
        {**good, "id": "nested", "captions": [["x", "y"]]},
        {**good, "id": "str", "captions": "one caption"},
    ]
    release = tmp_path / "GAIA_test.json"
    release.write_text(json.dumps(records))
    report = import_gaia([release], tmp_path / "out")
    assert report.items == 1 and report.rejected_fields == {"captions": 4}
    reasons = {r["id"]: r["reason"] for r in report.rejected}
    assert set(reasons) == {"obj", "num", "nested", "str"}
    assert all("field 'captions'" in r and "list of strings" in r for r in reasons.values())
    assert "'obj'" in reasons["obj"]
    caps = read_catalog(tmp_path / "out")["gaia:captions"].iloc[0]
    assert list(caps) == ["The image showcases: fields."]


def test_geometry_out_of_range_is_refused_at_write(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = next(catalog.glob("train/*/*.json"))
    data = json.loads(item.read_text())
    data["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[10, 0], [999, 0], [999, 1], [10, 1], [10, 0]]],
    }
    item.write_text(json.dumps(data))
    code, _, err = _run(
        ["balance", str(catalog), "--cap", "100", "--out", str(tmp_path / "b")], capsys
    )
    _refused(code, err, f"item {data['id']!r}", "'geometry'", "999")
    assert not (tmp_path / "b").exists()
    with pytest.raises(GeometryError, match=r"field 'bbox'"):
        write_catalog([{**data, "geometry": None, "bbox": [0, 0, 1, 95]}], tmp_path / "c")
