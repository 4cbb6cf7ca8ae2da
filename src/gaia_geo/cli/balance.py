"""``gaia-geo balance``, ``gaia-geo split`` and ``gaia-geo stats``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from ._options import LayoutOption, PartitionByOption, catalog_layout

_SPATIAL_HELP = "Spatial cells: h3:<res>, grid:<km>, country, continent or none."
_ENGINE_HELP = (
    "pandas (in memory) or dask: the stac-geoparquet partitions balanced out of core, "
    "on --scheduler or this machine's threads."
)
_SCHEDULER_HELP = "Address of a running Dask scheduler (tcp://host:8786), with --engine dask."
_TEMPORAL_HELP = "Temporal bins: year, month, season, decade or none."


@contextlib.contextmanager
def _options_checked() -> Iterator[None]:
    """Report a bad option value (the library's ValueError) as a usage error, not a traceback."""
    from ..errors import GaiaError

    try:
        yield
    except GaiaError:
        raise
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err


@contextlib.contextmanager
def _engine(engine: str, scheduler: str | None) -> Iterator[None]:
    """Check ``--engine``; with dask, run on ``--scheduler`` when given."""
    if engine not in ("pandas", "dask"):
        raise typer.BadParameter(f"--engine {engine!r}: use pandas or dask")
    if engine == "pandas":
        if scheduler is not None:
            raise typer.BadParameter("--scheduler needs --engine dask")
        yield
        return
    from ..stac._read_dask import require_dask

    try:
        require_dask()
    except ImportError as err:
        raise typer.BadParameter(str(err)) from err
    if scheduler is None:
        yield
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, ValueError) as err:
        raise typer.BadParameter(f"--scheduler {scheduler!r}: cannot connect ({err})") from err
    with client:
        yield


def balance(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder, catalog.json or items.parquet.")],
    out: Annotated[
        Path,
        typer.Option(
            help="Folder of the balanced catalog: new, empty, or an earlier gaia_geo output "
            "(replaced); never the input, inside it or around it."
        ),
    ],
    n: Annotated[
        int | None, typer.Option(min=0, help="Items to keep (default: all up to --cap).")
    ] = None,
    spatial: Annotated[str, typer.Option(help=_SPATIAL_HELP)] = "h3:2",
    temporal: Annotated[str, typer.Option(help=_TEMPORAL_HELP)] = "year",
    by: Annotated[list[str] | None, typer.Option(help="Extra stratum column (repeatable).")] = None,
    cap: Annotated[int | None, typer.Option(min=1, help="Most items per stratum.")] = None,
    strategy: Annotated[str, typer.Option(help="uniform, sqrt or proportional.")] = "uniform",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    missing: Annotated[
        str, typer.Option(help="Items without place/date: drop or unknown.")
    ] = "drop",
    nested: Annotated[
        bool, typer.Option(help="Spread over cells first, then time bins within each cell.")
    ] = False,
    assets: Annotated[str, typer.Option(help="copy the asset files, or reference them.")] = "copy",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    stream: Annotated[
        bool,
        typer.Option(
            "--stream",
            help="Read the GeoParquet mirrors in batches: for catalogs larger than memory.",
        ),
    ] = False,
    engine: Annotated[str, typer.Option(help=_ENGINE_HELP)] = "pandas",
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    layout: LayoutOption = None,
    partition_by: PartitionByOption = None,
) -> None:
    """Write a spatially and temporally balanced subset of a catalog; print the balance report."""
    from .._paths import check_output_folder
    from ..balance import balance as run
    from ..balance import balance_report, read_rows, strata_frame
    from ..stac import read_catalog, to_items, write_catalog

    check_output_folder(out, inputs=[_catalog_folder(catalog)])
    chosen_layout, chosen_partition = catalog_layout(layout, partition_by, _catalog_folder(catalog))
    strata = tuple(by or ())
    settings = {"spatial": spatial, "temporal": temporal, "by": strata, "missing": missing}
    options = {"cap": cap, "strategy": strategy, "seed": seed, "nested": nested}
    if stream and engine != "pandas":
        raise typer.BadParameter("--stream and --engine dask: choose one")
    with _engine(engine, scheduler), _options_checked():
        if stream:  # the same subset, never holding whole rows but the chosen ones
            frame = strata_frame(catalog, strata)
            chosen = run(frame, n, **options, **settings)  # type: ignore[arg-type]
            subset = read_rows(catalog, chosen.index)
        else:
            frame = read_catalog(catalog, engine=engine)
            subset = run(frame, n, **options, **settings)  # type: ignore[arg-type]
            if engine == "dask":  # the chosen rows only, read by the workers
                subset = subset.compute()
        report = balance_report(frame, subset, **settings)  # type: ignore[arg-type]
        total = len(frame.index)
    root = write_catalog(
        to_items(subset),
        out,
        title=f"{Path(catalog).name} balanced ({spatial} x {temporal})",
        assets=assets,  # type: ignore[arg-type]
        layout=chosen_layout,
        partition_by=chosen_partition,
    )
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else str(report))
    typer.echo(f"wrote {len(subset)} of {total} items to {root}")


