"""Every `gaia-geo ...` command named in the code, its messages and the docs exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from gaia_geo.cli.main import app

ROOT = Path(__file__).parents[1]
MENTION = re.compile(r"gaia-geo ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?")


def _sources() -> list[Path]:
    files = [*ROOT.glob("src/gaia_geo/**/*.py"), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    files += [*ROOT.glob("docs/**/*.md"), *ROOT.glob("examples/**/*.py")]
    files += [*ROOT.glob("examples/**/*.md"), *ROOT.glob("benchmarks/*.py")]
    return [f for f in files if f.is_file()]


def test_every_named_command_exists() -> None:
    root: Any = typer.main.get_command(app)
    missing = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, sub in MENTION.findall(line):
                command = root.commands.get(name)
                if command is None:
                    missing.append(f"{path.relative_to(ROOT)}:{number}: gaia-geo {name}")
                elif hasattr(command, "commands") and sub and sub not in command.commands:
                    missing.append(f"{path.relative_to(ROOT)}:{number}: gaia-geo {name} {sub}")
    assert not missing, "\n".join(missing)


def test_stage_names_and_their_old_aliases() -> None:
    root: Any = typer.main.get_command(app)
    old_params = [p.name for p in root.commands["caption"].params]
    assert old_params == [p.name for p in root.commands["describe"].params]
    assert root.commands["caption"].hidden and not root.commands["describe"].hidden
    evaluate, old = root.commands["evaluate"], root.commands["eval"]
    assert set(evaluate.commands) == set(old.commands) and old.hidden
