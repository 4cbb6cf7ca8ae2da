"""Real third-party STAC (tests/data/real/stac, see PROVENANCE.md): no false "invalid".

Every object is valid or unchecked, except the few that are genuinely wrong, listed here with
the reason: their bbox does not hold their geometry (RFC 7946 section 5 asks that it does).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaia_geo.cli.main import app
from gaia_geo.stac import validate

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "stac"

#: Genuinely invalid objects: the stac-spec projection example's bbox stops 0.5 degrees short of
#: its footprint (the same Landsat scene is reused by pystac's extension tests), pystac's 0.8.1
#: Landsat sample likewise, and pystac's test-case-1 Items carry a zero-height bbox.
GENUINE = {
    "stac-spec-1.0.0/extensions-collection/proj-example/proj-example.json",
    "stac-spec-1.1.0/extensions-collection/proj-example/proj-example.json",
    "pystac-extensions/projection-example-with-version-1.1.json",
    "pystac-extensions/timestamps-example-landsat8.json",
    "pystac-extensions/view-example-landsat8.json",
    "pystac-extensions/eo-landsat8-sample.json",
    *(
        f"pystac-test-case-1/country-{c}/area-{c}-{a}/area-{c}-{a}-{kind}/area-{c}-{a}-{kind}.json"
        for c in (1, 2)
        for a in (1, 2)
        for kind in ("imagery", "labels")
    ),
}

ROOTS = [
    "stac-spec-1.0.0/catalog.json",
    "stac-spec-1.0.0/collection.json",
    "stac-spec-1.0.0/collectionless-item.json",
    "stac-spec-1.0.0/collection-only/collection-with-schemas.json",
    "stac-spec-1.1.0/catalog.json",
    "stac-spec-1.1.0/collection.json",
    "stac-spec-1.1.0/collectionless-item.json",
    "stac-spec-1.1.0/collection-only/collection-with-schemas.json",
    "pystac-test-case-1/catalog.json",
    "pystac-sentinel2-1.0.0/example-sentinel2.json",
    *sorted(p.relative_to(REAL).as_posix() for p in (REAL / "pystac-extensions").glob("*.json")),
]


@pytest.mark.parametrize("root", ROOTS)
def test_real_catalogs_get_no_false_invalid(root: str) -> None:
    report = validate(REAL / root)
    invalid = {Path(p.path).relative_to(REAL).as_posix() for p in report.problems}
    assert invalid <= GENUINE, [str(p) for p in report.problems]
    for problem in report.problems:
        assert problem.schema == "geometry" and "does not hold the geometry" in problem.reason
    assert report.checked == len(report.verdicts) >= 1


@pytest.mark.slow
def test_genuine_problems_are_reported() -> None:
    seen: set[str] = set()
    for root in ROOTS:
        report = validate(REAL / root)
        seen |= {Path(p.path).relative_to(REAL).as_posix() for p in report.problems}
    assert seen == GENUINE


def test_real_corpus_verdicts_are_what_a_reader_expects() -> None:
    spec = validate(REAL / "stac-spec-1.1.0" / "collection.json")
    # three example Items share one id inside one Collection (STAC: "should" be unique there)
    assert spec.counts == {"valid": 3, "invalid": 0, "unchecked": 1}
    [note] = spec.unchecked  # extended-item.json declares the remote-data extension
    assert note.schema == "https://stac-extensions.github.io/remote-data/v1.0.0/schema.json"
    old = validate(REAL / "pystac-extensions" / "sar-sentinel-1.json")  # STAC 1.0.0-rc.1
    assert old.counts["unchecked"] == 1 and "no bundled core schema" in old.unchecked[0].reason
    remote = validate(REAL / "pystac-extensions" / "scientific-collection.json")
    assert any(p.path.startswith("https://datadryad.org/") for p in remote.unchecked)
    out = CliRunner().invoke(app, ["validate", str(REAL / "stac-spec-1.1.0" / "collection.json")])
    assert out.exit_code == 0 and "1 unchecked" in out.stdout