def _catalog_folder(catalog: Path) -> Path:
    """The folder a catalog argument stands for: ``X/catalog.json`` is ``X``.

    An output may be neither this folder, nor inside it, nor around it.
    """
    return catalog.parent if catalog.suffix in (".json", ".parquet") else catalog


def _catalog_meta(folder: Path) -> dict[str, str]:
    """id, title and description of an existing catalog.json (empty when there is none)."""
    path = folder / "catalog.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: str(data[key]) for key in ("id", "title", "description") if data.get(key)}


def split(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder or catalog.json.")],
    out: Annotated[
        Path | None, typer.Option(help="Write here instead of rewriting CATALOG.")
    ] = None,
    fractions: Annotated[str, typer.Option(help="train,validate,test shares.")] = "0.7,0.1,0.2",
    block: Annotated[str, typer.Option(help="Spatial block: h3:<res>.")] = "h3:3",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    temporal_holdout: Annotated[
        str | None, typer.Option(help="Date: items on or after it form the test split.")
    ] = None,
    phash: Annotated[
        int | None,
        typer.Option(min=0, max=63, help="Near-duplicate images (phash bits apart) share a split."),
    ] = None,
    layout: LayoutOption = None,
    partition_by: PartitionByOption = None,
) -> None:
    """Assign train/validate/test by spatial blocks and rewrite the per-split Collections.

    Without --out the catalog is rewritten in place: built beside it and swapped in atomically,
    refused if its folder holds files gaia_geo did not write.
    """
    from .._paths import check_output_folder
    from ..balance import split as run
    from ..stac import read_catalog, to_items, write_catalog

    source = _catalog_folder(catalog)
    target = out if out is not None else source
    check_output_folder(target, inputs=[source] if out is not None else ())
    chosen_layout, chosen_partition = catalog_layout(layout, partition_by, source)
    try:
        shares = tuple(float(part) for part in fractions.split(","))
    except ValueError as err:
        raise typer.BadParameter(
            f"--fractions {fractions!r}: three numbers, e.g. 0.7,0.1,0.2"
        ) from err
    with _options_checked():
        frame = run(
            read_catalog(catalog),
            shares,
            block=block,
            seed=seed,
            temporal_holdout=temporal_holdout,
            phash=phash,
        )
    meta = _catalog_meta(source)
    root = write_catalog(
        to_items(frame),
        target,
        id=meta.get("id") or target.name,
        title=meta.get("title"),
        description=meta.get("description"),
        layout=chosen_layout,
        partition_by=chosen_partition,
    )
    info = frame.attrs.get("gaia:split", {})
    counts = frame["ml-aoi:split"].value_counts()
    for name in ("train", "validate", "test"):
        typer.echo(f"{name:<9} {int(counts.get(name, 0)):>7}")
    if info.get("dropped"):
        typer.echo(
            f"dropped  {info['dropped']:>7} items within {info['min_distance_km']:.1f} km of "
            "another split (buffer at block borders; kept in the catalog as unsplit)"
        )
    if info.get("no_location"):
        typer.echo(
            f"no place {info['no_location']:>7} items without geometry "
            f"({info.get('no_location_drawn', 0)} drawn at random by the fractions)"
        )
    parts = f"{info.get('blocks', '?')} blocks"
    if info.get("chunks"):
        parts = f"{parts} cut into {info['chunks']} chunks"
    typer.echo(
        f"{parts}; items closer than "
        f"{info.get('min_distance_km', 0):.1f} km always share a split; wrote {root}"
    )


def stats(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder, catalog.json or items.parquet.")],
    out: Annotated[Path, typer.Option(help="Folder for the PNG figures.")] = Path("docs/figures"),
    spatial: Annotated[str, typer.Option(help=_SPATIAL_HELP)] = "h3:2",
    temporal: Annotated[str, typer.Option(help=_TEMPORAL_HELP)] = "year",
    n: Annotated[
        int | None,
        typer.Option(min=1, help="Size of the balanced subset compared with (default: half)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the balanced subset.")] = 0,
    nested: Annotated[bool, typer.Option(help="Balance the subset per axis (space first).")] = True,
    engine: Annotated[str, typer.Option(help=_ENGINE_HELP)] = "pandas",
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
) -> None:
    """Print the catalog's balance and write its figures (maps, years, sensors, balance)."""
    from ..balance import balance as run
    from ..balance import balance_report, render_figures
    from ..stac import read_catalog

    with _engine(engine, scheduler):
        frame = read_catalog(catalog, engine=engine)
        size = n if n is not None else max(1, len(frame.index) // 2)
        with _options_checked():
            subset = run(frame, size, spatial=spatial, temporal=temporal, seed=seed, nested=nested)  # type: ignore[arg-type]
            if engine == "dask":
                subset = subset.compute()
        typer.echo(str(balance_report(frame, subset, spatial=spatial, temporal=temporal)))  # type: ignore[arg-type]
        paths = render_figures(frame, out, balanced=subset, spatial=spatial, temporal=temporal)  # type: ignore[arg-type]
    for path in paths:
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add the balance commands to the ``gaia-geo`` app."""
    app.command()(balance)
    app.command()(split)
    app.command()(stats)
