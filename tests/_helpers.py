"""Helpers shared by the test modules (on ``sys.path`` through pytest's ``pythonpath`` option).

Example:
    >>> from _helpers import load_script  # doctest: +SKIP
    >>> data = load_script("data/collect_sources/data.py")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]
#: The environment variable naming the local copy of real third-party data the repository does
#: not hold (``<it>/benchmarks/ucm_captions``, ``<it>/benchmarks/splits``; docs/evaluate.md).
REAL_DATA = "GAIA_GEO_REAL_DATA"


def real_data(*parts: str) -> Path | None:
    """The folder ``$GAIA_GEO_REAL_DATA/<parts>``; None if the variable is unset or it is missing.

    Example:
        >>> UCM = real_data("benchmarks", "ucm_captions")  # doctest: +SKIP
        >>> why = real_data_reason("benchmarks", "ucm_captions", how="see docs/evaluate.md")
        >>> pytestmark = pytest.mark.skipif(UCM is None, reason=why)  # doctest: +SKIP

    Args:
        parts: the path below the variable's folder.

    Returns:
        The existing folder, or None.
    """
    root = os.environ.get(REAL_DATA)
    folder = Path(root).joinpath(*parts) if root else None
    return folder if folder is not None and folder.is_dir() else None


def real_data_reason(*parts: str, how: str) -> str:
    """Why a test of ``real_data(*parts)`` skips: the variable unset, or the folder missing.

    Args:
        parts: the path below the variable's folder.
        how: where the docs say how to make that folder.

    Returns:
        One line for ``pytest.mark.skipif(reason=...)``.
    """
    root = os.environ.get(REAL_DATA)
    where = "/".join(parts)
    if not root:
        return f"{REAL_DATA} is unset: set it to a folder holding {where}/ ({how})"
    return f"{REAL_DATA}={root} holds no {where}/ ({how})"


def load_script(path: str | Path) -> ModuleType:
    """Import a Python file that is not in a package (a seeded data generator, a docs script).

    The module is registered in ``sys.modules`` (dataclasses and pickling need that) under a name
    made from its path, and loaded once per session: later calls return the same module.

    Args:
        path: the file, absolute or relative to ``tests/``.

    Returns:
        The loaded module.
    """
    path = Path(path)
    if not path.is_absolute():
        path = Path(__file__).resolve().parent / path
    rel = path.resolve().relative_to(ROOT).with_suffix("")
    name = "gaia_test_scripts." + "_".join(rel.parts).replace("-", "_")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def remote_image_catalog(path: Path, urls: dict[str, str], title: str = "remote images") -> Path:
    """Write a catalog of one ``train`` Item per URL, its image left remote, as a downloader meets.

    Args:
        path: the catalog folder to write.
        urls: Item id -> image URL (the Items lie at 10 + i degrees east, 45 north).
        title: the catalog's title.

    Returns:
        ``path``.
    """
    import datetime as dt

    from gaia_geo.stac import CaptionProvenance, build_item, write_catalog

    provenance = CaptionProvenance("human", "test", "v1", dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    items = [
        build_item(
            key,
            geometry={"type": "Point", "coordinates": [10.0 + i, 45.0]},
            datetime=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            captions=[f"The image showcases: {key}."],
            provenance=provenance,
            image=url,
            split="train",
        )
        for i, (key, url) in enumerate(urls.items())
    ]
    write_catalog(items, path, title=title, license="CC-BY-4.0")
    return path


@contextlib.contextmanager
def image_server(root: Path, n: int) -> Iterator[Any]:
    """Serve ``n`` seeded images (``img-000.png``, ``img-001.jpg``...) written under ``root``.

    The server is ``tests/data/collect_sources/http_fixture.py``'s ``FixtureServer`` (see its
    routes: ``/files/``, ``/status/CODE``, ``/flaky/``, ``/delay/MS/``...).
    """
    data = load_script("data/collect_sources/data.py")
    http_fixture = load_script("data/collect_sources/http_fixture.py")
    data.make_images(root, n=n)
    with http_fixture.FixtureServer(root) as server:
        yield server


def collect_sources_app() -> Any:
    """The ``gaia-geo`` commands of ``gaia_geo.cli.collect_sources`` on a bare Typer app."""
    import typer

    from gaia_geo.cli.collect_sources import register

    app, collect_app = typer.Typer(), typer.Typer()
    app.add_typer(collect_app, name="collect")
    register(app, collect_app)
    return app


def acquisition_span(text: str, published: Any = None) -> tuple[str | None, str | None]:
    """The first and last acquisition day ``extract_metadata`` gives a text, as ISO dates.

    Example:
        >>> acquisition_span("Landsat 8 acquired this image on 14 December 2020.")  # doctest: +SKIP
        ('2020-12-14', '2020-12-14')

    Args:
        text: the article text.
        published: its publication date (a ``datetime.date``), or None.

    Returns:
        ``(first, last)``, each None when the text gives no acquisition date.
    """
    from gaia_geo.collect import extract_metadata

    meta = extract_metadata(text, published)
    first, last = meta.start_datetime, meta.end_datetime
    return (first.date().isoformat() if first else None, last.date().isoformat() if last else None)
