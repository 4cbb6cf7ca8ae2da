from __future__ import annotations

import re

import numpy as np
import pytest

from gaia_geo.evaluate import (
    RS_TEMPLATES,
    build_prompts,
    embed_images,
    embed_texts,
    ensemble_classifier,
    evaluate_zeroshot,
    load_classification,
    load_clip,
    zeroshot_metrics,
)
from gaia_geo.evaluate._zeroshot import NAMED_DATASETS, class_name_table, class_prompt_name


def test_hand_computed_accuracies_with_ties() -> None:
    logits = np.array(
        [
            [0.9, 0.1, 0.0],  # label 0: first
            [0.5, 0.5, 0.1],  # label 1: tied with class 0, which has the lower index -> rank 1
            [0.5, 0.5, 0.1],  # label 0: tied, lower index wins -> rank 0
            [0.2, 0.3, 0.1],  # label 2: last -> rank 2
        ]
    )
    result = zeroshot_metrics(logits, [0, 1, 0, 2], ["a", "b", "c"])
    assert result.top1 == pytest.approx(50.0)
    assert result.top5 == pytest.approx(100.0)  # fewer than five classes: every image hits
    assert result.per_class == {"a": 100.0, "b": 0.0, "c": 0.0}
    assert result.mean_per_class == pytest.approx(100 / 3)
    assert result.as_dict()["class/a"] == 100.0


def test_top5_among_seven_classes() -> None:
    logits = np.tile(np.arange(7, 0, -1, dtype=float), (2, 1))  # class 0 best ... class 6 worst
    result = zeroshot_metrics(logits, [4, 5], [str(i) for i in range(7)])
    assert (result.top1, result.top5) == (0.0, 50.0)
    assert set(result.per_class) == {"4", "5"}  # classes without images are left out


def test_ensemble_averages_normalised_prompts() -> None:
    prompts = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 3.0], [0.0, 1.0]])  # class 0: 2, class 1: 2
    classifier = ensemble_classifier(prompts, 2)
    np.testing.assert_allclose(classifier, [[np.sqrt(0.5), np.sqrt(0.5)], [0.0, 1.0]], rtol=1e-6)
    with pytest.raises(ValueError, match="do not split"):
        ensemble_classifier(prompts, 3)


def test_prompts_and_class_names() -> None:
    assert class_prompt_name("AnnualCrop") == "annual crop"
    assert class_prompt_name("dense_residential") == "dense residential"
    prompts = build_prompts(["SeaLake"], RS_TEMPLATES[:2])
    assert prompts == [["a satellite image of sea or lake.", "a satellite photo of sea or lake."]]
    assert class_prompt_name("Industrial", "eurosat") == "industrial buildings"
    assert class_prompt_name("Industrial", "aid") == "industrial area"
    assert class_prompt_name("my_Own-class") == "my own class"  # not in the table: split
    with pytest.raises(ValueError, match="'{}'"):
        build_prompts(["x"], ["no slot"])


def test_bad_logits() -> None:
    with pytest.raises(ValueError, match="must be"):
        zeroshot_metrics(np.ones((2, 3)), [0, 1], ["a", "b"])
    with pytest.raises(ValueError, match="index into"):
        zeroshot_metrics(np.ones((2, 2)), [0, 2], ["a", "b"])


def test_evaluate_zeroshot_on_eurosat_folder(eurosat_root, tiny_model, tmp_path) -> None:
    report = evaluate_zeroshot(
        tiny_model, root=eurosat_root, dataset="eurosat", templates=RS_TEMPLATES[:3]
    )
    assert report.details["reader"] == "torchgeo"  # torchgeo's EuroSAT listed the split offline
    data = load_classification(eurosat_root, "eurosat", split="test")
    assert report.metrics["n_images"] == len(data.paths) == 10
    # the same numbers, recomputed from the embeddings by hand
    clip = load_clip(tiny_model)
    images = embed_images(clip, data.paths)
    prompts = build_prompts(data.classes, RS_TEMPLATES[:3], "eurosat")
    texts = embed_texts(clip, [p for group in prompts for p in group]).reshape(5, 3, -1)
    classifier = texts.mean(axis=1)
    classifier /= np.linalg.norm(classifier, axis=1, keepdims=True)
    predicted = np.argmax(images @ classifier.T, axis=1)
    assert report.metrics["top1"] == pytest.approx(100 * np.mean(predicted == data.labels))
    assert report.prompts == list(RS_TEMPLATES[:3])
    # the report names the words each class folder became in the prompts
    assert "AnnualCrop -> annual crop" in report.details["class_names"]


#: The issue's glued examples and what they must read as.
GLUED = {
    ("ucmerced", "denseresidential"): "dense residential",
    ("ucmerced", "mobilehomepark"): "mobile home park",
    ("ucmerced", "storagetanks"): "storage tanks",
    ("ucmerced", "tenniscourt"): "tennis court",
    ("ucmerced", "baseballdiamond"): "baseball diamond",
    ("aid", "BaseballField"): "baseball field",
    ("aid", "StorageTanks"): "storage tanks",
    ("eurosat", "AnnualCrop"): "annual crop",
    ("eurosat", "HerbaceousVegetation"): "herbaceous vegetation",
    ("eurosat", "SeaLake"): "sea or lake",
    ("patternnet", "oil_gas_field"): "oil and gas field",
    ("whu-rs19", "railwayStation"): "railway station",
}

#: Real words that CLIP's BPE vocabulary splits into pieces (the dictionary below misses them).
RARE_WORDS = {"chaparral", "crosswalk", "herbaceous", "snowberg", "sparse"}


def test_every_prompt_of_every_listed_dataset_reads_as_words() -> None:
    from open_clip.tokenizer import SimpleTokenizer

    vocabulary = SimpleTokenizer().encoder  # whole words end in </w>: a dictionary of sorts
    table = class_name_table()
    sizes = {name: sum(1 for d, _ in table if d == name) for name in NAMED_DATASETS}
    assert sizes == {
        "ucmerced": 21,
        "aid": 30,
        "resisc45": 45,
        "eurosat": 10,
        "patternnet": 38,
        "whu-rs19": 19,
    }
    for (dataset, folder), name in GLUED.items():
        assert class_prompt_name(folder, dataset) == name
    for dataset, key in table:
        prompts = build_prompts([key], RS_TEMPLATES, dataset)[0]
        assert prompts[0] == f"a satellite image of {table[dataset, key]}."
        for prompt in prompts:
            for word in re.findall(r"[a-z]+", prompt.lower()):
                assert f"{word}</w>" in vocabulary or word in RARE_WORDS, (dataset, key, word)
