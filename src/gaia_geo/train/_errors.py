"""Errors of the training stage."""

from __future__ import annotations

from ..errors import GaiaError


class CheckpointError(GaiaError):
    """A checkpoint is missing, unreadable, or from another architecture; the message names it."""
