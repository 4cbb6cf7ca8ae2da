"""STAC-API chips against a real local STAC API (``rustac serve``) over COGs served with Range."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import rasterio
import rasterio.warp
import rasterio.windows
import typer
from shapely.geometry import Point, shape
from typer.testing import CliRunner

from _helpers import collect_sources_app, load_script
from gaia_geo.collect._src_points import PointsError, read_points  # noqa: E402
from gaia_geo.collect._stac_chips import collect_stac_chips  # noqa: E402
from gaia_geo.stac import read_catalog, to_items  # noqa: E402

RUSTAC = Path(sys.executable).with_name("rustac")
COLLECTION = "sentinel-2-l2a"
SCENE_A = "S2B_T33TWF_20210701"  # the clearest scene of tile 33TWF within 2019/2024


def _corner_point() -> tuple[float, float]:
    """Lon/lat of pixel (2, 2) of tile 33TWF: too near the corner to centre a chip on."""
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(32633, 4326, always_xy=True).transform(500025.0, 4599975.0)
    return round(lon, 6), round(lat, 6)


CORNER = _corner_point()
POINTS = [(15.01, 41.52), (-122.99, 44.98), (0.0, 0.0), CORNER]


data = load_script("data/collect_sources/data.py")
http_fixture = load_script("data/collect_sources/http_fixture.py")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def stac_api(tmp_path_factory: pytest.TempPathFactory):
    """(API URL, COG server, {scene: COG path}): rustac serve over items whose assets are COGs."""
    if not RUSTAC.exists():
        pytest.fail(f"rustac CLI not found at {RUSTAC}; it comes with the rustac package")
    root = tmp_path_factory.mktemp("stac")
    cogs = data.make_scene_cogs(root / "files" / "scenes")
    with http_fixture.FixtureServer(root / "files") as server:
        items = data.make_scene_items(cogs, server.url, COLLECTION)
        (root / "scenes.json").write_text(json.dumps(items))
        port = _free_port()
        proc = subprocess.Popen(
            [
                str(RUSTAC),
                "serve",
                str(root / "scenes.json"),
                "--create-collections",
                "--addr",
                f"127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{url}/collections/{COLLECTION}", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("rustac serve did not start")
                time.sleep(0.1)
            yield url, server, cogs
        finally:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def chips(stac_api, tmp_path_factory: pytest.TempPathFactory):
    url, server, _ = stac_api
    out = tmp_path_factory.mktemp("chips") / "s2"
    # inside tile 33TWF, inside tile 10TEQ, over no scene, at 33TWF's north-west corner
    report = collect_stac_chips(url, COLLECTION, POINTS, "2019/2024", 64, out, split="train")
    return out, report


def _chip_for(frame, lon: float, lat: float):
    hits = [row for _, row in frame.iterrows() if row.geometry.contains(Point(lon, lat))]
    assert len(hits) == 1
    return hits[0]


@pytest.mark.slow
def test_chip_report(chips) -> None:
    out, report = chips
    assert report.points == 4 and report.chips == 3 and report.reused == 0
    assert [(f["lon"], f["lat"]) for f in report.failed] == [(0.0, 0.0)]
    assert "no sentinel-2-l2a scene" in report.failed[0]["reason"]
    assert json.loads((out / "chip-report.json").read_text()) == report.to_dict()


@pytest.mark.slow
def test_chip_is_exact(chips, stac_api, shared_schemas: Path) -> None:
    out, _ = chips
    _, server, cogs = stac_api
    frame = read_catalog(out)
    row = _chip_for(frame, 15.01, 41.52)
    # the least cloudy scene of the window: 2020 (40 %) loses to 2021 (5 %); 2018 is outside it
    assert row["id"].startswith(SCENE_A)
    assert row["eo:cloud_cover"] == 5.0
    assert row["datetime"].isoformat() == "2021-07-01T10:00:00+00:00"
    assert row["platform"] == "sentinel-2b" and row["constellation"] == "sentinel-2"
    assert row["gsd"] == 10.0 and row["gaia:resolution_class"] == "High"
    assert row["proj:code"] == "EPSG:32633" and list(row["proj:shape"]) == [64, 64]
    assert row["gaia:geometry_kind"] == "footprint" and row["ml-aoi:split"] == "train"
    links = {link["rel"]: link["href"] for link in row["links"]}
    assert links["derived_from"].endswith(f"/collections/{COLLECTION}/items/{SCENE_A}")

    image = row["assets"]["image"]["href"]
    with rasterio.open(image) as chip, rasterio.open(cogs[SCENE_A]) as scene:
        assert chip.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert list(chip.transform)[:6] == list(row["proj:transform"])
        col, row_off = ~scene.transform @ (chip.transform.c, chip.transform.f)
        window = rasterio.windows.Window(round(col), round(row_off), 64, 64)
        assert np.array_equal(chip.read(), scene.read(window=window))
        # the point sits at the chip's centre
        xs, ys = rasterio.warp.transform("EPSG:4326", chip.crs, [15.01], [41.52])
        px, py = ~chip.transform @ (xs[0], ys[0])
        assert abs(px - 32) <= 1 and abs(py - 32) <= 1
    assert Path(row["assets"]["thumbnail"]["href"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a COG range read: far less than the scene file crossed the wire
    sent = server.sent[f"/files/scenes/{cogs[SCENE_A].name}"]
    assert 0 < sent < cogs[SCENE_A].stat().st_size / 2
    assert sum(server.sent[f"/files/scenes/{p.name}"] for p in cogs.values()) < sum(
        p.stat().st_size for p in cogs.values()
    )
    from gaia_geo.stac import validate

    problems = [p for p in validate(out, schema_dir=shared_schemas).problems]
    # chips have no captions until the describe stage; nothing else may be invalid
    assert all("captions" in str(p) for p in problems), problems


def test_chip_footprint_and_edges(chips) -> None:
    out, _ = chips
    frame = read_catalog(out)
    utm10 = _chip_for(frame, -122.99, 44.98)
    assert utm10["proj:code"] == "EPSG:32610"
    corner = _chip_for(frame, *CORNER)
    t = corner["proj:transform"]
    assert (t[2], t[5]) == (500000.0, 4600000.0)  # shifted to the raster's corner
    # footprint = the exact window: 640 m x 640 m, starting at the raster's corner
    import shapely
    from pyproj import Transformer

    to_utm = Transformer.from_crs(4326, 32633, always_xy=True).transform
    utm = shapely.transform(shape(corner.geometry), to_utm, interleaved=False)
    assert utm.area == pytest.approx(640 * 640, rel=1e-4)
    assert utm.bounds == pytest.approx((500000.0, 4599360.0, 500640.0, 4600000.0), abs=0.01)
    item = next(i for i in to_items(frame) if i.id == corner["id"])
    assert item.bbox is not None and item.bbox[0] < CORNER[0] < item.bbox[2]


def test_chips_resume_without_reading_again(chips, stac_api) -> None:
    out, first = chips
    url, server, cogs = stac_api
    before = sum(server.hits.values())
    ids = sorted(read_catalog(out)["id"])
    report = collect_stac_chips(url, COLLECTION, POINTS, "2019/2024", 64, out, split="train")
    assert report.reused == 3 and report.chips == 3
    assert sum(server.hits.values()) == before  # no COG byte read again
    assert sorted(read_catalog(out)["id"]) == ids


def test_max_cloud_and_time_window(stac_api, tmp_path: Path) -> None:
    url, _, _ = stac_api
    report = collect_stac_chips(
        url, COLLECTION, [(15.01, 41.52)], "2019/2024", 64, tmp_path / "c", max_cloud=1.0
    )
    assert report.chips == 0 and "no sentinel-2-l2a scene" in report.failed[0]["reason"]
    report = collect_stac_chips(url, COLLECTION, [(15.01, 41.52)], "2018", 64, tmp_path / "d")
    assert report.chips == 1
    assert read_catalog(tmp_path / "d")["id"][0].startswith("S2A_T33TWF_20180101")


def test_chip_larger_than_scene(stac_api, tmp_path: Path) -> None:
    url, _, _ = stac_api
    report = collect_stac_chips(url, COLLECTION, [(15.01, 41.52)], None, 1024, tmp_path / "c")
    assert report.chips == 0 and "smaller than the 1024 px chip" in report.failed[0]["reason"]


def test_read_points(tmp_path: Path) -> None:
    csv_file = tmp_path / "p.csv"
    csv_file.write_text("name,latitude,longitude\na,41.5,15.0\nb,-10,20.5\n")
    assert read_points(csv_file) == [(15.0, 41.5), (20.5, -10.0)]
    bare = tmp_path / "bare.csv"
    bare.write_text("15,41\n16,42\n")
    assert read_points(bare) == [(15.0, 41.0), (16.0, 42.0)]
    geo = tmp_path / "p.geojson"
    geo.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    },
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "MultiPoint", "coordinates": [[3, 4], [5, 6]]},
                    },
                ],
            }
        )
    )
    assert read_points(geo) == [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]
    swapped = tmp_path / "s.csv"
    swapped.write_text("lon,lat\n41.5,150.0\n")
    with pytest.raises(PointsError, match="line 2.*longitude first"):
        read_points(swapped)
    with pytest.raises(PointsError, match="no lon/lat columns"):
        (tmp_path / "h.csv").write_text("a,b\nx,y\n")
        read_points(tmp_path / "h.csv")
    poly = tmp_path / "poly.json"
    poly.write_text(
        json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]})
    )
    with pytest.raises(PointsError, match="Polygon"):
        read_points(poly)


def test_collect_stac_cli(stac_api, tmp_path: Path) -> None:
    from gaia_geo.cli.collect_sources import register

    url, _, _ = stac_api
    app, collect_app = typer.Typer(), typer.Typer()
    app.add_typer(collect_app, name="collect")
    register(app, collect_app)
    points = tmp_path / "points.csv"
    points.write_text("lon,lat\n-122.99,44.98\n")
    result = CliRunner().invoke(
        app,
        [
            "collect",
            "stac",
            "--api",
            url,
            "--collection",
            COLLECTION,
            "--points",
            str(points),
            "--datetime",
            "2019/2024",
            "--size",
            "32",
            "--out",
            str(tmp_path / "cli"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"chips": 1' in result.output
    assert len(read_catalog(tmp_path / "cli")) == 1


def test_collect_stac_cli_sampled_points(stac_api, tmp_path: Path) -> None:
    url, _, _ = stac_api
    base = ["collect", "stac", "--api", url, "--collection", COLLECTION, "--size", "32"]
    result = CliRunner().invoke(
        collect_sources_app(), [*base, "--sample", "3", "--out", str(tmp_path / "s")]
    )
    summary = json.loads(result.output[: result.output.rindex("}") + 1])
    # three land points from the balance sampler; the fake API covers two small tiles only, so
    # points fail, and a run with failed points exits 1
    assert summary["points"] == 3 and summary["chips"] + summary["failed"] == 3
    assert summary["failed"] and result.exit_code == 1, result.output
    assert f"{summary['failed']} of 3 points failed" in result.output
    neither = CliRunner().invoke(collect_sources_app(), [*base, "--out", str(tmp_path / "n")])
    assert neither.exit_code != 0 and "exactly one of --points FILE or --sample N" in neither.output


@pytest.mark.slow
def test_server_side_sort_keeps_the_clearest_scene(stac_api, tmp_path: Path) -> None:
    """A sort-capable API (stac-fastapi-geoparquet, as `gaia-geo api` runs it): with room for
    a single scene per search, the server's cloud-cover sort must still hand over the clearest."""
    from gaia_geo.stac import write_catalog

    _, server, cogs = stac_api
    features = data.make_scene_items(cogs, server.url, COLLECTION)["features"]
    for feature in features:
        feature.pop("collection")
    write_catalog(features, tmp_path / "scenes")
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gaia_geo.cli.main",
            "api",
            str(tmp_path / "scenes"),
            "--port",
            str(port),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conformance = httpx.get(f"{url}/conformance", timeout=1)
                if conformance.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("gaia-geo api did not start")
            time.sleep(0.1)
        assert any("sort" in c for c in conformance.json()["conformsTo"])
        report = collect_stac_chips(
            url, "scenes-unsplit", [(15.01, 41.52)], "2019/2024", 32, tmp_path / "c", max_items=1
        )
    finally:
        proc.kill()
        proc.wait()
    assert report.chips == 1, report.failed
    assert read_catalog(tmp_path / "c")["id"][0].startswith(SCENE_A)
