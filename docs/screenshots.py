"""Screenshot catalogs/demo in STAC Browser v5: `make screenshots` (docs/screenshots.py).

Builds STAC Browser from its release tag with npm into a cache folder outside the repository
(``~/.cache/gaia_geo/stac-browser/<tag>``, nothing of it is committed), serves the build and the
catalogs with ``gaia-geo serve``, and takes headless Chromium screenshots of the root catalog, a
Collection, a COG Item and a place-extent Item into ``docs/stac-browser/``.

Needs git, node/npm (the npm registry) and Chromium (``apt-get install -y chromium``). STAC
Browser v5 is not on npm: its source comes from GitHub (``git clone --branch v5.0.0``), or from a
local clone of radiantearth/stac-browser given with ``--source``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
TAG = "v5.0.0"
UPSTREAM = "https://github.com/radiantearth/stac-browser.git"
#: npm skips this optional dependency of v5.0.0 on some setups, yet the build imports it.
OPTIONAL = "ol-mapbox-style@13.2.1"
#: name -> (window width, height); Items are tall enough to show the captions.
PAGES = {
    "catalog": (1400, 1100),
    "collection": (1400, 1500),
    "item-cog": (1400, 2600),
    "item-place": (1400, 2600),
}


def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


def build_browser(cache: Path, source: Path | None) -> Path:
    """Return STAC Browser's ``dist`` folder, building it first if the cache lacks it."""
    src = cache / TAG
    dist = src / "dist"
    if (dist / "index.html").is_file():
        return dist
    if not (src / "package.json").is_file():
        src.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            src.mkdir(exist_ok=True)
            archive = subprocess.run(
                ["git", "-C", str(source), "archive", TAG], check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        else:
            _run(["git", "clone", "--depth", "1", "--branch", TAG, UPSTREAM, str(src)])
    if not (src / "node_modules").is_dir():
        _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=src)
    name = OPTIONAL.rsplit("@", 1)[0]
    if not (src / "node_modules" / name).is_dir():
        # install it on its own and copy its packages in, keeping the locked tree as it is
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "package.json").write_text('{"name": "optional", "version": "0.0.0"}')
            _run(["npm", "install", "--no-audit", "--no-fund", "--omit=peer", OPTIONAL], Path(tmp))
            for package in Path(tmp, "node_modules").iterdir():
                if not (src / "node_modules" / package.name).exists():
                    shutil.copytree(package, src / "node_modules" / package.name)
    # hash routes: any static server can serve the build
    _run(["npx", "vite", "build"], cwd=src, env={**os.environ, "SB_historyMode": "hash"})
    return dist


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} after {seconds:.0f} s")


def pick_pages(catalog: Path) -> dict[str, str]:
    """The catalog-relative path of each page to screenshot."""
    items = sorted(catalog.glob("train/*/*.json"))
    cog = place = None
    for path in items:
        data = json.loads(path.read_text())
        kind = data["properties"].get("gaia:geometry_kind")
        if cog is None and data["assets"]["image"]["href"].endswith(".tif"):
            cog = path
        if place is None and kind == "place":
            place = path
    if cog is None or place is None:
        raise SystemExit(f"{catalog}/train has no COG Item or no place-extent Item")
    return {
        "catalog": "catalog.json",
        "collection": "train/collection.json",
        "item-cog": cog.relative_to(catalog).as_posix(),
        "item-place": place.relative_to(catalog).as_posix(),
    }


def write_runtime_config(dist: Path, catalog: Path) -> None:
    """Give STAC Browser the proj4 definition of every Item CRS through its runtime config.

    STAC Browser looks ``proj:code`` up on epsg.io; offline that fails and a COG is not drawn.
    """
    from rasterio.crs import CRS

    codes = set()
    for path in catalog.rglob("*.json"):
        data = json.loads(path.read_text())
        if data.get("type") == "Feature" and data["properties"].get("proj:code"):
            codes.add(data["properties"]["proj:code"])
    crs = {
        code: CRS.from_string(code).to_proj4().replace("+no_defs=True", "+no_defs")
        for code in sorted(codes)
    }
    script = f"window.STAC_BROWSER_CONFIG = {json.dumps({'crs': crs})};\n"
    (dist / "runtime-config.js").write_text(script)


def main(argv: list[str] | None = None) -> None:
    """Build STAC Browser, serve the demo and write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=REPO / "catalogs" / "demo")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "stac-browser")
    cache_home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parser.add_argument("--cache", type=Path, default=cache_home / "gaia_geo" / "stac-browser")
    parser.add_argument("--source", type=Path, help="a local git clone of stac-browser")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args(argv)
    catalog = args.catalog.resolve()
    if not (catalog / "catalog.json").is_file():
        raise SystemExit(f"{catalog} has no catalog.json; run `gaia-geo demo` first")
    dist = build_browser(args.cache, args.source)
    pages = pick_pages(catalog)
    write_runtime_config(dist, catalog)
    gaia = str(Path(sys.executable).with_name("gaia-geo"))
    browser_port, catalog_port = _free_port(), _free_port()
    browser_url = f"http://127.0.0.1:{browser_port}/"
    servers = [
        subprocess.Popen([gaia, "serve", str(dist), "--port", str(browser_port)]),
        subprocess.Popen(
            [gaia, "serve", str(catalog.parent), "--port", str(catalog_port)]
            + ["--browser", browser_url]
        ),
    ]
    try:
        _wait_for(browser_port)
        _wait_for(catalog_port)
        args.out.mkdir(parents=True, exist_ok=True)
        for name, path in pages.items():
            width, height = PAGES[name]
            target = f"http:/127.0.0.1:{catalog_port}/{catalog.name}/{path}"
            with tempfile.TemporaryDirectory() as profile:
                _run(
                    [
                        args.chromium,
                        "--headless",
                        "--no-sandbox",
                        "--enable-unsafe-swiftshader",  # software WebGL: the COG layer
                        "--hide-scrollbars",
                        f"--user-data-dir={profile}",
                        f"--window-size={width},{height}",
                        "--virtual-time-budget=25000",
                        f"--screenshot={args.out / f'{name}.png'}",
                        f"{browser_url}#/external/{target}",
                    ]
                )
        for name in pages:  # a 256-colour palette keeps each file near 100 KB in git
            shot = args.out / f"{name}.png"
            with Image.open(shot) as image:
                small = image.convert("RGB").quantize(256, dither=Image.Dither.NONE)
            small.save(shot, optimize=True)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
