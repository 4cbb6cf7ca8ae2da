"""Evaluation reports: one JSON and one Markdown table per run, and run-to-run comparison."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .._atomic import atomic_write_text
from ..errors import (
    ReportError as ReportError,
)
from ._reference import published_results

#: Metric columns per task, in table order, with their headers.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "retrieval": (
        ("i2t_r1", "I2T R@1"),
        ("i2t_r5", "I2T R@5"),
        ("i2t_r10", "I2T R@10"),
        ("t2i_r1", "T2I R@1"),
        ("t2i_r5", "T2I R@5"),
        ("t2i_r10", "T2I R@10"),
        ("mR", "mR"),
    ),
    "zeroshot": (("top1", "top-1"), ("top5", "top-5"), ("mean_per_class", "mean per-class")),
    "captioning": (
        ("Bleu_1", "BLEU-1"),
        ("Bleu_2", "BLEU-2"),
        ("Bleu_3", "BLEU-3"),
        ("Bleu_4", "BLEU-4"),
        ("METEOR", "METEOR"),
        ("ROUGE_L", "ROUGE-L"),
        ("CIDEr", "CIDEr"),
        ("SPICE", "SPICE"),
    ),
}


@dataclass
class EvalReport:
    """The record of one evaluation run.

    Attributes:
        task: ``retrieval``, ``zeroshot`` or ``captioning``.
        model: the architecture (or ``captions-file`` for captioning from a file).
        dataset: dataset name (``rsicd``, ``eurosat``, a catalog folder name...).
        split: the split evaluated.
        metrics: metric key -> value (recalls and accuracies in percent).
        checkpoint: learn-stage checkpoint directory, if any.
        pretrained: open_clip pretrained tag or weights file, if any.
        prompts: zero-shot templates.
        details: anything else worth keeping (near-duplicates, skipped metrics, per-class...).
        source: where the data came from (catalog path, annotation file, dataset root).
        created: UTC time of the run.
    """

    task: str
    model: str
    dataset: str
    split: str | None
    metrics: dict[str, float | int]
    checkpoint: str | None = None
    pretrained: str | None = None
    prompts: list[str] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    created: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict (with the published reference figures)."""
        data = asdict(self)
        data["published"] = [asdict(r) for r in published_results(self.task, self.dataset)]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvalReport:
        """Build a report from :meth:`to_dict` output."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) >= 1 or value == 0 else f"{value:.4f}"
    return "–" if value is None else str(value)


def report_markdown(report: EvalReport) -> str:
    """Render a report as Markdown: the run's settings, then ours beside the published numbers."""
    lines = [f"# {report.task} on {report.dataset} ({report.split or 'all'})", ""]
    lines += ["| setting | value |", "|---|---|"]
    settings = {
        "model": report.model,
        "pretrained": report.pretrained,
        "checkpoint": report.checkpoint,
        "dataset": report.dataset,
        "split": report.split,
        "source": report.source,
        "prompts": "; ".join(report.prompts) if report.prompts else None,
        "created": report.created,
    }
    lines += [f"| {k} | {_fmt(v)} |" for k, v in settings.items() if v is not None]
    columns = COLUMNS.get(report.task, tuple((k, k) for k in report.metrics))
    lines += ["", "| model | " + " | ".join(h for _, h in columns) + " |"]
    lines.append("|---|" + "---|" * len(columns))
    ours = report.checkpoint or (
        f"{report.model} ({report.pretrained})" if report.pretrained else report.model
    )
    lines.append(
        f"| **{ours}** (ours) | "
        + " | ".join(_fmt(report.metrics.get(k)) for k, _ in columns)
        + " |"
    )
    for ref in published_results(report.task, report.dataset):
        cells = [_fmt(ref.value) if key == ref.metric else "–" for key, _ in columns]
        lines.append(f"| {ref.model} ({ref.source}) | " + " | ".join(cells) + " |")
    if not published_results(report.task, report.dataset):
        lines += [
            "",
            f"No published {report.task} figure for {report.dataset} in "
            "gaia_geo.evaluate.PUBLISHED (the peers' figures gaia_geo ships, with their sources).",
        ]
    per_class = {k[6:]: v for k, v in report.metrics.items() if k.startswith("class/")}
    if per_class:
        lines += ["", "| class | top-1 |", "|---|---|"]
        lines += [f"| {name} | {_fmt(value)} |" for name, value in per_class.items()]
    counts = {k: v for k, v in report.metrics.items() if k.startswith("n_")}
    if counts:
        lines += ["", ", ".join(f"{k[2:].replace('_', ' ')}: {v}" for k, v in counts.items())]
    pairs = report.details.get("near_duplicates")
    if isinstance(pairs, list):
        bits = report.details.get("near_duplicate_max_distance", "?")
        against = report.details.get("near_duplicate_train_source")
        where = f", train split of {against}" if against else ""
        shown = ", ".join(f"{p['test_id']} ~ {p['train_id']}" for p in pairs[:5])
        more = f" ... (+{len(pairs) - 5})" if len(pairs) > 5 else ""
        lines += ["", f"Train/test near-duplicates (pHash <= {bits} bits{where}): {len(pairs)}"]
        lines[-1] += f": {shown}{more}" if pairs else ""
    for key, value in report.details.items():
        if isinstance(value, str) and not key.startswith("near_duplicate"):
            lines += ["", f"{key}: {value}"]
    return "\n".join(lines) + "\n"


def write_report(report: EvalReport, out: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.md`` into the run folder ``out`` (atomically).

    Returns:
        The two paths.
    """
    folder = Path(out)
    json_path, md_path = folder / "report.json", folder / "report.md"
    atomic_write_text(json_path, json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n")
    atomic_write_text(md_path, report_markdown(report))
    return json_path, md_path


def read_report(path: str | os.PathLike[str]) -> EvalReport:
    """Read a run's report from its folder or its ``report.json``.

    Raises:
        ReportError: if the file is missing or not a report.
    """
    file = Path(path)
    if file.is_dir():
        file = file / "report.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError("expected a JSON object")
        return EvalReport.from_dict(data)
    except FileNotFoundError:
        raise ReportError(
            f"{str(file)!r} does not exist; pass a run folder or its report.json"
        ) from None
    except (json.JSONDecodeError, TypeError) as err:
        raise ReportError(f"{str(file)!r} is not an evaluation report: {err}") from None


def compare_reports(first: EvalReport, second: EvalReport) -> str:
    """Return a Markdown table of the metrics two runs share, with the difference (second - first).

    Raises:
        ReportError: if the runs are of different tasks.
    """
    if first.task != second.task:
        raise ReportError(f"cannot compare a {first.task} run with a {second.task} run")
    names = [k for k, _ in COLUMNS.get(first.task, ())]
    names += [k for k in first.metrics if k not in names and not k.startswith("n_")]
    shared = [k for k in names if k in first.metrics and k in second.metrics]
    label_a = first.checkpoint or first.model
    label_b = second.checkpoint or second.model
    lines = [
        f"# {first.task}: {first.dataset} ({first.split}) vs {second.dataset} ({second.split})",
        "",
        f"| metric | run 1: {label_a} | run 2: {label_b} | difference |",
        "|---|---|---|---|",
    ]
    for key in shared:
        a, b = first.metrics[key], second.metrics[key]
        lines.append(f"| {key} | {_fmt(a)} | {_fmt(b)} | {float(b) - float(a):+.2f} |")
    return "\n".join(lines) + "\n"
