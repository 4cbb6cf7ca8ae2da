"""Errors of the training stage."""

from __future__ import annotations

from ..errors import GaiaError


class CheckpointError(GaiaError):
    """A checkpoint is missing, unreadable, or from another architecture; the message names it."""


class TrainingOptionError(GaiaError, ValueError):
    """An option of a training run cannot work (architecture, precision, accelerator, ...).

    A ValueError, as any bad argument; a GaiaError, so the CLI prints its one line and the fix.
    """
