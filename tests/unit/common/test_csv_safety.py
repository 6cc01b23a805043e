"""Exports neutralise spreadsheet formulas, keep numbers as numbers and re-import unchanged."""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from components.common.tables import csv_bytes
from domain.common.csv_safety import guard_cell, guard_frame, safe_csv, unguard_cell, unguard_frame
from domain.importing import read_csv_source

ATTACKS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_formula_cells_get_a_leading_quote():
    for attack in ATTACKS:
        assert guard_cell(attack) == "'" + attack


def test_plain_numbers_and_ordinary_text_are_left_alone():
    for value in ["-12.5", "+3", "-1e5", "12", "O'Brien", "'quoted'", "a=b", -4.0, 7, None]:
        assert guard_cell(value) == value


def test_numeric_columns_stay_numbers_in_the_csv():
    frame = pd.DataFrame({"score": [-3.5, 0.0, 12.0], "name": ["=1+1", "-x", "ok"]})
    written = pd.read_csv(io.StringIO(safe_csv(frame)))
    assert written["score"].tolist() == [-3.5, 0.0, 12.0]
    assert written["name"].tolist() == ["'=1+1", "'-x", "ok"]


def test_the_input_frame_is_not_changed():
    frame = pd.DataFrame({"name": ["=1+1"]})
    guard_frame(frame)
    assert frame["name"].tolist() == ["=1+1"]


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_guard_then_unguard_gives_back_every_value(values):
    frame = pd.DataFrame({"v": values}, dtype=object)
    assert unguard_frame(guard_frame(frame))["v"].tolist() == values
    assert [unguard_cell(guard_cell(v)) for v in values] == values


def test_an_exported_csv_reads_back_to_the_same_cells():
    frame = pd.DataFrame({"external_id": ["=evil", "@a", "ok"], "note": ATTACKS[:3]})
    source = read_csv_source(safe_csv(frame).encode())
    read = pd.concat(source.chunks())
    assert read["external_id"].tolist() == ["=evil", "@a", "ok"]
    assert read["note"].tolist() == ATTACKS[:3]


def test_every_table_download_neutralises_formula_cells():
    """The funnel drill-down and every other table's "Download CSV" (components.common.tables)."""
    frame = pd.DataFrame({"external_id": ATTACKS[:2], "score": [-3.5, 12.0]})
    written = pd.read_csv(io.BytesIO(csv_bytes(frame)))
    assert written["external_id"].tolist() == ["'" + attack for attack in ATTACKS[:2]]
    assert written["score"].tolist() == [-3.5, 12.0]
