"""Exit codes that tell the truth: the one rule every command that handles many Items follows.

A command exits 1 when it did not do its whole job: when any Item (image, point, page) failed,
or, with ``--keep-going``, when all of them failed (partial success is then accepted and exits
0 with a warning). Either way a one-line summary goes to stderr, with the hint to retry.
"""

from __future__ import annotations

import typer

#: the help text of every ``--keep-going`` option
KEEP_GOING_HELP = (
    "Exit 0 when some (not all) Items failed; by default any failure exits 1 "
    "(the results that did succeed are kept either way)."
)


def exit_on_failures(failed: int, total: int, *, keep_going: bool, what: str, hint: str) -> None:
    """Print a summary line and exit 1 when ``failed`` of ``total`` is more than allowed.

    Args:
        failed: how many failed.
        total: how many were attempted.
        keep_going: accept a partial success (exit 0 unless all failed).
        what: the plural noun counted, e.g. ``"Items"`` or ``"images"``.
        hint: what to do about the failures, e.g. ``"rerun to retry them"``.

    Raises:
        typer.Exit: with code 1 when the run counts as failed.
    """
    if failed <= 0:
        return
    if keep_going and failed < total:
        typer.echo(f"warning: {failed} of {total} {what} failed (--keep-going); {hint}", err=True)
        return
    partial = "" if keep_going or failed >= total else "; --keep-going accepts partial results"
    typer.echo(f"error: {failed} of {total} {what} failed; {hint}{partial}", err=True)
    raise typer.Exit(1)
