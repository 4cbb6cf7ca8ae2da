"""``gaia-geo train clip``, ``gaia-geo train blip2`` and ``gaia-geo caption-model``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

train_app = typer.Typer(help="Fine-tune CLIP or BLIP-2 on a catalog.", no_args_is_help=True)


@train_app.command("clip")
def train_clip_command(
    ctx: typer.Context,
    catalog: list[Path] = typer.Option(
        ..., help="Catalog dir, catalog.json or .parquet; repeat to mix catalogs."
    ),
    out: Path = typer.Option(..., help="Run directory (checkpoints, logs, model.pt, config.json)."),
    model: str = typer.Option(
        "ViT-B-32", help="open_clip architecture, e.g. ViT-B-32, gaia-tiny-vit."
    ),
    pretrained: str = typer.Option("openai", help="open_clip tag, a state-dict PATH, or none."),
    epochs: int = typer.Option(10, help="Total epochs (a resumed run stops at the same total)."),
    batch_size: int = typer.Option(32, help="Pairs per batch per device."),
    lr: float = typer.Option(5e-5, help="Peak learning rate."),
    weight_decay: float = typer.Option(0.1, help="AdamW weight decay."),
    warmup_steps: int = typer.Option(0, help="Linear warm-up steps."),
    precision: str = typer.Option("32-true", help="32-true, 16-mixed, bf16-mixed, ..."),
    accelerator: str = typer.Option("auto", help="auto, cpu, gpu."),
    devices: str = typer.Option("auto", help="Device count or auto."),
    strategy: str = typer.Option("auto", help="auto, ddp, fsdp."),
    workers: int = typer.Option(0, help="Data-loader workers per device."),
    seed: int = typer.Option(0, help="Global seed."),
    max_steps: int = typer.Option(-1, help="Stop after this many steps (-1: no limit)."),
    checkpoint_every: int = typer.Option(1, help="Epochs between checkpoints."),
    resume: bool = typer.Option(False, help="Continue from the furthest checkpoint."),
    preset: str | None = typer.Option(
        None,
        help="A published recipe (georsclip-ft): sets lr, weight decay, epochs, precision and "
        "warm-up where not given on the command line.",
    ),
    asset: str = typer.Option(
        "image", help="Asset holding each Item's image (visual, thumbnail... in others' catalogs)."
    ),
) -> None:
    """Fine-tune an open_clip model on the catalog's train split (validation R@k each epoch)."""
    from ..train.clip import train_clip

    if preset is not None:
        from ..train._presets import load_preset

        try:
            recipe = load_preset(preset)["train_clip"]
        except ValueError as err:
            raise typer.BadParameter(str(err), param_hint="--preset") from None
        # typer bundles its own click: compare the source by name, not by enum identity
        given = {
            key
            for key in recipe
            if getattr(ctx.get_parameter_source(key), "name", "") == "COMMANDLINE"
        }
        chosen = {key: value for key, value in recipe.items() if key not in given}
        lr = chosen.get("lr", lr)
        weight_decay = chosen.get("weight_decay", weight_decay)
        epochs = chosen.get("epochs", epochs)
        precision = chosen.get("precision", precision)
        warmup_steps = chosen.get("warmup_steps", warmup_steps)
        typer.echo(f"preset {preset}: {chosen}")

    result = train_clip(
        catalog[0] if len(catalog) == 1 else catalog,
        out,
        model=model,
        pretrained=pretrained,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        weight_decay=weight_decay,
        warmup_steps=warmup_steps,
        precision=precision,
        accelerator=accelerator,
        devices=int(devices) if devices.isdigit() else devices,
        strategy=strategy,
        num_workers=workers,
        seed=seed,
        resume=resume,
        max_steps=max_steps,
        checkpoint_every=checkpoint_every,
        progress=True,
        asset=asset,
    )
    from lightning.pytorch.utilities import rank_zero_only

    if getattr(rank_zero_only, "rank", 0) == 0:  # under ddp every rank gets here; one report
        typer.echo(json.dumps(result["metrics"], indent=2))


