"""Fine-tuning presets: published recipes as data (``presets/*.json``) with their sources."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

#: The keys of ``train_clip`` a preset may set.
PRESET_KEYS: tuple[str, ...] = ("lr", "weight_decay", "epochs", "precision", "warmup_steps")


def list_presets() -> list[str]:
    """The names of the bundled presets (``georsclip-ft``...)."""
    folder = resources.files("gaia_geo.train").joinpath("presets")
    return sorted(
        p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
    )


def load_preset(name: str) -> dict[str, Any]:
    """Read a bundled preset: ``name``, ``description``, ``train_clip`` settings, ``sources``.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).

    Example:
        >>> load_preset("georsclip-ft")["train_clip"]["lr"]
        1e-06
    """
    if name not in list_presets():
        raise ValueError(f"unknown preset {name!r}; known: {', '.join(list_presets())}")
    text = resources.files("gaia_geo.train").joinpath(f"presets/{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    unknown = set(data["train_clip"]) - set(PRESET_KEYS)
    if unknown:
        raise ValueError(f"preset {name!r} sets unknown train_clip keys: {sorted(unknown)}")
    return data
