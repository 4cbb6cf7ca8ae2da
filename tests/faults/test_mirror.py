"""One source of truth: a GeoParquet mirror that no longer matches the Item JSON is never used.

The Item JSON is edited or removed after the catalog was written; every reader then sees the
JSON (with a warning naming the mirror and the reason), and ``split`` in place keeps the edits.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gaia_geo.cli.main import main
from gaia_geo.stac import read_catalog
from gaia_geo.stac._fingerprint import FINGERPRINT_NAME
from gaia_geo.stac._read import collection_mirrors

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


def _parts(demo_catalog: Path, out: Path) -> Path:
    from gaia_geo.stac import to_items, write_catalog

    return write_catalog(to_items(read_catalog(demo_catalog)), out, max_items_per_catalog=4)


def test_parts_are_fingerprinted(
    demo_catalog: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _parts(demo_catalog, tmp_path / "parts")
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


def _walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the link walks of the freshness check (each call records its Collection folder)."""
    from gaia_geo.stac import _fingerprint

    calls: list[str] = []
    walk = _fingerprint.linked_item_paths

    def counted(folder: Path, *args: Any, **kwargs: Any) -> Iterator[str]:
        calls.append(folder.name)
        return walk(folder, *args, **kwargs)

    monkeypatch.setattr(_fingerprint, "linked_item_paths", counted)
    return calls


def test_unchanged_links_skip_the_walk(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fingerprint = json.loads((catalog / "train" / FINGERPRINT_NAME).read_bytes())
    assert fingerprint["gaia_geo_fingerprint"] == 2 and fingerprint["links"]
    walks = _walks(monkeypatch)
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(catalog)) == 24
    assert walks == [] and STALE not in caplog.text
    # the edit is still found: the Item files are checked whether or not the links are walked
    _edit_title(catalog, "Edited by hand")
    with caplog.at_level(logging.WARNING):
        read_catalog(catalog)
    assert walks == [] and "was edited after the mirror" in caplog.text


def test_edited_collection_with_same_items_is_current(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # links reordered and retitled, a link added that is not an Item: the same Item files
    collection = catalog / "train" / "collection.json"
    data = json.loads(collection.read_text())
    items = [link for link in data["links"] if link["rel"] == "item"]
    others = [link for link in data["links"] if link["rel"] != "item"]
    for link in items:
        link["title"] = "retitled"
    data["links"] = [*others, {"rel": "via", "href": "https://example.org"}, *reversed(items)]
    data["description"] = "Edited by hand."
    collection.write_text(json.dumps(data, indent=2))
    walks = _walks(monkeypatch)
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert len(frame) == 24 and STALE not in caplog.text
    assert walks == ["train"]  # the links changed: walked, and found to name the same Items


def test_unlinked_item_file_is_stale(catalog: Path, caplog: pytest.LogCaptureFixture) -> None:
    # the link goes, the file stays: the Collection no longer holds that Item
    collection = catalog / "test" / "collection.json"
    data = json.loads(collection.read_text())
    link = next(link for link in data["links"] if link["rel"] == "item")
    data["links"].remove(link)
    collection.write_text(json.dumps(data, indent=2))
    assert (collection.parent / link["href"]).is_file()
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert len(frame) == 23 and "no longer linked from the Collection" in caplog.text


def test_child_catalog_changes(
    demo_catalog: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = _parts(demo_catalog, tmp_path / "parts")
    fingerprint = json.loads((root / "train" / FINGERPRINT_NAME).read_bytes())
    assert [c[0] for c in fingerprint["catalogs"]][:2] == [
        "part-0001/catalog.json",
        "part-0002/catalog.json",
    ]
    part = root / "train" / "part-0002" / "catalog.json"
    later = (root / "train" / "items.parquet").stat().st_mtime_ns + 10**9
    os.utime(part, ns=(later, later))  # touched, same bytes: hashed, not walked
    walks = _walks(monkeypatch)
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(root)) == 24
    assert walks == [] and STALE not in caplog.text
    data = json.loads(part.read_text())
    data["title"] = "Retitled by hand"
    part.write_text(json.dumps(data))
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(root)) == 24
    assert walks == ["train"] and STALE not in caplog.text  # a new title: walked, the same Items
    link = next(link for link in data["links"] if link["rel"] == "item")
    data["links"].remove(link)
    part.write_text(json.dumps(data))
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(root)) == 23
    assert "no longer linked from the Collection" in caplog.text
    caplog.clear()
    part.unlink()
    with caplog.at_level(logging.WARNING):
        mirrors = {c.parent.name: m for c, _, m in collection_mirrors(root / "catalog.json")}
    assert mirrors["train"] is None and "a linked catalog cannot be read" in caplog.text


def test_version_1_fingerprint_is_still_checked(
    catalog: Path, caplog: pytest.LogCaptureFixture
) -> None:
    side = catalog / "train" / FINGERPRINT_NAME
    new = json.loads(side.read_bytes())
    items = new["items"]
    old = {
        "gaia_geo_fingerprint": 1,
        "mirror": new["mirror"],
        "mirror_size": new["mirror_size"],
        "items": [
            list(t) for t in zip(items["paths"], items["sizes"], items["digests"], strict=True)
        ],
    }
    side.write_text(json.dumps(old))
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(catalog)) == 24
    assert STALE not in caplog.text
    item_id, _ = _edit_title(catalog, "Edited by hand")
    with caplog.at_level(logging.WARNING):
        frame = read_catalog(catalog)
    assert frame.set_index("id").loc[item_id, "title"] == "Edited by hand"
    assert "was edited after the mirror" in caplog.text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"gaia_geo_fingerprint": 99}, "has version 99, which this gaia_geo does not know"),
        ({"items": {"paths": ["a"], "sizes": [], "digests": []}}, "is unreadable"),
        ({"items": None}, "is unreadable"),
    ],
)
def test_unknown_or_broken_fingerprint_is_stale(
    catalog: Path, caplog: pytest.LogCaptureFixture, change: dict[str, object], reason: str
) -> None:
    side = catalog / "train" / FINGERPRINT_NAME
    side.write_text(json.dumps({**json.loads(side.read_bytes()), **change}))
    with caplog.at_level(logging.WARNING):
        assert len(read_catalog(catalog)) == 24
    assert STALE in caplog.text and reason in caplog.text
