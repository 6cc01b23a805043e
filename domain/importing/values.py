"""Vectorised parsing of CSV text into typed values: one pandas pass per column, not per row.

Every parser takes a Series of strings ("" or NaN means missing) and returns a `Parsed`:
the typed values (missing where blank or bad) and a mask of the cells that were not blank
but could not be read, with the reason to report for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.importing.formats import date_order_masks

TRUE_WORDS = ("1", "yes", "y", "true", "t")
FALSE_WORDS = ("0", "no", "n", "false", "f")

# Tried in order on the cells the previous layouts could not read. ISO 8601 covers dates
# with or without time, "T" or space, fractions and zones ("2024-01-15 09:30:00+01:00").
_SLASH_US = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
)
_SLASH_EU = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M", "%d/%m/%y")
# Two-digit years: 00-29 are 2000-2029, 30-99 are 1930-1999 (the spreadsheet pivot, not
# Python's %y, which reads 30-68 as 2030-2068: birth dates in the future).
PIVOT_YEAR = 30
# What a datetime64[ns] column can hold; "9999-12-31" ("no end date") is outside.
_EARLIEST, _LATEST = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
_OTHER_LAYOUTS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",  # German-style exports
    "%d-%b-%Y",
    "%b %d, %Y",
    "%b %d, %Y %I:%M %p",
)
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_CURRENCY = re.compile(r"R\$|[$€£¥₹]|\b(?:USD|EUR|GBP|BRL|JPY|INR|CHF|CAD|AUD)\b")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DOT_DECIMAL = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[-+]?\.\d+$")
_COMMA_DECIMAL = re.compile(r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")


@dataclass(frozen=True)
class Parsed:
    """Typed values, the mask of unreadable cells, and why they could not be read."""

    values: pd.Series
    bad: pd.Series
    reason: str
    reasons: pd.Series | None = None
    """Per bad cell, when some have a reason of their own (else `reason` for all)."""


def _stripped(raw: pd.Series) -> pd.Series:
    # Object dtype: converting to pyarrow strings and back costs more than the strip, and
    # a list comprehension strips about twenty times faster than the `.str` accessor.
    values = raw.astype(object)
    try:
        stripped = [cell.strip() for cell in values.tolist()]
    except AttributeError:  # a missing or non-text cell: the accessor's careful path
        return values.str.strip()
    return pd.Series(stripped, index=raw.index, dtype=object, name=raw.name)


def blank_mask(raw: pd.Series) -> pd.Series:
    """Cells with nothing in them (missing, empty or only spaces)."""
    text = _stripped(raw)
    return (text.isna() | (text == "")).astype(bool)


def parse_text(raw: pd.Series) -> Parsed:
    """Text, trimmed; blank becomes missing. Never bad."""
    text = _stripped(raw)
    values = text.where(text.notna() & (text != ""), None)
    return Parsed(values, pd.Series(False, index=raw.index), "")


def parse_bool(
    raw: pd.Series, true_values: tuple[str, ...] = (), false_values: tuple[str, ...] = ()
) -> Parsed:
    """1/0, yes/no, y/n, true/false (any case) plus the mapping's own words."""
    words = {w: True for w in (*TRUE_WORDS, *(v.casefold() for v in true_values))}
    words.update({w: False for w in (*FALSE_WORDS, *(v.casefold() for v in false_values))})
    blank = blank_mask(raw)
    key = raw.astype("string").str.strip().str.casefold()
    values = key.map(words).astype("boolean")
    accepted = sorted({*TRUE_WORDS[1:4], *FALSE_WORDS[1:4], "1", "0"})
    reason = f"not a yes/no value (use {', '.join(accepted)})"
    return Parsed(values.where(~blank), values.isna() & ~blank, reason)


def parse_number(raw: pd.Series, *, decimal_comma: bool = False) -> Parsed:
    """Numbers with thousands separators, currency symbols and percents (12% -> 0.12).

    With `decimal_comma` (semicolon-delimited files) "1.234,5" is 1234.5 and "1,5" is 1.5;
    otherwise "1,234.5" is 1234.5. A value using the other layout unambiguously (both
    separators present) is read too.
    """
    blank = blank_mask(raw)
    text = raw.astype("string").str.strip()
    numbers = pd.Series(np.nan, index=raw.index, dtype="float64")
    if not decimal_comma:  # fast path: most cells are plain numbers
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    todo = numbers.isna() & ~blank
    if todo.any():
        numbers = numbers.fillna(_number_layouts(text.where(todo), decimal_comma))
    numbers = numbers.where(np.isfinite(numbers))
    bad = numbers.isna() & ~blank
    return Parsed(numbers.where(~blank), bad, "not a number")


