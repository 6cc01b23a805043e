"""Fit rules: which leads match a rule on their attributes (firmographics, title, e-mail...).

Range operators (>=, <=, <, between) with numbers read numbers, also from text that holds
numbers; on a date attribute they read its age in days at the lead's creation (a birth date
12,000 days before the lead came in is ">= 12000"). A two-digit year that would put a date
more than a year after the lead's creation is read as the century before ("79" is 1979, not
2079). With ISO dates as values ("2024-01-31") they compare calendar dates instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from domain.definitions.definition import FitRule, is_iso_date
from domain.engine.frames import NS_PER_DAY


class UnknownAttributeError(KeyError):
    """A rule names an attribute the lead data does not have."""


def fit_mask(leads: pd.DataFrame, rule: FitRule) -> np.ndarray:
    """Boolean per lead: does the lead match the rule? Missing values never match."""
    if rule.attribute not in leads.columns:
        raise UnknownAttributeError(rule.attribute)
    column = leads[rule.attribute]
    op, value = rule.operator, rule.value
    if op in (">=", "<=", "<", "between"):
        return _in_range(leads, rule.attribute, op, value)
    # Matched on each distinct value once, casefolded (columns repeat a few values over
    # many leads), then spread to the leads: text operations on every lead took ~0.1 s
    # per rule at 100,000 leads.
    codes, folded = _folded_values(column)
    present = column.notna().to_numpy()
    if op == "contains":
        return present & _per_lead(folded.str.contains(str(value).casefold(), regex=False), codes)
    if op == "endswith":
        return present & _per_lead(folded.str.endswith(str(value).casefold()), codes)
    values = value if isinstance(value, tuple) else (value,)
    if all(_is_number(v) for v in values):
        numbers = pd.to_numeric(column, errors="coerce")
        matches = numbers.isin([float(v) for v in values]).to_numpy(bool)  # type: ignore[arg-type]
        return present & ~matches if op == "not_in" else matches
    matches = present & _per_lead(folded.isin({str(v).casefold() for v in values}), codes)
    return present & ~matches if op == "not_in" else matches


def _folded_values(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each lead's code into the column's distinct values (-1: missing), and those values
    casefolded without surrounding spaces: categorical and text comparisons ignore both
    ("saas " is SaaS)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, pd.Series(uniques).astype("string").str.strip().str.casefold().fillna("")


def casefolded(column: pd.Series) -> pd.Series:
    """Each lead's value as fit rules compare it: casefolded, stripped, "" where missing."""
    codes, folded = _folded_values(column)
    text = np.append(folded.to_numpy(dtype=object), "")[codes]
    return pd.Series(text, index=column.index, dtype=object)


def _per_lead(matched: pd.Series, codes: np.ndarray) -> np.ndarray:
    """A match per distinct value spread to the leads (a missing value: no match)."""
    return np.append(matched.to_numpy(dtype=bool, na_value=False), False)[codes]


def _in_range(leads: pd.DataFrame, attribute: str, op: str, value: object) -> np.ndarray:
    """Ranges on numbers (on a date column: its age in days, see the module docstring), or
    on calendar dates when the rule's values are ISO dates ("2024-01-31"). Missing: False."""
    column = leads[attribute]
    bounds = value if isinstance(value, tuple) else (value,)
    if all(is_iso_date(v) for v in bounds):
        stamps = pd.to_datetime(column, utc=True, errors="coerce", format="ISO8601")
        points = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype(np.float64)
        points[stamps.isna().to_numpy()] = np.nan
        limits = [float(_utc(str(v)).value) for v in bounds]
    else:
        points = numeric_values(leads, attribute)
        limits = [float(v) for v in bounds]  # type: ignore[arg-type]
    with np.errstate(invalid="ignore"):
        if op == ">=":
            return points >= limits[0]
        if op == "<=":
            return points <= limits[0]
        if op == "<":
            return points < limits[0]
        return (points >= limits[0]) & (points <= limits[1])


def _utc(text: str) -> pd.Timestamp:
    moment = pd.Timestamp(text)
    return moment.tz_convert("UTC").tz_localize(None) if moment.tzinfo else moment


def as_numbers(column: pd.Series) -> np.ndarray:
    """The column as floats, NaN where not a number (text parsed once per distinct value)."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce")
    return np.append(parsed.to_numpy(dtype=np.float64), np.nan)[codes]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Share of a column's non-empty values that must read as dates for it to be a date column.
DATE_SHARE = 0.98
_DAY_FIRST = re.compile(r"^\s*(1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]")
_CENTURY_DAYS = 36_524


def numeric_values(leads: pd.DataFrame, attribute: str) -> np.ndarray:
    """What numeric operators compare: the numbers, or for a date column the age in days."""
    column = leads[attribute]
    dated = pd.api.types.is_datetime64_any_dtype(column) and "created_at" in leads.columns
    if dated and attribute != "created_at":
        return date_ages(column, leads["created_at"])  # type: ignore[return-value]
    numbers = as_numbers(column)
    if np.isnan(numbers).all() and column.notna().any() and "created_at" in leads.columns:
        ages = date_ages(column, leads["created_at"])
        if ages is not None:
            return ages
    return numbers


def date_ages(column: pd.Series, created: pd.Series) -> np.ndarray | None:
    """Days from each date to the lead's creation (NaN where empty); None if not dates."""
    if pd.api.types.is_datetime64_any_dtype(column):
        dates = pd.to_datetime(column, utc=True).to_numpy(dtype="datetime64[ns]")
    else:
        codes, uniques = pd.factorize(column.astype("string").str.strip(), use_na_sentinel=True)
        text = pd.Series(uniques, dtype=object)
        if text.empty:
            return None
        day_first = bool(text.str.match(_DAY_FIRST).any())
        parsed = _parsed_dates(tuple(text), day_first)
        if (~np.isnat(parsed)).mean() < DATE_SHARE:
            return None
        dates = np.append(parsed, np.datetime64("NaT"))[codes]
    born = pd.to_datetime(created, utc=True).to_numpy(dtype="datetime64[ns]")
    ages = (born - dates).astype("timedelta64[ns]").astype(np.int64) / NS_PER_DAY
    missing = np.isnat(dates) | np.isnat(born)
    ages = np.where(missing, np.nan, ages)
    return np.where(ages < -366, ages + _CENTURY_DAYS, ages)


def _parsed_dates(values: tuple[str, ...], day_first: bool) -> np.ndarray:
    """The dates of distinct texts (NaT where not a date); remembered for the last few
    columns of at most `_REMEMBERED_DATES` distinct values, as each range rule on a date
    column reads it again and parsing mixed formats costs seconds on 100,000 leads."""
    if len(values) <= _REMEMBERED_DATES:
        return _remembered_dates(values, day_first)
    return _parse_dates(values, day_first)


def _parse_dates(values: tuple[str, ...], day_first: bool) -> np.ndarray:
    text = pd.Series(values, dtype=object)
    parsed = pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=day_first, utc=True)
    dates = parsed.to_numpy(dtype="datetime64[ns]")
    dates.setflags(write=False)
    return dates


_REMEMBERED_DATES = 50_000
_remembered_dates = lru_cache(maxsize=4)(_parse_dates)
