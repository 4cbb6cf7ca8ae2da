"""The ``gaia-geo`` command: registers each stage's commands on one Typer app.

Each stage module under ``gaia_geo.cli`` defines ``register(app: typer.Typer) -> None``. The modules
import their stage's code inside the commands, so the CLI starts fast and without the ``ml`` extra;
a command that needs a missing extra says which one to install when it runs.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

app = typer.Typer(
    name="gaia-geo",
    help="Build, curate and train on remote-sensing image-text datasets as STAC catalogs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Stage modules, in pipeline order. Each has ``register(app)``.
STAGES = (
    "catalog",
    "collect",
    "imports",
    "describe",
    "balance",
    "learn",
    "evaluate",
    "benchmark",
    "explore",
)


def _register_all() -> None:
    for stage in STAGES:
        importlib.import_module(f"gaia_geo.cli.{stage}").register(app)


_register_all()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors of gaia_geo print one clear line and exit with status 1."""
    from ..errors import GaiaError
    from ._console import configure_console

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    configure_console()  # one line per event, no adverts, warnings without source paths
    # rustac logs whole item collections at INFO while writing GeoParquet; httpx every request.
    for noisy in ("stac_io", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        app(args=argv, standalone_mode=True)
    except GaiaError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
