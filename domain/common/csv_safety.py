"""CSV cells a spreadsheet would run as formulas, neutralised on export and restored on import.

OWASP's CSV-injection advice: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return is prefixed with a single quote, so Excel or Sheets shows it as text instead of
running `=HYPERLINK(...)` or `+cmd|' /C calc'!A0`. Numbers stay numbers: numeric columns
are left alone, and so is text that is a plain number ("-12.5", "+3"), which no spreadsheet
runs. Baton's importer strips exactly this guard, so an export re-imports to its values.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def guard_cell(value: Any) -> Any:
    """`value` safe for a spreadsheet: formula-like text gets the leading quote.

    Text that already starts with quotes before a formula ("'=x") gets one more, so that
    `unguard_cell` gives back exactly what was exported.
    """
    if isinstance(value, str) and needs_guard(value.lstrip(GUARD)):
        return GUARD + value
    return value


def unguard_cell(value: Any) -> Any:
    """The inverse of `guard_cell` (other text, quotes included, is left as it is)."""
    if isinstance(value, str) and value.startswith(GUARD) and needs_guard(value.lstrip(GUARD)):
        return value[1:]
    return value


def guard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are guarded; numbers, dates and booleans are untouched."""
    out = _map_text(frame, (*FORMULA_STARTS, GUARD), guard_cell)
    out.columns = [guard_cell(c) for c in out.columns]
    return out


def unguard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells read from a CSV with the export guard removed (the frame's text columns)."""
    return _map_text(frame, (GUARD,), unguard_cell)


def _map_text(frame: pd.DataFrame, starts: tuple[str, ...], cell: Any) -> pd.DataFrame:
    # Only the few cells that start with a telltale character pay for the Python call.
    out = frame.copy()
    for index in range(out.shape[1]):
        series = out.iloc[:, index]
        if not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
            continue
        try:
            hits = series.str.startswith(starts, na=False).astype(bool)
        except AttributeError:  # an object column without text (dates, mixed numbers)
            continue
        if hits.any():
            out.iloc[:, index] = series.where(~hits, series[hits].map(cell))
    return out


def safe_csv(frame: pd.DataFrame, **options: Any) -> str:
    """`frame.to_csv(index=False, **options)` with formula cells neutralised."""
    return str(guard_frame(frame).to_csv(index=False, **options))
