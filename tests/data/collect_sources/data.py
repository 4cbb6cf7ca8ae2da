"""Seeded generators of the collect-sources test data (images, GAIA release files, COG scenes).

Everything is small and regenerated per test session from fixed seeds, so nothing binary is kept
in git. ``python data.py OUT`` writes a sample of each into OUT for a look by hand.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

SEED = 20250213

#: Scenes of the fake ``sentinel-2-l2a`` collection: id -> (EPSG, x0, y0, date, cloud %).
SCENES: dict[str, tuple[int, float, float, str, float]] = {
    # three scenes of the same 5.12 km tile near lon 15.0 lat 41.5; only B is in 2019/2024 and clear
    "S2A_T33TWF_20200601": (32633, 500000.0, 4600000.0, "2020-06-01T10:00:00Z", 40.0),
    "S2B_T33TWF_20210701": (32633, 500000.0, 4600000.0, "2021-07-01T10:00:00Z", 5.0),
    "S2A_T33TWF_20180101": (32633, 500000.0, 4600000.0, "2018-01-01T10:00:00Z", 0.5),
    # another tile in another UTM zone, near lon -123.0 lat 45.0
    "S2A_T10TEQ_20220815": (32610, 500000.0, 4985000.0, "2022-08-15T19:00:00Z", 12.0),
}
SCENE_SIZE = 512
SCENE_GSD = 10.0


def image_array(seed: int, size: int = 96) -> np.ndarray:
    """A seeded RGB uint8 picture: smooth gradients plus noise (compresses like a photo)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size]
    base = np.stack([x * 255 / size, y * 255 / size, (x + y) * 127 / size], axis=-1)
    noise = rng.normal(0, 12, (size, size, 3))
    return np.clip(base + noise + rng.integers(0, 60), 0, 255).astype(np.uint8)


def encode(array: np.ndarray, fmt: str) -> bytes:
    """PNG or JPEG bytes of ``array``."""
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt)
    return buf.getvalue()


