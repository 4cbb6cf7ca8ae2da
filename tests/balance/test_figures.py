from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gaia_geo.balance import render_figures, split
from gaia_geo.balance._figures import SPLIT_COLOURS


def _has_colour(pixels: np.ndarray, hex_colour: str, tolerance: int = 40) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(pixels[..., :3].astype(int) - rgb).sum(axis=-1) < tolerance).any())


@pytest.mark.slow
def test_render_figures_of_demo(demo_catalog: Path, tmp_path: Path) -> None:
    paths = render_figures(demo_catalog, tmp_path / "figs", spatial="h3:1")
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [
            "splits_map.png",
            "density.png",
            "years.png",
            "sensors.png",
            "resolution.png",
            "balance.png",
        ]
    )
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width >= 600 and image.height >= 300
            pixels = np.asarray(image.convert("RGB"))
        assert pixels.std() > 10  # not blank
    with Image.open(tmp_path / "figs" / "splits_map.png") as image:
        pixels = np.asarray(image.convert("RGB"))
    for name in ("train", "validate", "test"):
        assert _has_colour(pixels, SPLIT_COLOURS[name]), name


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:split. .* Items have no location")  # placeless fixture Items
def test_split_map_colours_follow_the_split(items, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    only_train = split(items, (1.0, 0.0, 0.0), block="h3:2")
    render_figures(only_train, tmp_path, spatial="h3:0", temporal="decade")
    with Image.open(tmp_path / "splits_map.png") as image:
        pixels = np.asarray(image.convert("RGB"))
    assert _has_colour(pixels, SPLIT_COLOURS["train"])
    assert not _has_colour(pixels, SPLIT_COLOURS["test"], tolerance=20)
