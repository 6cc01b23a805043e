"""Properties: a file's date order and decimal separator are read right wherever the values
that settle them sit, whatever the delimiter and chunk size."""

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.importing import ImportFileError, Mapping, read_csv_source, validate_chunk

LEADS = Mapping(
    kind="leads", fields={"external_id": "id", "created_at": "created", "company_size": "size"}
)
dates = st.dates(min_value=dt.date(1931, 1, 1), max_value=dt.date(2029, 12, 31))


def csv_bytes(rows: list[tuple[str, str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "created", "size"])
    for i, (created, size) in enumerate(rows):
        writer.writerow([f"L{i}", created, size])
    return out.getvalue().encode()


def imported(data: bytes, chunk_rows: int) -> pd.DataFrame:
    source = read_csv_source(data, chunk_rows=chunk_rows)
    chunks = list(source.chunks())
    results = [validate_chunk(c, LEADS, decimal_comma=source.decimal_comma) for c in chunks]
    assert all(r.rejects.empty for r in results)
    return pd.concat([r.rows for r in results])


def slash(day: dt.date, day_first: bool, two_digit: bool) -> str:
    year = f"{day.year % 100:02d}" if two_digit else str(day.year)
    first, second = (day.day, day.month) if day_first else (day.month, day.day)
    return f"{first:02d}/{second:02d}/{year}"


@settings(max_examples=60, deadline=None)
@given(
    days=st.lists(dates, min_size=1, max_size=40),
    telling=dates.filter(lambda d: d.day > 12),
    where=st.integers(min_value=0, max_value=40),
    day_first=st.booleans(),
    two_digit=st.booleans(),
    chunk_rows=st.integers(min_value=1, max_value=15),
)
def test_slash_dates_are_read_in_the_order_one_telling_date_anywhere_shows(
    days, telling, where, day_first, two_digit, chunk_rows
):
    days = [*days[:where], telling, *days[where:]]
    rows = [(slash(d, day_first, two_digit), "1") for d in days]
    got = imported(csv_bytes(rows, ","), chunk_rows)["created_at"]
    assert [t.date() for t in got] == days


@settings(max_examples=30, deadline=None)
@given(
    days=st.lists(dates, min_size=0, max_size=20),
    day_first=dates.filter(lambda d: d.day > 12),
    month_first=dates.filter(lambda d: d.day > 12),
    chunk_rows=st.integers(min_value=1, max_value=10),
)
def test_a_file_with_telling_dates_of_both_orders_is_refused(
    days, day_first, month_first, chunk_rows
):
    rows = [(slash(d, True, False), "1") for d in [day_first, *days]]
    rows.append((slash(month_first, False, False), "1"))
    with pytest.raises(ImportFileError, match="mixes day-first dates"):
        imported(csv_bytes(rows, ","), chunk_rows)


def number_text(whole: int, decimals: str, comma: bool, grouped: bool) -> str:
    thousands, point = (".", ",") if comma else (",", ".")
    digits = f"{whole:,}".replace(",", thousands) if grouped else str(whole)
    return f"{digits}{point}{decimals}" if decimals else digits


numbers = st.tuples(
    st.integers(min_value=0, max_value=9_999_999),
    st.text(alphabet="0123456789", min_size=0, max_size=4),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(numbers, min_size=0, max_size=30),
    telling=st.tuples(st.integers(min_value=1, max_value=999), st.sampled_from(["5", "25"])),
    where=st.integers(min_value=0, max_value=30),
    comma=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    chunk_rows=st.integers(min_value=1, max_value=12),
)
def test_numbers_are_read_with_the_decimal_separator_their_values_show(
    values, telling, where, comma, delimiter, chunk_rows
):
    values = [*values[:where], (*telling, False), *values[where:]]
    rows = [("", number_text(w, d, comma, g)) for w, d, g in values]
    got = imported(csv_bytes(rows, delimiter), chunk_rows)["company_size"]
    expected = [float(f"{w}.{d}" if d else str(w)) for w, d, _ in values]
    assert got.tolist() == pytest.approx(expected)
