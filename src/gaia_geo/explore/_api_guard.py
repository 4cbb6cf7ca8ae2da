"""What a STAC API request may hold before it reaches the search engine, and the answer if not.

Two layers, both in front of the engine:

- :class:`RequestGuard`, ASGI middleware: refuses oversized query strings (414) and bodies (413),
  paths with a NUL byte, and POST search bodies that are not a JSON object of finite numbers
  (400); drops Range headers Starlette's file responses mishandle; and starts the request's
  deadline (:data:`~._engine.request_deadline`).
- :func:`check_search`, on the arguments of each engine call: the filter parses (CQL2 text or
  JSON, whatever the method), names known properties, holds only finite numbers and stays small;
  bbox, intersects, datetime, limit, offset, sortby and fields are well formed. Its ValueError
  becomes a 400 whose message says what to change.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any

from ._cql2 import check_finite, parse_filter
from ._engine import request_deadline
from ._search import normalize_bbox, parse_datetime

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_QUERY_BYTES",
    "RequestGuard",
    "answer_client_errors_in_stac_form",
    "check_search",
    "gaia_client",
]

#: Largest request body accepted (bytes); a search body is a few hundred.
MAX_BODY_BYTES = 1 << 20
#: Longest query string accepted (bytes): room for a filter of the longest accepted length,
#: percent-encoded.
MAX_QUERY_BYTES = 64 << 10
#: Most items per page (stac-fastapi's own cap, which crops larger limits to it).
MAX_LIMIT = 10_000
#: Largest offset accepted (the largest integer a JSON number carries exactly).
MAX_OFFSET = 2**53 - 1

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _properties(node: Any) -> Iterable[str]:
    if isinstance(node, Mapping):
        if "property" in node and len(node) == 1:
            yield str(node["property"])
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def _column(name: str, columns: set[str]) -> str | None:
    """The column a field name means (``properties.gsd`` -> ``gsd``), or None when unknown."""
    for candidate in (name, name.removeprefix("properties."), name.split(".", 1)[0]):
        if candidate in columns:
            return candidate
    return None


def _check_filter(kwargs: dict[str, Any], columns: set[str]) -> None:
    lang = ""
    for key in ("filter-lang", "filter_lang"):
        lang = str(kwargs.pop(key, None) or lang)
    raw = kwargs.get("filter")
    if raw is None or raw == "":
        kwargs.pop("filter", None)
        return
    if isinstance(raw, str) and lang.lower() == "cql2-json":
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError) as err:
            raise ValueError(
                f"filter-lang is cql2-json but the filter is not JSON: {err}"
            ) from None
    try:
        expression = parse_filter(raw)
    except RecursionError:
        raise ValueError("the filter nests too deep; simplify it") from None
    unknown = sorted(set(_properties(expression)) - columns)
    if unknown:
        raise ValueError(
            f"the filter names unknown property {unknown[0]!r}; queryable properties: "
            + ", ".join(sorted(c for c in columns if c != "geometry"))
        )
    kwargs["filter"] = expression


def _check_sortby(kwargs: dict[str, Any], columns: set[str]) -> None:
    fixed: list[Any] = []
    for entry in kwargs.get("sortby") or []:
        if isinstance(entry, Mapping):
            field, direction = str(entry.get("field", "")), str(entry.get("direction", "asc"))
        else:
            text = str(entry).strip()
            direction = "desc" if text.startswith("-") else "asc"
            field = text.lstrip("+-")
        column = _column(field, columns)
        if column is None:
            raise ValueError(
                f"cannot sort by {field!r}: no such property; sortable properties: "
                + ", ".join(sorted(c for c in columns if c not in ("geometry", "assets", "links")))
            )
        if direction.lower() not in ("asc", "desc"):
            raise ValueError(f"sort direction must be asc or desc, got {direction!r}")
        fixed.append({"field": column, "direction": direction.lower()})
    if fixed:
        kwargs["sortby"] = fixed


def _check_fields(kwargs: dict[str, Any], columns: set[str]) -> None:
    include, exclude = kwargs.get("include"), kwargs.get("exclude")
    for name in [*(include or []), *(exclude or [])]:
        if not name or "*" in name:
            raise ValueError(
                f"fields takes property names (e.g. fields=id,properties.gsd,-assets), not {name!r}"
            )
    if include:
        # the fields extension: a field an item lacks is left out; keep the id so that the
        # engine never selects nothing
        known = [c for c in (_column(n, columns) for n in include) if c is not None]
        kwargs["include"] = list(dict.fromkeys(known or ["id"]))
    if exclude:
        kwargs["exclude"] = [c for c in (_column(n, columns) for n in exclude) if c is not None]


def _check_numbers(kwargs: dict[str, Any]) -> None:
    limit = kwargs.get("limit")
    if limit is not None and (not isinstance(limit, int) or not 1 <= limit):
        raise ValueError(f"limit must be a whole number >= 1, got {limit!r}")
    if isinstance(limit, int) and limit > MAX_LIMIT:
        kwargs["limit"] = MAX_LIMIT
    offset = kwargs.get("offset")
    if offset is not None and (not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET):
        raise ValueError(f"offset must be a whole number from 0 to {MAX_OFFSET}, got {offset!r}")


def check_search(kwargs: Mapping[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """Check the arguments of one engine search and return them normalised.

    Args:
        kwargs: what stac-fastapi hands to ``DuckdbClient.search`` (filter, filter-lang, bbox,
            intersects, datetime, limit, offset, sortby, include, exclude, ids, collections).
        columns: the properties the served files have.

    Returns:
        The arguments with the filter as CQL2-JSON (``filter-lang`` dropped), ``properties.``
        prefixes removed from sort and field names, unknown included fields left out and the
        limit cropped to :data:`MAX_LIMIT`.

    Raises:
        ValueError: a client error; the message says what to change.
    """
    known = set(columns)
    out = dict(kwargs)
    _check_filter(out, known)
    if out.get("bbox") is not None:
        normalize_bbox(list(out["bbox"]))
    if out.get("intersects") is not None:
        check_finite(out["intersects"], "intersects")
    if out.get("datetime"):
        parse_datetime(str(out["datetime"]))
    _check_numbers(out)
    _check_sortby(out, known)
    _check_fields(out, known)
    return out


async def _reply(send: Send, status: int, code: str, description: str) -> None:
    body = json.dumps({"code": code, "description": description}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _check_search_body(body: bytes) -> str | None:
    """Return why a POST /search body is refused, or None when it may go on."""
    try:
        data = json.loads(body or b"{}")
    except RecursionError:
        return "the search body nests too deep; it must be a JSON object"
    except ValueError as err:
        return f"the search body is not JSON ({err}); send a JSON object"
    if not isinstance(data, dict):
        return f"the search body must be a JSON object, got a JSON {type(data).__name__}"
    try:
        check_finite(data, "the search body")
    except ValueError as err:
        return str(err)
    return None


class RequestGuard:
    """ASGI middleware: size limits, NUL-free paths, sane search bodies, the request deadline.

    Args:
        app: the ASGI app to guard.
        timeout: seconds each request may spend on the search engine.
        max_body: the largest body accepted, in bytes.
    """

    def __init__(self, app: Any, timeout: float, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.timeout = timeout
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then hand it on (with its body replayed) or answer the error."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            await _reply(
                send,
                414,
                "URITooLong",
                f"the query string is longer than {MAX_QUERY_BYTES} bytes"
                "; send the search as a POST body",
            )
            return
        if "\x00" in scope.get("path", ""):
            await _reply(send, 400, "BadRequest", "the path holds a NUL byte (%00); remove it")
            return
        scope["headers"] = [
            (name, value)
            for name, value in scope.get("headers", [])
            if name != b"range" or _range_is_tame(value)
        ]
        token = request_deadline.set(time.monotonic() + self.timeout)
        try:
            if scope["method"] in ("POST", "PUT", "PATCH"):
                body = await self._read_body(scope, receive, send)
                if body is None:
                    return
                if scope.get("path", "").rstrip("/").endswith("/search"):
                    problem = _check_search_body(body)
                    if problem is not None:
                        await _reply(send, 400, "BadRequest", problem)
                        return
                receive = _replay(body, receive)
            await self.app(scope, receive, send)
        finally:
            request_deadline.reset(token)

    async def _read_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        too_big = f"the request body is larger than {self.max_body} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                await _reply(send, 413, "PayloadTooLarge", too_big)
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _reply(send, 413, "PayloadTooLarge", too_big)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


_HUGE_NUMBER = re.compile(rb"\d{19,}")


def _range_is_tame(value: bytes) -> bool:
    """Whether Starlette's file responses may see this Range header (else it is dropped: 200).

    Starlette 0.46's ``FileResponse`` turns a 5000-digit position into an unhandled ValueError
    (500) and answers several ranges with a malformed multipart body (LF line ends, the media
    type in ``Content-Range``); RFC 9110 lets a server ignore a Range header, so those get the
    whole file. ``gaia-geo serve`` parses ranges itself and serves both properly.
    """
    return b"," not in value and _HUGE_NUMBER.search(value) is None


def _replay(body: bytes, original: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then waits on the client as before."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


def answer_client_errors_in_stac_form(app: Any) -> None:
    """Answer request-model errors as STAC API errors, ``{"code", "description"}``, one line."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException
    from starlette.responses import JSONResponse

    def invalid(request: Any, exc: Exception) -> Any:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body'))}: "
            f"{e.get('msg', '')}"
            for e in getattr(exc, "errors", list)()
        ]
        return JSONResponse(
            {"code": "BadRequest", "description": "; ".join(problems) or str(exc)}, 400
        )

    def http_error(request: Any, exc: Exception) -> Any:
        status = int(getattr(exc, "status_code", 500))
        code = "BadRequest" if status == 400 else "HTTPError"
        detail = str(getattr(exc, "detail", "") or exc)
        return JSONResponse(
            {"code": code, "description": detail}, status, headers=getattr(exc, "headers", None)
        )

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)


def gaia_client(base: type) -> Any:
    """stac-fastapi-geoparquet's client with its client errors answered as such."""
    from stac_fastapi.types.errors import InvalidQueryParameter, NotFoundError

    class GaiaClient(base):
        def get_search(self, *args: Any, **kwargs: Any) -> Any:
            intersects = kwargs.get("intersects")
            if intersects:
                try:
                    json.loads(intersects)
                except (ValueError, RecursionError) as err:
                    raise InvalidQueryParameter(
                        f"intersects must be a GeoJSON geometry: {err}"
                    ) from None
            return super().get_search(*args, **kwargs)

        def item_collection(self, collection_id: str, **kwargs: Any) -> Any:
            if collection_id not in kwargs["request"].state.collections:
                raise NotFoundError(f"no Collection {collection_id!r}; see /collections")
            return super().item_collection(collection_id, **kwargs)

    return GaiaClient()
