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

# Strata must hold a few items each to be balanced: continents x decades for the 72-item demo
# (on the 41,030-item GAIA catalog, spatial="h3:2", temporal="year").
strata = {"spatial": "continent", "temporal": "decade"}
frame = gaia_geo.read_catalog(source)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", BalanceWarning)  # a tiny demo cannot fill every stratum
    subset = gaia_geo.balance(frame, n=min(36, len(frame)), **strata)
    subset = gaia_geo.split(subset, fractions=(0.6, 0.2, 0.2), block="h3:2", seed=0)
# before = the whole catalog, after = the subset, measured on the strata that were balanced
print(gaia_geo.balance_report(frame, subset, **strata))
gaia_geo.write_catalog(
    gaia_geo.to_items(subset), target, title="Balanced demo", description="examples/02_balance.py"
)
print(f"wrote {target / 'catalog.json'} ({len(subset)} items)")
