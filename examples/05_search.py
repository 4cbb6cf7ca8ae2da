"""Search a catalog in process and through a local STAC API; print STAC Browser links."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import pystac_client
import uvicorn

import gaia_geo
from gaia_geo.explore import create_api_app, make_catalog_server

catalog = Path(sys.argv[1] if len(sys.argv) > 1 else "catalogs/demo")

frame = gaia_geo.search(catalog, text="glacier", datetime="1990-01-01T00:00:00Z/..")
print(f"in process: {len(frame)} glacier items")
print(frame[["id", "title"]].to_string(index=False))

server = make_catalog_server(catalog.parent, port=0)
server.serve_in_thread()
for url in server.catalog_urls():
    print("STAC Browser:", gaia_geo.explore.stac_browser_url(url))

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
api = uvicorn.Server(
    uvicorn.Config(create_api_app(catalog), host="127.0.0.1", port=port, log_level="warning")
)
thread = threading.Thread(target=api.run, daemon=True)
thread.start()
while not api.started:
    time.sleep(0.05)
client = pystac_client.Client.open(f"http://127.0.0.1:{port}/")
hits = client.search(filter="\"gaia:caption_text\" LIKE '%glacier%' AND gsd < 30")
print("STAC API, glacier and gsd < 30:", sorted(item.id for item in hits.items()))
api.should_exit = True
thread.join()
server.shutdown()
server.server_close()
