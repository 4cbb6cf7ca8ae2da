"""Lightning checkpoints that survive a kill: atomic writes, and resume from the newest that loads.

Lightning's ``ModelCheckpoint`` writes ``epoch=NNN.ckpt`` and then ``last.ckpt``. A run killed
between the two leaves ``last.ckpt`` one epoch behind (or missing after the first epoch), so
resuming from ``last.ckpt`` alone would redo an epoch or refuse to start. Resume therefore reads
the progress (global step, epoch) of every ``*.ckpt`` in the folder and takes the furthest one
that loads; and every checkpoint is written to a temporary file beside its target, fsynced and
renamed over it (:mod:`gaia_geo._atomic`), so a kill never leaves half a checkpoint.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from lightning.fabric.plugins.io.torch_io import TorchCheckpointIO

from .._atomic import atomic_open
from ..errors import CheckpointError

log = logging.getLogger(__name__)


class AtomicCheckpointIO(TorchCheckpointIO):
    """Lightning's ``TorchCheckpointIO`` for local folders, writing each checkpoint atomically."""

    def save_checkpoint(
        self,
        checkpoint: dict[str, Any],
        path: str | os.PathLike[str],
        storage_options: Any | None = None,
    ) -> None:
        """Write ``checkpoint`` to a temporary file beside ``path``, then rename it over ``path``.

        Raises:
            TypeError: if ``storage_options`` is given (a local folder takes none).
        """
        import torch

        if storage_options is not None:
            raise TypeError(f"{type(self).__name__} takes no storage_options")
        with atomic_open(path, "wb") as handle:
            torch.save(checkpoint, handle)


def checkpoint_progress(path: Path) -> tuple[int, int, str]:
    """``(global_step, epoch, architecture)`` stored in a Lightning checkpoint.

    Raises:
        CheckpointError: the file cannot be read as a checkpoint.
    """
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=False, mmap=True)
        step, epoch = int(state["global_step"]), int(state["epoch"])
    except Exception as err:  # torch raises many kinds for a truncated or foreign file
        raise CheckpointError(f"cannot read checkpoint {str(path)!r}: {err}") from err
    model = state.get("hyper_parameters", {}).get("model_name")
    return step, epoch, str(model)


def latest_checkpoint(folder: Path) -> tuple[Path, str]:
    """The checkpoint furthest along in ``folder`` that loads, and its architecture.

    ``last.ckpt`` and ``epoch=*.ckpt`` (and Lightning's ``-vN`` copies) compete on global step,
    then epoch; ``last.ckpt`` wins a tie. Unreadable ones are skipped with a warning.

    Raises:
        CheckpointError: ``folder`` holds no readable checkpoint.
    """
    found: list[tuple[tuple[int, int, bool], Path, str]] = []
    paths = sorted(folder.glob("*.ckpt")) if folder.is_dir() else []
    for path in paths:
        try:
            step, epoch, model = checkpoint_progress(path)
        except CheckpointError as err:
            log.warning("%s; skipped", err)
            continue
        found.append(((step, epoch, path.name == "last.ckpt"), path, model))
    if not paths:
        raise CheckpointError(
            f"--resume given but {str(folder / 'last.ckpt')!r} (or an epoch=*.ckpt beside it) "
            "does not exist; run without --resume"
        )
    if not found:
        raise CheckpointError(
            f"--resume given but none of the {len(paths)} checkpoints in {str(folder)!r} can be "
            "read (see the warnings above); run without --resume into another --out"
        )
    _, path, model = max(found, key=lambda entry: entry[0])
    if path.name != "last.ckpt":
        log.info("resuming from %s, further along than last.ckpt", path.name)
    return path, model
