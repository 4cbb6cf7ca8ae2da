"""Fine-tune BLIP-2 (transformers + peft LoRA) on a catalog's captions, and caption with it.

``model`` is a hub name (``Salesforce/blip2-opt-2.7b``), a local directory saved by
``save_pretrained``, or ``"tiny"``: a random-init BLIP-2 (ViT, Q-Former, OPT, each 2 layers wide
32) with a BPE tokenizer trained on the catalog's captions, built offline for tests and CPU smoke
runs. In transformers 5.x the text starts with one image token per query token; the pixel
features replace those positions. Training keeps the vision encoder and Q-Former frozen, puts
LoRA adapters on the language model's attention (``q_proj``, ``v_proj``) and trains the
Q-Former-to-LM projection. The run directory holds the merged model and its tokenizer in
``OUT/model`` plus ``OUT/gaia_blip2.json`` (image size, normalisation, losses).

Training is resumable: every ``checkpoint_every`` steps and at the end of each epoch,
``OUT/checkpoint.pt`` is replaced atomically with the trainable weights (LoRA adapters and the
projection: megabytes, not the frozen gigabytes), the optimizer, the step, the epoch and the place
in it, the losses and the random states. ``resume=True`` continues from it: the epoch's shuffle
order comes from a generator seeded by ``seed`` and the epoch, so the resumed run sees the same
batches and, on the same device, ends with the same weights as an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from .._atomic import atomic_open, atomic_write_text
from .._hub import expand, hub_or_cache, looks_local
from ..datasets import GaiaCaptions, load_records, read_image, select_records
from ..errors import CheckpointError
from ..models import ClipImageTransform
from ._tokenizer import build_caption_tokenizer

log = logging.getLogger(__name__)

#: BLIP-2's image normalisation (OpenAI CLIP's).
BLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
BLIP_STD = (0.26862954, 0.26130258, 0.27577711)
#: The run-directory metadata file written next to ``model/``.
RUN_FILE = "gaia_blip2.json"
#: The resumable training state in the run directory.
CHECKPOINT_FILE = "checkpoint.pt"
#: Settings a resumed run must share with the run it continues.
_RESUME_KEYS = ("model", "lora_r", "lora_alpha", "batch_size", "lr", "precision", "seed")


def build_tiny_blip2(tokenizer: Any, image_size: int = 32, num_query_tokens: int = 4) -> Any:
    """Build a random-init BLIP-2 small enough to train on a CPU in seconds, fully offline.

    Args:
        tokenizer: a tokenizer with ``image_token_id``, ``bos/eos/pad_token_id`` (see
            :func:`~gaia_geo.train._tokenizer.build_caption_tokenizer`).
        image_size: the vision encoder's input size.
        num_query_tokens: Q-Former queries (= image tokens at the start of the text).

    Returns:
        a ``Blip2ForConditionalGeneration``.
    """
    from transformers import Blip2Config, Blip2ForConditionalGeneration

    width = 32
    config = Blip2Config(
        vision_config={
            "hidden_size": width,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": image_size,
            "patch_size": 8,
        },
        qformer_config={
            "hidden_size": width,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "encoder_hidden_size": width,
            "vocab_size": 64,
            "max_position_embeddings": 64,
        },
        text_config={
            "model_type": "opt",
            "vocab_size": len(tokenizer),
            "hidden_size": width,
            "word_embed_proj_dim": width,
            "ffn_dim": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 128,
            "pad_token_id": tokenizer.pad_token_id,
            "bos_token_id": tokenizer.bos_token_id,
            "eos_token_id": tokenizer.eos_token_id,
        },
        num_query_tokens=num_query_tokens,
        image_token_index=tokenizer.image_token_id,
    )
    return Blip2ForConditionalGeneration(config)


def _image_token_id(model: Any, tokenizer: Any) -> int:
    config = model.config
    token = getattr(config, "image_token_id", None) or getattr(config, "image_token_index", None)
    if token is None:
        token = getattr(tokenizer, "image_token_id", None)
    if token is None:
        raise CheckpointError(
            "the BLIP-2 model config has no image_token_index and its tokenizer no image_token; "
            "use a transformers >= 4.47 checkpoint (e.g. Salesforce/blip2-opt-2.7b)"
        )
    return int(token)


class Blip2Batcher:
    """Turn samples into BLIP-2 inputs: pixel values and image tokens + ``<s>`` caption ``</s>``.

    Args:
        tokenizer: the language model's tokenizer.
        image_token_id: the image token.
        num_query_tokens: image tokens per text.
        max_length: the most caption tokens kept.
    """

    def __init__(
        self, tokenizer: Any, image_token_id: int, num_query_tokens: int, max_length: int = 64
    ) -> None:
        self.tokenizer = tokenizer
        self.image_token_id = image_token_id
        self.num_query_tokens = num_query_tokens
        self.max_length = max_length

    def prompt_ids(self, batch_size: int) -> Tensor:
        """The generation prompt: image tokens then ``<s>``, for each image."""
        row = [self.image_token_id] * self.num_query_tokens + [self.tokenizer.bos_token_id]
        return torch.tensor([row] * batch_size, dtype=torch.long)

    def __call__(self, samples: list[dict[str, Any]]) -> dict[str, Tensor]:
        """Collate samples into ``pixel_values``, ``input_ids``, ``attention_mask``, ``labels``."""
        texts = [s["text"] if isinstance(s["text"], str) else s["text"][0] for s in samples]
        encoded = self.tokenizer(
            texts, add_special_tokens=False, truncation=True, max_length=self.max_length
        )["input_ids"]
        prefix = [self.image_token_id] * self.num_query_tokens + [self.tokenizer.bos_token_id]
        rows = [prefix + ids + [self.tokenizer.eos_token_id] for ids in encoded]
        longest = max(len(r) for r in rows)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.full((len(rows), longest), pad, dtype=torch.long)
        attention = torch.zeros((len(rows), longest), dtype=torch.long)
        labels = torch.full((len(rows), longest), -100, dtype=torch.long)
        for i, row in enumerate(rows):
            input_ids[i, : len(row)] = torch.tensor(row)
            attention[i, : len(row)] = 1
            labels[i, len(prefix) : len(row)] = torch.tensor(row[len(prefix) :])
        return {
            "pixel_values": torch.stack([s["image"] for s in samples]),
            "input_ids": input_ids,
            "attention_mask": attention,
            "labels": labels,
        }


def _load_pretrained(model: str, dtype: torch.dtype) -> tuple[Any, Any, dict[str, Any]]:
    from transformers import AutoTokenizer, Blip2ForConditionalGeneration

    if looks_local(model):  # a path is checked as a path, never looked up on the hub
        folder = Path(expand(model))
        if not folder.is_dir():
            raise CheckpointError(
                f"model folder {model!r} not found: pass a directory written by `gaia-geo train "
                "blip2` (the run folder or its model/), a Hugging Face hub name, or 'tiny'"
            )
        model = str(folder)
        context: contextlib.AbstractContextManager[str | None] = contextlib.nullcontext()
    else:
        context = hub_or_cache()
    with context as offline:
        try:
            network = Blip2ForConditionalGeneration.from_pretrained(model, dtype=dtype)
            tokenizer = AutoTokenizer.from_pretrained(model)
        except (OSError, ValueError) as err:
            if offline is not None:
                folder_note = "there is no such local folder, and " if "/" in model else ""
                raise CheckpointError(
                    f"cannot load BLIP-2 model {model!r}: {folder_note}as a Hugging Face hub "
                    f"name it is not in the local cache, and the hub is not used ({offline}). "
                    "Run once with a network to fill the cache, or pass a directory written by "
                    "`gaia-geo train blip2`, or 'tiny'"
                ) from None
            raise CheckpointError(
                f"cannot load BLIP-2 model {model!r} ({err}); pass a hub name with "
                "HF_HUB_OFFLINE unset, a directory written by `gaia-geo train blip2`, or 'tiny'"
            ) from err
    vision: Any = network.config.vision_config
    meta: dict[str, Any] = {"image_size": int(vision.image_size)}
    run_file = Path(model).parent / RUN_FILE
    if run_file.exists():
        meta.update(json.loads(run_file.read_text()))
    return network, tokenizer, meta


def train_blip2(
    catalog: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    model: str = "Salesforce/blip2-opt-2.7b",
    lora_r: int = 8,
    lora_alpha: int = 16,
    lora_dropout: float = 0.05,
    epochs: int = 1,
    batch_size: int = 4,
    lr: float = 1e-4,
    max_steps: int = -1,
    precision: str = "32",
    device: str = "auto",
    num_workers: int = 0,
    seed: int = 0,
    checkpoint_every: int = 100,
    resume: bool = False,
) -> dict[str, Any]:
    """Fine-tune BLIP-2 with LoRA on the train split's captions (a random one per item per step).

    Args:
        catalog: a catalog directory, its ``catalog.json``, or a stac-geoparquet file.
        out: the run directory (``model/`` and ``gaia_blip2.json`` are written there).
        model: a hub name, a local model directory, or ``"tiny"`` (offline random init).
        lora_r: LoRA rank.
        lora_alpha: LoRA scaling.
        lora_dropout: LoRA dropout.
        epochs: passes over the train split.
        batch_size: images per step.
        lr: AdamW learning rate.
        max_steps: stop after this many steps (``-1``: no limit). As in Lightning, training stops
            at whichever comes first, ``epochs`` or ``max_steps``: with 52 train images and
            ``batch_size=4`` one epoch is 13 steps, so ``epochs=1, max_steps=20`` runs 13 (the
            result's ``stopped_by`` and ``steps_per_epoch`` say so); raise ``epochs`` for more.
        precision: ``"32"`` or ``"bf16"`` (model weights and compute).
        device: ``auto`` (CUDA when available), ``cpu``, ``cuda``...
        num_workers: data-loader workers.
        seed: the seed of weights, shuffling and caption draws.
        checkpoint_every: write ``OUT/checkpoint.pt`` every this many steps (and at each epoch's
            end; ``0``: only there).
        resume: continue from ``OUT/checkpoint.pt`` (``epochs`` and ``max_steps`` are totals).

    Returns:
        ``{"model", "steps", "stopped_by" ("epochs" or "max_steps"), "steps_per_epoch",
        "losses", "image_size", ...}`` (also written to ``gaia_blip2.json``).

    Raises:
        ValueError: for a bad precision, LoRA rank or checkpoint interval.
        CheckpointError: if ``model`` cannot be loaded, or ``resume`` finds no checkpoint or one
            written with other settings.
    """
    if precision not in ("32", "bf16"):
        raise ValueError(f"precision must be '32' or 'bf16', got {precision!r}")
    if lora_r < 1:
        raise ValueError(f"lora_r must be >= 1, got {lora_r}")
    if checkpoint_every < 0:
        raise ValueError(f"checkpoint_every must be >= 0, got {checkpoint_every}")
    out = Path(out)
    settings = {
        "model": model,
        "lora_r": lora_r,
        "lora_alpha": lora_alpha,
        "batch_size": batch_size,
        "lr": lr,
        "precision": precision,
        "seed": seed,
    }
    state = _load_checkpoint(out, settings) if resume else None
    from peft import LoraConfig, get_peft_model
    from torch.utils.data import DataLoader

    torch.manual_seed(seed)
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    target = torch.device(
        "cuda"
        if device == "auto" and torch.cuda.is_available()
        else ("cpu" if device == "auto" else device)
    )
    if model == "tiny":
        records = select_records(load_records(catalog), "train", source=str(catalog))
        tokenizer = build_caption_tokenizer(c for r in records for c in r.captions)
        network = build_tiny_blip2(tokenizer).to(dtype)
        meta: dict[str, Any] = {"image_size": int(network.config.vision_config.image_size)}
    else:
        network, tokenizer, meta = _load_pretrained(model, dtype)
    meta.setdefault("mean", list(BLIP_MEAN))
    meta.setdefault("std", list(BLIP_STD))
    transform = ClipImageTransform(meta["image_size"], meta["mean"], meta["std"], train=True)
    dataset = GaiaCaptions(
        catalog, split="train", transforms=transform, caption="random", seed=seed
    )
    batcher = Blip2Batcher(
        tokenizer, _image_token_id(network, tokenizer), network.config.num_query_tokens
    )
    lora = LoraConfig(
        r=lora_r,
        lora_alpha=lora_alpha,
        lora_dropout=lora_dropout,
        target_modules=r".*language_model.*\.(q_proj|v_proj)",
        modules_to_save=["language_projection"],
    )
    peft_model = get_peft_model(network, lora).to(target)
    trainable = {n: p for n, p in peft_model.named_parameters() if p.requires_grad}
    optimizer = torch.optim.AdamW(trainable.values(), lr=lr, weight_decay=0.0)
    losses: list[float] = []
    steps = start_epoch = start_batch = 0
    if state is not None:
        with torch.no_grad():
            for name, value in state["trainable"].items():
                trainable[name].copy_(value)
        optimizer.load_state_dict(state["optimizer"])
        losses, steps = list(state["losses"]), int(state["steps"])
        start_epoch, start_batch = int(state["epoch"]), int(state["batch"])
        _restore_rng(state, target)
        log.info("resuming %s: step %d, epoch %d, batch %d", out, steps, start_epoch, start_batch)

    def save(epoch: int, batch: int) -> None:
        _save_checkpoint(
            out,
            {
                "settings": settings,
                "trainable": {n: p.detach().cpu() for n, p in trainable.items()},
                "optimizer": optimizer.state_dict(),
                "losses": losses,
                "steps": steps,
                "epoch": epoch,
                "batch": batch,
                "rng": torch.get_rng_state(),
                "cuda_rng": torch.cuda.get_rng_state(target) if target.type == "cuda" else None,
            },
        )

    done = 0 < max_steps <= steps
    peft_model.train()
    for epoch in range(start_epoch, epochs):
        if done:
            break
        dataset.set_epoch(epoch)
        # the epoch's order from (seed, epoch) alone, so a resumed run can skip what was done
        order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed + epoch))
        first = start_batch if epoch == start_epoch else 0
        loader = DataLoader(
            dataset,
            batch_size=batch_size,
            sampler=order[first * batch_size :].tolist(),
            num_workers=num_workers,
            collate_fn=batcher,
            pin_memory=target.type == "cuda",
        )
        batches = iter(loader)  # draws the loader's base seed from the global generator
        if state is not None and epoch == start_epoch and first:
            _restore_rng(state, target)  # as the interrupted run was after that draw
        for index, batch in enumerate(batches, start=first):
            batch = {k: v.to(target) for k, v in batch.items()}
            batch["pixel_values"] = batch["pixel_values"].to(dtype)
            loss = peft_model(**batch).loss
            value = loss.item()
            if not math.isfinite(value):
                raise FloatingPointError(f"BLIP-2 loss became {value} at step {steps}; lower --lr")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(value)
            steps += 1
            if steps % 10 == 0:
                log.info("blip2 step %d loss %.4f", steps, losses[-1])
            done = 0 < max_steps <= steps
            if done or (checkpoint_every and steps % checkpoint_every == 0):
                save(epoch, index + 1)
            if done:
                break
        else:
            save(epoch + 1, 0)
    merged: Any = peft_model.merge_and_unload()
    merged.save_pretrained(out / "model")
    tokenizer.save_pretrained(out / "model")
    meta.update(
        {
            "model": model,
            "steps": steps,
            # why the run stopped, as Lightning's Trainer: whichever bound comes first
            "stopped_by": "max_steps" if done else "epochs",
            "epochs": epochs,
            "max_steps": max_steps,
            "train_items": len(dataset),
            "batch_size": batch_size,
            "steps_per_epoch": math.ceil(len(dataset) / batch_size),
            "losses": losses,
            "lora_r": lora_r,
            "precision": precision,
            "catalog": str(catalog),
        }
    )
    atomic_write_text(out / RUN_FILE, json.dumps(meta, indent=2) + "\n")
    return meta


def _restore_rng(state: dict[str, Any], device: torch.device) -> None:
    torch.set_rng_state(state["rng"])
    if device.type == "cuda" and state.get("cuda_rng") is not None:
        torch.cuda.set_rng_state(state["cuda_rng"], device)


def _save_checkpoint(out: Path, state: dict[str, Any]) -> None:
    """Replace ``OUT/checkpoint.pt`` atomically: a kill mid-write leaves the previous one."""
    with atomic_open(out / CHECKPOINT_FILE, "wb") as handle:
        torch.save(state, handle)


def _load_checkpoint(out: Path, settings: dict[str, Any]) -> dict[str, Any]:
    path = out / CHECKPOINT_FILE
    if not path.is_file():
        raise CheckpointError(
            f"--resume: no {CHECKPOINT_FILE} in {str(out)!r}; start without --resume"
        )
    state: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=False)
    differ = [k for k in _RESUME_KEYS if state["settings"].get(k) != settings[k]]
    if differ:
        was = ", ".join(f"{k}={state['settings'].get(k)!r}" for k in differ)
        raise CheckpointError(
            f"--resume: {str(path)!r} was written with {was}; resume with the same settings or "
            "start a new run directory"
        )
    return state


def caption_with_model(
    catalog: str | os.PathLike[str],
    model_dir: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    split: str | None = None,
    batch_size: int = 8,
    max_new_tokens: int = 40,
    num_beams: int = 1,
    device: str = "auto",
) -> dict[str, str]:
    """Caption every image of a catalog (or one split) with a trained BLIP-2.

    Args:
        catalog: a catalog directory, its ``catalog.json``, or a stac-geoparquet file.
        model_dir: a run directory of :func:`train_blip2` (or its ``model/``), or a hub name.
        out: a JSON file to write ``{item id: caption}`` to (atomically), or ``None``.
        split: one split, or ``None`` for all items.
        batch_size: images per generate call.
        max_new_tokens: the longest caption in tokens.
        num_beams: beam search width (1: greedy).
        device: ``auto``, ``cpu``, ``cuda``...

    Returns:
        ``{item id: caption}``.

    Raises:
        CheckpointError: if the model cannot be loaded: a local-looking ``model_dir`` (see
            ``looks_local``) that is not a folder is "not found", never a hub lookup; a hub name
            that is not cached fails at once when the hub cannot be reached.
    """
    name = os.fspath(model_dir)
    if looks_local(name) and (Path(expand(name)) / "model").is_dir():
        name = str(Path(expand(name)) / "model")
    target = torch.device(
        "cuda"
        if device == "auto" and torch.cuda.is_available()
        else ("cpu" if device == "auto" else device)
    )
    network, tokenizer, meta = _load_pretrained(name, torch.float32)
    network = network.to(target).eval()
    transform = ClipImageTransform(
        meta["image_size"], meta.get("mean", BLIP_MEAN), meta.get("std", BLIP_STD), train=False
    )
    batcher = Blip2Batcher(
        tokenizer, _image_token_id(network, tokenizer), network.config.num_query_tokens
    )
    records = select_records(load_records(catalog), split, source=str(catalog))
    captions: dict[str, str] = {}
    for start in range(0, len(records), batch_size):
        chunk = records[start : start + batch_size]
        pixels = torch.stack([transform({"image": read_image(r)})["image"] for r in chunk])
        prompt = batcher.prompt_ids(len(chunk))
        with torch.no_grad():
            generated = network.generate(
                pixel_values=pixels.to(target),
                input_ids=prompt.to(target),
                attention_mask=torch.ones_like(prompt).to(target),
                max_new_tokens=max_new_tokens,
                num_beams=num_beams,
                do_sample=False,
            )
        texts = tokenizer.batch_decode(generated, skip_special_tokens=True)
        captions.update({r.id: t.strip() for r, t in zip(chunk, texts, strict=True)})
    if out is not None:
        atomic_write_text(out, json.dumps(captions, indent=2, ensure_ascii=False) + "\n")
    return captions
