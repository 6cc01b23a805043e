"""Custom attribute types: inferred from a column's values, or set in the mapping's `types`.

A custom column is a number, a date, a yes/no or text. The type decides how its values
are stored (JSON numbers, ISO dates, JSON booleans, text) and which fit-rule operators the
Definitions page offers. Inference is deliberately cautious, so nothing is misread:

- yes/no: every value is a yes/no word (yes/no, true/false, y/n, t/f, the mapping's own
  words). A 1/0 column is a number (ranges work on it); say "yes/no" to get is yes / is no.
- number: every value reads as a number and none has a leading zero ("0123" is a code:
  text keeps its zero).
- date: every value reads as a date and none is a bare number (epoch seconds stay numbers).
- text: anything else, and a column with no values at all.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from domain.importing.values import (
    FALSE_WORDS,
    TRUE_WORDS,
    Parsed,
    blank_mask,
    parse_bool,
    parse_datetime,
    parse_number,
    parse_text,
)

AttributeType = Literal["number", "date", "yes/no", "text"]
ATTRIBUTE_TYPES: tuple[AttributeType, ...] = ("number", "date", "yes/no", "text")
# Spellings a mapping may use for a type; stored and shown as the canonical name.
_ALIASES: dict[str, AttributeType] = {
    "number": "number",
    "numeric": "number",
    "date": "date",
    "datetime": "date",
    "yes/no": "yes/no",
    "yesno": "yes/no",
    "bool": "yes/no",
    "boolean": "yes/no",
    "text": "text",
    "string": "text",
}
_LEADING_ZERO = re.compile(r"^[-+]?0\d")
_BARE_NUMBER = re.compile(r"^[-+]?[\d.,\s]+$")
_WORDS = tuple(w for w in (*TRUE_WORDS, *FALSE_WORDS) if not w.isdigit())


def attribute_type(name: str) -> AttributeType | None:
    """The canonical type for a spelling in a mapping ("numeric" -> "number"), else None."""
    return _ALIASES.get(name.strip().casefold())


def infer_type(
    raw: pd.Series,
    *,
    decimal_comma: bool = False,
    date_format: str | None = None,
    true_values: tuple[str, ...] = (),
    false_values: tuple[str, ...] = (),
) -> AttributeType:
    """The type of a column of CSV strings (see the module docstring for the rules)."""
    present = raw[~blank_mask(raw)].astype(str).str.strip()
    if present.empty:
        return "text"
    distinct = pd.Series(present.unique())
    words = {*_WORDS, *(v.casefold() for v in (*true_values, *false_values))}
    if distinct.str.casefold().isin(words).all():
        return "yes/no"
    numeric = not parse_number(distinct, decimal_comma=decimal_comma).bad.any()
    if numeric and not distinct.str.match(_LEADING_ZERO).any():
        return "number"
    if not distinct.str.match(_BARE_NUMBER).any() and not (
        parse_datetime(distinct, date_format).bad.any()
    ):
        return "date"
    return "text"


def parse_attribute(
    raw: pd.Series,
    kind: AttributeType,
    *,
    decimal_comma: bool = False,
    date_format: str | None = None,
    true_values: tuple[str, ...] = (),
    false_values: tuple[str, ...] = (),
    day_first: bool | None = None,
) -> Parsed:
    """A custom column's values as stored: floats, ISO date texts, booleans or text.

    Values are plain Python objects (None when blank or unreadable), ready for JSON.
    `day_first` is the whole file's slash-date order for the column (None: unsettled).
    """
    if kind == "text":
        return parse_text(raw)
    if kind == "number":
        parsed = parse_number(raw, decimal_comma=decimal_comma)
        # float64 -> object gives Python floats; None (not NaN) for JSON's null.
        values = parsed.values.to_numpy(dtype=np.float64).astype(object)
        values[np.isnan(parsed.values.to_numpy(dtype=np.float64))] = None
    elif kind == "date":
        iso = _iso_dates(raw) if date_format is None else None
        parsed = iso if iso is not None else parse_datetime(raw, date_format, day_first=day_first)
        naive = parsed.values.dt.tz_localize(None).to_numpy()
        values = np.char.add(np.datetime_as_string(naive, unit="s"), "Z").astype(object)
        values[parsed.values.isna().to_numpy()] = None
    else:
        parsed = parse_bool(raw, true_values, false_values)
        values = parsed.values.to_numpy(dtype=object, na_value=None)
    # Object on purpose: a float Series would turn None back into NaN (not JSON).
    plain = pd.Series(values, index=raw.index, dtype=object)
    return Parsed(plain, parsed.bad, parsed.reason)


def _iso_dates(raw: pd.Series) -> Parsed | None:
    """ISO dates in one vectorised pass (most exports); None when any cell is not ISO, so
    the general parser (slash layouts, epochs...) reads the column instead."""
    blank = blank_mask(raw)
    stamps = pd.to_datetime(raw.where(~blank), format="ISO8601", utc=True, errors="coerce")
    if (stamps.isna() & ~blank).any():
        return None
    return Parsed(stamps, pd.Series(False, index=raw.index), "")


def typed_column(values: pd.Series, kind: str) -> pd.Series:
    """A loaded custom column as its type: float, UTC datetime, nullable boolean or text.

    Values stored before types existed are text ("74"); they are read the same way, and a
    value that does not fit the type is missing (never an error).
    """
    if kind == "number":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "date":
        return pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    if kind == "yes/no":
        words = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
        as_bool = values.map(
            lambda v: v if isinstance(v, bool) else words.get(str(v).strip().casefold())
        )
        return as_bool.where(values.notna(), None).astype("boolean")
    return values.map(_text)


def _text(value: object) -> object:
    # Missing stays missing (NaN, as before types); a number stored under a type that
    # became text reads as it was written ("74", not "74.0").
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if np.isnan(value):
            return value
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
