"""Rule values as typed in a table cell, and back: "SaaS, Fintech", "200, 4999", "5000".

An unchanged cell must give back the exact stored value, so the text form is canonical
(items joined by ", ") and the parser reads numbers as int when they have no decimals.
"""

from __future__ import annotations

import math
import re

from domain.definitions.definition import Scalar, is_iso_date

_DATE = r"(\d{4}-\d{2}-\d{2}\S*)"
_DATE_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:,|to|\.\.|–|—)\s*{_DATE}\s*$")
_RANGE = re.compile(r"^\s*(-?[\d.]+)\s*(?:,|to|–|—|-|\.\.)\s*(-?[\d.]+)\s*$")


class RowProblem(ValueError):
    """Why one row is not a valid rule, in words for the people editing it."""


def format_value(value: Scalar | tuple[Scalar, ...]) -> str:
    """A rule value as typed in a cell: "SaaS, Fintech", "200, 4999", "5000"."""
    if isinstance(value, tuple):
        return ", ".join(_scalar_text(v) for v in value)
    return _scalar_text(value)


def parse_value(text: object, operator: str) -> Scalar | tuple[Scalar, ...]:
    """A typed cell as the value `operator` needs, or RowProblem saying what is wrong."""
    raw = "" if is_missing(text) else str(text).strip()
    if operator in ("in", "not_in"):
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise RowProblem(f"'{_op(operator)}' needs values separated by commas")
        return tuple(_scalar(item) for item in items)
    dates = _DATE_RANGE.match(raw)
    if operator == "between" and dates and all(is_iso_date(d) for d in dates.groups()):
        low_date, high_date = dates.groups()
        if low_date > high_date:
            raise RowProblem(f"'between' needs low <= high, got {raw}")
        return (low_date, high_date)
    if operator in (">=", "<=", "<") and is_iso_date(raw):
        return raw
    if operator == "between":
        match = _RANGE.match(raw)
        numbers = [number_or_none(g) for g in match.groups()] if match else []
        if len(numbers) != 2 or None in numbers:
            raise RowProblem("'between' needs two numbers (or two dates): low, high")
        low, high = numbers
        if low > high:  # type: ignore[operator]
            raise RowProblem(f"'between' needs low <= high, got {raw}")
        return (low, high)  # type: ignore[return-value]
    if operator in (">=", "<=", "<"):
        value = number_or_none(raw)
        if value is None:
            raise RowProblem(f"'{operator}' needs a number, got '{raw}' (or a date: 2024-01-31)")
        return value
    if not raw:
        raise RowProblem(f"'{_op(operator)}' needs a value")
    return raw if operator in ("contains", "endswith") else _scalar(raw)


def number_or_none(text: str) -> int | float | None:
    cleaned = text.strip().replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _scalar(text: str) -> Scalar:
    lowered = text.casefold()
    if lowered in ("true", "false"):
        return lowered == "true"
    number = number_or_none(text)
    return text if number is None else number


def _scalar_text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_missing(value: object) -> bool:
    """None or NaN: an empty cell."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _op(operator: str) -> str:
    return operator.replace("_", " ")


def cell_text(value: object) -> str:
    """A cell as stripped text; empty for a missing cell (None or NaN)."""
    return "" if is_missing(value) else str(value).strip()
