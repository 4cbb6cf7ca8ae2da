"""``gaia-geo train clip``, ``gaia-geo train blip2`` and ``gaia-geo caption-model``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

train_app = typer.Typer(help="Fine-tune CLIP or BLIP-2 on a catalog.", no_args_is_help=True)


@train_app.command("clip")
def train_clip_command(
    ctx: typer.Context,
    catalog: Annotated[
        list[Path],
        typer.Option(help="Catalog dir, catalog.json or .parquet; repeat to mix catalogs."),
    ],
    out: Annotated[
        Path, typer.Option(help="Run directory (checkpoints, logs, model.pt, config.json).")
    ],
    model: Annotated[
        str, typer.Option(help="open_clip architecture, e.g. ViT-B-32, gaia-tiny-vit.")
    ] = "ViT-B-32",
    pretrained: Annotated[
        str, typer.Option(help="open_clip tag, a state-dict PATH, or none.")
    ] = "openai",
    epochs: Annotated[
        int, typer.Option(help="Total epochs (a resumed run stops at the same total).")
    ] = 10,
    batch_size: Annotated[int, typer.Option(help="Pairs per batch per device.")] = 32,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 5e-5,
    weight_decay: Annotated[float, typer.Option(help="AdamW weight decay.")] = 0.1,
    warmup_steps: Annotated[int, typer.Option(help="Linear warm-up steps.")] = 0,
    precision: Annotated[str, typer.Option(help="32-true, 16-mixed, bf16-mixed, ...")] = "32-true",
    accelerator: Annotated[str, typer.Option(help="auto, cpu, gpu.")] = "auto",
    devices: Annotated[str, typer.Option(help="Device count or auto.")] = "auto",
    strategy: Annotated[str, typer.Option(help="auto, ddp, fsdp.")] = "auto",
    workers: Annotated[int, typer.Option(help="Data-loader workers per device.")] = 0,
    seed: Annotated[int, typer.Option(help="Global seed.")] = 0,
    max_steps: Annotated[int, typer.Option(help="Stop after this many steps (-1: no limit).")] = -1,
    checkpoint_every: Annotated[int, typer.Option(help="Epochs between checkpoints.")] = 1,
    resume: Annotated[bool, typer.Option(help="Continue from the furthest checkpoint.")] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            help="A published recipe (georsclip-ft): sets lr, weight decay, epochs, precision and "
            "warm-up where not given on the command line."
        ),
    ] = None,
    asset: Annotated[
        str,
        typer.Option(
            help="Asset holding each Item's image (visual, thumbnail... in others' catalogs)."
        ),
    ] = "image",
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
    catalog: Annotated[Path, typer.Option(help="Catalog dir, catalog.json or .parquet.")],
    out: Annotated[Path, typer.Option(help="Run directory (model/ and gaia_blip2.json).")],
    model: Annotated[
        str, typer.Option(help="Hub name, local dir, or tiny.")
    ] = "Salesforce/blip2-opt-2.7b",
    lora: Annotated[int, typer.Option(help="LoRA rank on the language model's q_proj/v_proj.")] = 8,
    lora_alpha: Annotated[int, typer.Option(help="LoRA alpha.")] = 16,
    lora_dropout: Annotated[float, typer.Option(help="LoRA dropout.")] = 0.05,
    epochs: Annotated[int, typer.Option(help="Epochs.")] = 1,
    batch_size: Annotated[int, typer.Option(help="Images per step.")] = 4,
    lr: Annotated[float, typer.Option(help="Learning rate.")] = 1e-4,
    max_steps: Annotated[
        int,
        typer.Option(
            help="Stop after this many steps (-1: no limit); --epochs also stops the run."
        ),
    ] = -1,
    precision: Annotated[str, typer.Option(help="32 or bf16.")] = "32",
    device: Annotated[str, typer.Option(help="auto, cpu, cuda.")] = "auto",
    workers: Annotated[int, typer.Option(help="Data-loader workers.")] = 0,
    seed: Annotated[int, typer.Option(help="Seed.")] = 0,
    checkpoint_every: Annotated[
        int,
        typer.Option(min=0, help="Write OUT/checkpoint.pt every N steps (and each epoch's end)."),
    ] = 100,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue from OUT/checkpoint.pt.")
    ] = False,
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
    catalog: Annotated[Path, typer.Option(help="Catalog dir, catalog.json or .parquet.")],
    model: Annotated[
        str,
        typer.Option(
            help="A `gaia-geo train blip2` run directory (checked as a folder), or a hub name."
        ),
    ],
    out: Annotated[Path, typer.Option(help="JSON file {item id: caption}.")],
    split: Annotated[str | None, typer.Option(help="One split (default: all items).")] = None,
    batch_size: Annotated[int, typer.Option(help="Images per generate call.")] = 8,
    max_new_tokens: Annotated[int, typer.Option(help="Longest caption in tokens.")] = 40,
    num_beams: Annotated[int, typer.Option(help="Beam width.")] = 1,
    device: Annotated[str, typer.Option(help="auto, cpu, cuda.")] = "auto",
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
