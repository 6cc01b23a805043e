"""One rule for counts and percentages (domain.common.numbers), and the table helper that applies
it to Streamlit's fraction columns."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as hs

from components.common.tables import count_column, rate_column
from domain.common.numbers import (
    COLUMN_PERCENT_POINTS,
    D3_PERCENT,
    MISSING,
    count,
    number,
    percent,
    percent_points,
    signed_count,
)

ONE_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d%$")


def test_counts_carry_thousands_separators():
    assert count(1328) == "1,328"
    assert count(1_234_567) == "1,234,567"
    assert count(999) == "999"
    assert count(1327.6) == "1,328"


def test_unknown_figures_read_as_a_dash():
    assert count(None) == count(math.nan) == MISSING
    assert percent(None) == percent(math.nan) == percent_points(math.nan) == MISSING


def test_shares_and_rates_have_one_decimal_both():
    assert percent(0.34) == "34.0%"
    assert percent(0.1719) == "17.2%"
    assert percent(1) == "100.0%"
    assert percent_points(34) == "34.0%"


def test_a_tiny_negative_share_never_reads_as_minus_zero():
    assert percent(-0.00001) == "0.0%"
    assert percent_points(-0.04) == "0.0%"


def test_the_chart_and_table_formats_follow_the_same_precision():
    assert D3_PERCENT == ".1%"
    assert COLUMN_PERCENT_POINTS % 34.03 == "34.0%"


@given(hs.floats(min_value=-10, max_value=10, allow_nan=False))
def test_every_percentage_has_exactly_one_decimal(share):
    assert ONE_DECIMAL.match(percent(share)), percent(share)


@given(hs.integers(min_value=0, max_value=10**12))
def test_a_count_reads_back_as_the_same_number(value):
    text = count(value)
    assert int(text.replace(",", "")) == value
    assert all(len(group) == 3 for group in text.split(",")[1:])


def test_fraction_columns_keep_fractions_and_show_one_decimal():
    # Streamlit shows "percent" columns with (decimals of the step - 2) decimals.
    config = rate_column("Rate")["type_config"]
    assert config["format"] == "percent"
    assert len(f"{config['step']:f}".rstrip("0").split(".")[1]) - 2 == 1
    assert count_column("Leads")["type_config"]["format"] == "localized"


def test_a_change_in_a_count_is_signed_and_separated():
    assert [signed_count(v) for v in (1328, -3, 0, -0.2, None)] == ["+1,328", "-3", "0", "0", "—"]


def test_an_attribute_value_never_reads_in_e_notation():
    assert [number(v) for v in (1234.5, 1234.0, 0.125, float("nan"))] == [
        "1,234.5", "1,234", "0.12", "—"
    ]  # fmt: skip
