"""Synthetic, seeded scene images for the demo: smooth fractal terrain coloured by theme.

They are not real observations; they look enough like scenes (water, land, ice, fields) for the
pipeline's figures, datasets and training tests, and they compress small.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from PIL import Image
from pyproj import CRS, Transformer
from rasterio.transform import from_origin

_PALETTES: dict[str, list[tuple[float, tuple[int, int, int]]]] = {
    "delta": [
        (0.0, (20, 50, 90)),
        (0.42, (120, 95, 60)),
        (0.5, (95, 120, 70)),
        (1.0, (60, 100, 50)),
    ],
    "lake": [
        (0.0, (30, 90, 110)),
        (0.45, (90, 170, 160)),
        (0.55, (225, 220, 205)),
        (1.0, (170, 140, 110)),
    ],
    "glacier": [
        (0.0, (25, 45, 80)),
        (0.4, (200, 215, 230)),
        (0.75, (245, 248, 252)),
        (1.0, (110, 100, 95)),
    ],
    "volcano": [
        (0.0, (40, 80, 40)),
        (0.5, (90, 110, 70)),
        (0.8, (50, 45, 45)),
        (1.0, (200, 200, 205)),
    ],
    "river": [
        (0.0, (60, 80, 60)),
        (0.3, (40, 100, 45)),
        (0.7, (30, 80, 35)),
        (1.0, (150, 120, 80)),
    ],
    "desert": [
        (0.0, (190, 150, 100)),
        (0.5, (215, 175, 120)),
        (0.8, (170, 120, 80)),
        (1.0, (120, 90, 70)),
    ],
    "reef": [
        (0.0, (10, 40, 100)),
        (0.55, (20, 90, 150)),
        (0.7, (60, 200, 200)),
        (1.0, (235, 230, 200)),
    ],
    "forest": [
        (0.0, (20, 70, 30)),
        (0.6, (35, 95, 40)),
        (0.75, (190, 150, 120)),
        (1.0, (220, 180, 150)),
    ],
    "urban": [
        (0.0, (30, 60, 100)),
        (0.35, (120, 120, 125)),
        (0.7, (170, 165, 160)),
        (1.0, (90, 110, 80)),
    ],
    "agriculture": [
        (0.0, (80, 130, 50)),
        (0.5, (160, 150, 90)),
        (0.8, (60, 140, 60)),
        (1.0, (120, 100, 70)),
    ],
    "coast": [
        (0.0, (15, 60, 110)),
        (0.45, (90, 140, 150)),
        (0.55, (230, 215, 170)),
        (1.0, (80, 120, 70)),
    ],
}


def _fractal(rng: np.random.Generator, size: tuple[int, int], octaves: int = 5) -> np.ndarray:
    h, w = size
    out = np.zeros((h, w))
    for octave in range(octaves):
        cells = 2 ** (octave + 1)
        grid = rng.random((cells + 1, cells + 1))
        ys = np.linspace(0, cells, h)
        xs = np.linspace(0, cells, w)
        y0 = np.minimum(ys.astype(int), cells - 1)
        x0 = np.minimum(xs.astype(int), cells - 1)
        ty = (ys - y0)[:, None]
        tx = (xs - x0)[None, :]
        ty = ty * ty * (3 - 2 * ty)
        tx = tx * tx * (3 - 2 * tx)
        a = grid[np.ix_(y0, x0)]
        b = grid[np.ix_(y0, x0 + 1)]
        c = grid[np.ix_(y0 + 1, x0)]
        d = grid[np.ix_(y0 + 1, x0 + 1)]
        out += (
            a * (1 - tx) * (1 - ty) + b * tx * (1 - ty) + c * (1 - tx) * ty + d * tx * ty
        ) / 2**octave
    out -= out.min()
    return out / max(out.max(), 1e-9)


def render_scene(theme: str, seed: int, size: tuple[int, int] = (128, 128)) -> np.ndarray:
    """A seeded RGB scene (H x W x 3, uint8) coloured with the theme's palette."""
    rng = np.random.default_rng(seed)
    field = _fractal(rng, size)
    if theme in ("agriculture", "urban"):
        h, w = size
        blocks = rng.random((h // 16 + 1, w // 16 + 1))
        field = 0.5 * field + 0.5 * np.kron(blocks, np.ones((16, 16)))[:h, :w]
    stops = _PALETTES.get(theme, _PALETTES["delta"])
    positions = np.array([p for p, _ in stops])
    colours = np.array([c for _, c in stops], dtype=float)
    rgb = np.stack([np.interp(field, positions, colours[:, k]) for k in range(3)], axis=-1)
    return np.clip(rgb, 0, 255).astype(np.uint8)


def write_png(array: np.ndarray, path: Path) -> None:
    """Write an RGB array as PNG (deterministic bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, format="PNG", optimize=True)


def write_thumbnail(array: np.ndarray, path: Path, size: int = 256) -> None:
    """Write a JPEG thumbnail of an RGB array, its longer side ``size`` pixels.

    256 px reads well in STAC Browser's Item view; the demo's scenes are smaller, so they are
    scaled up. JPEG keeps 72 of them near 0.3 MB (PNG would add about 2 MB to the demo).
    """
    image = Image.fromarray(array)
    scale = size / max(image.size)
    image = image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="JPEG", quality=85, optimize=True)


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS84 UTM zone CRS of a point."""
    zone = int(math.floor((lon + 180) / 6) % 60) + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def write_cog(array: np.ndarray, path: Path, lon: float, lat: float, gsd: float) -> dict[str, Any]:
    """Write an RGB array as a Cloud-Optimized GeoTIFF centred on (lon, lat) in its UTM zone.

    Returns:
        The chip's WGS84 footprint (GeoJSON Polygon of the four corners) and ``proj:*`` fields.
    """
    crs = utm_crs(lon, lat)
    to_utm = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    to_wgs = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    cx, cy = to_utm.transform(lon, lat)
    h, w = array.shape[:2]
    west = float(round(cx - w * gsd / 2))
    north = float(round(cy + h * gsd / 2))
    transform = from_origin(west, north, gsd, gsd)
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "COG",
        "height": h,
        "width": w,
        "count": 3,
        "dtype": "uint8",
        "crs": crs,
        "transform": transform,
        "compress": "DEFLATE",
        "predictor": 2,
        "blocksize": 128,
        "overview_resampling": "average",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.moveaxis(array, -1, 0))
        dst.update_tags(1, name="red")
        dst.update_tags(2, name="green")
        dst.update_tags(3, name="blue")
    east, south = west + w * gsd, north - h * gsd
    corners = [(west, north), (west, south), (east, south), (east, north)]  # counter-clockwise
    ring = [list(to_wgs.transform(x, y)) for x, y in corners]
    ring.append(ring[0])
    return {
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]],
        },
        "proj": {
            "proj:code": f"EPSG:{crs.to_epsg()}",
            "proj:shape": [h, w],
            "proj:transform": [
                transform.a,
                transform.b,
                transform.c,
                transform.d,
                transform.e,
                transform.f,
            ],
            "proj:bbox": [west, south, east, north],
        },
    }
