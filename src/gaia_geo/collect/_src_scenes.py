"""Find the scenes a chip can come from: a STAC API search, least cloudy first, and its asset."""

from __future__ import annotations

import logging
import math
from typing import Any

import pystac

from ._src_raster import ChipError

log = logging.getLogger(__name__)

#: Asset keys tried, in order, when no asset is named (Earth Search, Planetary Computer names).
DEFAULT_ASSETS = ("visual", "rendered_preview_cog", "image", "data", "B04", "red")


def pick_asset(item: pystac.Item, name: str | None) -> tuple[str, str]:
    if name is not None:
        if name not in item.assets:
            raise ChipError(f"source item {item.id!r} has no asset {name!r}: {sorted(item.assets)}")
        return name, item.assets[name].get_absolute_href() or item.assets[name].href
    for key in DEFAULT_ASSETS:
        if key in item.assets:
            return key, item.assets[key].get_absolute_href() or item.assets[key].href
    for key, asset in item.assets.items():
        if (asset.media_type or "").startswith("image/tiff") and "data" in (asset.roles or []):
            return key, asset.get_absolute_href() or asset.href
    raise ChipError(f"source item {item.id!r} has no COG asset; name one with asset=")


#: Spellings of the sort field, tried in order: APIs differ (Earth Search wants the first,
#: DuckDB-backed stac-geoparquet servers the second).
_SORT_FIELDS = ("+properties.eo:cloud_cover", "+eo:cloud_cover")


def _search(
    client: Any, sort_state: dict[str, Any], max_items: int, **query: Any
) -> list[pystac.Item]:
    """Search least cloudy first on the server when it can sort, else unsorted.

    Sorting on the server makes ``max_items`` keep the clearest scenes. Each sort spelling is
    tried once per run; the one the API takes is remembered in ``sort_state``.
    """
    from pystac_client.exceptions import APIError

    if "sortby" not in sort_state:
        sort_state["sortby"] = list(_SORT_FIELDS) if client.conforms_to("SORT") else []
    dropped = 0
    while sort_state["sortby"]:
        field = sort_state["sortby"][0]
        try:
            return list(client.search(max_items=max_items, sortby=[field], **query).items())
        except APIError as err:
            if getattr(err, "status_code", None) is None:
                # no HTTP answer (a connection the server closed after its error): retry as is
                dropped += 1
                if dropped > 2:
                    raise
                continue
            if sort_state["sortby"] and sort_state["sortby"][0] == field:
                sort_state["sortby"].pop(0)
            log.info("the API refused sortby %s (%s); trying the next spelling", field, err)
    return list(client.search(max_items=max_items, **query).items())


def candidates(
    client: Any,
    sort_state: dict[str, Any],
    collection: str,
    lon: float,
    lat: float,
    datetime: str | None,
    max_items: int,
    max_cloud: float | None,
) -> list[pystac.Item]:
    items = _search(
        client,
        sort_state,
        max_items,
        collections=[collection],
        intersects={"type": "Point", "coordinates": [lon, lat]},
        datetime=datetime,
    )
    if max_cloud is not None:
        items = [i for i in items if i.properties.get("eo:cloud_cover", 101.0) <= max_cloud]

    def order(item: pystac.Item) -> tuple[float, float]:
        cloud = item.properties.get("eo:cloud_cover")
        when = item.datetime.timestamp() if item.datetime else 0.0
        return (float(cloud) if cloud is not None else math.inf, -when)

    return sorted(items, key=order)
