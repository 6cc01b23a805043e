"""Never misread silently: date order and decimals decided by the whole file, encodings,
two-digit years, out-of-range dates and unclosed quotes."""

import codecs

import pandas as pd
import pytest

from domain.importing import ImportFileError, Mapping, read_csv_source, validate_chunk
from domain.importing.values import parse_datetime

LEADS = Mapping(kind="leads", fields={"external_id": "id", "created_at": "created"})


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def checked(source, mapping=LEADS):
    """Every chunk validated, as an import does; the valid rows and the rejects."""
    chunks = list(source.chunks())
    results = [validate_chunk(c, mapping, decimal_comma=source.decimal_comma) for c in chunks]
    return (
        pd.concat([r.rows for r in results]),
        pd.concat([r.rejects for r in results], ignore_index=True),
    )


def dated_file(dates: list[str]) -> bytes:
    return ("id,created\n" + "".join(f"L{i},{d}\n" for i, d in enumerate(dates))).encode()


def test_day_first_dates_late_in_the_file_decide_how_the_first_chunk_is_read():
    dates = ["03/04/2024"] * 120 + ["25/03/2024"]  # the only telling date is in chunk 3
    source = read_csv_source(dated_file(dates), chunk_rows=50)
    rows, rejects = checked(source)
    assert rejects.empty
    assert rows["created_at"].iloc[0] == utc("2024-04-03")
    assert rows["created_at"].iloc[-1] == utc("2024-03-25")


def test_a_column_mixing_both_date_orders_stops_the_import_naming_lines_of_each():
    dates = ["25/03/2024", "03/04/2024"] + ["01/02/2024"] * 200 + ["03/25/2024"]
    source = read_csv_source(dated_file(dates), chunk_rows=50)
    with pytest.raises(ImportFileError) as refused:
        checked(source)
    message = str(refused.value)
    assert "'created' mixes day-first dates" in message
    assert "line 2: 25/03/2024" in message and "line 204: 03/25/2024" in message
    assert "date_format" in message


def test_a_date_format_settles_a_column_mixing_both_orders():
    source = read_csv_source(dated_file(["25/03/2024", "03/25/2024"]))
    mapping = Mapping(kind="leads", fields=LEADS.fields, date_format="%d/%m/%Y")
    rows, rejects = checked(source, mapping)
    assert rows["created_at"].tolist() == [utc("2024-03-25")]
    assert rejects["line"].tolist() == [3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("23/07/79", "1979-07-23"), ("07/12/30", "1930-12-07"), ("15/07/16", "2016-07-15")],
)
def test_two_digit_years_pivot_at_30_as_the_bank_loan_birth_dates_need(text, expected):
    parsed = parse_datetime(pd.Series([text, "31/01/99"]))
    assert parsed.values.iloc[0] == utc(expected)


def test_an_out_of_range_date_rejects_its_row_only_with_its_own_reason():
    source = read_csv_source(dated_file(["2024-01-05", "9999-12-31", "0001-01-01", "x"]))
    rows, rejects = checked(source)
    assert rows.index.tolist() == [2]
    reasons = dict(zip(rejects["line"], rejects["reason"], strict=True))
    assert "year 9999, outside the dates Baton stores" in reasons[3]
    assert "year 1, outside" in reasons[4]
    assert reasons[5].startswith("not a date")


def test_a_semicolon_file_with_dot_decimals_reads_them_as_dots():
    text = "id;euribor3m;employees\n1;4.857;5191\n2;4.86;5228.1\n3;1.313;4963.6\n"
    source = read_csv_source(text.encode())
    mapping = Mapping(kind="leads", fields={"external_id": "id", "company_size": "euribor3m"})
    rows, _ = checked(source, mapping)
    assert rows["company_size"].tolist() == [4.857, 4.86, 1.313]
    assert not source.decimal_comma
    assert any("decimal dot" in note for note in source.notes)
    assert not any("decimal comma" in note for note in source.notes)


def test_a_semicolon_file_with_comma_decimals_still_reads_commas():
    text = "id;amount\n1;1.234,5\n2;7,25\n3;1.500\n"
    source = read_csv_source(text.encode())
    mapping = Mapping(kind="leads", fields={"external_id": "id", "company_size": "amount"})
    rows, _ = checked(source, mapping)
    assert rows["company_size"].tolist() == [1234.5, 7.25, 1500.0]


