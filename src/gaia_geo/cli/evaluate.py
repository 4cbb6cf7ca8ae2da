"""``gaia-geo evaluate retrieval|zeroshot|captioning|compare``: measure models beside papers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

import typer

if TYPE_CHECKING:
    from ..evaluate import EvalReport

eval_app = typer.Typer(
    help="Evaluate models: retrieval, zero-shot classification, captioning metrics, reports.",
    no_args_is_help=True,
)

_MODEL_HELP = "open_clip architecture (ViT-B-32, gaia-tiny-vit) or a learn-stage checkpoint dir."
_PRETRAINED_HELP = "open_clip pretrained tag or weights file; 'none' for random init."


def _pretrained(value: str | None) -> str | None:
    return None if value in (None, "", "none", "None") else value


def _finish(report: EvalReport, out: Path) -> None:
    from ..evaluate import report_markdown, write_report

    json_path, md_path = write_report(report, out)
    typer.echo(report_markdown(report))
    typer.echo(f"wrote {json_path} and {md_path}")


@eval_app.command("retrieval")
def retrieval_command(
    model: str = typer.Option(..., help=_MODEL_HELP),
    out: Path = typer.Option(..., help="Run folder for report.json and report.md."),
    pretrained: str = typer.Option("none", help=_PRETRAINED_HELP),
    catalog: Path | None = typer.Option(None, help="A gaia_geo catalog (dir, catalog.json)."),
    annotations: Path | None = typer.Option(
        None, help="RSICD-format JSON (RSICD, RSITMD, UCM-Captions, Sydney-Captions)."
    ),
    images: Path | None = typer.Option(None, help="Image folder of --annotations."),
    split: str = typer.Option("test", help="Split to evaluate (test, val/validate, train, all)."),
    dataset: str | None = typer.Option(None, help="Dataset name in the report (e.g. rsicd)."),
    batch_size: int = typer.Option(64, help="Images per forward pass."),
    cache: Path | None = typer.Option(None, help="Embedding cache folder."),
    max_distance: int = typer.Option(
        4, help="pHash distance for train/test near-duplicates (-1: skip the check)."
    ),
    train_source: Path | None = typer.Option(
        None, help="Catalog or RSICD JSON whose train split to check for near-duplicates."
    ),
    workers: int = typer.Option(0, help="Image-decoding and tokenizing workers."),
    device: str = typer.Option("cpu", help="torch device."),
    precision: str = typer.Option("fp32", help="fp32, or bf16 / fp16 autocast (GPUs)."),
) -> None:
    """Image-text retrieval: I2T/T2I R@1/5/10 and mean recall (RSICD/RSITMD protocol)."""
    from ..evaluate import evaluate_retrieval

    report = evaluate_retrieval(
        model,
        _pretrained(pretrained),
        catalog=catalog,
        annotations=annotations,
        images=images,
        split=None if split == "all" else split,
        dataset=dataset,
        batch_size=batch_size,
        cache_dir=cache,
        max_distance=max_distance if max_distance >= 0 else None,
        train_source=train_source,
        num_workers=workers,
        device=device,
        precision=precision,
    )
    _finish(report, out)


@eval_app.command("zeroshot")
def zeroshot_command(
    model: str = typer.Option(..., help=_MODEL_HELP),
    root: Path = typer.Option(..., help="Dataset root in torchgeo's layout."),
    out: Path = typer.Option(..., help="Run folder for report.json and report.md."),
    pretrained: str = typer.Option("none", help=_PRETRAINED_HELP),
    dataset: str = typer.Option(
        "eurosat", help="eurosat, ucmerced, resisc45, patternnet, or folder (ROOT/<class>/*)."
    ),
    split: str = typer.Option("test", help="train, val, test, or all."),
    template: list[str] | None = typer.Option(
        None, help="Prompt template with {} (repeat to ensemble); default: the RS templates."
    ),
    batch_size: int = typer.Option(64, help="Images per forward pass."),
    cache: Path | None = typer.Option(None, help="Embedding cache folder."),
    workers: int = typer.Option(0, help="Image-decoding and tokenizing workers."),
    device: str = typer.Option("cpu", help="torch device."),
    precision: str = typer.Option("fp32", help="fp32, or bf16 / fp16 autocast (GPUs)."),
) -> None:
    """Zero-shot classification with RS prompt ensembling: top-1, top-5, per-class accuracy."""
    from ..evaluate import RS_TEMPLATES, evaluate_zeroshot
    from ..evaluate._datasets import LAYOUTS, ClassificationName

    if dataset not in LAYOUTS:
        raise typer.BadParameter(f"--dataset must be one of {sorted(LAYOUTS)}")
    report = evaluate_zeroshot(
        model,
        _pretrained(pretrained),
        root=root,
        dataset=cast(ClassificationName, dataset),
        split=None if split == "all" else split,
        templates=template or RS_TEMPLATES,
        batch_size=batch_size,
        cache_dir=cache,
        num_workers=workers,
        device=device,
        precision=precision,
    )
    _finish(report, out)


@eval_app.command("captioning")
def captioning_command(
    captions: Path = typer.Option(
        ..., help="Generated captions (COCO results, {id: text}, JSONL)."
    ),
    out: Path = typer.Option(..., help="Run folder for report.json and report.md."),
    catalog: Path | None = typer.Option(None, help="References: a gaia_geo catalog."),
    annotations: Path | None = typer.Option(None, help="References: an RSICD-format JSON."),
    split: str = typer.Option("test", help="Split the captions were generated for."),
    dataset: str | None = typer.Option(None, help="Dataset name in the report."),
    model: str = typer.Option("captions-file", help="Captioning model name for the report."),
    spice: str = typer.Option("auto", help="auto (when its jars exist), never, always."),
) -> None:
    """BLEU-1..4, METEOR, ROUGE-L, CIDEr (SPICE when available) with pycocoevalcap."""
    from ..evaluate import evaluate_captioning

    if spice not in ("auto", "never", "always"):
        raise typer.BadParameter("--spice must be auto, never or always")
    report = evaluate_captioning(
        captions,
        catalog=catalog,
        annotations=annotations,
        split=None if split == "all" else split,
        dataset=dataset,
        model=model,
        spice=cast(Literal["auto", "never", "always"], spice),
    )
    _finish(report, out)


@eval_app.command("compare")
def compare_command(
    first: Path = typer.Argument(..., help="Run folder (or report.json) 1."),
    second: Path = typer.Argument(..., help="Run folder (or report.json) 2."),
) -> None:
    """Print the metrics two runs share and their difference (run 2 - run 1)."""
    from ..evaluate import compare_reports, read_report

    typer.echo(compare_reports(read_report(first), read_report(second)))


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command group (``eval``, its first name, stays as an alias)."""
    app.add_typer(eval_app, name="evaluate")
    app.add_typer(eval_app, name="eval", hidden=True)