@train_app.command("blip2")
def train_blip2_command(
    catalog: Path = typer.Option(..., help="Catalog dir, catalog.json or .parquet."),
    out: Path = typer.Option(..., help="Run directory (model/ and gaia_blip2.json)."),
    model: str = typer.Option("Salesforce/blip2-opt-2.7b", help="Hub name, local dir, or tiny."),
    lora: int = typer.Option(8, help="LoRA rank on the language model's q_proj/v_proj."),
    lora_alpha: int = typer.Option(16, help="LoRA alpha."),
    lora_dropout: float = typer.Option(0.05, help="LoRA dropout."),
    epochs: int = typer.Option(1, help="Epochs."),
    batch_size: int = typer.Option(4, help="Images per step."),
    lr: float = typer.Option(1e-4, help="Learning rate."),
    max_steps: int = typer.Option(
        -1, help="Stop after this many steps (-1: no limit); --epochs also stops the run."
    ),
    precision: str = typer.Option("32", help="32 or bf16."),
    device: str = typer.Option("auto", help="auto, cpu, cuda."),
    workers: int = typer.Option(0, help="Data-loader workers."),
    seed: int = typer.Option(0, help="Seed."),
    checkpoint_every: int = typer.Option(
        100, min=0, help="Write OUT/checkpoint.pt every N steps (and each epoch's end)."
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue from OUT/checkpoint.pt."),
) -> None:
    """Fine-tune BLIP-2 with LoRA on the catalog's captions."""
    from ..train.blip2 import train_blip2

    result = train_blip2(
        catalog,
        out,
        model=model,
        lora_r=lora,
        lora_alpha=lora_alpha,
        lora_dropout=lora_dropout,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        max_steps=max_steps,
        precision=precision,
        device=device,
        num_workers=workers,
        seed=seed,
        checkpoint_every=checkpoint_every,
        resume=resume,
    )
    losses = result["losses"]
    typer.echo(
        f"{result['steps']} steps ({stop_reason(result)}); loss {losses[0]:.4f} -> "
        f"{losses[-1]:.4f}; model in {out}"
    )


def stop_reason(result: dict[str, Any]) -> str:
    """Why a BLIP-2 run stopped where it did, in words (``--max-steps`` or the epochs)."""
    per_epoch = (
        f"{result['steps_per_epoch']} steps per epoch: {result['train_items']} train images / "
        f"batch size {result['batch_size']}"
    )
    if result["stopped_by"] == "max_steps":
        return f"--max-steps {result['max_steps']} reached; {per_epoch}"
    more = (
        f"; --max-steps {result['max_steps']} not reached: raise --epochs for more"
        if result["max_steps"] > 0
        else ""
    )
    return f"--epochs {result['epochs']} done, {per_epoch}{more}"


def caption_model_command(
    catalog: Path = typer.Option(..., help="Catalog dir, catalog.json or .parquet."),
    model: str = typer.Option(
        ..., help="A `gaia-geo train blip2` run directory (checked as a folder), or a hub name."
    ),
    out: Path = typer.Option(..., help="JSON file {item id: caption}."),
    split: str | None = typer.Option(None, help="One split (default: all items)."),
    batch_size: int = typer.Option(8, help="Images per generate call."),
    max_new_tokens: int = typer.Option(40, help="Longest caption in tokens."),
    num_beams: int = typer.Option(1, help="Beam width."),
    device: str = typer.Option("auto", help="auto, cpu, cuda."),
) -> None:
    """Write a caption for every image of a catalog with a trained BLIP-2."""
    from ..train.blip2 import caption_with_model

    captions = caption_with_model(
        catalog,
        model,
        out,
        split=split,
        batch_size=batch_size,
        max_new_tokens=max_new_tokens,
        num_beams=num_beams,
        device=device,
    )
    typer.echo(f"wrote {len(captions)} captions to {out}")


def register(app: typer.Typer) -> None:
    """Add the learn stage's commands to the ``gaia-geo`` app."""
    app.add_typer(train_app, name="train")
    app.command("caption-model")(caption_model_command)
