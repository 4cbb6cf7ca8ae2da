"""Fine-tune CLIP (open_clip) on a gaia_geo catalog with Lightning; ``main(argv)`` for scripts.

Writes, under ``out``::

    checkpoints/last.ckpt, epoch=*.ckpt   Lightning checkpoints, atomic writes (``resume=True``)
    logs/version_N/metrics.csv            loss, in-batch R@1, validation R@k
    model.pt                              the open_clip state dict
    config.json                           {"model", "pretrained", "epochs", "metrics", ...}

``model.pt`` loads with ``open_clip.create_model_and_transforms(config["model"],
pretrained="OUT/model.pt")`` (call :func:`gaia_geo.train.register_model_configs` first for the
``gaia-*`` test architectures).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._atomic import atomic_open, atomic_write_text
from ..errors import CheckpointError, TrainingOptionError

log = logging.getLogger(__name__)

PRECISIONS = ("32-true", "32", "16-mixed", "bf16-mixed", "bf16-true", "16-true", "64-true")


def _pretrained_arg(pretrained: str | None) -> str | None:
    if pretrained is None or pretrained.lower() in ("", "none", "null", "random"):
        return None
    return pretrained


def _resume_from(folder: Path, model_name: str) -> Path:
    """The checkpoint to resume from (see :func:`latest_checkpoint`), of ``model_name``."""
    from ._checkpoints import latest_checkpoint

    checkpoint, trained = latest_checkpoint(folder)
    if trained != model_name:
        raise CheckpointError(
            f"checkpoint {str(checkpoint)!r} is of architecture {trained!r}, not {model_name!r}; "
            f"resume with --model {trained} or train into another --out"
        )
    return checkpoint


def _check_options(
    model: str, precision: str, epochs: int, batch_size: int, num_workers: int
) -> None:
    """Refuse options that cannot work, before Lightning and the data are set up."""
    if precision not in PRECISIONS:
        raise TrainingOptionError(
            f"--precision {precision!r} is not one of {', '.join(PRECISIONS)}; pick one of them"
        )
    for name, value, least in (
        ("epochs", epochs, 1),
        ("batch-size", batch_size, 1),
        ("workers", num_workers, 0),
    ):
        if value < least:
            raise TrainingOptionError(f"--{name} must be at least {least}, got {value}")
    import open_clip

    from ..models import register_model_configs

    register_model_configs()
    if model not in open_clip.list_models():
        close = [m for m in open_clip.list_models() if m.lower().startswith(model.lower()[:4])]
        hint = ", ".join(close[:6]) or "ViT-B-32, ViT-B-16, RN50, gaia-tiny-vit"
        raise TrainingOptionError(
            f"--model {model!r} is not an open_clip architecture; pick one of "
            f"open_clip.list_models() (e.g. {hint})"
        )


def train_clip(
    catalog: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    model: str = "ViT-B-32",
    pretrained: str | None = "openai",
    epochs: int = 10,
    batch_size: int = 32,
    lr: float = 5e-5,
    weight_decay: float = 0.1,
    warmup_steps: int = 0,
    precision: str = "32-true",
    accelerator: str = "auto",
    devices: int | str = "auto",
    strategy: str = "auto",
    num_workers: int = 0,
    seed: int = 0,
    resume: bool = False,
    max_steps: int = -1,
    log_every_n_steps: int = 10,
    checkpoint_every: int = 1,
    progress: bool = False,
    asset: str = "image",
) -> dict[str, Any]:
    """Fine-tune an open_clip model on the train split of a catalog, validating on ``validate``.

    Args:
        catalog: a catalog directory, its ``catalog.json``, or a stac-geoparquet file; or a
            list of them, whose splits are mixed (e.g. GAIA plus an imported RSICD).
        out: the run directory (checkpoints, logs, ``model.pt``, ``config.json``).
        model: the open_clip architecture (``ViT-B-32``, ``gaia-tiny-vit``, ...).
        pretrained: an open_clip tag (``openai``), a state-dict path, or ``None``/``"none"``.
        epochs: the total number of epochs (a resumed run stops at the same total).
        batch_size: pairs per batch (per device).
        lr: peak learning rate.
        weight_decay: AdamW weight decay.
        warmup_steps: linear warm-up steps.
        precision: a Lightning precision (``32-true``, ``16-mixed``, ``bf16-mixed``, ...).
        accelerator: ``auto``, ``cpu``, ``gpu``...
        devices: device count or ``auto``.
        strategy: ``auto``, ``ddp``, ``fsdp``...
        num_workers: data-loader workers per device.
        seed: the global seed (weights, shuffling, caption draws).
        resume: continue from the checkpoint in ``out/checkpoints`` furthest along that loads
            (``last.ckpt``, or an ``epoch=NNN.ckpt`` written after it by a killed run).
        max_steps: stop after this many optimizer steps (``-1``: no limit).
        log_every_n_steps: CSV logging interval.
        checkpoint_every: save a checkpoint (and ``last.ckpt``) every this many epochs.
        progress: show Lightning's progress bar.
        asset: the asset holding each Item's image (``visual``, ``thumbnail``... in catalogs
            from others; default ``image``).

    Returns:
        The contents of ``config.json``: model, pretrained, epochs, global_step and the final
        metrics (``train/loss_epoch``, ``val/mean_recall``, ...).

    Raises:
        TrainingOptionError: (a ValueError) for an unknown architecture, a bad precision,
            non-positive epochs or batch size, negative workers, or an accelerator, device
            count or strategy Lightning cannot set up.
        CheckpointError: for ``resume`` without a checkpoint, or one of another architecture.
    """
    _check_options(model, precision, epochs, batch_size, num_workers)
    import lightning
    import torch
    from lightning.fabric.utilities.exceptions import MisconfigurationException
    from lightning.pytorch.callbacks import ModelCheckpoint
    from lightning.pytorch.loggers import CSVLogger

    from ..datamodules import GaiaDataModule
    from ._checkpoints import AtomicCheckpointIO
    from ._clip_module import ClipModule

    out = Path(out)
    ckpt_path = str(_resume_from(out / "checkpoints", model)) if resume else None
    lightning.seed_everything(seed, workers=True, verbose=False)
    pretrained = _pretrained_arg(pretrained)
    module = ClipModule(
        model, pretrained, lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps
    )
    datamodule = GaiaDataModule(
        catalog,
        model=model,
        batch_size=batch_size,
        num_workers=num_workers,
        seed=seed,
        asset=asset,
    )
    try:
        trainer = lightning.Trainer(
            default_root_dir=out,
            max_epochs=epochs,
            max_steps=max_steps,
            accelerator=accelerator,
            devices=devices,
            strategy=strategy,
            precision=precision,  # type: ignore[arg-type]
            logger=CSVLogger(save_dir=out, name="logs"),
            plugins=[AtomicCheckpointIO()],
            callbacks=[
                ModelCheckpoint(
                    dirpath=out / "checkpoints",
                    filename="{epoch:03d}",
                    save_last=True,
                    every_n_epochs=checkpoint_every,
                )
            ],
            log_every_n_steps=log_every_n_steps,
            enable_progress_bar=progress,
            enable_model_summary=False,
            num_sanity_val_steps=0,
        )
    except (MisconfigurationException, ValueError, ImportError, RuntimeError) as err:
        raise TrainingOptionError(
            f"cannot set up training with --accelerator {accelerator} --devices {devices} "
            f"--strategy {strategy} --precision {precision}: {str(err).splitlines()[0]} "
            "(pick what this machine has, e.g. --accelerator cpu --devices 1)"
        ) from err
    trainer.fit(module, datamodule=datamodule, ckpt_path=ckpt_path)
    metrics = {k: float(v) for k, v in trainer.callback_metrics.items()}
    config = {
        "model": model,
        "pretrained": pretrained,
        "epochs": trainer.current_epoch,
        "global_step": trainer.global_step,
        "catalog": (
            str(catalog)
            if isinstance(catalog, str | os.PathLike)
            else [str(one) for one in catalog]
        ),
        "metrics": metrics,
    }
    if trainer.is_global_zero:
        with atomic_open(out / "model.pt", "wb") as handle:
            torch.save(module.model.state_dict(), handle)
        atomic_write_text(out / "config.json", json.dumps(config, indent=2) + "\n")
        log.info("wrote %s and %s", out / "model.pt", out / "config.json")
    return config


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of :func:`main` (the same options as ``gaia-geo train clip``)."""
    parser = argparse.ArgumentParser(prog="gaia-geo train clip", description=__doc__)
    parser.add_argument("--catalog", required=True, action="append", help="repeat to mix")
    parser.add_argument("--out", required=True)
    parser.add_argument("--model", default="ViT-B-32")
    parser.add_argument("--pretrained", default="openai", help="openai | PATH | none")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--weight-decay", type=float, default=0.1)
    parser.add_argument("--warmup-steps", type=int, default=0)
    parser.add_argument("--precision", default="32-true", choices=PRECISIONS)
    parser.add_argument("--accelerator", default="auto")
    parser.add_argument("--devices", default="auto")
    parser.add_argument("--strategy", default="auto")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=-1)
    parser.add_argument("--checkpoint-every", type=int, default=1, help="epochs between saves")
    parser.add_argument("--resume", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse ``argv`` and run :func:`train_clip`; return its result (as open_clip's ``main``)."""
    args = build_parser().parse_args(argv)
    devices: int | str = int(args.devices) if str(args.devices).isdigit() else args.devices
    return train_clip(
        args.catalog[0] if len(args.catalog) == 1 else args.catalog,
        args.out,
        model=args.model,
        pretrained=args.pretrained,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        weight_decay=args.weight_decay,
        warmup_steps=args.warmup_steps,
        precision=args.precision,
        accelerator=args.accelerator,
        devices=devices,
        strategy=args.strategy,
        num_workers=args.workers,
        seed=args.seed,
        resume=args.resume,
        max_steps=args.max_steps,
        checkpoint_every=args.checkpoint_every,
    )
