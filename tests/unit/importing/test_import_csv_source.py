"""Reading CRM exports: encodings, delimiters, quoted newlines, and clear refusals."""

import codecs
import gc

import pytest

from domain.importing import ImportFileError, read_csv_source


def rows_of(source):
    return [chunk for chunk in source.chunks()]


def test_cp1252_bytes_are_detected_and_decoded():
    text = "id,name,company\n1,José Müller,Société Générale\n2,Zoë,Café Crème\n"
    source = read_csv_source(text.encode("cp1252"))
    assert source.encoding != "utf-8"
    assert source.preview()["name"].tolist() == ["José Müller", "Zoë"]
    assert any("not UTF-8" in note for note in source.notes)


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name():
    source = read_csv_source(codecs.BOM_UTF8 + b"Email,Name\na@x.com,Ann\n")
    assert source.header == ["Email", "Name"]
    assert source.encoding == "utf-8-sig"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_semicolon_tab_and_pipe_delimiters_are_detected(delimiter, name):
    text = delimiter.join(["id", "name", "amount"]) + "\n"
    text += delimiter.join(["1", "Ann, Lee", "1.234,5"]) + "\n"
    source = read_csv_source(text.encode())
    assert source.delimiter == delimiter
    assert source.preview()["name"].tolist() == ["Ann, Lee"]
    assert any(name in note for note in source.notes)


def test_semicolon_files_read_numbers_with_a_decimal_comma():
    assert read_csv_source(b"a;b\n1;2\n").decimal_comma
    assert not read_csv_source(b"a,b\n1,2\n").decimal_comma


def test_rows_are_indexed_by_the_line_they_start_on_despite_quoted_newlines():
    text = 'id,note\n1,"two\nlines"\n2,plain\n\n3,"three\nline\nnote"\n4,last\n'
    (chunk,) = rows_of(read_csv_source(text.encode()))
    assert chunk.index.tolist() == [2, 4, 6, 9]
    assert chunk.loc[6, "note"] == "three\nline\nnote"


def test_chunks_stream_every_row_once_with_line_numbers_across_chunks():
    text = "id\n" + "".join(f"{i}\n" for i in range(10))
    chunks = rows_of(read_csv_source(text.encode(), chunk_rows=4))
    assert [len(c) for c in chunks] == [4, 4, 2]
    assert [c.index[0] for c in chunks] == [2, 6, 10]


def test_only_cells_starting_with_the_export_guard_lose_it_in_any_chunk():
    text = "id,note\n1,plain\n2,it's\n3,'=SUM(A1)\n4,'quoted\n5,''@x\n"
    chunks = rows_of(read_csv_source(text.encode(), chunk_rows=2))
    notes = [note for chunk in chunks for note in chunk["note"]]
    assert notes == ["plain", "it's", "=SUM(A1)", "'quoted", "'@x"]


def test_the_reader_leaves_garbage_collection_on_between_and_after_chunks():
    source = read_csv_source("id\n" + "".join(f"{i}\n" for i in range(10)), chunk_rows=4)
    for _chunk in source.chunks():
        assert gc.isenabled()
    assert gc.isenabled()
    next(source.chunks())  # abandoned after the first chunk
    assert gc.isenabled()


def test_reading_from_a_path_streams_and_reports_progress(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("id,name\n" + "".join(f"{i},n{i}\n" for i in range(1000)))
    source = read_csv_source(path, chunk_rows=300)
    assert sum(len(c) for c in source.chunks()) == 1000
    assert source.bytes_done == source.total_bytes == path.stat().st_size


def test_rows_with_the_wrong_number_of_fields_are_marked_for_rejection():
    (chunk,) = rows_of(read_csv_source(b"a,b\n1,2\n3\n4,5,6\n"))
    assert chunk.attrs["ragged"] == {3: 1, 4: 3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"id,name\n", "the file has a header but no rows"),
        (b"id,name\n\n,\n", "the file has a header but no rows"),
        (b"id,,name\n1,2,3\n", "have no name"),
        (b"id,name,id\n1,2,3\n", "repeated column name(s) in the header: id"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"id,name\n1,\x00\x01\x02\n", "binary"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv_source(data)


def test_a_missing_path_is_refused():
    with pytest.raises(ImportFileError, match="no such file"):
        read_csv_source(__import__("pathlib").Path("/nonexistent/leads.csv"))


def test_bytes_that_turn_undecodable_midway_are_refused_when_read(tmp_path):
    path = tmp_path / "late.csv"
    good = "id,name\n" + "".join(f"{i},Ann\n" for i in range(20_000))
    path.write_bytes(good.encode() + b"99,\xff\xfe\xfa broken\n")
    source = read_csv_source(path)
    assert source.encoding == "utf-8"
    with pytest.raises(ImportFileError, match="not valid utf-8"):
        rows_of(source)
