"""Fit rules: which leads match a rule on their attributes (firmographics, title, e-mail...)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from domain.definition import FitRule


class UnknownAttributeError(KeyError):
    """A rule names an attribute the lead data does not have."""


def fit_mask(leads: pd.DataFrame, rule: FitRule) -> np.ndarray:
    """Boolean per lead: does the lead match the rule? Missing values never match."""
    if rule.attribute not in leads.columns:
        raise UnknownAttributeError(rule.attribute)
    column = leads[rule.attribute]
    op, value = rule.operator, rule.value
    if op in (">=", "<=", "between"):
        numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
        with np.errstate(invalid="ignore"):
            if op == ">=":
                return numbers >= float(value)  # type: ignore[arg-type]
            if op == "<=":
                return numbers <= float(value)  # type: ignore[arg-type]
            low, high = (float(v) for v in value)  # type: ignore[union-attr]
            return (numbers >= low) & (numbers <= high)
    text = _casefolded(column)
    present = column.notna().to_numpy()
    if op == "contains":
        return present & text.str.contains(str(value).casefold(), regex=False).to_numpy(bool)
    if op == "endswith":
        return present & text.str.endswith(str(value).casefold()).to_numpy(bool)
    values = value if isinstance(value, tuple) else (value,)
    if all(_is_number(v) for v in values):
        numbers = pd.to_numeric(column, errors="coerce")
        matches = numbers.isin([float(v) for v in values]).to_numpy(bool)  # type: ignore[arg-type]
        return present & ~matches if op == "not_in" else matches
    matches = present & text.isin({str(v).casefold() for v in values}).to_numpy(bool)
    return present & ~matches if op == "not_in" else matches


def _casefolded(column: pd.Series) -> pd.Series:
    # Categorical and text comparisons ignore case and surrounding spaces: "saas " is SaaS.
    text = column.astype("string").str.strip().str.casefold()
    return text.fillna("")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
