"""CLI for bringing your own data: ``gaia-geo import-rasters`` and ``gaia-geo import-stac``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._options import LayoutOption, PartitionByOption, catalog_layout


def import_rasters_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Raster files, folders (searched recursively) or glob patterns."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Catalog folder to write.")],
    captions: Annotated[
        Path | None,
        typer.Option(
            help="CSV or JSON Lines naming each raster (path) with its captions, and optionally "
            "datetime, sensor, location and split."
        ),
    ] = None,
    datetime: Annotated[
        str | None,
        typer.Option(
            "--datetime",
            help="Acquisition date for rasters without one (ISO 8601, e.g. 2021-06-30).",
        ),
    ] = None,
    sensor: Annotated[
        str | None, typer.Option(help="Sensor registry key or alias for rasters without one.")
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="Split (train, validate, test) for rasters without one.")
    ] = None,
    title: Annotated[str, typer.Option(help="Catalog title.")] = "Imported rasters",
    thumbnail_px: Annotated[int, typer.Option(min=16, help="Longest side of thumbnails.")] = 256,
) -> None:
    """Import local GeoTIFF/COG/JP2 rasters (and their captions) into a STAC catalog."""
    import logging

    from ..collect._rasters import import_rasters

    # rasterio logs each GDAL error at INFO, even those the importer turns into a clear message
    logging.getLogger("rasterio").setLevel(logging.WARNING)
    items = import_rasters(
        sources,
        out,
        captions=captions,
        datetime=datetime,
        sensor=sensor,
        split=split,
        title=title,
        thumbnail_px=thumbnail_px,
    )
    captioned = sum(1 for item in items if item.properties.get("gaia:captions"))
    typer.echo(f"{len(items)} Items ({captioned} with captions) written to {out}")


def import_stac_command(
    source: Annotated[
        str,
        typer.Argument(
            help="Any STAC: a catalog or collection (file or folder), an ItemCollection "
            "(.json, .ndjson) or stac-geoparquet (a file or a folder of them)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Catalog folder to write.")],
    assets: Annotated[
        str,
        typer.Option(
            help="reference: leave local assets where they are (relative hrefs); copy: put them "
            "beside each Item (hard links when possible)."
        ),
    ] = "reference",
    remote: Annotated[
        bool, typer.Option("--remote", help="Follow http(s) child and item links.")
    ] = False,
    title: Annotated[str | None, typer.Option(help="Catalog title (default: the folder name).")] = (
        None
    ),
    layout: LayoutOption = None,
    partition_by: PartitionByOption = None,
) -> None:
    """Copy any STAC into a catalog with GeoParquet mirrors (for search, the API and balance)."""
    from .._paths import check_output_folder
    from ..stac import read_catalog, to_items, write_catalog

    if assets not in ("reference", "copy"):
        raise typer.BadParameter("use reference or copy", param_hint="--assets")
    check_output_folder(out, inputs=[] if "://" in source else [source])
    chosen_layout, chosen_partition = catalog_layout(
        layout, partition_by, None if "://" in source else Path(source)
    )
    frame = read_catalog(source, allow_remote=remote)
    write_catalog(
        to_items(frame),
        out,
        title=title,
        assets=assets,  # type: ignore[arg-type]
        layout=chosen_layout,
        partition_by=chosen_partition,
    )
    groups = sorted({str(c) for c in frame.get("collection", []) if isinstance(c, str)})
    typer.echo(f"{len(frame)} Items in {len(groups) or 1} Collection(s) written to {out}")


def register(app: typer.Typer) -> None:
    """Add ``import-rasters`` and ``import-stac`` to the ``gaia-geo`` app."""
    app.command("import-rasters")(import_rasters_command)
    app.command("import-stac")(import_stac_command)
