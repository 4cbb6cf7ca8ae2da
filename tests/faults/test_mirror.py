"""One source of truth: a GeoParquet mirror that no longer matches the Item JSON is never used.

The Item JSON is edited or removed after the catalog was written; every reader then sees the
JSON (with a warning naming the mirror and the reason), and ``split`` in place keeps the edits.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest

from gaia_geo.cli.main import main
from gaia_geo.stac import read_catalog
from gaia_geo.stac._fingerprint import FINGERPRINT_NAME

STALE = "is out of date and is not used"


@pytest.fixture
def catalog(demo_catalog: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_catalog, copy)
    return copy


def _edit_title(catalog: Path, title: str) -> tuple[str, Path]:
    item = sorted(catalog.glob("train/*/*.json"))[0]
    data = json.loads(item.read_bytes())
    data["properties"]["title"] = title
    item.write_text(json.dumps(data, indent=2))
    return data["id"], item


def _delete_item(catalog: Path) -> str:
    """Remove one Item the way a user would: its folder and its link in the Collection."""
    collection = catalog / "test" / "collection.json"
    data = json.loads(collection.read_text())
    link = next(link for link in data["links"] if link["rel"] == "item")
    data["links"].remove(link)
    collection.write_text(json.dumps(data, indent=2))
    folder = (collection.parent / link["href"]).parent
    shutil.rmtree(folder)
    return folder.name


def test_fresh_mirror_is_trusted(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert (catalog / "train" / FINGERPRINT_NAME).is_file()
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert len(frame) == 24 and STALE not in caplog.text


def test_copy_without_times_is_not_stale(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    # `cp -r` gives every file a new time, Items after the mirror: a hash check, not a false alarm
    mirror = catalog / "train" / "items.parquet"
    old = mirror.stat().st_mtime_ns
    for item in catalog.glob("train/*/*.json"):
        os.utime(item, ns=(old + 10**9, old + 10**9))
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(catalog)) == 24
    assert STALE not in caplog.text


def test_edited_item_is_read_from_json(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    item_id, _ = _edit_title(catalog, "Edited by hand")
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert frame.set_index("id").loc[item_id, "title"] == "Edited by hand"
    assert STALE in caplog.text and "was edited after the mirror" in caplog.text


def test_same_size_edit_is_detected(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    item = sorted(catalog.glob("train/*/*.json"))[0]
    raw = item.read_bytes()
    title = json.loads(raw)["properties"]["title"]
    new = "Z" * len(title)
    item.write_bytes(raw.replace(f'"title": "{title}"'.encode(), f'"title": "{new}"'.encode(), 1))
    assert len(item.read_bytes()) == len(raw)
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert new in set(frame["title"]) and STALE in caplog.text


def test_info_after_delete_and_edit(
    catalog: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    _delete_item(catalog)
    _edit_title(catalog, "Edited")
    with pytest.raises(SystemExit) as exit_info:
        main(["info", str(catalog), "--json"])
    assert exit_info.value.code in (0, None)
    summary = json.loads(capsys.readouterr().out)
    assert summary["items"] == 23
    assert "no longer linked" in caplog.text


@pytest.mark.slow
def test_balance_after_delete(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = _delete_item(catalog)
    with pytest.raises(SystemExit) as exit_info:
        main(["balance", str(catalog), "--cap", "100", "--out", str(tmp_path / "b")])
    assert exit_info.value.code in (0, None), capsys.readouterr().err
    frame = read_catalog(tmp_path / "b")
    assert len(frame) == 23 and gone not in set(frame["id"])


def test_split_in_place_keeps_json_edits(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item_id, _ = _edit_title(catalog, "Edited by hand")
    gone = _delete_item(catalog)
    with pytest.raises(SystemExit) as exit_info:
        main(["split", str(catalog), "--block", "h3:2"])
    assert exit_info.value.code in (0, None), capsys.readouterr().err
    frame = read_catalog(catalog, prefer_geoparquet=False)
    assert frame.set_index("id").loc[item_id, "title"] == "Edited by hand"
    assert len(frame) == 23 and gone not in set(frame["id"])
    # the rewritten mirror matches again
    assert read_catalog(catalog).set_index("id").loc[item_id, "title"] == "Edited by hand"


def test_mirror_without_fingerprint_is_not_trusted(
    catalog: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (catalog / "train" / FINGERPRINT_NAME).unlink()
    item_id, _ = _edit_title(catalog, "Edited")
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert frame.set_index("id").loc[item_id, "title"] == "Edited"
    assert "has no items.fingerprint.json" in caplog.text


def test_replaced_mirror_is_stale(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    mirror = catalog / "train" / "items.parquet"
    shutil.copyfile(catalog / "test" / "items.parquet", mirror)
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert len(frame) == 24 and "mirror was replaced" in caplog.text


def test_parts_are_fingerprinted(
    demo_catalog: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from gaia_geo.stac import to_items, write_catalog

    root = write_catalog(
        to_items(read_catalog(demo_catalog)), tmp_path / "parts", max_items_per_catalog=4
    )
    assert (root / "train" / "part-0002" / "catalog.json").is_file()
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(root)) == 24
    assert STALE not in caplog.text
    item = next(root.glob("train/part-0002/*/*.json"))
    item.write_text(item.read_text().replace('"title": "', '"title": "Edited ', 1))
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(root)
    assert frame["title"].str.startswith("Edited ").sum() == 1
    assert f"'part-0002/{item.parent.name}/{item.name}' was edited" in caplog.text
