from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from _helpers import load_script
from gaia_geo.errors import CatalogError
from gaia_geo.explore import find_mirrors, search
from gaia_geo.explore._search import parse_datetime


def all_items(catalog: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(catalog.glob("*/*/*.json"))]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC") if "Z" in text else pd.Timestamp(text, tz="UTC")


def interval(item: dict[str, Any]) -> tuple[pd.Timestamp, pd.Timestamp]:
    p = item["properties"]
    if p.get("datetime"):
        return ts(p["datetime"]), ts(p["datetime"])
    return ts(p["start_datetime"]), ts(p["end_datetime"])


def reference(
    items: list[dict[str, Any]],
    bbox: list[float] | None = None,
    when: tuple[str | None, str | None] | None = None,
    text: str | None = None,
    gsd_below: float | None = None,
) -> set[str]:
    out = set()
    for item in items:
        b = item["bbox"]
        if bbox and not (
            b[0] <= bbox[2] and b[2] >= bbox[0] and b[1] <= bbox[3] and b[3] >= bbox[1]
        ):
            continue
        if when:
            start, end = interval(item)
            if when[0] and end < ts(when[0]):
                continue
            if when[1] and start > ts(when[1]):
                continue
        p = item["properties"]
        if text:
            hay = "\n".join([p["title"], p["description"], *p["gaia:captions"]]).lower()
            if text.lower() not in hay:
                continue
        if gsd_below is not None and not p["gsd"] < gsd_below:
            continue
        out.add(item["id"])
    return out


def test_bbox_datetime_text_match_brute_force(explore_catalog: Path) -> None:
    items = all_items(explore_catalog)
    cases: list[dict[str, Any]] = [
        {"bbox": [-180, -90, 0, 90]},
        {"bbox": [0, -45, 120, 45], "text": "GLACIER"},
        {"when": ("2005-01-01T00:00:00Z", None)},
        {"when": ("2001-01-01T00:00:00Z", "2010-12-31T23:59:59Z"), "text": "river"},
        {"text": "showcases"},
    ]
    for case in cases:
        when = case.get("when")
        datetime = None if when is None else f"{when[0] or '..'}/{when[1] or '..'}"
        frame = search(
            explore_catalog, bbox=case.get("bbox"), datetime=datetime, text=case.get("text")
        )
        expected = reference(items, case.get("bbox"), when, case.get("text"))
        assert set(frame["id"]) == expected, case
        assert len(frame) == len(expected)
    assert len(search(explore_catalog, text="showcases")) == len(items) == 36


