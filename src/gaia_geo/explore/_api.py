"""A local STAC API over a catalog's stac-geoparquet mirrors, for pystac-client and STAC Browser.

The server is stac-fastapi-geoparquet (search, paging, CQL2 filter, fields, sort over DuckDB via
rustac), configured offline: DuckDB's ``spatial`` extension is loaded from
``rustac-duckdb-extensions`` instead of being downloaded. Two things are added around it so that
the API answers like :func:`gaia_geo.search`:

- a *serving copy* of each mirror (cached by the mirror's mtime and size) with absolute asset
  hrefs (relative ones mean nothing behind an API) and one extra column, ``gaia:caption_text``
  (title, description and captions, lower-cased), so that CQL2 ``LIKE`` reaches caption text;
  the column is removed from the Items the API returns;
- ``datetime`` is rewritten to a CQL2 filter that matches ``datetime``, or the
  ``start_datetime``/``end_datetime`` range when ``datetime`` is null (rustac 0.9.9 alone compares
  only the range columns when a file has them, and so misses items with an instant).

Every request is checked before it reaches the engine (``_api_guard``: sizes, finite numbers,
known properties; a client error is a 400 that says what to change), and the engine runs in
worker processes with a per-request deadline (``_engine``: a search past it is stopped, 504).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .._atomic import atomic_open, atomic_write_text
from ..errors import (
    CatalogError,
    SearchBusyError,
    SearchEngineError,
    SearchTimeoutError,
)
from ..stac._partitioned import partition_files
from ._api_guard import (
    RequestGuard,
    answer_client_errors_in_stac_form,
    check_search,
    gaia_client,
)
from ._cql2 import to_flat_dnf
from ._engine import DEFAULT_TIMEOUT, EngineRefusal, SearchEngine
from ._hrefs import absolute_href, absolutize_assets
from ._search import (
    _MAX_NS,
    _MIN_NS,
    CAPTION_TEXT,
    PARQUET_TYPE,
    _text,
    derived_mirror,
    parse_datetime,
)

__all__ = ["create_api_app", "prepare_collections", "serve_api"]


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gaia_geo" / "api"


def _collections(catalog_json: Path, seen: set[Path]) -> list[tuple[Path, dict[str, Any]]]:
    path = catalog_json.resolve()
    if path in seen or not path.is_file():
        return []
    seen.add(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    found = [(path, data)] if data.get("type") == "Collection" else []
    for link in data.get("links", []):
        href = str(link.get("href", ""))
        if link.get("rel") == "child" and "://" not in href:
            found.extend(_collections(path.parent / href, seen))
    return found


def _serving_copy(
    mirror: Path, cache_dir: Path, assets_url: str | None, root: Path
) -> tuple[Path, list[str]]:
    stat = mirror.stat()
    key = f"{mirror}|{stat.st_mtime_ns}|{stat.st_size}|{assets_url}|v2"
    target = cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.parquet"
    if not target.is_file():
        table = pq.read_table(mirror)
        # keep the GeoParquet metadata ('geo', 'stac-geoparquet'): DuckDB needs it to see geometry
        metadata = dict(pq.ParquetFile(mirror).metadata.metadata or {})
        metadata.pop(b"ARROW:schema", None)
        table = absolutize_assets(table, mirror.parent, assets_url, root)
        if CAPTION_TEXT in table.column_names:
            table = table.drop_columns([CAPTION_TEXT])
        table = table.append_column(CAPTION_TEXT, _text(table).cast(pa.string()))
        table = table.replace_schema_metadata(metadata)
        with atomic_open(target, "wb") as handle:
            pq.write_table(table, handle)
    columns = pq.read_schema(target).names
    return target, columns


def _serving_copies(
    folder: Path, cache_dir: Path, assets_url: str | None, root: Path
) -> tuple[str, list[str]]:
    """Serving copies of a partitioned Collection's files, in a folder of their own.

    The folder is named by every file's path, mtime and size, so a rewritten catalog gets a new
    one; DuckDB reads it through a glob (its row-group statistics still skip what a query
    cannot match).

    Returns:
        The glob over the copies, and the union of their columns.
    """
    files = partition_files(folder)
    if not files:
        raise CatalogError(f"{folder}: the partitioned Items folder holds no .parquet file")
    key = hashlib.sha256()
    for file in files:
        stat = file.stat()
        key.update(f"{file}|{stat.st_mtime_ns}|{stat.st_size}|{assets_url}\n".encode())
    target = cache_dir / f"parts-{key.hexdigest()[:20]}"
    target.mkdir(parents=True, exist_ok=True)
    names: dict[str, None] = {}
    for file in files:
        _, columns = _serving_copy(file, target, assets_url, root)
        names.update(dict.fromkeys(columns))
    return str(target / "*.parquet"), list(names)


def prepare_collections(
    catalog: str | os.PathLike[str],
    cache_dir: str | os.PathLike[str] | None = None,
    assets_url: str | None = None,
) -> tuple[Path, dict[str, list[str]], dict[str, Any]]:
    """Write the serving copies and the ``collections.json`` that stac-fastapi-geoparquet loads.

    Args:
        catalog: the catalog folder or its ``catalog.json``.
        cache_dir: where serving copies go (default ``~/.cache/gaia_geo/api``).
        assets_url: the URL the catalog folder is served at (``gaia-geo serve``), to turn
            relative asset hrefs into URLs; default absolute local paths.

    Returns:
        The ``collections.json`` path, the columns of each serving copy (by its path) and the
        root catalog's JSON.

    Raises:
        CatalogError: no Collection with a GeoParquet mirror was found.
    """
    root_json = Path(catalog)
    if root_json.is_dir():
        root_json = root_json / "catalog.json"
    if not root_json.is_file():
        raise CatalogError(f"{root_json}: no such catalog; pass a folder holding catalog.json")
    root = root_json.resolve().parent
    cache = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    collections: list[dict[str, Any]] = []
    columns: dict[str, list[str]] = {}
    for path, data in _collections(root_json, set()):
        assets = dict(data.get("assets") or {})
        mirror_key = next(
            (
                k
                for k, a in assets.items()
                if "collection-mirror" in (a.get("roles") or []) or a.get("type") == PARQUET_TYPE
            ),
            None,
        )
        if mirror_key is None:  # a JSON-only Collection (from another catalog): mirror it aside
            try:
                mirror = derived_mirror(path)
            except CatalogError:  # a Collection without Items of its own
                continue
            mirror_key = "geoparquet"
            assets[mirror_key] = {"href": str(mirror), "roles": ["collection-mirror"]}
        else:
            mirror = (path.parent / assets[mirror_key]["href"]).resolve()
        if mirror.is_dir():  # layout="geoparquet": one serving copy per partition file
            served, names = _serving_copies(mirror, cache, assets_url, root)
        elif mirror.is_file():
            copy, names = _serving_copy(mirror, cache, assets_url, root)
            served = str(copy)
        else:
            raise CatalogError(f"{path}: its mirror {mirror} is missing; rebuild the catalog")
        columns[served] = names
        out_assets = {}
        for key, asset in assets.items():
            asset = dict(asset)
            if key == mirror_key:
                asset.update(href=served, type=PARQUET_TYPE)
            elif asset.get("type") == PARQUET_TYPE:
                continue  # one GeoParquet per Collection, or the server refuses to start
            else:
                asset["href"] = absolute_href(
                    str(asset.get("href", "")), path.parent, assets_url, root
                )
            out_assets[key] = asset
        entry = {k: v for k, v in data.items() if k != "links"}
        entry["links"] = [
            link
            for link in data.get("links", [])
            if link.get("rel") in ("license", "about", "via", "cite-as", "describedby")
            and "://" in str(link.get("href", ""))
        ]
        entry["assets"] = out_assets
        collections.append(entry)
    if not collections:
        raise CatalogError(
            f"{root_json}: no Collection with Items found; the API serves Collections (Items "
            "straight under a Catalog: copy them into one with `gaia-geo import-stac`)"
        )
    target = cache / f"collections-{hashlib.sha256(str(root).encode()).hexdigest()[:12]}.json"
    atomic_write_text(target, json.dumps(collections))
    return target, columns, json.loads(root_json.read_text(encoding="utf-8"))


def _stamp(ns: int) -> dict[str, str]:
    import pandas as pd

    return {"timestamp": pd.Timestamp(ns, tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")}


def _is_not_null(prop: str) -> dict[str, Any]:
    return {"op": "not", "args": [{"op": "isNull", "args": [{"property": prop}]}]}


def datetime_filter(value: str, columns: list[str]) -> dict[str, Any]:
    """Return the CQL2-JSON equivalent of a STAC API ``datetime`` for a file with ``columns``.

    An item matches when its ``datetime`` lies in the interval, or, when ``datetime`` is null,
    when its ``start_datetime``/``end_datetime`` range overlaps it (bounds inclusive), as in
    :func:`gaia_geo.search`.
    """
    bounds = parse_datetime(value)
    if bounds is None:
        raise ValueError("datetime must not be empty")
    low, high = bounds

    def overlap(start: str, end: str) -> list[dict[str, Any]]:
        out = [_is_not_null(start), _is_not_null(end)]
        if high < _MAX_NS:
            out.append({"op": "<=", "args": [{"property": start}, _stamp(high)]})
        if low > _MIN_NS:
            out.append({"op": ">=", "args": [{"property": end}, _stamp(low)]})
        return out

    branches: list[dict[str, Any]] = []
    if "datetime" in columns:
        branches.append({"op": "and", "args": overlap("datetime", "datetime")})
    if "start_datetime" in columns and "end_datetime" in columns:
        args = overlap("start_datetime", "end_datetime")
        if "datetime" in columns:
            args.append({"op": "isNull", "args": [{"property": "datetime"}]})
        branches.append({"op": "and", "args": args})
    if not branches:
        return {"op": "=", "args": [1, 0]}
    return branches[0] if len(branches) == 1 else {"op": "or", "args": branches}


class GaiaDuckdbClient:
    """What stac-fastapi-geoparquet calls ``DuckdbClient``: checked requests, a guarded engine.

    Each search is checked (:func:`~._api_guard.check_search`; a client error raises
    ``InvalidQueryParameter``, a 400), gets gaia_geo's datetime semantics, and runs in a
    :class:`~._engine.SearchEngine` worker with the request's deadline; ``gaia:caption_text`` is
    removed from the items unless asked for.

    Args:
        engine: the worker pool that runs the searches.
        columns: the columns of each served GeoParquet file, by href.
    """

    def __init__(self, engine: SearchEngine, columns: Mapping[str, list[str]]) -> None:
        self.engine = engine
        self._columns = dict(columns)
        self._known = {c for names in self._columns.values() for c in names}

    def search(self, href: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Search one file like ``DuckdbClient.search``, with gaia_geo's datetime semantics."""
        from stac_fastapi.types.errors import InvalidQueryParameter

        columns = self._columns.get(href) or pq.read_schema(href).names
        try:
            kwargs = check_search(kwargs, self._known | set(columns))
            clauses: list[dict[str, Any]] = []
            when = kwargs.pop("datetime", None)
            if when:
                clauses.append(datetime_filter(str(when), columns))
            user_filter = kwargs.pop("filter", None)
            if user_filter:
                clauses.append(user_filter)
            if clauses:
                combined = clauses[0] if len(clauses) == 1 else {"op": "and", "args": clauses}
                kwargs["filter"] = to_flat_dnf(combined)
        except ValueError as err:
            raise InvalidQueryParameter(str(err)) from None
        wanted = kwargs.get("include") or []
        items = self.engine.search(href, kwargs)
        if not any(CAPTION_TEXT in str(f) for f in wanted):
            for item in items:
                (item.get("properties") or {}).pop(CAPTION_TEXT, None)
        return items


