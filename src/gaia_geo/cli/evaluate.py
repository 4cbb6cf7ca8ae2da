"""``gaia-geo evaluate retrieval|zeroshot|captioning|compare``: measure models beside papers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

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
    model: Annotated[str, typer.Option(help=_MODEL_HELP)],
    out: Annotated[Path, typer.Option(help="Run folder for report.json and report.md.")],
    pretrained: Annotated[str, typer.Option(help=_PRETRAINED_HELP)] = "none",
    catalog: Annotated[
        Path | None, typer.Option(help="A gaia_geo catalog (dir, catalog.json).")
    ] = None,
    annotations: Annotated[
        Path | None,
        typer.Option(help="RSICD-format JSON (RSICD, RSITMD, UCM-Captions, Sydney-Captions)."),
    ] = None,
    images: Annotated[Path | None, typer.Option(help="Image folder of --annotations.")] = None,
    split: Annotated[
        str, typer.Option(help="Split to evaluate (test, val/validate, train, all).")
    ] = "test",
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name in the report (e.g. rsicd).")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Images per forward pass.")] = 64,
    cache: Annotated[Path | None, typer.Option(help="Embedding cache folder.")] = None,
    max_distance: Annotated[
        int,
        typer.Option(help="pHash distance for train/test near-duplicates (-1: skip the check)."),
    ] = 4,
    train_source: Annotated[
        Path | None,
        typer.Option(help="Catalog or RSICD JSON whose train split to check for near-duplicates."),
    ] = None,
    workers: Annotated[int, typer.Option(help="Image-decoding and tokenizing workers.")] = 0,
    device: Annotated[str, typer.Option(help="torch device.")] = "cpu",
    precision: Annotated[str, typer.Option(help="fp32, or bf16 / fp16 autocast (GPUs).")] = "fp32",
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
    model: Annotated[str, typer.Option(help=_MODEL_HELP)],
    root: Annotated[Path, typer.Option(help="Dataset root in torchgeo's layout.")],
    out: Annotated[Path, typer.Option(help="Run folder for report.json and report.md.")],
    pretrained: Annotated[str, typer.Option(help=_PRETRAINED_HELP)] = "none",
    dataset: Annotated[
        str,
        typer.Option(help="eurosat, ucmerced, resisc45, patternnet, or folder (ROOT/<class>/*)."),
    ] = "eurosat",
    split: Annotated[str, typer.Option(help="train, val, test, or all.")] = "test",
    template: Annotated[
        list[str] | None,
        typer.Option(
            help="Prompt template with {} (repeat to ensemble); default: the RS templates."
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Images per forward pass.")] = 64,
    cache: Annotated[Path | None, typer.Option(help="Embedding cache folder.")] = None,
    workers: Annotated[int, typer.Option(help="Image-decoding and tokenizing workers.")] = 0,
    device: Annotated[str, typer.Option(help="torch device.")] = "cpu",
    precision: Annotated[str, typer.Option(help="fp32, or bf16 / fp16 autocast (GPUs).")] = "fp32",
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
    captions: Annotated[
        Path, typer.Option(help="Generated captions (COCO results, {id: text}, JSONL).")
    ],
    out: Annotated[Path, typer.Option(help="Run folder for report.json and report.md.")],
    catalog: Annotated[Path | None, typer.Option(help="References: a gaia_geo catalog.")] = None,
    annotations: Annotated[
        Path | None, typer.Option(help="References: an RSICD-format JSON.")
    ] = None,
    split: Annotated[str, typer.Option(help="Split the captions were generated for.")] = "test",
    dataset: Annotated[str | None, typer.Option(help="Dataset name in the report.")] = None,
    model: Annotated[
        str, typer.Option(help="Captioning model name for the report.")
    ] = "captions-file",
    spice: Annotated[str, typer.Option(help="auto (when its jars exist), never, always.")] = "auto",
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
    first: Annotated[Path, typer.Argument(help="Run folder (or report.json) 1.")],
    second: Annotated[Path, typer.Argument(help="Run folder (or report.json) 2.")],
) -> None:
    """Print the metrics two runs share and their difference (run 2 - run 1)."""
    from ..evaluate import compare_reports, read_report

    typer.echo(compare_reports(read_report(first), read_report(second)))


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command group (``eval``, its first name, stays as an alias)."""
    app.add_typer(eval_app, name="evaluate")
    app.add_typer(eval_app, name="eval", hidden=True)
