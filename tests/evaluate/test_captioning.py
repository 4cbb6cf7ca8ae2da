from __future__ import annotations

import json

import pytest

from gaia_geo.evaluate import (
    CaptionMetricsError,
    _captioning,
    evaluate_captioning,
    load_rsicd,
    read_candidates,
    score_captions,
)
from gaia_geo.evaluate._captioning import match_references

CANDIDATES = {
    "1": "a river runs through green farmland .",
    "2": "many buildings are near a parking lot",
    "3": "a beach with blue sea and white sand.",
}
REFERENCES = {
    "1": [
        "a river passes through farmland with green fields .",
        "green farmland lies on both sides of a winding river .",
        "a river runs across the fields .",
    ],
    "2": [
        "many buildings and a parking lot are in a dense residential area .",
        "a parking lot is surrounded by many buildings .",
        "there are many cars in the parking lot near buildings .",
        "several buildings stand beside a large parking lot .",
        "a parking lot with cars is next to some buildings .",
    ],
    "3": ["the sea meets a white sandy beach .", "a beach with white sand next to blue sea ."],
}


@pytest.fixture(scope="module")
def ours():
    return score_captions(CANDIDATES, REFERENCES, spice="auto")


@pytest.mark.slow  # the ``ours`` fixture scores with Java METEOR (~15 s)
def test_scores_equal_pycocoevalcap_own_pipeline(ours, monkeypatch) -> None:
    from pycocoevalcap import eval as coco_eval
    from pycocotools.coco import COCO

    class NoSpice:  # SPICE downloads CoreNLP on construction; it cannot run offline
        def compute_score(self, gts, res):
            return 0.0, [0.0] * len(gts)

        def method(self):
            return "SPICE"

    monkeypatch.setattr(coco_eval, "Spice", NoSpice)
    # pycocoevalcap's own Meteor class, but the instance already started (Java start-up: ~10 s)
    monkeypatch.setattr(coco_eval, "Meteor", _captioning._meteor)
    ids = {key: number for number, key in enumerate(sorted(CANDIDATES))}
    gt = COCO()
    gt.dataset = {
        "images": [{"id": i} for i in ids.values()],
        "annotations": [
            {"id": n, "image_id": ids[k], "caption": c}
            for n, (k, c) in enumerate((k, c) for k, refs in REFERENCES.items() for c in refs)
        ],
    }
    gt.createIndex()
    res = gt.loadRes([{"image_id": ids[k], "caption": c} for k, c in CANDIDATES.items()])
    evaluator = coco_eval.COCOEvalCap(gt, res)
    evaluator.evaluate()
    for name in ("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr"):
        assert ours.scores[name] == pytest.approx(evaluator.eval[name], abs=1e-12), name
    for key, number in ids.items():
        assert ours.per_image[key]["CIDEr"] == pytest.approx(
            evaluator.imgToEval[number]["CIDEr"], abs=1e-12
        )


@pytest.mark.slow  # the ``ours`` fixture scores with Java METEOR (~15 s)
def test_spice_skipped_with_a_message(ours) -> None:
    assert "SPICE" not in ours.scores
    assert "SPICE skipped" in ours.skipped["SPICE"] and "stanford-corenlp" in ours.skipped["SPICE"]
    with pytest.raises(CaptionMetricsError, match="SPICE skipped"):
        score_captions({"1": "a river"}, {"1": ["a river ."]}, spice="always")


@pytest.mark.slow  # starts Java METEOR and the PTB tokenizer (~12 s)
def test_identical_candidates_score_perfect_bleu_and_rouge() -> None:
    refs = {"a": ["a red roof on a white house ."], "b": ["two ships are in the harbor ."]}
    result = score_captions({k: v[0] for k, v in refs.items()}, refs, spice="never")
    assert result.scores["Bleu_4"] == pytest.approx(1.0, abs=1e-6)
    assert result.scores["ROUGE_L"] == pytest.approx(1.0)
    assert result.skipped["SPICE"].startswith("SPICE skipped: disabled")


def test_mismatched_ids_are_reported() -> None:
    with pytest.raises(CaptionMetricsError, match="have no references"):
        score_captions({"x": "a"}, {"y": ["a"]})


def test_read_candidates_forms(tmp_path) -> None:
    coco = tmp_path / "coco.json"
    coco.write_text(json.dumps([{"image_id": 7, "caption": "a"}]))
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"7": ["b", "c"]}))
    lines = tmp_path / "caps.jsonl"
    lines.write_text('{"id": "7", "caption": "d"}\n\n')
    assert read_candidates(coco) == {"7": "a"}
    assert read_candidates(mapping) == {"7": "b"}
    assert read_candidates(lines) == {"7": "d"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"caption": "x"}]))
    with pytest.raises(CaptionMetricsError, match="entry 0 needs 'image_id'"):
        read_candidates(bad)
    with pytest.raises(CaptionMetricsError, match="does not exist"):
        read_candidates(tmp_path / "missing.json")


@pytest.mark.slow  # starts Java METEOR and the PTB tokenizer (~12 s)
def test_match_by_file_stem_and_evaluate_on_rsicd(rsicd_json, tmp_path) -> None:
    images = load_rsicd(rsicd_json, split="test")
    first, second = images[0], images[1]
    cands, refs = match_references({first.id: "x", first.id.split(".")[0] + "": "y"}, images)
    assert cands == {first.id: "y"} and refs[first.id] == first.captions
    with pytest.raises(CaptionMetricsError, match="match no reference image"):
        match_references({"nope.png": "x"}, images)
    captions = tmp_path / "captions.json"
    captions.write_text(
        json.dumps({first.id: first.captions[0], second.id.split(".")[0]: "a harbor ."})
    )
    report = evaluate_captioning(captions, annotations=rsicd_json, spice="never")
    assert report.task == "captioning" and report.dataset == "rsicd"
    assert report.metrics["n_images"] == 2
    direct = score_captions(
        {first.id: first.captions[0], second.id: "a harbor ."},
        {first.id: first.captions, second.id: second.captions},
        spice="never",
    )
    assert report.metrics["CIDEr"] == pytest.approx(direct.scores["CIDEr"])
