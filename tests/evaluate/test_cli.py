from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from gaia_geo.cli.main import app
from gaia_geo.evaluate import load_catalog_split, read_report

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


@pytest.mark.slow
def test_retrieval_on_rsicd_folder_then_compare(
    rsicd_json, demo_catalog, tiny_model, tmp_path
) -> None:
    common = [
        "--model",
        tiny_model,
        "--annotations",
        str(rsicd_json),
        "--cache",
        str(tmp_path / "c"),
    ]
    output = _run("retrieval", *common, "--out", str(tmp_path / "run1"))
    assert "| GeoRSCLIP-FT ViT-B/32" in output and "38.87" in output
    report = read_report(tmp_path / "run1")
    assert report.dataset == "rsicd" and report.split == "test"
    assert report.metrics["n_images"] == 5 and report.metrics["n_captions"] == 23
    assert [d["test_id"] for d in report.details["near_duplicates"]] == ["farmland_09.png"]
    assert f"(pHash <= 4 bits, train split of {rsicd_json}): 1: farmland_09.png ~ beach_00.png" in (
        output
    )
    _run(
        "retrieval", *common, "--split", "val", "--train-source", str(demo_catalog),
        "--out", str(tmp_path / "run2"),
    )  # fmt: skip
    other = read_report(tmp_path / "run2")
    assert other.details["near_duplicates"] == []  # the demo's train split shares no image
    assert other.details["near_duplicate_train_source"] == str(demo_catalog)
    table = _run("compare", str(tmp_path / "run1"), str(tmp_path / "run2"))
    assert "| mR |" in table and "difference" in table


@pytest.mark.slow
def test_retrieval_and_captioning_on_demo_catalog(demo_catalog, tiny_model, tmp_path) -> None:
    _run(
        "retrieval",
        "--model",
        tiny_model,
        "--catalog",
        str(demo_catalog),
        "--out",
        str(tmp_path / "r"),
    )
    report = read_report(tmp_path / "r")
    test_items = load_catalog_split(demo_catalog, split="test")
    assert report.metrics["n_images"] == len(test_items) > 0
    assert report.metrics["n_captions"] == sum(len(r.captions) for r in test_items)
    captions = tmp_path / "captions.json"
    captions.write_text(json.dumps({r.id: r.captions[0] for r in test_items}))
    _run(
        "captioning",
        "--captions",
        str(captions),
        "--catalog",
        str(demo_catalog),
        "--spice",
        "never",
        "--out",
        str(tmp_path / "cap"),
    )
    scores = read_report(tmp_path / "cap").metrics
    assert scores["n_images"] == len(test_items)
    assert scores["Bleu_1"] == pytest.approx(1.0, abs=1e-6)  # each candidate is one reference


@pytest.mark.slow
def test_zeroshot_on_eurosat_folder(eurosat_root, tiny_model, tmp_path) -> None:
    output = _run(
        "zeroshot",
        "--model",
        tiny_model,
        "--root",
        str(eurosat_root),
        "--template",
        "a satellite image of {}.",
        "--out",
        str(tmp_path / "z"),
    )
    assert "| GeoRSCLIP ViT-H/14" in output and "67.47" in output
    report = read_report(tmp_path / "z")
    assert report.prompts == ["a satellite image of {}."] and report.metrics["n_images"] == 10
    assert set(k for k in report.metrics if k.startswith("class/")) == {
        f"class/{c}" for c in ("AnnualCrop", "Forest", "Highway", "Industrial", "River")
    }


def test_errors_are_one_clear_line(tmp_path, capsys) -> None:
    from gaia_geo.cli.main import main

    with pytest.raises(SystemExit) as stop:
        main(["eval", "compare", str(tmp_path / "nope"), str(tmp_path / "nope")])
    assert stop.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: ") and "does not exist; pass a run folder" in err[-1]
