"""Balance a catalog over space and time, split it without leaking places, write the result.

python examples/02_balance.py [catalogs/demo] [catalogs/demo-balanced]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import gaia_geo
from gaia_geo.balance import BalanceWarning

source = Path(sys.argv[1] if len(sys.argv) > 1 else "catalogs/demo")
target = Path(sys.argv[2] if len(sys.argv) > 2 else "catalogs/demo-balanced")

frame = gaia_geo.read_catalog(source)
print("before:", gaia_geo.balance_report(frame))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", BalanceWarning)  # a tiny demo cannot fill every stratum
    subset = gaia_geo.balance(frame, n=min(40, len(frame)), spatial="h3:1", temporal="decade")
    subset = gaia_geo.split(subset, fractions=(0.6, 0.2, 0.2), block="h3:2", seed=0)
print("after:", gaia_geo.balance_report(subset))
gaia_geo.write_catalog(
    gaia_geo.to_items(subset), target, title="Balanced demo", description="examples/02_balance.py"
)
print(f"wrote {target / 'catalog.json'} ({len(subset)} items)")
