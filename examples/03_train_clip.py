"""Fine-tune a tiny CLIP on a catalog for a few steps, on CPU, offline (random init).

For a real run use e.g. ``model="ViT-B-32", pretrained="openai"`` (needs the weights locally) and
more epochs; see docs for the learn stage.

    python examples/03_train_clip.py [catalogs/demo] [runs/clip-demo]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gaia_geo.train import train_clip  # noqa: E402

catalog = Path(sys.argv[1] if len(sys.argv) > 1 else "catalogs/demo")
out = Path(sys.argv[2] if len(sys.argv) > 2 else "runs/clip-demo")

result = train_clip(
    catalog,
    out,
    model="gaia-tiny-vit",
    pretrained=None,
    epochs=1,
    batch_size=8,
    max_steps=4,
    accelerator="cpu",
    devices=1,
)
print({k: v for k, v in result.items() if not isinstance(v, dict | list)})
print(f"run folder: {out}")
