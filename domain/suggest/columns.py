"""What kind of values an attribute holds, read from the values themselves.

Custom attributes may arrive as text ("1087", "Yes"), so the suggestion does not trust the
stored type alone: a column is numeric when its values are numbers or when (nearly) all of
its non-empty values parse as numbers, yes/no when its values are a yes/no vocabulary, and
text otherwise. Kinds are remembered per model (the leads of a model never change).
"""

from __future__ import annotations

import weakref
from typing import Literal

import numpy as np
import pandas as pd

from domain.engine.fit import DATE_SHARE, numeric_values
from domain.engine.scoring import ScoringModel

ColumnKind = Literal["number", "yesno", "date", "text"]
YES = frozenset({"yes", "y", "true", "t", "1", "1.0"})
NO = frozenset({"no", "n", "false", "f", "0", "0.0"})
# Share of non-empty values that must parse as numbers for a text column to be numeric.
NUMERIC_SHARE = 0.98
SAMPLE_VALUES = 200
_NUMBERS: weakref.WeakKeyDictionary[ScoringModel, dict[str, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)
_KINDS: weakref.WeakKeyDictionary[ScoringModel, dict[str, ColumnKind]] = weakref.WeakKeyDictionary()


def column_kind(model: ScoringModel, attribute: str) -> ColumnKind:
    """The kind of `attribute` among the model's leads (computed once per model)."""
    kinds = _KINDS.setdefault(model, {})
    if attribute not in kinds:
        column = model.leads[attribute]
        kind = kind_of(column)
        if kind == "text" and _looks_like_dates(column):
            kind = "date"
        kinds[attribute] = kind
    return kinds[attribute]


def _looks_like_dates(column: pd.Series) -> bool:
    """Whether the column holds dates (a sample of its distinct values first: quick no)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    distinct = column.dropna().astype("string").str.strip().drop_duplicates()
    if distinct.empty:
        return False
    sample = distinct.sample(min(SAMPLE_VALUES, distinct.size), random_state=0)
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed", utc=True)
    return bool(parsed.notna().mean() >= DATE_SHARE)


def kind_of(column: pd.Series) -> ColumnKind:
    """number, yesno or text, from the non-empty values of `column`."""
    present = column.dropna()
    if pd.api.types.is_bool_dtype(column):
        return "yesno"
    if pd.api.types.is_numeric_dtype(column):
        return "yesno" if set(present.unique()) <= {0, 1} and present.nunique() == 2 else "number"
    counts = folded_counts(present)
    if counts.empty:
        return "text"
    distinct = set(counts.index)
    if len(distinct) == 2 and distinct <= YES | NO and distinct & YES and distinct & NO:
        return "yesno"
    parsed = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce").to_numpy()
    if counts.to_numpy()[~np.isnan(parsed.astype(float))].sum() >= NUMERIC_SHARE * counts.sum():
        return "yesno" if set(parsed[~np.isnan(parsed)]) == {0.0, 1.0} else "number"
    return "text"


def folded_counts(values: pd.Series) -> pd.Series:
    """Leads per non-empty value, stripped and case-folded (each distinct value folded once:
    columns repeat a few values over many leads)."""
    raw = values.value_counts(dropna=True)
    keys = pd.Series(raw.index, dtype=object).astype("string").str.strip().str.casefold()
    counts = pd.Series(raw.to_numpy(), index=keys.to_numpy(dtype=object)).groupby(level=0).sum()
    return counts[counts.index != ""].sort_values(ascending=False, kind="stable")


def numbers(model: ScoringModel, attribute: str) -> np.ndarray:
    """What numeric fit rules compare: the numbers, or a date's age in days at creation
    (read once per model; treat as read-only)."""
    read = _NUMBERS.setdefault(model, {})
    if attribute not in read:
        read[attribute] = numeric_values(model.leads, attribute)
    return read[attribute]


def yes_value(column: pd.Series) -> str | int | float | bool | None:
    """The value of a yes/no column that means yes, as stored (first spelling seen)."""
    present = column.dropna()
    if pd.api.types.is_bool_dtype(column):
        return True
    if pd.api.types.is_numeric_dtype(column):
        return 1
    text = present.astype("string").str.strip()
    keys = text.str.casefold()
    hits = text[keys.isin(YES)]
    return None if hits.empty else str(hits.iloc[0])
