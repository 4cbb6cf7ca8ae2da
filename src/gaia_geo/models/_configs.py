"""The package's open_clip model configs (tiny architectures for tests and CPU smoke runs)."""

from __future__ import annotations

from pathlib import Path

#: Directory of the JSON model configs shipped with gaia_geo.
MODEL_CONFIG_DIR = Path(__file__).with_name("model_configs")

_registered = False


def register_model_configs() -> list[str]:
    """Register gaia_geo's open_clip model configs (e.g. ``gaia-tiny-vit``) with open_clip.

    Call once before ``open_clip.create_model_and_transforms("gaia-tiny-vit", pretrained=...)``
    in a process that did not train the model (the trainer calls it itself). Idempotent.

    Returns:
        The names of the registered configs.

    Example:
        >>> from gaia_geo.models import register_model_configs
        >>> "gaia-tiny-vit" in register_model_configs()
        True
    """
    global _registered
    import open_clip

    if not _registered:
        open_clip.add_model_config(MODEL_CONFIG_DIR)
        _registered = True
    return sorted(p.stem for p in MODEL_CONFIG_DIR.glob("*.json"))
