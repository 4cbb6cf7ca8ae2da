from __future__ import annotations

import json
from pathlib import Path

import pytest
import safetensors.torch
import torch

from gaia_geo.train import CheckpointError
from gaia_geo.train._tokenizer import build_caption_tokenizer
from gaia_geo.train.blip2 import Blip2Batcher, build_tiny_blip2, caption_with_model, train_blip2


def test_tokenizer_and_batcher() -> None:
    tokenizer = build_caption_tokenizer(["The image showcases: a red field.", "a blue lake"])
    assert (tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id) == (0, 1, 2)
    assert tokenizer.image_token == "<image>" and tokenizer.image_token_id == 4
    ids = tokenizer("a red field", add_special_tokens=False)["input_ids"]
    assert tokenizer.decode(ids) == "a red field"
    batcher = Blip2Batcher(tokenizer, tokenizer.image_token_id, num_query_tokens=4)
    batch = batcher([{"image": torch.zeros(3, 8, 8), "text": t} for t in ("a red field", "a lake")])
    assert batch["input_ids"][:, :4].eq(4).all() and batch["input_ids"][:, 4].eq(1).all()
    assert batch["labels"][:, :5].eq(-100).all()  # no loss on image tokens and <s>
    assert batch["labels"][1].tolist().count(-100) > 5  # padding masked too
    assert batch["attention_mask"][1].sum() < batch["attention_mask"][0].sum()
    with pytest.raises(ValueError, match="vocab_size"):
        build_caption_tokenizer(["x"], vocab_size=8)


def test_tiny_blip2_forward_uses_image_tokens() -> None:
    tokenizer = build_caption_tokenizer(["a red field", "a blue lake"])
    model = build_tiny_blip2(tokenizer).eval()
    assert model.config.image_token_index == tokenizer.image_token_id
    batcher = Blip2Batcher(tokenizer, tokenizer.image_token_id, model.config.num_query_tokens)
    samples = [{"image": torch.rand(3, 32, 32), "text": "a red field"} for _ in range(2)]
    batch = batcher(samples)
    with torch.no_grad():
        out = model(**batch)
        batch["pixel_values"] = batch["pixel_values"] + 1.0
        other = model(**batch)
    assert torch.isfinite(out.loss)
    assert not torch.allclose(out.logits, other.logits)  # the image reaches the language model


@pytest.mark.slow
def test_tiny_blip2_trains_and_captions(tmp_path: Path, learn_catalog: Path) -> None:
    from gaia_geo.cli.main import main as cli

    out = tmp_path / "blip2"
    result = train_blip2(
        learn_catalog, out, model="tiny", epochs=20, batch_size=12, lr=5e-3, max_steps=12, lora_r=4
    )
    losses = result["losses"]
    assert result["steps"] == 12 and len(losses) == 12
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.05
    assert (out / "model" / "config.json").exists() and (out / "gaia_blip2.json").exists()
    captions = caption_with_model(learn_catalog, out, split="test", max_new_tokens=8)
    assert sorted(captions) == ["test-00", "test-01", "test-02", "test-03"]
    assert all(isinstance(c, str) for c in captions.values())
    assert any(captions.values())
    target = tmp_path / "captions.json"
    with pytest.raises(SystemExit) as exit_info:
        cli(
            [
                "caption-model",
                "--catalog",
                str(learn_catalog),
                "--model",
                str(out),
                "--out",
                str(target),
                "--split",
                "validate",
                "--max-new-tokens",
                "4",
            ]
        )
    assert exit_info.value.code == 0
    assert sorted(json.loads(target.read_text())) == [f"validate-0{k}" for k in range(4)]


def test_bad_model(tmp_path: Path, learn_catalog: Path) -> None:
    with pytest.raises(CheckpointError, match="model folder '.*nowhere' not found"):
        train_blip2(learn_catalog, tmp_path / "x", model=str(tmp_path / "nowhere"))
    with pytest.raises(ValueError, match="precision"):
        train_blip2(learn_catalog, tmp_path / "x", model="tiny", precision="fp8")


@pytest.mark.slow
def test_blip2_resume_matches_an_uninterrupted_run(tmp_path: Path, learn_catalog: Path) -> None:
    args = {"model": "tiny", "epochs": 3, "batch_size": 5, "lr": 5e-3, "lora_r": 4}
    whole = train_blip2(learn_catalog, tmp_path / "whole", **args)
    n = whole["steps"]
    assert n > 4  # several epochs of a few batches each
    part = tmp_path / "part"
    first = train_blip2(learn_catalog, part, max_steps=n // 2 + 1, checkpoint_every=1, **args)
    assert first["steps"] == n // 2 + 1  # stopped mid-epoch, as a kill would
    with pytest.raises(CheckpointError, match="lr=0.005"):
        train_blip2(learn_catalog, part, resume=True, **{**args, "lr": 1e-3})
    resumed = train_blip2(learn_catalog, part, resume=True, **args)
    assert resumed["steps"] == n and resumed["losses"] == whole["losses"]
    a = safetensors.torch.load_file(tmp_path / "whole" / "model" / "model.safetensors")
    b = safetensors.torch.load_file(part / "model" / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(CheckpointError, match="no checkpoint.pt"):
        train_blip2(learn_catalog, tmp_path / "fresh", resume=True, **args)
