"""Every shell and Python block of README.md and docs/*.md runs, in a scratch copy of the demo.

One test per block, named ``FILE:LINE``. The blocks of one file run in order in one scratch folder
holding a copy of ``catalogs/demo`` and ``examples/`` and a ``.venv`` link to this interpreter's
environment (what a reader who just ran ``make demo`` in a clone has): shell blocks
with ``bash -e``, ``gaia-geo`` on PATH from this interpreter's folder; Python blocks in one
interpreter per file, so a block sees the names the earlier ones defined. Servers a block starts
in the background (``... --port N &``) keep running for the file's later blocks and are stopped
when the file is done.

Markers: an HTML comment on the line right before a fence (blank lines between are allowed):

- ``<!-- docs-test: skip network: why -->``, ``skip gpu: why``, ``skip setup: why`` or
  ``skip known bug: why``: the block is skipped and the reason shown;
- ``<!-- docs-test: slow -->``: the block takes long (every block is marked ``slow`` already, so
  this only documents it).

Any other ``docs-test:`` comment is an error, so a typo cannot silently skip a block.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

RUNNABLE = {"bash": "shell", "sh": "shell", "console": "shell", "python": "python"}
SKIP_KINDS = ("network", "gpu", "setup", "known bug")
_FENCE = re.compile(r"^(\s*)```\s*([A-Za-z0-9_+-]*)")
_MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One runnable fenced block.

    Attributes:
        path: the Markdown file.
        line: 1-based line of the opening fence.
        kind: ``shell`` or ``python``.
        code: the block's text (``console`` blocks: only the ``$ `` command lines).
        skip: the skip reason, or ``None``.
        slow: marked slow.
    """

    path: Path
    line: int
    kind: str
    code: str
    skip: str | None
    slow: bool

    def name(self, root: Path) -> str:
        """``FILE:LINE``, relative to the repository root."""
        path = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{path}:{self.line}"


def _marker(lines: list[str], fence: int, path: Path) -> tuple[str | None, bool]:
    """The docs-test marker right before the fence at index ``fence``."""
    i = fence - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    match = _MARKER.match(lines[i]) if i >= 0 else None
    if match is None:
        return None, False
    text = match.group(1)
    if text == "slow":
        return None, True
    if text.startswith("skip "):
        reason = text[5:]
        if any(reason.startswith(kind + ":") for kind in SKIP_KINDS):
            return reason, False
    raise ValueError(
        f"{path}:{i + 1}: unknown docs-test marker {text!r}; use 'slow' or "
        f"'skip <{'|'.join(SKIP_KINDS)}>: <reason>'"
    )


def _console(code: str) -> str:
    commands = []
    for line in code.splitlines():
        if line.startswith("$ "):
            commands.append(line[2:])
        elif commands and commands[-1].endswith("\\"):
            commands.append(line)
    return "\n".join(commands)


def extract_blocks(path: Path) -> list[Block]:
    """The runnable fenced blocks of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, lang = match.groups()
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        kind = RUNNABLE.get(lang.lower())
        if kind is not None:
            body = "\n".join(line[len(indent) :] for line in lines[i + 1 : end])
            if lang.lower() == "console":
                body = _console(body)
            skip, slow = _marker(lines, i, path)
            blocks.append(Block(path, i + 1, kind, body, skip, slow))
        i = end + 1
    return blocks


ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK_TIMEOUT = 600  # seconds per block (a busy 2-core CI machine runs the training blocks slowly)
_BACKGROUND_PORT = re.compile(r"--port\s+(\d+)[^\n]*&\s*(#.*)?$", re.MULTILINE)


def _all_blocks() -> list[Block]:
    return [block for path in DOCS for block in extract_blocks(path)]


BLOCKS = _all_blocks()


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} {timeout:.0f} s after the block")


class FileSession:
    """The scratch folder, background processes and Python interpreter of one Markdown file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = Path(tempfile.mkdtemp(prefix="docs-test-"))
        shutil.copytree(ROOT / "catalogs" / "demo", self.folder / "catalogs" / "demo")
        shutil.copytree(ROOT / "examples", self.folder / "examples")
        (self.folder / ".venv").symlink_to(sys.prefix)  # what `make` made, for `.venv/bin/...`
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "GAIA_GEO_CACHE": str(self.folder / ".cache"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "MPLBACKEND": "Agg",
            "PYTHONHASHSEED": "0",
        }
        self.env.pop("OPENAI_API_KEY", None)
        self.groups: list[int] = []
        self.python: subprocess.Popen[str] | None = None
        self.done = 0  # blocks of this file run so far (by index)
        self.failed: str | None = None

    def run_shell(self, block: Block) -> tuple[bool, str]:
        script = "set -euo pipefail\n" + block.code + "\n"
        log = self.folder / ".block-output.txt"
        with log.open("w") as out:
            proc = subprocess.Popen(
                ["bash", "-c", script],
                cwd=self.folder,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # background servers share this group; killed at close
            )
            self.groups.append(proc.pid)
            try:
                code = proc.wait(BLOCK_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                return False, f"timed out after {BLOCK_TIMEOUT} s\n" + log.read_text()
        for port in _BACKGROUND_PORT.findall(block.code):
            _wait_for_port(int(port[0]))
        return code == 0, log.read_text()

    def run_python(self, block: Block) -> tuple[bool, str]:
        if self.python is None:
            self.python = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("_pyrunner.py"))],
                cwd=self.folder,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        stdin: IO[str] | None = self.python.stdin
        stdout: IO[str] | None = self.python.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps({"code": block.code, "name": block.name(ROOT)}) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            return False, "the Python session died"
        answer: dict[str, Any] = json.loads(line)
        return bool(answer["ok"]), str(answer["output"])

    def close(self) -> None:
        if self.python is not None:
            self.python.kill()
            self.python.wait()
            for pipe in (self.python.stdin, self.python.stdout):
                if pipe is not None:
                    pipe.close()
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Sessions:
    """One FileSession at a time: a new file's blocks stop the previous file's servers."""

    def __init__(self) -> None:
        self.current: FileSession | None = None

    def for_file(self, path: Path) -> FileSession:
        if self.current is None or self.current.path != path:
            self.close()
            self.current = FileSession(path)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


