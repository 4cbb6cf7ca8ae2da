"""Evaluate a CLIP checkpoint (from examples/03_train_clip.py) by image-text retrieval.

python examples/04_evaluate.py [catalogs/demo] [runs/clip-demo] [runs/eval-demo]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from gaia_geo.evaluate import evaluate_retrieval, report_markdown, write_report  # noqa: E402

catalog = Path(sys.argv[1] if len(sys.argv) > 1 else "catalogs/demo")
checkpoint = Path(sys.argv[2] if len(sys.argv) > 2 else "runs/clip-demo")
out = Path(sys.argv[3] if len(sys.argv) > 3 else "runs/eval-demo")

report = evaluate_retrieval(checkpoint, catalog=catalog, split="test", batch_size=16)
paths = write_report(report, out)
print(report_markdown(report))
print("wrote", *paths)