def _number_layouts(text: pd.Series, decimal_comma: bool) -> pd.Series:
    """Numbers with separators, currencies and percents; NaN where none fits."""
    original = text
    text = text.str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    percent = text.str.endswith("%").fillna(False)
    text = text.str.removesuffix("%")
    dot = text.str.match(_DOT_DECIMAL).fillna(False)
    comma = text.str.match(_COMMA_DECIMAL).fillna(False)
    has_both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    use_comma = (comma & (decimal_comma | has_both)) | (comma & ~dot)
    as_dot = text.str.replace(",", "", regex=False)
    as_comma = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    plain = as_dot.where(~use_comma, as_comma).where(dot | comma)
    numbers = pd.to_numeric(plain, errors="coerce").astype("float64")
    # Scientific notation and the like, which the layouts above do not cover.
    rest = numbers.isna() & original.notna()
    if rest.any():
        numbers = numbers.fillna(pd.to_numeric(text.where(rest), errors="coerce").astype("float64"))
    return numbers.where(~percent, numbers / 100)


def parse_datetime(
    raw: pd.Series, date_format: str | None = None, *, day_first: bool | None = None
) -> Parsed:
    """Dates and times as UTC (naive ones are taken as UTC).

    ISO 8601, CRM layouts ("01/15/2024 09:30", "1/15/2024 9:30 AM", "15.01.2024",
    "23/07/79"), epoch seconds or milliseconds. Slash dates are day first when `day_first`
    (the whole file's verdict, see `domain.importing.profile`), month first when False;
    None lets this column decide (day first when a first number is above 12 and no second
    one is). Two-digit years pivot at PIVOT_YEAR. `date_format` settles everything. A date
    outside 1677-2262 (9999-12-31, 0001-01-01) is bad with its own reason.
    """
    blank = blank_mask(raw)
    text = raw.astype("string").str.strip().where(~blank)
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
    if date_format:
        result = _fill(result, text, date_format)
        reason = f"not a date in the format {date_format}"
    else:
        for layout in _layouts(text, day_first):
            todo = result.isna() & ~blank
            if not todo.any():
                break
            result = _fill(result, text.where(todo), layout)
        reason = "not a date (use ISO 8601 like 2024-01-15 09:30, or set date_format)"
    return _in_range(result, blank, reason)


def _in_range(result: pd.Series, blank: pd.Series, reason: str) -> Parsed:
    outside = result.notna() & ((result < _EARLIEST) | (result > _LATEST))
    values = result.where(~outside).astype("datetime64[ns, UTC]")
    bad = values.isna() & ~blank
    if not outside.any():
        return Parsed(values, bad, reason)
    reasons = pd.Series(reason, index=result.index, dtype=object)
    years = result[outside].dt.year.astype(str)
    outside_note = ", outside the dates Baton stores (1678 to 2261): only this row is rejected"
    reasons[outside] = "a date in the year " + years + outside_note
    return Parsed(values, bad, reason, reasons)


def _fill(result: pd.Series, text: pd.Series, layout: str) -> pd.Series:
    if layout == "epoch":
        digits = text.str.match(_EPOCH).fillna(False)
        if not digits.any():
            return result
        numbers = pd.to_numeric(text.where(digits), errors="coerce")
        millis = numbers.where(text.str.len() == 13, numbers * 1000)
        parsed = pd.to_datetime(millis, unit="ms", utc=True, errors="coerce")
    else:
        parsed = pd.to_datetime(text, format=layout, utc=True, errors="coerce")
        if "%y" in layout:
            parsed = _pivot(parsed)
    return result.fillna(parsed.astype("datetime64[us, UTC]"))


def _pivot(parsed: pd.Series) -> pd.Series:
    """Python reads 69-99 as 19xx and 00-68 as 20xx; move 30-68 back a century."""
    late = parsed.dt.year.between(2000 + PIVOT_YEAR, 2068).fillna(False).astype(bool)
    if not late.any():
        return parsed
    return parsed.where(~late, parsed - pd.DateOffset(years=100))


def _layouts(text: pd.Series, day_first: bool | None) -> Iterator[str]:
    """The layouts to try, in order; the slash ones are only worked out when reached."""
    yield from ("ISO8601", "epoch")
    yield from _slash_layouts(text, day_first)
    yield from _OTHER_LAYOUTS


def _slash_layouts(text: pd.Series, day_first: bool | None) -> tuple[str, ...]:
    if day_first is None:
        day, month = date_order_masks(text)
        day_first = bool(day.any()) and not bool(month.any())
    return _SLASH_EU if day_first else _SLASH_US
