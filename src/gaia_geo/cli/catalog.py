"""``gaia-geo demo``, ``gaia-geo validate`` and ``gaia-geo info``."""

from __future__ import annotations

import json
from pathlib import Path

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
    out: Path = typer.Option(Path("catalogs/demo"), help="Catalog folder to (re)build."),
    n: int = typer.Option(72, min=1, max=1000, help="Number of sample images."),
    seed: int = typer.Option(0, help="Sample seed (same seed, same bytes)."),
) -> None:
    """Build the demo catalog offline (no network, no API key) and summarise it."""
    from ..demo import build_demo
    from ..stac import read_catalog, summarize_catalog

    root = build_demo(out, n=n, seed=seed)
    typer.echo(f"wrote {root} (valid STAC, offline captions)")
    _print_summary(summarize_catalog(read_catalog(root)))


def validate(
    catalog: Path = typer.Argument(..., help="Catalog folder or catalog.json."),
    schema_dir: Path | None = typer.Option(
        None,
        help="Extra folder of STAC schemas, laid out like gaia_geo/stac/schemas "
        "(URL prefixes as folders); the bundled schemas are always used.",
    ),
) -> None:
    """Validate every Catalog, Collection and Item offline; exit 1 if any is invalid."""
    from ..stac import validate as run

    report = run(catalog, schema_dir=schema_dir)
    for problem in report.problems:
        typer.echo(f"INVALID {problem}", err=True)
    typer.echo(f"{report.checked} STAC objects checked, {len(report.problems)} invalid")
    if not report.valid:
        raise typer.Exit(1)


def info(
    catalog: Path = typer.Argument(..., help="Catalog folder, catalog.json or items.parquet."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
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
