import json
import shutil
from pathlib import Path

import pytest

from gaia_geo.errors import ValidationError
from gaia_geo.stac import validate


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
