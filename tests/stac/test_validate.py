import json
import shutil
from pathlib import Path

import pytest

from gaia_geo.errors import ValidationError
from gaia_geo.stac import validate


@pytest.mark.slow
def test_demo_catalog_is_valid_offline(demo_catalog: Path, shared_schemas: Path) -> None:
    report = validate(demo_catalog, schema_dir=shared_schemas)
    assert report.valid, [str(p) for p in report.problems]
    assert report.checked == 1 + 3 + 24
    assert validate(demo_catalog).valid  # bundled schemas alone


def test_invalid_objects_are_reported_by_path_and_reason(
    demo_catalog: Path, tmp_path: Path, shared_schemas: Path
) -> None:
    root = tmp_path / "broken"
    shutil.copytree(demo_catalog, root)
    item_path = next((root / "test").glob("*/*.json"))
    data = json.loads(item_path.read_text())
    data["properties"]["gaia:resolution_class"] = "Ultra High"
    data["properties"]["ml-aoi:split"] = "holdout"
    item_path.write_text(json.dumps(data))
    report = validate(root, schema_dir=shared_schemas)
    assert not report.valid
    paths = {p.path for p in report.problems}
    assert paths == {str(item_path.resolve())}
    reasons = " ".join(p.reason for p in report.problems)
    assert "Ultra High" in reasons and "holdout" in reasons
    with pytest.raises(ValidationError, match="invalid"):
        report.raise_for_problems()


def test_unknown_extension_is_unchecked_not_invalid(demo_catalog: Path, tmp_path: Path) -> None:
    root = tmp_path / "ext"
    shutil.copytree(demo_catalog, root)
    item_path = next((root / "train").glob("*/*.json"))
    data = json.loads(item_path.read_text())
    unknown = "https://stac-extensions.github.io/unknown/v9.9.9/schema.json"
    data["stac_extensions"].append(unknown)
    item_path.write_text(json.dumps(data))
    report = validate(root)
    assert report.valid and report.problems == []
    assert [p.schema for p in report.unchecked] == [unknown]
    assert "not bundled" in report.unchecked[0].reason
    assert report.verdicts[str(item_path.resolve())] == "unchecked"
    assert report.counts == {"valid": 27, "invalid": 0, "unchecked": 1}


@pytest.mark.slow
def test_every_bundled_schema_compiles_and_its_refs_resolve_offline() -> None:
    from urllib.parse import urljoin

    from jsonschema import Draft7Validator

    from gaia_geo.stac._schemas import (
        PACKAGE_SCHEMAS,
        SCHEMA_PREFIXES,
        _refs,
        find_schema,
        schema_dirs,
        schema_validator,
    )

    dirs = schema_dirs()
    urls = []
    for prefix, folder in SCHEMA_PREFIXES.items():
        if folder:
            urls += [
                prefix + p.relative_to(PACKAGE_SCHEMAS / folder).as_posix()
                for p in (PACKAGE_SCHEMAS / folder).rglob("*.json")
            ]
    assert len(urls) > 60
    for url in urls:
        validator = schema_validator(url, dirs)
        assert validator is not None, url
        Draft7Validator.check_schema(validator.schema)
        assert validator.schema["$id"] == url  # registered under the URL asked for
        for ref in _refs(validator.schema):
            target = urljoin(url, ref).split("#", 1)[0]
            if target.startswith("http://json-schema.org/"):
                continue  # JSON Schema's own meta-schemas ship with jsonschema
            assert target == url or find_schema(target, dirs), f"{url} -> {target}"
    # extensions real catalogs use, several versions each
    for name, versions in {
        "eo": ("v1.0.0", "v1.1.0", "v2.0.0"),
        "projection": ("v1.0.0", "v1.1.0", "v1.2.0", "v2.0.0"),
        "raster": ("v1.0.0", "v1.1.0", "v2.0.0"),
        "sat": ("v1.0.0", "v1.1.0", "v1.2.0"),
        "view": ("v1.0.0", "v1.1.0"),
        "sar": ("v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0"),
        "label": ("v1.0.0", "v1.0.1"),
        "file": ("v1.0.0", "v2.0.0", "v2.1.0"),
        "processing": ("v1.0.0", "v1.1.0", "v1.2.0"),
        "scientific": ("v1.0.0",),
        "classification": ("v1.0.0", "v1.1.0"),
        "timestamps": ("v1.0.0", "v1.1.0"),
        "grid": ("v1.0.0", "v1.1.0"),
        "mgrs": ("v1.0.0",),
        "ml-aoi": ("v0.1.0", "v0.2.0"),
        "landsat": ("v2.0.0",),
    }.items():
        for version in versions:
            assert f"https://stac-extensions.github.io/{name}/{version}/schema.json" in urls
    for version in ("v1.0.0", "v1.1.0"):
        assert f"https://schemas.stacspec.org/{version}/item-spec/json-schema/item.json" in urls


def test_a_schema_with_another_versions_id_checks_against_itself() -> None:
    from gaia_geo.stac import validate_object

    item = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": ["https://stac-extensions.github.io/processing/v1.1.0/schema.json"],
        "id": "x",
        "geometry": None,
        "properties": {"datetime": "2020-01-01T00:00:00Z", "processing:level": 5},
        "links": [],
        "assets": {},
    }
    [problem] = validate_object(item)
    assert problem.verdict == "invalid" and "processing:level" in problem.reason
    assert problem.schema.endswith("/processing/v1.1.0/schema.json")
