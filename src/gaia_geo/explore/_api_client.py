"""stac-fastapi-geoparquet's ``Client`` with its multi-collection paging fixed.

In stac-fastapi-geoparquet 0.0.7, a search over several Collections compares the number of items
gathered so far with the limit left for the current Collection, so it stops early and, without a
``next`` link, silently drops the matches in the remaining Collections (e.g. 7 of 36 items for a
bbox query with ``limit=10``). :class:`PagingFixedClient` overrides ``search`` with the upstream
code (MIT licence, development seed) and one corrected comparison; everything else is inherited.
"""
# ruff: noqa
# mypy: ignore-errors
# fmt: off
# The method body below is upstream's, kept byte-for-byte apart from the fix, so that a future
# release can be diffed against it; hence no reformatting and no lint.

from __future__ import annotations

import copy
import urllib.parse
from typing import Any, cast

from fastapi import HTTPException
from rustac import DuckdbClient
from stac_fastapi.geoparquet.client import DEFAULT_LIMIT, Client, _public_search_body
from stac_fastapi.types.search import BaseSearchPostRequest
from stac_fastapi.types.stac import Item, ItemCollection
from starlette.requests import Request

__all__ = ["PagingFixedClient"]


class PagingFixedClient(Client):
    """A stac-fastapi-geoparquet ``Client`` whose multi-collection paging returns every item."""

    def search(
        self,
        *,
        request: Request,
        url: str,
        search: BaseSearchPostRequest,
        **kwargs: Any,
    ) -> ItemCollection:
        client = cast(DuckdbClient, request.state.client)
        hrefs = cast(dict[str, str], request.state.hrefs)

        if search.collections:
            collections = search.collections
        else:
            collections = list(hrefs.keys())

        search_dict = search.model_dump(exclude_none=True, by_alias=True)
        search_dict.update(**kwargs)

        search_dict.pop("filter_crs", None)
        if filter_expr := search_dict.pop("filter_expr", None):
            search_dict["filter"] = filter_expr
        if filter_lang := search_dict.pop("filter_lang", None):
            search_dict["filter-lang"] = filter_lang
        if "filter" not in search_dict:
            search_dict.pop("filter_lang", None)
            search_dict.pop("filter-lang", None)
        if fields := search_dict.pop("fields", None):
            if isinstance(fields, list):
                include = []
                exclude = []
                for field in fields:
                    if field.startswith("-"):
                        exclude.append(field[1:])
                    elif field.startswith("+"):
                        include.append(field[1:])
                    else:
                        include.append(field)
                search_dict.update({"include": include, "exclude": exclude})
            elif isinstance(fields, dict):
                search_dict.update(
                    {
                        "include": list(fields.get("include", [])),
                        "exclude": list(fields.get("exclude", [])),
                    }
                )
            else:
                raise HTTPException(400, f"unexpected fields type: {fields}")
        if sortby := search_dict.pop("sortby", None):
            search_dict["sortby"] = sortby

        limit = search_dict.get("limit", DEFAULT_LIMIT)
        offset = search_dict.get("offset", 0) or 0
        items: list[Item] = []
        remaining = limit
        while collections:
            collection = collections.pop(0)
            if href := hrefs.get(collection):
                collection_search_dict = copy.deepcopy(search_dict)
                collection_search_dict.update(
                    {
                        "collections": [],
                        "limit": remaining,
                        "offset": offset,
                    }
                )
                collection_items = client.search(href, **collection_search_dict)
                for item in collection_items:
                    items.append(
                        self.item_with_links(cast(Item, item), request, collection)
                    )
                # the fix: compare this collection's page with what was asked of it
                # (upstream compares all items so far with the reduced limit, stops early
                # and, with no next link, drops the remaining collections)
                if len(collection_items) >= remaining:
                    collections.insert(0, collection)
                    offset = offset + len(collection_items)
                    break
                remaining -= len(collection_items)
                offset = 0

        num_items = len(items)

        if collections and ((search.limit or DEFAULT_LIMIT) <= num_items):
            next_search = _public_search_body(search_dict)
            next_search["limit"] = search.limit or DEFAULT_LIMIT
            next_search["offset"] = offset
            next_search["collections"] = collections
        else:
            next_search = None

        links: list[dict[str, Any]] = [
            {
                "href": str(request.url_for("Landing Page")),
                "rel": "root",
                "type": "application/json",
            }
        ]
        if request.method == "GET":
            links.append(
                {
                    "href": str(request.url),
                    "rel": "self",
                    "type": "application/geo+json",
                    "method": "GET",
                }
            )
            if next_search:
                if "collections" in next_search:
                    next_search["collections"] = ",".join(collections)
                if bbox := next_search.get("bbox"):
                    next_search["bbox"] = ",".join(map(str, bbox))
                if fields := next_search.pop("fields", None):
                    # Serialize back to the GET form: `id,geometry,-foo`
                    next_search["fields"] = ",".join(
                        [
                            *fields.get("include", []),
                            *(f"-{f}" for f in fields.get("exclude", [])),
                        ]
                    )

                # Drop empty values rather than round-tripping them as the
                # literal strings "None" / "[None]".
                clean_next_search = {
                    k: v
                    for k, v in next_search.items()
                    if v is not None
                    and v not in ("", "None", "[None]", "['None']", '["None"]')
                }

                links.append(
                    {
                        "href": url
                        + "?"
                        # doseq so list values encode as repeated parameters
                        + urllib.parse.urlencode(clean_next_search, doseq=True),
                        "rel": "next",
                        "type": "application/geo+json",
                        "method": "GET",
                    }
                )
        else:
            links.append(
                {
                    "href": str(request.url),
                    "rel": "self",
                    "type": "application/geo+json",
                    "method": "POST",
                    "body": _public_search_body(search_dict),
                }
            )
            if next_search:
                links.append(
                    {
                        "href": url,
                        "rel": "next",
                        "type": "application/geo+json",
                        "method": "POST",
                        "body": next_search,
                    }
                )

        return {
            "type": "FeatureCollection",
            "features": items,
            "links": links,
        }