def test_instant_inside_a_month_range_matches(explore_catalog: Path) -> None:
    ranged = next(i for i in all_items(explore_catalog) if i["properties"]["datetime"] is None)
    start = ts(ranged["properties"]["start_datetime"])
    inside = (start + pd.Timedelta(days=9)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ranged["id"] in set(search(explore_catalog, datetime=inside)["id"])
    instant = next(i for i in all_items(explore_catalog) if i["properties"]["datetime"])
    hit = search(explore_catalog, datetime=instant["properties"]["datetime"])
    assert instant["id"] in set(hit["id"])
    when = dt.datetime.fromisoformat(instant["properties"]["datetime"].replace("Z", "+00:00"))
    assert instant["id"] in set(search(explore_catalog, datetime=(when, None))["id"])


def test_cql2_text_and_json_filters(explore_catalog: Path) -> None:
    items = all_items(explore_catalog)
    expected = reference(items, text="glacier", gsd_below=30)
    assert expected, "the seeded catalog must hold a glacier seen below 30 m"
    text_filter = "\"gaia:caption_text\" LIKE '%glacier%' AND gsd < 30"
    assert set(search(explore_catalog, filter=text_filter)["id"]) == expected
    json_filter = {
        "op": "and",
        "args": [
            {"op": "like", "args": [{"property": "gaia:caption_text"}, "%glacier%"]},
            {"op": "<", "args": [{"property": "gsd"}, 30]},
        ],
    }
    assert set(search(explore_catalog, filter=json_filter)["id"]) == expected
    assert set(search(explore_catalog, text="glacier", filter="gsd < 30")["id"]) == expected
    landsat = {i["id"] for i in items if i["properties"]["platform"] == "landsat-8"}
    assert set(search(explore_catalog, filter="platform = 'landsat-8'")["id"]) == landsat
    assert (
        set(search(explore_catalog, filter="NOT (platform = 'landsat-8')")["id"])
        == {i["id"] for i in items} - landsat
    )
    # SQL null logic: comparisons with a missing constellation never match, even negated
    no_const = {i["id"] for i in items if "constellation" not in i["properties"]}
    assert set(search(explore_catalog, filter="constellation IS NULL")["id"]) == no_const
    assert not set(search(explore_catalog, filter="NOT (constellation = 'x')")["id"]) & no_const
    between = {i["id"] for i in items if 5 <= i["properties"]["gsd"] <= 10}
    assert set(search(explore_catalog, filter="gsd BETWEEN 5 AND 10")["id"]) == between
    old = {
        i["id"]
        for i in items
        if i["properties"]["datetime"] and i["properties"]["datetime"] < "2003"
    }
    got = search(explore_catalog, filter="datetime < TIMESTAMP('2003-01-01T00:00:00Z')")
    assert set(got["id"]) == old
    upper = search(explore_catalog, filter="CASEI(title) LIKE CASEI('%GLACIER%')")
    assert set(upper["id"]) == reference(items, text="glacier")


def test_filter_errors_name_the_problem(explore_catalog: Path) -> None:
    with pytest.raises(ValueError, match="unknown property 'nope'"):
        search(explore_catalog, filter="nope = 1")
    with pytest.raises(ValueError, match="gaia:caption_text"):
        search(explore_catalog, filter="\"gaia:captions\" LIKE '%x%'")
    with pytest.raises(ValueError, match="cannot parse"):
        search(explore_catalog, filter="gsd <<< 3")
    with pytest.raises(ValueError, match="4 or 6"):
        search(explore_catalog, bbox=[1, 2, 3])
    with pytest.raises(ValueError, match="start is after"):
        search(explore_catalog, datetime="2020-01-01T00:00:00Z/2019-01-01T00:00:00Z")


def test_frame_shape_limit_and_antimeridian(explore_catalog: Path) -> None:
    frame = search(explore_catalog, bbox=[170, -90, -170, 90], limit=100)
    items = all_items(explore_catalog)
    expected = reference(items, [170, -90, 180, 90]) | reference(items, [-180, -90, -170, 90])
    assert set(frame["id"]) == expected
    full = search(explore_catalog, limit=5)
    assert len(full) == 5
    assert full.crs.to_epsg() == 4326
    row = full.iloc[0]
    assert len(row["gaia:captions"]) == 5
    href = row["assets"]["image"]["href"]
    assert os.path.isabs(href) and Path(href).is_file()
    assert str(full["datetime"].dtype).startswith("datetime64")
    empty = search(explore_catalog, text="no such words anywhere")
    assert len(empty) == 0 and "id" in empty.columns


def test_index_is_rebuilt_when_the_mirror_changes(tmp_path: Path) -> None:
    explore_data = load_script("data/explore/data.py")
    make_items, write_parquet = explore_data.make_items, explore_data.write_parquet

    mirror = tmp_path / "items.parquet"
    write_parquet(make_items(4, seed=1), mirror)
    assert len(search(mirror)) == 4
    write_parquet(make_items(6, seed=1), mirror)
    os.utime(mirror, ns=(1, 10**18))
    assert len(search(mirror)) == 6


def test_mirrors_are_found_and_missing_ones_reported(explore_catalog: Path, tmp_path: Path) -> None:
    mirrors = find_mirrors(explore_catalog)
    assert [m.parent.name for m in mirrors] == ["train", "validate", "test"]
    assert find_mirrors(explore_catalog / "catalog.json") == mirrors
    assert len(search(mirrors)) == 36
    assert set(search(mirrors[:1])["collection"]) == {"train"}
    with pytest.raises(CatalogError, match="holds no catalog.json or collection.json"):
        find_mirrors(tmp_path)


def test_parse_datetime_forms() -> None:
    assert parse_datetime(None) is None
    low, high = parse_datetime("2020-01-01T00:00:00Z/..")  # type: ignore[misc]
    assert low == pd.Timestamp("2020-01-01", tz="UTC").value and high > low
    assert (
        parse_datetime("2020-01-01T00:00:00+02:00")
        == (pd.Timestamp("2019-12-31T22:00:00", tz="UTC").value,) * 2
    )
    with pytest.raises(ValueError, match="at least one end"):
        parse_datetime("../..")


def test_same_frame_and_items_as_read_catalog(demo_catalog: Path) -> None:
    import gaia_geo

    whole = gaia_geo.read_catalog(demo_catalog)
    found = search(demo_catalog)
    assert list(found["id"]) == list(whole["id"])
    assert set(found.columns) == set(whole.columns)
    for column in ("bbox", "gaia:captions", "assets", "datetime"):
        assert type(found[column].iloc[0]) is type(whole[column].iloc[0]), column
    expected = [i.to_dict() for i in gaia_geo.to_items(whole)]
    assert [i.to_dict() for i in gaia_geo.to_items(found)] == expected
    word = str(whole["gaia:captions"].iloc[0][0]).split()[-1].strip(".,").lower()
    subset = search(demo_catalog, text=word)
    assert 0 < len(subset) <= len(whole)
    assert all(
        any(word in c.lower() for c in [t, d, *caps])
        for t, d, caps in zip(
            subset["title"], subset["description"], subset["gaia:captions"], strict=True
        )
    )


def test_public_name() -> None:
    import gaia_geo
    import gaia_geo.explore

    assert gaia_geo.search is gaia_geo.explore.search
    assert "search" in gaia_geo.__all__ and "create_api_app" in gaia_geo.explore.__all__


def test_items_across_the_antimeridian(tmp_path: Path) -> None:
    explore_data = load_script("data/explore/data.py")
    make_items, write_parquet = explore_data.make_items, explore_data.write_parquet

    items = make_items(3, seed=2)
    crossing = items[0]
    crossing["bbox"] = [175.0, 10.0, -175.0, 20.0]  # STAC: west > east over the antimeridian
    crossing["geometry"] = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[175, 10], [180, 10], [180, 20], [175, 20], [175, 10]]],
            [[[-180, 10], [-175, 10], [-175, 20], [-180, 20], [-180, 10]]],
        ],
    }
    for other, lon in ((items[1], 0.0), (items[2], 170.0)):
        other["bbox"] = [lon, 10.0, lon + 1, 11.0]
        other["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[lon, 10], [lon + 1, 10], [lon + 1, 11], [lon, 11], [lon, 10]]],
        }
    mirror = tmp_path / "items.parquet"
    write_parquet(items, mirror)
    ids = [i["id"] for i in items]
    assert list(search(mirror, bbox=[-178, 12, -176, 14])["id"]) == [ids[0]]
    assert list(search(mirror, bbox=[176, 12, 178, 14])["id"]) == [ids[0]]
    assert list(search(mirror, bbox=[170, 10, 179, 11])["id"]) == [ids[0], ids[2]]
    assert list(search(mirror, bbox=[179, 10, -179, 30])["id"]) == [ids[0]]
    assert list(search(mirror, bbox=[-10, 0, 10, 30])["id"]) == [ids[1]]
