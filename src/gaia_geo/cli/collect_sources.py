"""CLI of the collect sources: ``gaia-geo import-gaia``, ``download`` and ``collect stac``.

``gaia_geo.cli.collect`` calls :func:`register` with the top-level app and its ``collect`` sub-app.
Heavy imports happen inside the commands so that ``gaia-geo --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ._exit import KEEP_GOING_HELP, exit_on_failures
from ._options import LayoutOption, PartitionByOption, catalog_layout


def _summary(report: dict[str, object], keys: tuple[str, ...]) -> str:
    return json.dumps({k: report[k] for k in keys if k in report}, indent=2)


def import_gaia_command(
    files: Annotated[list[Path], typer.Argument(help="GAIA release split files (JSON).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Catalog folder to write.")] = Path(
        "catalogs/gaia"
    ),
    split: Annotated[
        str | None,
        typer.Option(help="Force this split (train, validate, test) instead of the file name's."),
    ] = None,
    title: Annotated[str, typer.Option(help="Catalog title.")] = "GAIA (imported release)",
    limit: Annotated[
        int | None, typer.Option(help="Import at most this many records per file.")
    ] = None,
    layout: LayoutOption = None,
    partition_by: PartitionByOption = None,
) -> None:
    """Import published GAIA release files into a STAC catalog (images stay remote)."""
    from ..collect._gaia_import import REPORT_NAME, import_gaia

    chosen_layout, chosen_partition = catalog_layout(layout, partition_by)
    report = import_gaia(
        files,
        out,
        split=split,
        title=title,
        limit=limit,
        layout=chosen_layout,
        partition_by=chosen_partition,
    )
    data = report.to_dict()
    data["rejected"] = len(report.rejected)
    typer.echo(
        _summary(
            data,
            (
                "out",
                "items",
                "splits",
                "rejected",
                "rejected_fields",
                "unmatched_names",
                "without_sensor",
            ),
        )
    )
    typer.echo(f"report: {out / REPORT_NAME}")
    for rejected in report.rejected[:10]:
        typer.echo(
            f"rejected {rejected['file']}[{rejected['index']}]: {rejected['reason']}", err=True
        )


def download_command(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder whose remote images to fetch.")],
    concurrency: Annotated[int, typer.Option(help="Downloads in flight at once.")] = 8,
    per_host: Annotated[
        int, typer.Option(min=0, help="Downloads in flight to one host (0: no per-host bound).")
    ] = 4,
    host_delay: Annotated[
        float, typer.Option(min=0.0, help="Seconds between two requests' starts to one host.")
    ] = 0.0,
    retries: Annotated[int, typer.Option(help="Retries after 429/5xx/timeouts.")] = 3,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 30.0,
    max_mb: Annotated[float, typer.Option(help="Refuse images larger than this (MiB).")] = 64.0,
    thumbnail_px: Annotated[int, typer.Option(help="Longest side of thumbnails.")] = 256,
    limit: Annotated[int | None, typer.Option(help="Fetch at most this many images.")] = None,
    webdataset: Annotated[
        Path | None, typer.Option(help="Also export webdataset shards into this folder.")
    ] = None,
    shard_size: Annotated[int, typer.Option(help="Samples per webdataset shard.")] = 1000,
    allow_private: Annotated[
        bool, typer.Option(help="Also fetch from private/loopback addresses.")
    ] = False,
    keep_going: Annotated[bool, typer.Option("--keep-going", help=KEEP_GOING_HELP)] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="builtin (asyncio, one process) or img2dataset (pip install 'gaia_geo[scale]')."
        ),
    ] = "builtin",
    engine_format: Annotated[
        str, typer.Option(help="img2dataset only: its shards as files or webdataset.")
    ] = "files",
    processes: Annotated[int, typer.Option(min=1, help="img2dataset only: worker processes.")] = 1,
    distributor: Annotated[
        str,
        typer.Option(
            help="img2dataset only: multiprocessing, or pyspark (Spark in local[--processes])."
        ),
    ] = "multiprocessing",
) -> None:
    """Fetch the remote images of a catalog (resumable) and point its Items at the local files.

    Exits 1 when any image failed (all images with --keep-going); a rerun retries only those.
    Both engines write the same catalog; img2dataset scales past one process (with
    --distributor pyspark it runs as Spark tasks; to use a Spark cluster, call download_assets
    from Python after creating a SparkSession with the cluster's master URL).
    """
    from ..collect._download import ENGINES, REPORT_NAME, download_assets
    from ..collect._img2dataset import DISTRIBUTORS, OUTPUT_FORMATS

    for name, value, choices in (
        ("--engine", engine, ENGINES),
        ("--engine-format", engine_format, OUTPUT_FORMATS),
        ("--distributor", distributor, DISTRIBUTORS),
    ):
        if value not in choices:
            raise typer.BadParameter(
                f"{value!r} is not one of {', '.join(choices)}", param_hint=name
            )
    options = {"output_format": engine_format, "processes": processes, "distributor": distributor}
    report = download_assets(
        catalog,
        concurrency=concurrency,
        per_host=per_host or None,
        host_delay=host_delay,
        retries=retries,
        timeout=timeout,
        max_bytes=int(max_mb * (1 << 20)),
        thumbnail_px=thumbnail_px,
        limit=limit,
        webdataset=webdataset,
        shard_size=shard_size,
        allow_private=allow_private,
        engine=engine,
        engine_options=options if engine == "img2dataset" else None,
    )
    data = report.to_dict()
    data["failed"] = len(report.failed)
    typer.echo(
        _summary(data, ("catalog", "remote", "downloaded", "reused", "failed", "bytes", "shards"))
    )
    typer.echo(f"report: {catalog / REPORT_NAME}")
    for item_id, reason in list(report.failed.items())[:10]:
        typer.echo(f"not downloaded: {item_id}: {reason}", err=True)
    exit_on_failures(
        len(report.failed),
        report.downloaded + report.reused + len(report.failed),
        keep_going=keep_going,
        what="images",
        hint="rerun the same command to retry only those (see the report)",
    )


def stac_command(
    api: Annotated[str, typer.Option(help="STAC API root URL.")],
    collection: Annotated[str, typer.Option(help="Collection to search.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Catalog folder to write.")],
    points: Annotated[
        Path | None, typer.Option(help="CSV (lon,lat) or GeoJSON file of points.")
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            help="Instead of --points: sample this many land points evenly over H3 cells."
        ),
    ] = None,
    sample_spatial: Annotated[
        str, typer.Option(help="Cells the sample is balanced over (see gaia-geo balance).")
    ] = "h3:2",
    seed: Annotated[int, typer.Option(help="Seed of --sample.")] = 0,
    datetime: Annotated[
        str | None, typer.Option(help="Time window, e.g. 2019/2024 or 2021-06-01/2021-08-31.")
    ] = None,
    size: Annotated[int, typer.Option(help="Chip size in source pixels.")] = 512,
    asset: Annotated[
        str | None, typer.Option(help="Source asset to read (default: visual).")
    ] = None,
    max_cloud: Annotated[
        float | None, typer.Option(help="Skip scenes cloudier than this (%).")
    ] = None,
    split: Annotated[str | None, typer.Option(help="train, validate or test.")] = None,
    workers: Annotated[int, typer.Option(help="Points processed at once.")] = 4,
    keep_going: Annotated[bool, typer.Option("--keep-going", help=KEEP_GOING_HELP)] = False,
) -> None:
    """Cut exact chips around points from the least cloudy scenes of a STAC API collection.

    Exits 1 when any point got no chip (all points with --keep-going); an unreachable API is
    one error line and leaves nothing behind.
    """
    import logging

    from ..collect._stac_chips import REPORT_NAME, collect_stac_chips

    # urllib3 logs each of its retries with the whole exception; the failure is reported once
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    if (points is None) == (sample is None):
        raise typer.BadParameter("give exactly one of --points FILE or --sample N")
    where: Path | list[tuple[float, float]]
    if sample is not None:
        from ..balance import sample_locations

        frame = sample_locations(sample, spatial=sample_spatial, seed=seed)
        where = [(float(p.x), float(p.y)) for p in frame.geometry]
    else:
        where = points  # type: ignore[assignment]
    report = collect_stac_chips(
        api,
        collection,
        where,
        datetime,
        size,
        out,
        asset=asset,
        max_cloud=max_cloud,
        split=split,
        workers=workers,
    )
    data = report.to_dict()
    data["failed"] = len(report.failed)
    typer.echo(_summary(data, ("out", "points", "chips", "reused", "failed")))
    if report.chips:
        typer.echo(f"report: {out / REPORT_NAME}")
    for failure in report.failed[:10]:
        typer.echo(
            f"no chip at ({failure['lon']}, {failure['lat']}): {failure['reason']}", err=True
        )
    exit_on_failures(
        len(report.failed),
        report.points,
        keep_going=keep_going,
        what="points",
        hint="rerun the same command to retry them (finished chips are kept)",
    )


def register(app: typer.Typer, collect_app: typer.Typer) -> None:
    """Add ``import-gaia`` and ``download`` to ``app`` and ``stac`` to ``collect_app``."""
    app.command("import-gaia")(import_gaia_command)
    app.command("download")(download_command)
    collect_app.command("stac")(stac_command)
