"""The tables shipped in ``gaia_geo/collect/data/`` (gazetteer, names, regions), read as rows.

One reader for the package's CSV files, so each table's module only says what it keeps of a row.
"""

from __future__ import annotations

import csv
from importlib import resources


def data_rows(name: str) -> list[dict[str, str]]:
    """The rows of the packaged table ``data/<name>`` (a CSV with a header line), in order."""
    table = resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(table.splitlines()))
