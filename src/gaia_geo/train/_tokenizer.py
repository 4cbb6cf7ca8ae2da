"""A small caption tokenizer built offline from a catalog's captions (for the tiny BLIP-2).

Real BLIP-2 checkpoints bring their own tokenizer; a random-init test model needs one that can
be built without the hub: a byte-pair encoding trained on the captions with the ``tokenizers``
library, wrapped as a transformers ``PreTrainedTokenizerFast`` so it saves and loads like any.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Special tokens, in id order: padding 0, begin 1, end 2, unknown 3, image 4.
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>", "<image>")


def build_caption_tokenizer(captions: Iterable[str], vocab_size: int = 1000) -> Any:
    """Train a BPE tokenizer on ``captions``.

    Args:
        captions: the training texts.
        vocab_size: the largest vocabulary (smaller when the texts have fewer merges).

    Returns:
        A ``transformers.PreTrainedTokenizerFast`` with ``<pad>``, ``<s>``, ``</s>``, ``<unk>`` and
        an ``image_token`` ``<image>``.

    Raises:
        ValueError: if ``vocab_size`` is below 64 or no caption is given.
    """
    if vocab_size < 64:
        raise ValueError(f"vocab_size must be >= 64, got {vocab_size}")
    texts = [c for c in captions if c]
    if not texts:
        raise ValueError("need at least one caption to build a tokenizer")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS))
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        extra_special_tokens={"image_token": "<image>"},
    )
