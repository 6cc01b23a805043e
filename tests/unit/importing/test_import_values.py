"""Parsing CSV text into booleans, dates and numbers, a whole column at a time."""

import pandas as pd
import pytest

from domain.importing import parse_bool, parse_datetime, parse_number, parse_text


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize("word", ["1", "yes", "YES", "y", "True", "t", " true "])
def test_true_words_of_any_case_read_as_true(word):
    assert parse_bool(pd.Series([word])).values.tolist() == [True]


@pytest.mark.parametrize("word", ["0", "no", "No", "N", "FALSE", "f"])
def test_false_words_of_any_case_read_as_false(word):
    assert parse_bool(pd.Series([word])).values.tolist() == [False]


def test_the_mappings_own_words_count_and_anything_else_is_bad_with_a_reason():
    parsed = parse_bool(pd.Series(["Oui", "non", "maybe", ""]), ("oui",), ("NON",))
    assert parsed.values.tolist()[:2] == [True, False]
    assert parsed.bad.tolist() == [False, False, True, False]
    assert "yes/no" in parsed.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15", "2024-01-15 00:00"),
        ("2024-01-15T09:30:00Z", "2024-01-15 09:30"),
        ("2024-01-15 09:30:00", "2024-01-15 09:30"),
        ("2024-01-15 09:30:00+02:00", "2024-01-15 07:30"),
        ("2024-01-15T09:30:00.123-05:00", "2024-01-15 14:30:00.123"),
        ("01/15/2024 09:30", "2024-01-15 09:30"),
        ("1/15/2024 9:30 PM", "2024-01-15 21:30"),
        ("15.01.2024", "2024-01-15 00:00"),
        ("1705311000000", "2024-01-15 09:30"),
        ("1705311000", "2024-01-15 09:30"),
    ],
)
def test_dates_in_iso_crm_and_epoch_layouts_are_read_as_utc(text, expected):
    parsed = parse_datetime(pd.Series([text]))
    assert not parsed.bad.any()
    assert parsed.values.iloc[0] == utc(expected)


def test_slash_dates_are_month_first_unless_the_column_shows_day_first():
    assert parse_datetime(pd.Series(["03/02/2024"])).values.iloc[0] == utc("2024-03-02")
    day_first = parse_datetime(pd.Series(["03/02/2024", "25/12/2024"])).values
    assert day_first.tolist() == [utc("2024-02-03"), utc("2024-12-25")]


def test_a_date_format_settles_ambiguous_dates_and_rejects_other_layouts():
    parsed = parse_datetime(pd.Series(["03/02/2024", "2024-02-03"]), "%d/%m/%Y")
    assert parsed.values.iloc[0] == utc("2024-02-03")
    assert parsed.bad.tolist() == [False, True]
    assert "%d/%m/%Y" in parsed.reason


def test_unreadable_dates_are_bad_and_blank_ones_are_missing():
    parsed = parse_datetime(pd.Series(["next tuesday", "", None, "2024-13-45"]))
    assert parsed.bad.tolist() == [True, False, False, True]
    assert parsed.values.isna().all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),
        ("12 000", 12000.0),
        ("12\u00a0000", 12000.0),
        ("$1,200", 1200.0),
        ("€ 3,50", 3.5),
        ("USD 99", 99.0),
        ("12%", 0.12),
        ("-4", -4.0),
        ("1e3", 1000.0),
        ("1.234,5", 1234.5),
    ],
)
def test_numbers_with_separators_currencies_and_percents(text, expected):
    parsed = parse_number(pd.Series([text]))
    assert not parsed.bad.any()
    assert parsed.values.iloc[0] == pytest.approx(expected)


def test_a_decimal_comma_file_reads_dots_as_thousands():
    parsed = parse_number(pd.Series(["1.234,5", "1,5", "1.234"]), decimal_comma=True)
    assert parsed.values.tolist() == [1234.5, 1.5, 1234.0]


def test_text_that_is_not_a_number_is_bad():
    parsed = parse_number(pd.Series(["ten", "", "1-2", "inf"]))
    assert parsed.bad.tolist() == [True, False, True, True]
    assert parsed.reason == "not a number"


def test_text_is_trimmed_and_blank_is_missing():
    assert parse_text(pd.Series([" Ann ", "  ", None])).values.tolist() == ["Ann", None, None]
