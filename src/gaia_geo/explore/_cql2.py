"""Evaluate a CQL2 filter (JSON or text) over a pyarrow Table, vectorised.

The subset is the one a STAC API over stac-geoparquet answers (stac-fastapi-geoparquet, which hands
CQL2 to DuckDB): logical ``and``/``or``/``not``, comparisons ``= <> < <= > >=``, ``like``,
``between``, ``in``, ``isNull``, ``casei``/``lower``, timestamps and dates, and ``s_intersects``
with a bbox or GeoJSON literal. SQL's three-valued logic applies: a comparison with a null value is
unknown and never matches, not even under ``not``. Text filters are parsed with ``cql2`` (cql2-rs,
the parser rustac uses) so both paths read the same language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "MAX_FILTER_CHARS",
    "MAX_FILTER_DEPTH",
    "check_finite",
    "evaluate_filter",
    "parse_filter",
    "to_flat_dnf",
]

#: Longest CQL2 text accepted (characters); a real filter is a few hundred.
MAX_FILTER_CHARS = 20_000
#: Deepest nesting accepted (parentheses in text, objects and arrays in JSON). cql2's parser
#: overflows its stack (a segmentation fault, the whole process gone) near 2,000 parentheses.
MAX_FILTER_DEPTH = 64

Value = Any  # a pyarrow Array, ChunkedArray or Scalar, or a Python literal

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": pc.equal,
    "<>": pc.not_equal,
    "!=": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}


def parse_filter(filter: str | Mapping[str, Any]) -> dict[str, Any]:  # noqa: A002 (STAC name)
    """Return CQL2-JSON for a CQL2-text string or a CQL2-JSON mapping.

    Raises:
        ValueError: the filter does not parse (the message says where), is longer than
            :data:`MAX_FILTER_CHARS`, nests deeper than :data:`MAX_FILTER_DEPTH`, or holds a
            number that is not finite (``1e999``, ``NaN``).
    """
    if isinstance(filter, Mapping):
        expression = dict(filter)
        check_finite(expression, "the filter")
        return expression
    if not isinstance(filter, str):
        raise TypeError(f"filter must be CQL2 text or CQL2-JSON, got {type(filter).__name__}")
    if len(filter) > MAX_FILTER_CHARS:
        raise ValueError(
            f"the filter is too long ({len(filter)} characters > {MAX_FILTER_CHARS}); simplify it"
        )
    depth = deepest = 0
    for char in filter:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_FILTER_DEPTH:
        raise ValueError(
            f"the filter nests {deepest} parentheses deep (> {MAX_FILTER_DEPTH}); simplify it"
        )
    import cql2

    try:
        parsed = cql2.parse_text(filter).to_json()
    except Exception as err:  # cql2 raises its own ParseError/ValueError types
        raise ValueError(f"cannot parse CQL2 text filter {filter!r}: {err}") from err
    expression = dict(parsed)
    check_finite(expression, "the filter")
    return expression


def check_finite(value: Any, what: str, depth: int = 0) -> None:
    """Raise ValueError when ``value`` holds a non-finite number or nests too deep.

    Args:
        value: parsed JSON (CQL2-JSON, a GeoJSON geometry, a search body).
        what: how the message names it (``"the filter"``).
        depth: the nesting level of ``value`` (for recursion).

    Raises:
        ValueError: a number is ``inf``, ``-inf`` or ``NaN`` (``1e999`` in JSON or CQL2 text), or
            the value nests deeper than :data:`MAX_FILTER_DEPTH`.
    """
    if depth > MAX_FILTER_DEPTH:
        raise ValueError(f"{what} nests deeper than {MAX_FILTER_DEPTH} levels; simplify it")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(
                f"{what} holds a number that is not finite ({value}); use a finite number"
            )
    elif isinstance(value, Mapping):
        for item in value.values():
            check_finite(item, what, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            check_finite(item, what, depth + 1)


def _timestamp(text: str) -> pa.Scalar:
    stamp = pd.Timestamp(text)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return pa.scalar(int(stamp.value), pa.int64()).cast(pa.timestamp("ns", "UTC"))


class _Evaluator:
    def __init__(
        self,
        table: pa.Table,
        geometry: Callable[[], Any] | None,
    ) -> None:
        self.table = table
        self.geometry = geometry

    def column(self, name: str) -> pa.ChunkedArray:
        if name not in self.table.column_names:
            known = ", ".join(sorted(c for c in self.table.column_names if c != "geometry"))
            raise ValueError(f"filter names unknown property {name!r}; the mirrors have: {known}")
        column = self.table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        return column

    def value(self, node: Any) -> Value:
        if isinstance(node, Mapping):
            if "property" in node:
                return self.column(str(node["property"]))
            if "timestamp" in node:
                return _timestamp(str(node["timestamp"]))
            if "date" in node:
                return _timestamp(str(node["date"]))
            if "op" in node and node["op"] in ("casei", "lower"):
                inner = self.value(node["args"][0])
                if isinstance(inner, str):
                    return inner.lower()
                return pc.utf8_lower(inner)
            if "op" in node:
                return self.predicate(node)
            raise ValueError(f"unsupported CQL2 expression {dict(node)!r}")
        return node

    def _literal_like(self, column: Value, literal: Any) -> Any:
        """Cast a literal to the column's type (strings compared with timestamps)."""
        if isinstance(literal, str) and isinstance(column, pa.ChunkedArray | pa.Array):
            if pa.types.is_timestamp(column.type):
                return _timestamp(literal)
        return literal

    def _pair(self, args: list[Any]) -> tuple[Value, Value]:
        left, right = (self.value(a) for a in args[:2])
        right = self._literal_like(left, right)
        left = self._literal_like(right, left)
        for side in (left, right):
            if isinstance(side, pa.ChunkedArray | pa.Array) and pa.types.is_list(side.type):
                raise ValueError(
                    "CQL2 comparisons on list properties (e.g. gaia:captions) are not supported; "
                    "use the 'gaia:caption_text' property or text= for caption text"
                )
        return left, _ns(right)

    def predicate(self, node: Mapping[str, Any]) -> Any:
        op = str(node.get("op", "")).lower()
        args = list(node.get("args", []))
        if op == "and":
            out = self.predicate(args[0])
            for arg in args[1:]:
                out = pc.and_kleene(out, self.predicate(arg))
            return out
        if op == "or":
            out = self.predicate(args[0])
            for arg in args[1:]:
                out = pc.or_kleene(out, self.predicate(arg))
            return out
        if op == "not":
            return pc.invert(self.predicate(args[0]))
        if op in _COMPARE:
            left, right = self._pair(args)
            return _COMPARE[op](_ns(left), right)
        if op == "like":
            left, right = self._pair(args)
            if not isinstance(right, str):
                raise ValueError(f"LIKE needs a text pattern, got {right!r}")
            return pc.match_like(left, right)
        if op == "between":
            column = _ns(self.value(args[0]))
            low = _ns(self._literal_like(column, self.value(args[1])))
            high = _ns(self._literal_like(column, self.value(args[2])))
            return pc.and_kleene(pc.greater_equal(column, low), pc.less_equal(column, high))
        if op == "in":
            column = self.value(args[0])
            values = [self._literal_like(column, v) for v in args[1]]
            column = _ns(column)
            out = pc.equal(column, _ns(values[0])) if values else pa.scalar(False)
            for value in values[1:]:
                out = pc.or_kleene(out, pc.equal(column, _ns(value)))
            return out
        if op == "isnull":
            return pc.is_null(self.value(args[0]))
        if op in ("s_intersects", "intersects"):
            return self.intersects(args)
        raise ValueError(
            f"CQL2 operator {op!r} is not supported here; use =, <>, <, <=, >, >=, like, between, "
            "in, isNull, and, or, not, casei, s_intersects"
        )

    def intersects(self, args: list[Any]) -> Any:
        import shapely

        literal = args[1] if isinstance(args[0], Mapping) and "property" in args[0] else args[0]
        if isinstance(literal, Mapping) and "bbox" in literal:
            bbox = [float(v) for v in literal["bbox"]]
            shape = shapely.box(
                *(bbox[:2] + bbox[-2:] if len(bbox) == 4 else bbox[0:2] + bbox[3:5])
            )
        else:
            shape = shapely.geometry.shape(literal)
        if self.geometry is None:
            raise ValueError("s_intersects needs the geometry column")
        return pa.array(shapely.intersects(self.geometry(), shape))


