"""Options several commands share, defined once: how the catalog a command writes is laid out.

``--layout`` and ``--partition-by`` are ``write_catalog``'s ``layout`` and ``partition_by``. The
commands that write a catalog of Items from the input (``balance``, ``split``, ``import-gaia``,
``import-stac``) take them; :func:`catalog_layout` turns the two values into the arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

#: ``write_catalog``'s layouts.
Layout = Literal["static", "geoparquet"]
#: ``write_catalog``'s partition keys (``gaia_geo.stac``'s ``PartitionBy``, spelled out here so
#: that ``gaia-geo --help`` starts without loading the stac package).
PartitionBy = Literal["year", "h3"]

LayoutOption = Annotated[
    Layout | None,
    typer.Option(
        "--layout",
        help="static: one JSON file per Item, plus GeoParquet mirrors; geoparquet: "
        "hive-partitioned stac-geoparquet and a small static root, for millions of Items. "
        "Default: the input catalog's layout, else static.",
    ),
]
PartitionByOption = Annotated[
    PartitionBy | None,
    typer.Option(
        "--partition-by",
        help="With --layout geoparquet, the partition key after the split: year or h3 "
        "(resolution-0 cell). Default: the input catalog's, else year.",
    ),
]


def catalog_layout(
    layout: Layout | None, partition_by: PartitionBy | None, source: Path | None = None
) -> tuple[Layout, PartitionBy]:
    """``write_catalog``'s ``layout`` and ``partition_by`` for ``--layout`` and ``--partition-by``.

    Args:
        layout: ``--layout``, or None.
        partition_by: ``--partition-by``, or None.
        source: the catalog the command reads, if any: a ``layout="geoparquet"`` one sets the
            defaults (its layout, and ``h3`` if its partitions are H3 cells).

    Raises:
        typer.BadParameter: ``--partition-by`` with the static layout.
    """
    inherited: PartitionBy | None = None
    if layout is None and source is not None:
        from ..stac._partitioned import catalog_partitions, partition_keys

        parts = catalog_partitions(source)
        if parts:
            layout = "geoparquet"
            inherited = "h3" if "h3" in partition_keys(parts[0]) else "year"
    chosen: Layout = layout or "static"
    if chosen == "static" and partition_by is not None:
        raise typer.BadParameter("--partition-by needs --layout geoparquet")
    return chosen, partition_by or inherited or "year"