LATIN = "id,city,name\n1,Logroño,Iñaki\n2,São Paulo,João\n3,Zürich,Müller\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_latin_1_text_is_not_taken_for_cp1250(encoding):
    source = read_csv_source(LATIN.encode(encoding))
    assert source.encoding == "cp1252"
    assert source.preview()["city"].tolist() == ["Logroño", "São Paulo", "Zürich"]


def test_central_european_text_is_still_read_as_cp1250():
    text = "id,city\n1,Łódź\n2,Kraków\n3,Gdańsk\n4,Zażółć gęślą jaźń\n"
    source = read_csv_source(text.encode("cp1250"))
    assert source.preview()["city"].tolist()[0] == "Łódź"


def test_a_chosen_encoding_overrides_the_detected_one_and_shows_accented_values():
    data = LATIN.encode("cp1252")
    chosen = read_csv_source(data, encoding="cp1250")
    assert chosen.encoding == "cp1250"
    assert "encoding cp1250 (chosen)" in chosen.notes
    accented = chosen.accented()
    assert "Logrońo" in accented["value"].tolist()
    assert set(accented["column"]) == {"city", "name"}
    assert read_csv_source(data, encoding="latin1").accented()["value"].iloc[0] == "Logroño"


def test_an_unknown_or_wrong_encoding_is_refused_with_a_sentence():
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        read_csv_source(b"a,b\n1,2\n", encoding="klingon")
    with pytest.raises(ImportFileError, match="not valid utf-8"):
        read_csv_source(LATIN.encode("cp1252"), encoding="utf-8")


def test_a_utf8_choice_on_a_file_with_a_bom_keeps_the_bom_out_of_the_header():
    source = read_csv_source(codecs.BOM_UTF8 + b"id,name\n1,Ann\n", encoding="UTF-8")
    assert source.header == ["id", "name"]


def test_an_unclosed_quote_is_reported_at_the_line_it_opens_and_nothing_is_read():
    text = 'id,name,city\n1,Ann,Oslo\n2,"Acme, Inc,Paris\n3,Bob,Rome\n4,"Beta",Lima\n5,Cy,Nice\n'
    source = read_csv_source(text.encode())
    with pytest.raises(ImportFileError, match=r"line 3 opens a quote .* lines 4 to 5"):
        source.scan()


def test_a_quote_left_open_to_the_end_of_the_file_is_reported():
    source = read_csv_source(b'id,name\n1,Ann\n2,"Bob\n3,Cy\n4,Di\n')
    with pytest.raises(ImportFileError, match="line 3 opens a quote"):
        list(source.chunks())


def test_quoted_notes_over_several_lines_are_still_read():
    text = 'id,note,city\n1,"Called, no answer\nretry Monday",Oslo\n2,"ends with a break\n",Rome\n'
    (chunk,) = list(read_csv_source(text.encode()).chunks())
    assert chunk["note"].tolist() == ["Called, no answer\nretry Monday", "ends with a break\n"]


def test_a_file_of_only_a_byte_order_mark_is_refused_as_empty():
    for data in (codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n", codecs.BOM_UTF16_LE):
        with pytest.raises(ImportFileError, match="the file is empty"):
            read_csv_source(data)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("id,name\n1,Привет мир\n2,Москва\n", "cp1251"), (LATIN, "cp1252")],
)
def test_each_single_byte_text_comes_back_in_its_own_code_page(text, encoding):
    expected = text.split("\n")[1].split(",")[1]
    assert read_csv_source(text.encode(encoding)).preview().iloc[0, 1] == expected


@pytest.mark.parametrize(
    ("value", "comma", "dot"),
    [
        ("4.96", False, True),
        ("0.634", False, True),
        ("1234.567", False, True),
        ("1,234.5", False, True),
        ("1,234,567", False, True),
        ("7,25", True, False),
        ("0,5", True, False),
        ("1.234,5", True, False),
        ("1.234.567", True, False),
        ("4.857", False, False),
        ("1,234", False, False),
        ("2024.01", False, True),
        ("15.01.2024", False, False),
    ],
)
def test_only_values_that_settle_the_decimal_separator_count(value, comma, dot):
    from domain.importing.formats import decimal_masks

    found = decimal_masks(pd.Series([value]))
    assert (bool(found[0].iloc[0]), bool(found[1].iloc[0])) == (comma, dot)
