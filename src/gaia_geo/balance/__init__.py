"""Balance: stratified sampling over space and time, balance metrics, leak-free splits, figures.

``gaia_geo.balance`` names both this package and its main function. Python's import system sets
``gaia_geo.balance`` to the package whenever the package is imported first (``import
gaia_geo.balance._strata``), which would hide the function; so the package module is made
callable and calling it calls :func:`balance`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from ._dask_gather import light_frame
from ._figures import (
    plot_balance,
    plot_categories,
    plot_density,
    plot_split_map,
    plot_years,
    render_figures,
)
from ._frame import BalanceWarning
from ._locations import sample_locations
from ._metrics import AxisStats, BalanceReport, balance_report
from ._outofcore import balance_parquet, read_rows, strata_frame
from ._sample import balance
from ._split import block_distance_km, split

__all__ = [
    "AxisStats",
    "BalanceReport",
    "BalanceWarning",
    "balance",
    "balance_parquet",
    "balance_report",
    "block_distance_km",
    "light_frame",
    "plot_balance",
    "plot_categories",
    "plot_density",
    "plot_split_map",
    "plot_years",
    "read_rows",
    "render_figures",
    "sample_locations",
    "split",
    "strata_frame",
]


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return balance(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
