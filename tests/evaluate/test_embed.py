from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from gaia_geo.evaluate import EmbeddingCache, ModelLoadError, embed_images, embed_texts, load_clip


def test_random_init_is_seeded_and_fingerprinted(tiny_model) -> None:
    first, second = load_clip(tiny_model, seed=0), load_clip(tiny_model, seed=0)
    assert first.fingerprint == second.fingerprint
    assert load_clip(tiny_model, seed=1).fingerprint != first.fingerprint
    assert first.checkpoint is None and first.pretrained is None


@pytest.mark.slow
def test_checkpoint_directory_loads_the_same_weights(tiny_model, tmp_path) -> None:
    clip = load_clip(tiny_model, seed=5)
    run = tmp_path / "run"
    run.mkdir()
    torch.save(clip.model.state_dict(), run / "model.pt")
    (run / "config.json").write_text(json.dumps({"model": tiny_model, "epochs": 1}))
    loaded = load_clip(run)
    assert loaded.checkpoint == str(run) and loaded.name == tiny_model
    texts = ["a river", "an airport with two runways"]
    np.testing.assert_allclose(embed_texts(loaded, texts), embed_texts(clip, texts), atol=1e-6)
    with pytest.raises(ModelLoadError, match="needs model.pt and config.json"):
        load_clip(tmp_path)
    with pytest.raises(ModelLoadError, match="unknown open_clip architecture"):
        load_clip("no-such-architecture")


def test_batches_match_one_by_one_and_are_normalised(tiny_model, rsicd_json) -> None:
    clip = load_clip(tiny_model)
    paths = sorted((rsicd_json.parent / "images").glob("*.png"))[:5]
    batched = embed_images(clip, paths, batch_size=2)
    single = np.concatenate([embed_images(clip, [p], batch_size=1) for p in paths])
    np.testing.assert_allclose(batched, single, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    in_memory = embed_images(clip, [Image.open(p) for p in paths[:2]])
    np.testing.assert_allclose(in_memory, batched[:2], atol=1e-5)


def test_cache_resumes_and_is_keyed_by_content(tiny_model, rsicd_json, tmp_path) -> None:
    clip = load_clip(tiny_model)
    paths = sorted((rsicd_json.parent / "images").glob("*.png"))[:4]
    cache = tmp_path / "cache"
    partial = embed_images(clip, paths[:2], batch_size=1, cache_dir=cache)  # an interrupted run
    calls = []
    original = clip.model.encode_image

    def counting(images, normalize=False):
        calls.append(len(images))
        return original(images, normalize=normalize)

    clip.model.encode_image = counting
    full = embed_images(clip, paths, batch_size=8, cache_dir=cache)
    assert calls == [2]  # only the two images not cached yet
    np.testing.assert_allclose(full[:2], partial, atol=0)
    again = embed_images(clip, list(reversed(paths)), cache_dir=cache)
    assert calls == [2]  # all from the cache, in the order asked
    np.testing.assert_allclose(again, full[::-1], atol=0)
    store = EmbeddingCache(cache, clip.fingerprint, "image")
    assert len(store) == 4 and len(list(store.folder.glob("part-*.npz"))) == 3
    other = load_clip(tiny_model, seed=9)  # other weights: other folder, nothing reused
    assert len(EmbeddingCache(cache, other.fingerprint, "image")) == 0
    texts = embed_texts(clip, ["a", "b"], cache_dir=cache)
    np.testing.assert_allclose(embed_texts(clip, ["b"], cache_dir=cache), texts[1:], atol=0)


def test_bad_batch_size(tiny_model) -> None:
    clip = load_clip(tiny_model)
    with pytest.raises(ValueError, match="batch_size"):
        embed_images(clip, [], batch_size=0)
    with pytest.raises(ValueError, match="batch_size"):
        embed_texts(clip, [], batch_size=0)


@pytest.mark.slow
def test_decoding_workers_give_the_same_embeddings(tiny_model, eurosat_root) -> None:
    clip = load_clip(tiny_model)
    paths = sorted((eurosat_root / "ds").rglob("*.tif"))[:4]  # GeoTIFFs decoded in a worker
    np.testing.assert_allclose(
        embed_images(clip, paths, batch_size=3, num_workers=1),
        embed_images(clip, paths, batch_size=3, num_workers=0),
        atol=1e-6,
    )


def test_unavailable_pretrained_tag_is_a_clear_error(tiny_model) -> None:
    with pytest.raises(
        ModelLoadError, match="cannot load 'tiny-eval-clip' with pretrained='openai'"
    ):
        load_clip(tiny_model, "openai")


def test_embedding_cache_compacts_many_parts(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(EmbeddingCache, "MAX_PARTS", 4)
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(12, 3)).astype(np.float32)
    store = EmbeddingCache(tmp_path, "model", "text")
    for first in range(0, 12, 2):  # six batches: six part files
        store.add([f"k{i}" for i in range(first, first + 2)], vectors[first : first + 2])
    assert len(list(store.folder.glob("part-*.npz"))) == 6
    reopened = EmbeddingCache(tmp_path, "model", "text")  # past MAX_PARTS: merged on open
    assert len(list(reopened.folder.glob("part-*.npz"))) == 1 and len(reopened) == 12
    again = EmbeddingCache(tmp_path, "model", "text")
    for i in range(12):
        np.testing.assert_array_equal(again.get(f"k{i}"), vectors[i])
    again.add(["k12"], vectors[:1])  # written after the merge: a part of its own
    assert len(list(again.folder.glob("part-*.npz"))) == 2


@pytest.mark.slow
def test_precision_and_tokenizing_workers(tiny_model) -> None:
    exact = load_clip(tiny_model)
    texts = [f"a river delta number {i} with farmland" for i in range(40)]
    reference = embed_texts(exact, texts, batch_size=16)
    in_workers = embed_texts(exact, texts, batch_size=16, num_workers=2)
    np.testing.assert_array_equal(in_workers, reference)  # same batches, tokenized elsewhere
    half = load_clip(tiny_model, precision="bf16")  # autocast works on the CPU too
    assert half.fingerprint != exact.fingerprint  # cached apart: the values differ slightly
    close = embed_texts(half, texts, batch_size=16)
    assert (close * reference).sum(axis=1).min() > 0.98 and not np.array_equal(close, reference)
    with pytest.raises(ValueError, match="precision must be one of"):
        load_clip(tiny_model, precision="int8")
