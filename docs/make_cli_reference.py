"""Regenerate docs/cli.md from the CLI's own help texts: python docs/make_cli_reference.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMANDS = [
    [], ["demo"], ["validate"], ["info"],
    ["collect", "web"], ["collect", "extract"], ["collect", "stac"], ["import-gaia"], ["download"],
    ["import-rasters"], ["import-stac"], ["import-benchmark"],
    ["describe"], ["caption-test-server"],
    ["balance"], ["split"], ["stats"],
    ["train", "clip"], ["train", "blip2"], ["caption-model"],
    ["evaluate", "retrieval"], ["evaluate", "zeroshot"],
    ["evaluate", "captioning"], ["evaluate", "compare"],
    ["serve"], ["api"], ["search"], ["lint"],
]  # fmt: skip


def main() -> None:
    """Write docs/cli.md."""
    exe = Path(sys.executable).with_name("gaia-geo")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    parts = [
        "# CLI reference\n",
        "Generated from the commands' own help by `python docs/make_cli_reference.py`.\n",
    ]
    for command in COMMANDS:
        result = subprocess.run(
            [str(exe), *command, "--help"], capture_output=True, text=True, env=env, check=True
        )
        title = " ".join(["gaia-geo", *command])
        lines = [line.rstrip() for line in result.stdout.splitlines()]
        parts.append(f"## `{title}`\n\n```\n" + "\n".join(lines).strip("\n") + "\n```\n")
    Path(__file__).with_name("cli.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