def make_images(root: Path, n: int = 6) -> dict[str, Path]:
    """Write ``img-000.png``... (PNG and JPEG alternately), a non-image and a large PNG."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for i in range(n):
        fmt, ext = ("PNG", "png") if i % 2 == 0 else ("JPEG", "jpg")
        path = root / f"img-{i:03d}.{ext}"
        path.write_bytes(encode(image_array(SEED + i), fmt))
        files[path.name] = path
    (root / "page.html").write_text("<html><body>not an image</body></html>", encoding="utf-8")
    (root / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    big = root / "big.png"
    big.write_bytes(encode(image_array(SEED + 99, 400), "PNG"))
    files.update({"page.html": root / "page.html", "fake.png": root / "fake.png", "big.png": big})
    return files


def gaia_record(i: int, image_src: str, **overrides: Any) -> dict[str, Any]:
    """One record shaped like the published GAIA release files."""
    record: dict[str, Any] = {
        "id": f"{1000 + i}",
        "image_src": image_src,
        "image_alt": f"Satellite view number {i}",
        "captions": [f"The image showcases: scene {i}, caption {k}." for k in range(5)],
        "credits": "NASA Earth Observatory image by Joshua Stevens",
        "location": "Lake Tahoe, California, United States",
        "lat": 39.09 + i * 0.01,
        "lon": -120.04 - i * 0.01,
        "tag": ["lake", "mountains", "snow"],
        "resolution": "Moderate",
        "satellite": ["Landsat 8"],
        "sensor": ["OLI"],
        "modalities": ["optical", "multispectral"],
    }
    record.update(overrides)
    return record


def make_gaia_release(root: Path, base_url: str) -> dict[str, Path]:
    """Write small GAIA-shaped split files whose ``image_src`` point at ``base_url``.

    The messy values of the real release are all there: ``"NASA Terra"``, ``"EOS-Terra"``,
    ``"Sentinel-2A/B"``, ``"International Space Station (ISS)"``, ``"STS-97 Space Shuttle"``, a
    satellite the registry does not know, strings instead of lists, and broken records.
    """
    root.mkdir(parents=True, exist_ok=True)
    img = f"{base_url}/files"
    train = [
        gaia_record(0, f"{img}/img-000.png"),
        gaia_record(
            1,
            f"{img}/img-001.jpg",
            satellite=["NASA Terra"],
            sensor=["MODIS"],
            resolution="Moderate",
        ),
        gaia_record(2, f"{img}/img-002.png", satellite="EOS-Terra", sensor="MODIS"),
        gaia_record(
            3, f"{img}/img-003.jpg", satellite=["Sentinel-2A/B"], sensor=["MSI"], resolution="High"
        ),
        gaia_record(
            4,
            f"{img}/img-004.png",
            satellite=["Zorblax-7"],
            sensor=["HyperCam"],
            resolution="very high",
        ),
        gaia_record(5, f"{img}/missing.png", lat=123.0),  # latitude out of range: rejected
        gaia_record(6, f"{img}/img-005.jpg", captions=[]),  # no captions: rejected
    ]
    validation = [
        gaia_record(
            10,
            f"{img}/img-000.png",
            satellite=["International Space Station (ISS)"],
            sensor=["astronaut photograph"],
            resolution="High",
            modalities=["optical"],
        ),
        gaia_record(0, f"{img}/img-000.png"),  # same id as a train record: a duplicate
    ]
    test = [
        gaia_record(
            20,
            f"{img}/img-001.jpg",
            satellite=["STS-97 Space Shuttle"],
            sensor=[],
            resolution="Moderate",
        ),
        gaia_record(
            21,
            f"{img}/img-002.png",
            satellite=["Landsat 8", "Sentinel-2A/B"],
            sensor=["OLI", "MSI"],
        ),
    ]
    files = {}
    for name, records in (("train", train), ("validation", validation), ("test", test)):
        path = root / f"GAIA_{name}.json"
        path.write_text(json.dumps(records, indent=1), encoding="utf-8")
        files[name] = path
    return files


def make_scene_cogs(root: Path) -> dict[str, Path]:
    """Write one 3-band uint8 COG per scene of :data:`SCENES` (512 px, 10 m, 256 px tiles)."""
    import rasterio
    from rasterio.transform import from_origin

    root.mkdir(parents=True, exist_ok=True)
    out = {}
    for k, (scene, (epsg, x0, y0, _, _)) in enumerate(SCENES.items()):
        data = image_array(SEED + 500 + k, SCENE_SIZE).transpose(2, 0, 1)
        path = root / f"{scene}_visual.tif"
        profile = {
            "driver": "COG",
            "width": SCENE_SIZE,
            "height": SCENE_SIZE,
            "count": 3,
            "dtype": "uint8",
            "crs": f"EPSG:{epsg}",
            "transform": from_origin(x0, y0, SCENE_GSD, SCENE_GSD),
            "blocksize": 256,
            "compress": "deflate",
            "overview_resampling": "average",
        }
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
        out[scene] = path
    return out


def make_scene_items(cogs: dict[str, Path], base_url: str, collection: str) -> dict[str, Any]:
    """A FeatureCollection of source STAC items whose ``visual`` asset is the served COG."""
    import rasterio
    from rasterio.warp import transform_geom
    from shapely.geometry import box, mapping, shape

    features = []
    for scene, path in cogs.items():
        _, _, _, when, cloud = SCENES[scene]
        with rasterio.open(path) as src:
            geom = transform_geom(src.crs, "EPSG:4326", mapping(box(*src.bounds)))
            epsg = src.crs.to_epsg()
        features.append(
            {
                "type": "Feature",
                "stac_version": "1.1.0",
                "id": scene,
                "collection": collection,
                "geometry": geom,
                "bbox": list(shape(geom).bounds),
                "properties": {
                    "datetime": when,
                    "platform": "sentinel-2a" if scene.startswith("S2A") else "sentinel-2b",
                    "constellation": "sentinel-2",
                    "instruments": ["msi"],
                    "gsd": SCENE_GSD,
                    "eo:cloud_cover": cloud,
                    "proj:code": f"EPSG:{epsg}",
                },
                "links": [],
                "assets": {
                    "visual": {
                        "href": f"{base_url}/files/scenes/{path.name}",
                        "type": "image/tiff; application=geotiff; profile=cloud-optimized",
                        "roles": ["visual", "data"],
                    },
                    "thumbnail": {
                        "href": f"{base_url}/files/none.jpg",
                        "type": "image/jpeg",
                        "roles": ["thumbnail"],
                    },
                },
                "stac_extensions": [],
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    out = Path(sys.argv[1])
    make_images(out / "images")
    make_gaia_release(out / "release", "http://127.0.0.1:8000")
    cogs = make_scene_cogs(out / "images" / "scenes")
    items = make_scene_items(cogs, "http://127.0.0.1:8000", "sentinel-2-l2a")
    (out / "scenes.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
    print(f"wrote sample data to {out} at {datetime.now(UTC).isoformat()}")
