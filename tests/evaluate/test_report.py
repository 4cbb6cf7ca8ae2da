from __future__ import annotations

import json

import pytest

from gaia_geo.evaluate import (
    EvalReport,
    ReportError,
    compare_reports,
    published_results,
    read_report,
    report_markdown,
    write_report,
)


def _report(mr: float, **kw) -> EvalReport:
    metrics = {"i2t_r1": 10.0, "i2t_r5": 20.0, "i2t_r10": 30.0, "t2i_r1": 5.0}
    metrics |= {"t2i_r5": 15.0, "t2i_r10": 25.0, "mR": mr, "n_images": 3}
    fields = {"task": "retrieval", "model": "ViT-B-32", "dataset": "rsicd", "split": "test"}
    return EvalReport(metrics=metrics, **(fields | kw))


def test_published_numbers_from_design() -> None:
    assert {(r.model, r.value) for r in published_results("retrieval", "RSITMD")} == {
        ("GeoRSCLIP-FT ViT-B/32", 51.81),
        ("RemoteCLIP ViT-B/32", 49.38),
    }
    assert [r.value for r in published_results("zeroshot", "NWPU-RESISC45")] == [73.83]
    assert published_results("captioning", "rsicd") == []


def test_markdown_puts_published_numbers_beside_ours() -> None:
    text = report_markdown(_report(17.5, pretrained="openai"))
    assert (
        "| **ViT-B-32 (openai)** (ours) | 10.00 | 20.00 | 30.00 | 5.00 | 15.00 | 25.00 | 17.50 |"
        in text
    )
    assert (
        "| GeoRSCLIP-FT ViT-B/32 (GeoRSCLIP (Zhang et al., 2024)) | – | – | – | – | – | – | 38.87 |"
        in text
    )
    assert "| pretrained | openai |" in text and "images: 3" in text


def test_write_read_roundtrip_and_compare(tmp_path) -> None:
    first = _report(17.5)
    second = _report(20.0, checkpoint="runs/clip")
    json_a, md_a = write_report(first, tmp_path / "a")
    write_report(second, tmp_path / "b")
    data = json.loads(json_a.read_text())
    assert data["published"][0]["value"] == 38.87 and md_a.read_text().startswith("# retrieval")
    assert read_report(tmp_path / "a") == first
    table = compare_reports(read_report(json_a), read_report(tmp_path / "b"))
    assert "| mR | 17.50 | 20.00 | +2.50 |" in table
    assert "| i2t_r1 | 10.00 | 10.00 | +0.00 |" in table
    with pytest.raises(ReportError, match="cannot compare a retrieval run with a zeroshot"):
        compare_reports(first, EvalReport("zeroshot", "m", "eurosat", "test", {"top1": 1.0}))
    with pytest.raises(ReportError, match="does not exist"):
        read_report(tmp_path / "missing")
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(ReportError, match="not an evaluation report"):
        read_report(tmp_path / "bad.json")
