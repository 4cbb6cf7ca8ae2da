"""``gaia-geo import-benchmark``: a published RS benchmark as a gaia_geo catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer


def import_benchmark_command(
    annotations: Annotated[
        Path,
        typer.Argument(
            help="dataset_rsicd.json (RSICD, RSITMD, UCM-/Sydney-/NWPU-Captions), a COCO captions "
            "JSON, GeoRSCLIP's CSV, an AMFMN *_precomp folder, or a class-folder root."
        ),
    ],
    out: Annotated[Path, typer.Option(help="The catalog folder to create (must not exist).")],
    images: Annotated[
        Path | None,
        typer.Option(help="The image folder (default: images/ beside the annotations)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="Benchmark name (rsicd, rsitmd, ucm-captions...); default: from the file."
        ),
    ] = None,
    layout: Annotated[
        str, typer.Option(help="auto, rsicd-json, coco-json, csv (GeoRSCLIP), amfmn or folder.")
    ] = "auto",
    split: Annotated[
        str | None,
        typer.Option(help="Split of a COCO JSON or CSV (default: from its name, e.g. *_test.csv)."),
    ] = None,
    assets: Annotated[
        str, typer.Option(help="copy the images beside the Items, or reference.")
    ] = "copy",
) -> None:
    """Import a benchmark with its own splits and human captions (geometry null: unknown place)."""
    from ..evaluate._benchmark_import import Layout, import_benchmark

    layouts = ("auto", "rsicd-json", "coco-json", "csv", "amfmn", "folder")
    if layout not in layouts:
        raise typer.BadParameter(f"use one of {', '.join(layouts)}", param_hint="--layout")
    if assets not in ("copy", "reference"):
        raise typer.BadParameter("use copy or reference", param_hint="--assets")
    root = import_benchmark(
        annotations,
        out,
        images=images,
        name=name,
        layout=cast(Layout, layout),
        split=split,
        assets="copy" if assets == "copy" else "reference",
    )
    typer.echo(f"wrote {root / 'catalog.json'}")


def register(app: typer.Typer) -> None:
    """Add ``import-benchmark`` to the ``gaia-geo`` app."""
    app.command("import-benchmark")(import_benchmark_command)