def _ns(value: Any) -> Any:
    """Compare timestamps at one unit (the mirrors store ms, literals carry ns)."""
    if isinstance(value, pa.ChunkedArray | pa.Array) and pa.types.is_timestamp(value.type):
        return value.cast(pa.timestamp("ns", "UTC"))
    return value


def evaluate_filter(
    table: pa.Table,
    filter: str | Mapping[str, Any],  # noqa: A002 (STAC name)
    geometry: Callable[[], Any] | None = None,
) -> np.ndarray:
    """Return the boolean mask of the rows of ``table`` that match a CQL2 filter.

    Args:
        table: one row per item, properties as columns (stac-geoparquet layout).
        filter: CQL2 text (``"gsd < 30 AND platform = 'landsat-8'"``) or CQL2-JSON.
        geometry: a callable returning the rows' shapely geometries (for ``s_intersects``).

    Returns:
        A numpy bool array, one per row; unknown (null) results are ``False``.
    """
    expression = parse_filter(filter)
    result = _Evaluator(table, geometry).predicate(expression)
    if isinstance(result, pa.Scalar):
        return np.full(table.num_rows, bool(result.as_py()), dtype=bool)
    filled = pc.fill_null(result, False)
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


_Literal = dict[str, Any]


def _nnf(node: Any, negate: bool = False) -> Any:
    """Push ``not`` down to the comparisons (De Morgan holds in SQL's three-valued logic)."""
    op = str(node.get("op", "")).lower() if isinstance(node, Mapping) else ""
    if op == "not":
        return _nnf(node["args"][0], not negate)
    if op in ("and", "or"):
        flipped = {"and": "or", "or": "and"}[op] if negate else op
        return {"op": flipped, "args": [_nnf(a, negate) for a in node["args"]]}
    return {"op": "not", "args": [node]} if negate else node


