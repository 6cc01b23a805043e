"""Parsing distinct cells once gives exactly what parsing every cell gives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.importing.unique import parse_distinct
from domain.importing.values import parse_bool, parse_datetime, parse_number, parse_text

CELLS = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(["", " ", "yes", "No", "3", "1,200", "2024-01-15", "x", " a "]),
    ),
    min_size=1,
    max_size=60,
)


@pytest.mark.parametrize("parse", [parse_text, parse_number, parse_bool, parse_datetime])
@settings(deadline=None)  # the machine is shared: no timing in tests
@given(cells=CELLS)
def test_distinct_parsing_equals_parsing_every_cell(parse, cells):
    raw = pd.Series(cells, index=range(100, 100 + len(cells)), dtype=object)
    expected, got = parse(raw), parse_distinct(raw, parse)
    assert got.values.dtype == expected.values.dtype
    pd.testing.assert_series_equal(got.values, expected.values, check_names=False)
    assert got.bad.tolist() == expected.bad.tolist() and got.reason == expected.reason
