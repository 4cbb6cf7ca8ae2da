"""What STAC Browser needs from a written catalog: a published captions schema, a Collection
image it does not lay over the extent, a self-hosted schema URI that still validates offline."""

import json
from pathlib import Path
from typing import Any

import pystac
import pytest
from PIL import Image

from gaia_geo.stac import (
    SCHEMA_URI,
    CaptionExtension,
    read_catalog,
    to_items,
    validate,
    write_catalog,
)
from gaia_geo.stac._schemas import find_schema, schema_dirs
from gaia_geo.stac._validate import check_object

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = REPO / "stac-extensions" / "captions" / "v1.0.0" / "schema.json"
BUNDLED = REPO / "src" / "gaia_geo" / "stac" / "schemas" / "captions" / "v1.0.0" / "schema.json"
HOSTED = "https://data.example.org/schemas/stac-extensions/captions/v1.0.0/schema.json"


def _items(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(root.rglob("demo-*.json"))]


def test_published_schema_is_the_bundled_one_and_validates_the_demo(demo_catalog: Path) -> None:
    assert PUBLISHED.read_bytes() == BUNDLED.read_bytes()
    schema = json.loads(PUBLISHED.read_text())
    # the URI Items declare is the file's $id, and the path under stac-extensions/ mirrors it
    assert schema["$id"].rstrip("#") == SCHEMA_URI
    assert SCHEMA_URI.endswith("/" + PUBLISHED.relative_to(REPO).as_posix())
    dirs = schema_dirs(PUBLISHED.parents[2])  # the published folder searched first
    assert find_schema(SCHEMA_URI, dirs) == PUBLISHED
    items = _items(demo_catalog)
    assert items and all(SCHEMA_URI in d["stac_extensions"] for d in items)
    for data in items:
        assert check_object(data, dirs, str(data["id"])) == []
    broken = {**items[0], "properties": {**items[0]["properties"], "gaia:captions": "one"}}
    assert [p.schema for p in check_object(broken, dirs, "x")] == [SCHEMA_URI]


def test_collection_image_is_a_graphic_not_a_map_preview(demo_catalog: Path) -> None:
    for split in ("train", "validate", "test"):
        coll = json.loads((demo_catalog / split / "collection.json").read_text())
        assets = coll["assets"]
        # STAC Browser lays keys or roles thumbnail/overview over the Collection's extent
        assert not {"thumbnail", "overview"} & set(assets)
        assert all(not {"thumbnail", "overview"} & set(a["roles"]) for a in assets.values())
        graphic = assets["graphic"]
        assert graphic["roles"] == ["graphic"] and graphic["type"] == "image/jpeg"
        assert graphic["title"].startswith("Example image: ")
        assert (demo_catalog / split / graphic["href"]).is_file()


def test_demo_thumbnails_are_256_px_jpeg(demo_catalog: Path) -> None:
    thumbs = sorted(demo_catalog.rglob("*-thumbnail.jpg"))
    assert len(thumbs) == 24
    for path in thumbs:
        with Image.open(path) as image:
            assert image.format == "JPEG" and max(image.size) == 256
    assert sum(p.stat().st_size for p in thumbs) < 24 * 12_000  # ~0.3 MB for 72 in the demo


@pytest.mark.slow
def test_self_hosted_schema_uri_is_written_and_validates_offline(
    tmp_path: Path, demo_catalog: Path
) -> None:
    items = to_items(read_catalog(demo_catalog))
    root = write_catalog(items, tmp_path / "hosted", captions_schema_uri=HOSTED)
    written = _items(root)
    assert all(HOSTED in d["stac_extensions"] for d in written)
    assert all(SCHEMA_URI not in d["stac_extensions"] for d in written)
    assert all(d["stac_extensions"][0] == HOSTED for d in written)  # still first
    coll = json.loads((root / "train" / "collection.json").read_text())
    assert HOSTED in coll["stac_extensions"] and SCHEMA_URI not in coll["stac_extensions"]
    report = validate(root)
    assert report.problems == [] and not [n for n in report.unchecked if n.schema == HOSTED]
    item = pystac.Item.from_dict(written[0])
    assert len(CaptionExtension.ext(item).captions or []) == 5  # pystac accepts the hosted URI
    item.stac_extensions = [u for u in item.stac_extensions if u != HOSTED]
    with pytest.raises(pystac.ExtensionNotImplemented, match="not implemented"):
        CaptionExtension.ext(item)
    assert find_schema(HOSTED, schema_dirs()) == BUNDLED.resolve()


def test_schema_uri_from_the_environment(
    tmp_path: Path, demo_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAIA_CAPTIONS_SCHEMA_URI", HOSTED)
    items = to_items(read_catalog(demo_catalog))[:3]
    root = write_catalog(items, tmp_path / "env")
    assert all(HOSTED in d["stac_extensions"] for d in _items(root))
    monkeypatch.setenv("GAIA_CAPTIONS_SCHEMA_URI", "https://example.org/schema.json")
    with pytest.raises(ValueError, match="GAIA_CAPTIONS_SCHEMA_URI is .* ending in"):
        write_catalog(items, tmp_path / "bad-env")


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.org/captions/v2.0.0/schema.json",
        "ftp://example.org/captions/v1.0.0/schema.json",
        "stac-extensions/captions/v1.0.0/schema.json",
    ],
)
def test_bad_schema_uri_is_refused(tmp_path: Path, demo_catalog: Path, uri: str) -> None:
    items = to_items(read_catalog(demo_catalog))[:1]
    with pytest.raises(ValueError, match="captions_schema_uri is .*/captions/v1.0.0/schema.json"):
        write_catalog(items, tmp_path / "bad", captions_schema_uri=uri)
    assert not (tmp_path / "bad").exists()
