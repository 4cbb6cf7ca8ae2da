"""The explore stage on the command line: ``serve``, ``api``, ``search`` and ``lint``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the explore commands to the ``gaia-geo`` app."""
    app.command("serve")(serve)
    app.command("api")(api)
    app.command("search")(search_command)
    app.command("lint")(lint)


def serve(
    root: Path = typer.Argument(Path("catalogs"), help="Folder holding the catalogs."),
    host: str = typer.Option("127.0.0.1", help="Interface to bind (0.0.0.0 exposes it)."),
    port: int = typer.Option(8000, help="TCP port."),
    browser: str = typer.Option(
        "", help="Base URL of a local STAC Browser build (default: the hosted one)."
    ),
) -> None:
    """Serve catalogs over HTTP (CORS, range requests) and print their STAC Browser URLs."""
    from ..explore import serve_catalogs

    serve_catalogs(root, host=host, port=port, browser=browser or None)


def api(
    catalog: Path = typer.Argument(..., help="Catalog folder (holding catalog.json)."),
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8081, help="TCP port."),
    assets_url: str = typer.Option(
        "", help="URL the catalog folder is served at (default: this API's /catalog route)."
    ),
    cache_dir: Path | None = typer.Option(None, help="Where serving copies go."),
) -> None:
    """Run a STAC API (search, CQL2 filter, paging) over the catalog's GeoParquet mirrors."""
    from ..explore._api import serve_api
    from ..explore._browser import stac_browser_url

    url = f"http://{host}:{port}/"
    typer.echo(f"STAC API at {url} (pystac_client.Client.open({url!r})); Ctrl-C stops.")
    typer.echo(f"  STAC Browser: {stac_browser_url(url)}")
    serve_api(catalog, host=host, port=port, cache_dir=cache_dir, assets_url=assets_url or None)


def search_command(
    catalog: Path = typer.Argument(..., help="Catalog folder, catalog.json or items.parquet."),
    bbox: str = typer.Option("", help="west,south,east,north"),
    datetime: str = typer.Option("", help="Instant or interval, e.g. 2015-01-01T00:00:00Z/.."),
    filter: str = typer.Option("", "--filter", help='CQL2 text, e.g. "gsd < 30".'),  # noqa: A002
    text: str = typer.Option("", help="Case-insensitive text in the title or captions."),
    limit: int = typer.Option(20, help="Print at most this many items (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print an ItemCollection (GeoJSON)."),
) -> None:
    """Search a catalog in process; print the matching items (id, datetime, title)."""
    from ..explore import search

    box = [float(v) for v in bbox.split(",")] if bbox else None
    frame = search(
        catalog,
        bbox=box,
        datetime=datetime or None,
        filter=filter or None,
        text=text or None,
        limit=limit or None,
    )
    if as_json:
        from ..stac import frame_to_dicts

        features = frame_to_dicts(frame)
        typer.echo(json.dumps({"type": "FeatureCollection", "features": features}, default=str))
        return
    for row in frame.itertuples(index=False):
        when = getattr(row, "datetime", None)
        title = getattr(row, "title", "") or ""
        typer.echo(f"{row.id}\t{when}\t{title}")
    typer.echo(f"{len(frame)} item(s)", err=True)


def lint(
    catalog: Path = typer.Argument(..., help="Catalog folder (holding catalog.json)."),
    items: int = typer.Option(5, help="Items to lint per collection (0: all)."),
    schemas: list[Path] = typer.Option(  # noqa: B006 (typer reads the default)
        [], help="Extra folders of local JSON Schemas (default: those shipped in gaia_geo)."
    ),
) -> None:
    """Lint a catalog with stac-check, offline: the catalog, each Collection and its first 5 Items.

    --items sets how many Items per Collection (0: all). Exit 1 when a file fails schema
    validation.
    """
    import logging

    from ..explore import lint_catalog
    from ..explore._browser import packaged_schema_dir

    logging.getLogger("stac_validator").setLevel(logging.WARNING)  # one line per schema otherwise

    results = lint_catalog(
        catalog, schemas=[packaged_schema_dir(), *schemas], items_per_collection=items or None
    )
    failed = 0
    for result in results:
        mark = "valid" if result.valid else "INVALID"
        typer.echo(f"{mark:8} {result.kind:10} {result.path}")
        if result.error:
            typer.echo(f"         error: {result.error}")
            failed += 1
        for message in result.best_practices:
            typer.echo(f"         {message}")
    typer.echo(f"{len(results)} file(s), {failed} invalid", err=True)
    if failed:
        raise typer.Exit(1)
