"""How every count and percentage reads, one rule for the whole app.

- Counts carry thousands separators: "1,328", never "1328" beside "1,328".
- Percentages, shares and rates alike, carry one decimal: "34.0%", "7.5%", never "34%"
  beside "17.19%". Axis tick labels are a scale, not a figure, and may stay whole ("20%").

Text built in Python uses `count` / `percent`; Plotly templates and Streamlit column
configs use the format strings below, which print the same way.
"""

from __future__ import annotations

import math

PERCENT_DECIMALS = 1
MISSING = "—"
# Plotly (d3-format) templates: "%{y:" + D3_COUNT + "}" for counts, D3_PERCENT for fractions.
D3_COUNT = ",.0f"
D3_PERCENT = f".{PERCENT_DECIMALS}%"
# Plotly value already in percent units (0-100), e.g. "%{y:.1f}%".
D3_PERCENT_POINTS = f".{PERCENT_DECIMALS}f"
# Streamlit NumberColumn / ProgressColumn formats: counts, and values already in 0-100.
COLUMN_COUNT = "localized"
COLUMN_PERCENT_POINTS = f"%.{PERCENT_DECIMALS}f%%"
# Streamlit's "percent" format on fractions takes its precision from the column's step:
# 0.001 is one decimal once scaled to percent ("17.2%").
FRACTION_STEP = 10.0 ** -(PERCENT_DECIMALS + 2)


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: float | int | None) -> str:
    """A whole number of things with thousands separators ("1,328"); "—" when unknown."""
    if _missing(value):
        return MISSING
    return f"{round(float(value)):,}"  # type: ignore[arg-type]


def signed_count(value: float | int | None) -> str:
    """A change in a count, signed when not zero ("+1,328", "-3", "0"); "—" when unknown."""
    if _missing(value):
        return MISSING
    whole = round(float(value))  # type: ignore[arg-type]
    return f"{whole:+,}" if whole else "0"


def number(value: float | int | None) -> str:
    """An attribute's value: whole numbers as counts, others to two decimals at most
    ("1,234.5", never "1.23e+03")."""
    if _missing(value):
        return MISSING
    shown = float(value)  # type: ignore[arg-type]
    if shown.is_integer():
        return count(shown)
    return f"{shown:,.2f}".rstrip("0").rstrip(".")


def percent(share: float | None) -> str:
    """A fraction as a percentage with one decimal (0.3403 -> "34.0%"); "—" when unknown."""
    if _missing(share):
        return MISSING
    return percent_points(float(share) * 100)  # type: ignore[arg-type]


def percent_points(value: float | None) -> str:
    """A value already in percent units (34.03 -> "34.0%"); "—" when unknown."""
    if _missing(value):
        return MISSING
    shown = f"{float(value):,.{PERCENT_DECIMALS}f}"  # type: ignore[arg-type]
    # "-0.0%" reads as a loss where there is none.
    return f"{'0.0' if shown in ('-0.0', '-0') else shown}%"
