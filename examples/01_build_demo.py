"""Build the demo catalog offline and print a summary (same as `make demo`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "catalogs/demo")
subprocess.run(
    [str(Path(sys.executable).parent / "gaia-geo"), "demo", "--out", str(out)], check=True
)
print(f"built {out / 'catalog.json'}")
