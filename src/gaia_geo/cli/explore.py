"""The explore stage on the command line: ``serve``, ``api``, ``search`` and ``lint``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the explore commands to the ``gaia-geo`` app."""
    app.command("serve")(serve)
    app.command("api")(api)
    app.command("search")(search_command)
    app.command("lint")(lint)


def serve(
    root: Annotated[Path, typer.Argument(help="Folder holding the catalogs.")] = Path("catalogs"),
    host: Annotated[
        str, typer.Option(help="Interface to bind (0.0.0.0 exposes it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    browser: Annotated[
        str, typer.Option(help="Base URL of a local STAC Browser build (default: the hosted one).")
    ] = "",
) -> None:
    """Serve catalogs over HTTP (CORS, range requests) and print their STAC Browser URLs."""
    from ..explore import serve_catalogs

    serve_catalogs(root, host=host, port=port, browser=browser or None)


def api(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder (holding catalog.json).")],
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8081,
    assets_url: Annotated[
        str,
        typer.Option(
            help="URL the catalog folder is served at (default: this API's /catalog route)."
        ),
    ] = "",
    cache_dir: Annotated[Path | None, typer.Option(help="Where serving copies go.")] = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a request may spend searching (504 past it).")
    ] = 30.0,
    workers: Annotated[
        int, typer.Option(min=1, help="Search worker processes (searches at once).")
    ] = 2,
) -> None:
    """Run a STAC API (search, CQL2 filter, paging) over the catalog's GeoParquet mirrors."""
    from ..explore._api import serve_api
    from ..explore._browser import stac_browser_url

    url = f"http://{host}:{port}/"
    typer.echo(f"STAC API at {url} (pystac_client.Client.open({url!r})); Ctrl-C stops.")
    typer.echo(f"  STAC Browser: {stac_browser_url(url)}")
    serve_api(
        catalog,
        host=host,
        port=port,
        cache_dir=cache_dir,
        assets_url=assets_url or None,
        timeout=timeout,
        workers=workers,
    )


def search_command(
    catalog: Annotated[Path, typer.Argument(help="Catalog folder, catalog.json or items.parquet.")],
    bbox: Annotated[str, typer.Option(help="west,south,east,north")] = "",
    datetime: Annotated[
        str, typer.Option(help="Instant or interval, e.g. 2015-01-01T00:00:00Z/..")
    ] = "",
    filter: Annotated[str, typer.Option("--filter", help='CQL2 text, e.g. "gsd < 30".')] = "",  # noqa: A002
    text: Annotated[str, typer.Option(help="Case-insensitive text in the title or captions.")] = "",
    limit: Annotated[int, typer.Option(help="Print at most this many items (0: all).")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print an ItemCollection (GeoJSON).")
    ] = False,
) -> None:
    """Search a catalog in process; print the matching items (id, datetime, title)."""
    from ..explore import search

    try:
        box = [float(v) for v in bbox.split(",")] if bbox else None
    except ValueError:
        raise typer.BadParameter(
            f"takes four numbers west,south,east,north, got {bbox!r}", param_hint="--bbox"
        ) from None
    try:
        frame = search(
            catalog,
            bbox=box,
            datetime=datetime or None,
            filter=filter or None,
            text=text or None,
            limit=limit or None,
        )
    except ValueError as err:  # a bad bbox, datetime or filter; the message names it
        raise typer.BadParameter(str(err)) from None
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
    catalog: Annotated[Path, typer.Argument(help="Catalog folder (holding catalog.json).")],
    items: Annotated[
        int, typer.Option(help="Items to lint per Catalog or Collection (0: all).")
    ] = 5,
    schemas: Annotated[
        list[Path] | None,
        typer.Option(
            help="Extra folders of JSON Schemas (searched before those bundled in gaia_geo)."
        ),
    ] = None,
) -> None:
    """Lint a catalog offline (no network): schema verdicts plus stac-check's best practices.

    Lints the catalog, every Collection and the first ITEMS Items of each (--items 0: all);
    exits 1 when a file is invalid. Unchecked files (a schema not bundled, a remote link, which
    is not followed) do not fail the lint.
    """
    from ..explore import lint_catalog

    results = lint_catalog(catalog, schemas=schemas or [], items_per_collection=items or None)
    counts = {"valid": 0, "INVALID": 0, "unchecked": 0}
    for result in results:
        mark = {True: "valid", False: "INVALID", None: "unchecked"}[result.valid]
        counts[mark] += 1
        typer.echo(f"{mark:9} {result.kind:10} {result.path}")
        if result.error:
            typer.echo(f"          error: {result.error}")
        if result.note:
            typer.echo(f"          unchecked: {result.note}")
        for message in result.best_practices:
            typer.echo(f"          {message}")
    scope = "all Items" if not items else f"up to {items} Items per Catalog or Collection"
    typer.echo(
        f"{len(results)} file(s) linted ({scope}): {counts['valid']} valid, "
        f"{counts['INVALID']} invalid, {counts['unchecked']} unchecked",
        err=True,
    )
    if counts["INVALID"]:
        raise typer.Exit(1)
