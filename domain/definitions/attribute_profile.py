"""What a fit-rule picker needs to know about one lead attribute: its type, the operators
that make sense for it, and how its values are distributed.

Numbers and dates get ranges (>=, <, between, <=), yes/no gets is yes / is no, text gets
is / in / not in (and contains / ends with). The type comes from the loaded column's
dtype, which the repository sets from the custom attribute registry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.definition import Scalar

RANGE_OPERATORS: tuple[str, ...] = (">=", "<", "between", "<=")
OPERATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "number": RANGE_OPERATORS,
    "date": RANGE_OPERATORS,
    "yes/no": ("is yes", "is no"),
    "text": ("equals", "in", "not_in", "contains", "endswith"),
}
OPERATOR_LABELS = {
    ">=": "at least (>=)",
    "<": "below (<)",
    "between": "between",
    "<=": "at most (<=)",
    "is yes": "is yes",
    "is no": "is no",
    "equals": "is",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "contains",
    "endswith": "ends with",
}
TOP_VALUES = 15
BINS = 20


@dataclass(frozen=True)
class Distribution:
    """Bars to draw: a label and a lead count each; `missing` leads have no value."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    missing: int
    kind: str


def column_type(column: pd.Series) -> str:
    """ "number", "date", "yes/no" or "text", from the loaded column's dtype."""
    if pd.api.types.is_bool_dtype(column):
        return "yes/no"
    if pd.api.types.is_datetime64_any_dtype(column):
        return "date"
    if pd.api.types.is_numeric_dtype(column):
        return "number"
    return "text"


def rule_for(kind: str, choice: str, value: object) -> tuple[str, Scalar | tuple[Scalar, ...]]:
    """The definition's (operator, value) for a picker choice: "is yes" -> ("equals", True),
    dates as ISO texts, numbers as they are."""
    if choice in ("is yes", "is no"):
        return "equals", choice == "is yes"
    if kind == "date":
        value = tuple(_iso(v) for v in value) if isinstance(value, tuple) else _iso(value)
    if isinstance(value, list):
        value = tuple(value)
    return choice, value  # type: ignore[return-value]


def distribution(column: pd.Series, kind: str) -> Distribution:
    """Histogram bins for numbers, months for dates, counts for yes/no, top values for text."""
    present = column.dropna()
    missing = int(len(column) - len(present))
    if present.empty:
        return Distribution((), (), missing, kind)
    if kind == "number":
        return _histogram(present.astype("float64"), missing)
    if kind == "date":
        months = pd.to_datetime(present, utc=True).dt.strftime("%Y-%m")
        counts = months.value_counts().sort_index()
        return _bars(counts, missing, kind)
    if kind == "yes/no":
        counts = present.astype(bool).map({True: "yes", False: "no"}).value_counts()
        return _bars(counts.reindex(["yes", "no"], fill_value=0), missing, kind)
    text = present.astype("string").str.strip()
    counts = text[text != ""].value_counts()
    top = counts.head(TOP_VALUES)
    if len(counts) > TOP_VALUES:
        top = pd.concat([top, pd.Series({f"({len(counts) - TOP_VALUES} other values)": int(
            counts.iloc[TOP_VALUES:].sum())})])  # fmt: skip
    return _bars(top, missing, kind)


def top_values(column: pd.Series, n: int = 50) -> list[str]:
    """The most frequent text values, for picking rule values."""
    text = column.dropna().astype("string").str.strip()
    return [str(v) for v in text[text != ""].value_counts().head(n).index]


def default_range(column: pd.Series) -> tuple[float, float]:
    """The middle half of the values (quartiles): a sensible first range to edit."""
    numbers = pd.to_numeric(column, errors="coerce").dropna()
    if numbers.empty:
        return 0.0, 0.0
    low, high = np.quantile(numbers.to_numpy(dtype=np.float64), [0.25, 0.75])
    return float(low), float(high)


def _histogram(numbers: pd.Series, missing: int) -> Distribution:
    values = numbers.to_numpy(dtype=np.float64)
    bins = min(BINS, max(1, len(np.unique(values))))
    counts, edges = np.histogram(values, bins=bins)
    labels = tuple(f"{_short(a)}–{_short(b)}" for a, b in zip(edges[:-1], edges[1:], strict=True))
    return Distribution(labels, tuple(int(c) for c in counts), missing, "number")


def _bars(counts: pd.Series, missing: int, kind: str) -> Distribution:
    return Distribution(
        tuple(str(i) for i in counts.index), tuple(int(c) for c in counts), missing, kind
    )


def _short(number: float) -> str:
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:.3g}"


def _iso(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")  # type: ignore[arg-type]
