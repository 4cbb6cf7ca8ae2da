"""Asset hrefs of stac-geoparquet rows made absolute (local paths or URLs under a served root)."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa

__all__ = ["absolute_href", "absolutize_assets"]


def absolute_href(
    href: str, base: Path, assets_url: str | None = None, root: Path | None = None
) -> str:
    """Resolve a relative ``href`` against folder ``base``; remote and absolute ones are kept.

    With ``assets_url`` (the URL ``root`` is served at) the result is a URL, else a local path.
    """
    if "://" in href or os.path.isabs(href):
        return href
    target = os.path.normpath(base / href)
    if assets_url and root is not None:
        return assets_url.rstrip("/") + "/" + Path(target).relative_to(root).as_posix()
    return target


def absolutize_assets(
    table: pa.Table, base: Path, assets_url: str | None = None, root: Path | None = None
) -> pa.Table:
    """Return ``table`` with every asset ``href`` in its ``assets`` struct column made absolute.

    Local paths are ``read_catalog``'s own vectorised rewrite; this module only adds the mapping
    of local paths to URLs under a served root (``assets_url``).
    """
    if assets_url is None:
        from ..stac import absolutize_asset_hrefs

        return absolutize_asset_hrefs(table, base)
    if "assets" not in table.column_names:
        return table
    assets = table.column("assets").combine_chunks()
    if not pa.types.is_struct(assets.type):
        return table
    children = []
    for i in range(assets.type.num_fields):
        asset = assets.field(i)
        if not pa.types.is_struct(asset.type) or asset.type.get_field_index("href") < 0:
            children.append(asset)
            continue
        names = [asset.type.field(j).name for j in range(asset.type.num_fields)]
        hrefs = [
            None if h is None else absolute_href(h, base, assets_url, root)
            for h in asset.field("href").to_pylist()
        ]
        fields = [
            pa.array(hrefs, asset.type.field(j).type) if n == "href" else asset.field(j)
            for j, n in enumerate(names)
        ]
        children.append(
            pa.StructArray.from_arrays(fields, fields=list(asset.type), mask=asset.is_null())
        )
    rebuilt = pa.StructArray.from_arrays(children, fields=list(assets.type), mask=assets.is_null())
    return table.set_column(table.column_names.index("assets"), "assets", rebuilt)
