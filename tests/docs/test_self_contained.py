"""Nothing a user reads points at files outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What users read: code (and so CLI help and reports), docs, examples and benchmarks.
SCANNED = ("src", "docs", "examples", "benchmarks", "README.md", "CONTRIBUTING.md")
SUFFIXES = {".py", ".md", ".txt", ".json", ".toml", ".cfg", ".yaml", ".yml", ".html", ".csv"}
OUTSIDE = re.compile(r"\.\./shared|shared/stac-schemas|DESIGN\.md|STYLE\.md")


def _files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix in SUFFIXES and "node_modules" not in p.parts
            ]
    return files


def test_no_reference_outside_the_repository() -> None:
    found = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "references to files outside the repository:\n" + "\n".join(found)


def test_the_check_can_fail(tmp_path: Path) -> None:
    assert OUTSIDE.search("see ../shared/STYLE.md") and OUTSIDE.search("DESIGN.md section 1")
    assert _files() and ROOT / "README.md" in _files()