#: Where :func:`create_api_app` serves the catalog's own files (images, thumbnails).
FILES_PATH = "/catalog"
#: Seconds requests in flight get to finish once the server is asked to stop.
SHUTDOWN_GRACE = 3


def create_api_app(
    catalog: str | os.PathLike[str],
    cache_dir: str | os.PathLike[str] | None = None,
    assets_url: str | None = None,
    serve_files: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 2,
) -> Any:
    """Build the FastAPI app of a STAC API over a catalog's GeoParquet mirrors.

    Args:
        catalog: the catalog folder or its ``catalog.json``.
        cache_dir: where the serving copies go (default ``~/.cache/gaia_geo/api``).
        assets_url: the URL the catalog folder is served at, for asset hrefs (see
            :func:`prepare_collections`); ``http://HOST:PORT/catalog`` points them at this app's
            own file route. Default: absolute local paths (fine for Python clients on this
            machine, not for a browser).
        serve_files: serve the catalog folder under ``/catalog`` (Starlette ``StaticFiles``:
            range requests, no path outside the folder).
        timeout: seconds each request may spend on searches; past it the search is stopped
            and the answer is 504.
        workers: search worker processes (searches that run at once).

    Returns:
        A ``fastapi.FastAPI`` app with CORS enabled; run it with uvicorn.

    Example:
        >>> app = create_api_app("catalogs/demo")  # doctest: +SKIP
        >>> import uvicorn; uvicorn.run(app, port=8081)  # doctest: +SKIP
    """
    from fastapi import FastAPI
    from stac_fastapi.api.app import StacApi
    from stac_fastapi.api.errors import DEFAULT_STATUS_CODES
    from stac_fastapi.geoparquet import models
    from stac_fastapi.geoparquet.api import lifespan
    from stac_fastapi.geoparquet.settings import Settings
    from starlette.middleware.cors import CORSMiddleware
    from starlette.staticfiles import StaticFiles

    from ._api_client import PagingFixedClient

    collections_json, columns, root = prepare_collections(catalog, cache_dir, assets_url)
    settings = Settings(
        stac_fastapi_title=str(root.get("title") or root.get("id") or "gaia_geo catalog"),
        stac_fastapi_description=str(root.get("description") or "A gaia_geo catalog"),
        stac_fastapi_landing_id=str(root.get("id") or "gaia-geo"),
        stac_fastapi_collections_href=str(collections_json),
    )
    engine = SearchEngine(workers=workers, timeout=timeout)

    @contextlib.asynccontextmanager
    async def lifespan_and_engine(app: Any) -> AsyncIterator[Any]:
        try:
            async with lifespan(app) as state:
                yield state
        finally:
            engine.close()

    # as stac_fastapi.geoparquet.api.create(), with the paging fix and without the reload
    # middleware (the collections of a static catalog do not change while it is served)
    app = FastAPI(
        lifespan=lifespan_and_engine,
        openapi_url=settings.openapi_url,
        docs_url=settings.docs_url,
        redoc_url=settings.docs_url,
        settings=settings,
        collections=[],
        duckdb_client=GaiaDuckdbClient(engine, columns),
    )
    api = StacApi(
        settings=settings,
        client=gaia_client(PagingFixedClient),
        exceptions={
            **DEFAULT_STATUS_CODES,
            EngineRefusal: 400,
            SearchBusyError: 503,
            SearchTimeoutError: 504,
            SearchEngineError: 500,
        },
        app=app,
        search_get_request_model=models.GetSearchRequestModel,
        search_post_request_model=models.PostSearchRequestModel,
        items_get_request_model=models.ItemsGetRequestModel,
        extensions=models.EXTENSIONS,
    )
    if serve_files:
        folder = Path(catalog)
        folder = folder.parent if folder.name == "catalog.json" else folder
        api.app.mount(FILES_PATH, StaticFiles(directory=folder.resolve()), name="catalog-files")
    answer_client_errors_in_stac_form(api.app)
    api.app.add_middleware(RequestGuard, timeout=timeout)
    api.app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
    )
    return api.app


def serve_api(
    catalog: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8081,
    cache_dir: str | os.PathLike[str] | None = None,
    assets_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 2,
) -> None:
    """Run the STAC API of :func:`create_api_app` with uvicorn until interrupted (or SIGTERM).

    Asset hrefs point at the app's own ``/catalog`` file route unless ``assets_url`` is given.
    On SIGTERM or Ctrl-C, requests in flight get :data:`SHUTDOWN_GRACE` seconds to finish.
    """
    import uvicorn

    if assets_url is None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        assets_url = f"http://{shown}:{port}{FILES_PATH}"
    app = create_api_app(
        catalog, cache_dir=cache_dir, assets_url=assets_url, timeout=timeout, workers=workers
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
        backlog=2048,
    )
