"""write_catalog(layout="geoparquet"): hive-partitioned stac-geoparquet and a static root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import gaia_geo
from _helpers import load_script
from gaia_geo.errors import CatalogError
from gaia_geo.explore import search
from gaia_geo.explore._search import parse_datetime
from gaia_geo.stac import frame_to_dicts, read_catalog, to_items, write_catalog
from gaia_geo.stac._arrow import items_to_arrow
from gaia_geo.stac._partitioned import partition_files, partition_keys, prune_partitions
from gaia_geo.stac._parts_root import RootInfo
from gaia_geo.stac._write_parts import write_partitioned_catalog

make_catalog = load_script("data/explore/data.py").make_catalog


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded 3-split catalog (40 Items a split; instants and month ranges; local images)."""
    root = tmp_path_factory.mktemp("partitioned") / "source"
    make_catalog(root, n_per_split=40, seed=3)
    return root


@pytest.fixture(scope="module")
def layouts(source: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same Items written in both layouts, with the same catalog id."""
    items = to_items(read_catalog(source))
    base = tmp_path_factory.mktemp("layouts")
    static = write_catalog(items, base / "static", id="cat", assets="reference")
    parts = write_catalog(items, base / "parts", id="cat", layout="geoparquet", assets="reference")
    return Path(static), Path(parts)


def _dicts(root: Path) -> list[dict[str, Any]]:
    frame = read_catalog(root).sort_values("id").reset_index(drop=True)
    return frame_to_dicts(frame[sorted(frame.columns)])


@pytest.mark.slow
def test_read_catalog_equals_the_static_layout(layouts: tuple[Path, Path]) -> None:
    static, parts = layouts
    assert not list(parts.rglob("*/*/*.json")), "no Item JSON in the geoparquet layout"
    got, expected = _dicts(parts), _dicts(static)
    assert len(got) == 120
    assert got == expected


@pytest.mark.slow
def test_hive_layout_and_root(layouts: tuple[Path, Path]) -> None:
    _, parts = layouts
    files = partition_files(parts / "items")
    assert files and all(f.name.startswith("part-") for f in files)
    keys = [partition_keys(f) for f in files]
    assert {k["split"] for k in keys} == {"train", "validate", "test"}
    assert all(k["year"].isdigit() for k in keys)
    frame = read_catalog(parts)
    for file in files:  # every row sits in the partition its split and start year name
        rows = pa.parquet.read_table(file, columns=["ml-aoi:split"]).num_rows
        assert rows > 0
    train = json.loads((parts / "train" / "collection.json").read_text())
    asset = train["assets"]["geoparquet-items"]
    assert asset["roles"] == ["stac-items"] and asset["type"] == "application/vnd.apache.parquet"
    assert (parts / "train" / asset["href"]).resolve() == (parts / "items" / "split=train")
    subset = frame[frame["ml-aoi:split"] == "train"]
    west, south, east, north = train["extent"]["spatial"]["bbox"][0]
    bounds = subset.geometry.total_bounds
    assert west <= bounds[0] and south <= bounds[1] and east >= bounds[2] and north >= bounds[3]
    assert sorted(train["summaries"]["platform"]) == sorted(subset["platform"].dropna().unique())
    assert "train" in train["description"] and "40 Items" in train["description"]


@pytest.mark.slow
def test_root_validates(layouts: tuple[Path, Path]) -> None:
    report = gaia_geo.validate(layouts[1] / "catalog.json")
    assert report.problems == []
    assert set(report.verdicts.values()) == {"valid"} and len(report.verdicts) == 4


@pytest.mark.slow
@pytest.mark.parametrize(
    "query",
    [
        {"bbox": [-180, -90, 0, 90]},
        {"datetime": "2003-01-01T00:00:00Z/2010-12-31T23:59:59Z"},
        {"datetime": "2015-06-01T00:00:00Z/.."},
        {"text": "glacier"},
        {"bbox": [-90, -60, 90, 60], "datetime": "../2012-01-01T00:00:00Z", "filter": "gsd < 30"},
        {"bbox": [170, -90, -170, 90]},  # over the antimeridian
    ],
)
def test_search_equals_the_static_layout(layouts: tuple[Path, Path], query: dict[str, Any]) -> None:
    static, parts = layouts
    expected = set(search(static, **query)["id"])
    assert expected or "bbox" in query and query["bbox"][0] > 0, query
    assert set(search(parts, **query)["id"]) == expected


@pytest.mark.slow
def test_a_query_in_one_year_reads_only_that_year(layouts: tuple[Path, Path]) -> None:
    static, parts = layouts
    files = partition_files(parts / "items")
    years = sorted({int(partition_keys(f)["year"]) for f in files})
    year = years[len(years) // 2]
    window = f"{year}-03-01T00:00:00Z/{year}-10-31T00:00:00Z"
    kept = [f for f, _ in prune_partitions(files, (), parse_datetime(window))]
    # month ranges start on the 1st, so an Item of this window starts in this very year
    assert kept and {partition_keys(f)["year"] for f in kept} == {str(year)}
    expected = set(search(static, datetime=window)["id"])
    assert expected
    # files of later years are never opened: corrupt them and the search still answers
    for file in files:
        if int(partition_keys(file)["year"]) > year:
            file.write_bytes(b"not parquet")
    try:
        assert set(search(parts, datetime=window)["id"]) == expected
    finally:
        write_catalog(to_items(read_catalog(static)), parts, id="cat", layout="geoparquet")


@pytest.mark.slow
def test_row_groups_are_skipped_by_bbox(source: Path, tmp_path: Path) -> None:
    items = to_items(read_catalog(source))
    root = write_partitioned_catalog(
        items,
        tmp_path / "small-groups",
        info=RootInfo("cat", "cat"),
        partition_by="h3",
        rows_per_group=2,
        rows_per_file=4,
    )
    files = partition_files(root / "items")
    assert all(partition_keys(f)["h3"].startswith("80") for f in files)  # resolution 0 cells
    total = sum(pa.parquet.ParquetFile(f).num_row_groups for f in files)
    box = (0.0, 0.0, 20.0, 20.0)
    read = sum(len(groups) for _, groups in prune_partitions(files, [box]))
    assert read < total / 4
    expected = set(search(source, bbox=list(box))["id"])
    assert set(search(root, bbox=list(box))["id"]) == expected


@pytest.mark.slow
def test_arrow_tables_are_written_as_given(source: Path, tmp_path: Path) -> None:
    """Tables (built column by column, e.g. for 10M Items) skip the per-Item Python work."""
    dicts = frame_to_dicts(read_catalog(source))[::3]
    tables = [items_to_arrow(dicts[:20]), items_to_arrow(dicts[20:])]
    root = write_catalog(tables, tmp_path / "arrow", id="cat", layout="geoparquet")
    assert _dicts(root) == _dicts(
        write_catalog(dicts, tmp_path / "dicts", layout="geoparquet", id="cat", assets="reference")
    )
    with pytest.raises(CatalogError, match=r"duplicate item id\(s\) 'train-000000'"):
        write_catalog([tables[0], tables[0]], tmp_path / "twice", layout="geoparquet")
    assert not (tmp_path / "twice").exists()


@pytest.mark.slow
def test_local_assets_are_copied_beside_the_partitions(source: Path, tmp_path: Path) -> None:
    items = to_items(read_catalog(source))[::4]
    root = write_catalog(items, tmp_path / "copy", layout="geoparquet")
    frame = read_catalog(root)
    hrefs = [a["image"]["href"] for a in frame["assets"]]
    assert all(Path(h).is_file() and Path(h).is_relative_to(root / "assets") for h in hrefs)
    # written again in place: what the first write made is not foreign
    write_catalog(to_items(frame), root, layout="geoparquet")
    assert len(read_catalog(root)) == len(items) == 30


@pytest.mark.slow
def test_balance_parquet_reads_the_partitions(layouts: tuple[Path, Path]) -> None:
    subset = gaia_geo.balance_parquet(layouts[1], n=30, spatial="h3:0", temporal="year")
    assert len(subset) == 30
    assert set(subset["id"]) <= set(read_catalog(layouts[1])["id"])
    lazy = read_catalog(layouts[1], engine="dask")  # one dask partition per file
    assert lazy.npartitions == len(partition_files(layouts[1] / "items")) and len(lazy) == 120


def test_bad_arguments(tmp_path: Path, source: Path) -> None:
    items = to_items(read_catalog(source))[:3]
    with pytest.raises(ValueError, match="layout must be 'static' or 'geoparquet'"):
        write_catalog(items, tmp_path / "x", layout="json")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="partition_by must be 'year' or 'h3'"):
        write_catalog(items, tmp_path / "x", layout="geoparquet", partition_by="month")  # type: ignore[arg-type]


def test_an_item_over_the_antimeridian_keeps_its_row_group(source: Path, tmp_path: Path) -> None:
    dicts = frame_to_dicts(read_catalog(source))[:40]
    crossing = dicts[7]
    crossing["geometry"] = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[179.5, 10.0], [180.0, 10.0], [180.0, 11.0], [179.5, 11.0], [179.5, 10.0]]],
            [[[-180.0, 10.0], [-179.5, 10.0], [-179.5, 11.0], [-180.0, 11.0], [-180.0, 10.0]]],
        ],
    }
    crossing["bbox"] = [179.5, 10.0, -179.5, 11.0]
    root = write_partitioned_catalog(
        dicts, tmp_path / "am", info=RootInfo("am", "am"), rows_per_group=2, rows_per_file=40
    )
    files = partition_files(root / "items")
    listed = [
        json.loads(pa.parquet.ParquetFile(f).metadata.metadata[b"gaia:antimeridian_row_groups"])
        for f in files
    ]
    assert sum(len(groups) for groups in listed) == 1
    for box in ([-179.9, 9.0, -179.6, 12.0], [179.6, 9.0, 179.9, 12.0], [175.0, 9.0, -175.0, 12.0]):
        assert crossing["id"] in set(search(root, bbox=box)["id"]), box
    far = [-60.0, -60.0, -50.0, -50.0]
    assert set(search(root, bbox=far)["id"]) == {
        d["id"] for d in dicts if d["bbox"][0] <= -50 and d["bbox"][2] >= -60
        and d["bbox"][1] <= -50 and d["bbox"][3] >= -60
    }  # fmt: skip
