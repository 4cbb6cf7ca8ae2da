"""Token prices and cost accounting: what a run cost, and what one would cost (``--dry-run``)."""

from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class Price:
    """USD per million tokens of one model.

    Attributes:
        input: price of a million prompt tokens.
        output: price of a million completion tokens.
    """

    input: float
    output: float


class PriceTable:
    """Prices per model, matched by the longest model-name prefix.

    ``gpt-4o-2024-08-06`` uses the ``gpt-4o`` row unless it has its own; a Batch API request costs
    ``batch_discount`` of the price.

    Args:
        prices: model name (or prefix) -> :class:`Price`; default: :attr:`DEFAULT`.
        batch_discount: the fraction of the price a Batch API request costs.

    Example:
        >>> table = PriceTable()
        >>> round(table.cost("gpt-4o-2024-08-06", 1_000_000, 100_000), 2)
        3.5
    """

    #: List prices (USD per 1M tokens) when this table was written; pass your own for current ones.
    DEFAULT: ClassVar[dict[str, Price]] = {
        "gpt-4o": Price(2.50, 10.00),
        "gpt-4o-2024-05-13": Price(5.00, 15.00),
        "gpt-4o-mini": Price(0.15, 0.60),
        "gpt-4.1": Price(2.00, 8.00),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.40),
    }

    def __init__(
        self, prices: dict[str, Price] | None = None, *, batch_discount: float = 0.5
    ) -> None:
        if not 0 < batch_discount <= 1:
            raise ValueError(f"batch_discount must be in (0, 1], got {batch_discount!r}")
        self.prices = dict(self.DEFAULT if prices is None else prices)
        self.batch_discount = batch_discount

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> PriceTable:
        """Read a table from JSON or TOML: ``{"model": {"input": 2.5, "output": 10.0}, ...}``.

        Raises:
            ValueError: if the file is not such a table (the message names the file and row).
        """
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        prices: dict[str, Price] = {}
        for model, row in data.items():
            try:
                prices[model] = Price(float(row["input"]), float(row["output"]))
            except (KeyError, TypeError, ValueError):
                raise ValueError(
                    f"{str(path)!r}: row {model!r} needs numeric 'input' and 'output' prices "
                    "(USD per million tokens)"
                ) from None
        return cls(prices)

    def price(self, model: str) -> Price | None:
        """The price of ``model`` (longest matching prefix), or ``None`` when unknown."""
        best = max((m for m in self.prices if model.startswith(m)), key=len, default=None)
        return self.prices[best] if best is not None else None

    def cost(
        self, model: str, input_tokens: int, output_tokens: int, *, batch: bool = False
    ) -> float | None:
        """USD for a request's tokens, or ``None`` for a model without a price (a local model)."""
        price = self.price(model)
        if price is None:
            return None
        usd = (input_tokens * price.input + output_tokens * price.output) / 1e6
        return usd * (self.batch_discount if batch else 1.0)


def image_tokens(width: int | None, height: int | None) -> int:
    """Prompt tokens of one image at ``detail: high``; 1105 when the size is unknown.

    The GPT-4o rule: fit in 2048 px, scale the shortest side to 768 px, then 170 tokens per
    512 px tile plus 85.
    """
    if not width or not height:
        return 85 + 170 * 6
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = min(1.0, 768 / min(w, h))
    w, h = w * scale, h * scale
    return 85 + 170 * math.ceil(w / 512) * math.ceil(h / 512)


def text_tokens(text: str) -> int:
    """A token estimate for English text (about four characters a token)."""
    return math.ceil(len(text) / 4)
