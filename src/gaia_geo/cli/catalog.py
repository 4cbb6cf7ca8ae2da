"""``gaia-geo demo``, ``gaia-geo validate`` and ``gaia-geo info``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def _print_summary(summary: dict[str, object]) -> None:
    typer.echo(f"items: {summary['items']}")
    for key in ("splits", "sensors", "years", "geometry_kinds"):
        values = summary[key]
        assert isinstance(values, dict)
        typer.echo(f"{key}:")
        for name, count in values.items():
            typer.echo(f"  {name:<28} {count:>7}")
    typer.echo(f"bbox (W, S, E, N): {summary['bbox']}")
    typer.echo(f"interval: {summary['interval'][0]} .. {summary['interval'][1]}")  # type: ignore[index]


def demo(
    out: Annotated[Path, typer.Option(help="Catalog folder to (re)build.")] = Path("catalogs/demo"),
    n: Annotated[int, typer.Option(min=1, max=1000, help="Number of sample images.")] = 72,
    seed: Annotated[int, typer.Option(help="Sample seed (same seed, same bytes).")] = 0,
) -> None:
    """Build the demo catalog offline (no network, no API key) and summarise it."""
    from ..demo import build_demo
    from ..stac import read_catalog, summarize_catalog

    root = build_demo(out, n=n, seed=seed)
    typer.echo(f"wrote {root} (valid STAC, offline captions)")
    _print_summary(summarize_catalog(read_catalog(root)))


def validate(
    catalog: Annotated[
        Path, typer.Argument(help="Catalog folder, catalog.json, or any STAC JSON file.")
    ],
    schema_dir: Annotated[
        Path | None,
        typer.Option(
            help="Extra folder of STAC schemas laid out like gaia_geo/stac/schemas (URL prefixes "
            "mapped to sub-folders), searched before the bundled ones."
        ),
    ] = None,
) -> None:
    """Validate every Catalog, Collection and Item offline; exit 1 only if one is invalid.

    Each object is valid, invalid (schema, unreadable or missing file, geometry, bbox, an Item id
    in two splits or Collections) or unchecked (a schema not bundled, a remote link not followed).
    """
    from ..stac import Problem
    from ..stac import validate as run

    report = run(catalog, schema_dir=schema_dir)
    for problem in report.problems:
        typer.echo(f"INVALID {problem}", err=True)
    by_schema: dict[str, list[Problem]] = {}
    for note in report.unchecked:
        if note.schema == "link":  # a remote link: one line each
            typer.echo(f"UNCHECKED {note}", err=True)
        else:  # a schema not bundled: one line per schema, however many objects use it
            by_schema.setdefault(note.schema, []).append(note)
    for notes in by_schema.values():
        more = f" (and {len(notes) - 1} more objects)" if len(notes) > 1 else ""
        typer.echo(f"UNCHECKED {notes[0]}{more}", err=True)
    typer.echo(report.summary())
    if not report.valid:
        raise typer.Exit(1)


def info(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder, catalog.json or items.parquet.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts per split, sensor and year; spatial and temporal extent."""
    from ..stac import read_catalog, summarize_catalog

    summary = summarize_catalog(read_catalog(catalog))
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        _print_summary(summary)


def register(app: typer.Typer) -> None:
    """Add the catalog commands to the ``gaia-geo`` app."""
    app.command()(demo)
    app.command()(validate)
    app.command()(info)