def _dnf(node: Any) -> list[list[_Literal]]:
    op = str(node.get("op", "")).lower() if isinstance(node, Mapping) else ""
    if op == "or":
        return [conj for arg in node["args"] for conj in _dnf(arg)]
    if op == "and":
        out: list[list[_Literal]] = [[]]
        for arg in node["args"]:
            out = [left + right for left in out for right in _dnf(arg)]
        return out
    return [[node]]


def to_flat_dnf(expression: Mapping[str, Any], max_terms: int = 256) -> dict[str, Any]:
    """Rewrite CQL2-JSON as an OR of ANDs of comparisons, which needs no parentheses.

    rustac 0.9.9 renders CQL2 to SQL without parentheses, so ``(a OR b) AND c`` runs as
    ``a OR (b AND c)`` and ``NOT (a AND b)`` as ``(NOT a) AND b``. In disjunctive normal form, with
    ``not`` only in front of single comparisons, SQL's own precedence (NOT > AND > OR) gives the
    intended meaning.

    Raises:
        ValueError: the filter expands to more than ``max_terms`` conjunctions.
    """
    terms = _dnf(_nnf(dict(expression)))
    if len(terms) > max_terms:
        raise ValueError(
            f"the filter expands to {len(terms)} OR terms (> {max_terms}); simplify it"
        )
    ands = [t[0] if len(t) == 1 else {"op": "and", "args": t} for t in terms]
    return ands[0] if len(ands) == 1 else {"op": "or", "args": ands}