@pytest.fixture(scope="module")
def sessions() -> Iterator[Sessions]:
    """The per-file sessions of this module's run."""
    holder = Sessions()
    yield holder
    holder.close()


def _run(session: FileSession, block: Block) -> tuple[bool, str]:
    return session.run_shell(block) if block.kind == "shell" else session.run_python(block)


def _params() -> list[Any]:
    """One param per block, every one marked ``slow``.

    Each block starts ``gaia-geo`` or a Python session in a scratch copy of the demo, and a block
    selected on its own runs its file's earlier blocks first: together they take minutes, so
    ``make test`` runs them and ``make test-fast`` leaves them out.
    """
    marks = [pytest.mark.timeout(3 * BLOCK_TIMEOUT), pytest.mark.slow]  # earlier blocks run too
    return [pytest.param(block, id=block.name(ROOT), marks=marks) for block in BLOCKS]


@pytest.mark.parametrize("block", _params())
def test_doc_block(block: Block, sessions: Sessions) -> None:
    """The block runs without error (earlier blocks of its file run first, once)."""
    if block.skip is not None:
        pytest.skip(f"{block.name(ROOT)}: {block.skip}")
    session = sessions.for_file(block.path)
    same_file = [b for b in BLOCKS if b.path == block.path]
    index = same_file.index(block)
    for earlier in same_file[session.done : index]:  # when a block is selected on its own
        if earlier.skip is None:
            ok, output = _run(session, earlier)
            if not ok:
                session.failed = earlier.name(ROOT)
    session.done = max(session.done, index + 1)
    if session.failed is not None:
        pytest.skip(f"an earlier block of this file failed: {session.failed}")
    ok, output = _run(session, block)
    if not ok:
        session.failed = block.name(ROOT)
        pytest.fail(
            f"{block.name(ROOT)}: this {block.kind} block failed\n--- block ---\n{block.code}\n"
            f"--- output ---\n{output[-6000:]}",
            pytrace=False,
        )


def test_markers_are_known() -> None:
    """Parsing every doc raised no unknown-marker error and found blocks in each file."""
    assert {b.path for b in BLOCKS} >= {ROOT / "README.md"}
    assert all(b.code.strip() for b in BLOCKS), [b.name(ROOT) for b in BLOCKS if not b.code]


def test_markers_and_failures_are_reported(tmp_path: Path) -> None:
    """A typo in a marker is an error; a failing block is reported as failed, with its output."""
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- docs-test: skip gpu: big model -->\n```bash\nexit 3\n```\n\n"
        "<!-- docs-test: slow -->\n```console\n$ echo one && false\none\n```\n"
        "```python\nraise SystemExit('boom')\n```\n```text\nnot run\n```\n"
    )
    skipped, slow, python = extract_blocks(page)
    assert skipped.skip == "gpu: big model" and skipped.line == 2
    assert slow.slow and slow.code == "echo one && false" and slow.kind == "shell"
    assert python.kind == "python" and python.line == 11
    session = FileSession(page)
    try:
        ok, output = session.run_shell(slow)
        assert not ok and "one" in output
        ok, output = session.run_python(python)
        assert not ok and "boom" in output
    finally:
        session.close()
    page.write_text("<!-- docs-test: skip because -->\n```bash\ntrue\n```\n")
    with pytest.raises(ValueError, match=r"page.md:1: unknown docs-test marker"):
        extract_blocks(page)
