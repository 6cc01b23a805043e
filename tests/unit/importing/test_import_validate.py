"""Checking a chunk: typed rows for the repository, and every bad row rejected with a reason."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.importing import (
    Mapping,
    MappingError,
    key_note,
    lead_key,
    read_csv_source,
    validate_chunk,
)

LEADS = Mapping(
    kind="leads",
    fields={"external_id": "id", "email": "mail", "company_size": "size", "created_at": "at"},
)


def chunk(text: str) -> pd.DataFrame:
    (frame,) = list(read_csv_source(text.encode()).chunks())
    return frame


def test_valid_rows_are_typed_and_extra_columns_become_a_custom_dict():
    frame = chunk('id,mail,size,at,stage\nL1,a@x.com,"1,200",2024-01-15,lead\n')
    result = validate_chunk(frame, LEADS)
    row = result.rows.loc[2]
    assert (row["external_id"], row["company_size"]) == ("L1", 1200.0)
    assert row["created_at"] == pd.Timestamp("2024-01-15", tz="UTC")
    assert row["custom"] == {"stage": "lead"}
    assert result.rejects.empty


def test_a_row_with_a_bad_value_is_rejected_whole_with_line_column_value_and_reason():
    frame = chunk("id,mail,size,at\nL1,a@x.com,lots,soon\nL2,b@x.com,3,2024-01-01\n")
    result = validate_chunk(frame, LEADS)
    assert result.rows["external_id"].tolist() == ["L2"]
    assert result.rejects[["line", "column", "value"]].values.tolist() == [
        [2, "size", "lots"],
        [2, "at", "soon"],
    ]
    assert result.rejects["reason"].iloc[0] == "not a number"


def test_required_fields_and_keys_must_not_be_empty():
    activities = Mapping(
        kind="activities",
        fields={"lead_external_id": "lead", "activity_type": "type", "occurred_at": "at"},
    )
    result = validate_chunk(chunk("lead,type,at\nL1,,2024-01-01\n,demo,2024-01-01\n"), activities)
    assert result.rows.empty
    assert result.rejects["reason"].tolist() == [
        "activity_type is required",
        "lead_external_id is required",
    ]


def test_a_key_repeated_in_the_chunk_keeps_the_first_row_and_rejects_the_rest():
    result = validate_chunk(chunk("id,mail,size,at\nL1,a@x.com,,\nL1,b@x.com,,\n"), LEADS)
    assert result.rows["email"].tolist() == ["a@x.com"]
    assert result.rejects["reason"].tolist() == ["repeats the external_id of line 2"]


def test_without_an_id_column_leads_are_keyed_by_normalised_email():
    mapping = Mapping(kind="leads", fields={"email": "mail"})
    result = validate_chunk(chunk("mail\n Ann@X.com \n\nnot-an-email\n"), mapping)
    assert lead_key(mapping) == "email" and "e-mail" in key_note(mapping)
    assert result.rows["external_id"].tolist() == ["ann@x.com"]
    assert result.rejects["reason"].tolist() == ["not an e-mail address"]


def test_without_id_or_email_ids_hash_every_column_in_any_order_and_the_note_says_so():
    mapping = Mapping(kind="leads", fields={"name": "who", "company": "where"})
    first = validate_chunk(chunk("who,where,extra\nAnn,Acme,x\nAnn,Acme,y\n"), mapping).rows
    reordered = validate_chunk(chunk("where,extra,who\nAcme,x,Ann\n"), mapping).rows
    assert first["external_id"].str.startswith("row-").all()
    assert first["external_id"].nunique() == 2  # an unmapped column tells them apart
    assert reordered["external_id"].iloc[0] == first["external_id"].iloc[0]
    assert "hash of all its columns" in key_note(mapping)


def test_a_row_repeated_whole_is_the_only_repeat_without_an_id():
    mapping = Mapping(kind="leads", fields={"name": "who"})
    result = validate_chunk(chunk("who,extra\nAnn,x\nAnn,y\nAnn,x\n"), mapping)
    assert len(result.rows) == 2
    assert result.rejects["reason"].str.startswith("repeats the external_id of line").all()
    assert result.rejects["line"].tolist() == [4]


def test_the_mapping_may_key_rows_by_line_number():
    mapping = Mapping.from_json({"kind": "leads", "fields": {"name": "who"}, "key": "row_number"})
    result = validate_chunk(chunk("who\nAnn\nAnn\n"), mapping)
    assert result.rows["external_id"].tolist() == ["line-2", "line-3"]
    assert lead_key(mapping) == "row_number" and "line number" in key_note(mapping)


def test_activity_rows_get_an_import_key_from_their_id_or_their_content():
    mapping = Mapping(
        kind="activities",
        fields={
            "lead_external_id": "lead",
            "activity_type": "type",
            "occurred_at": "at",
            "content_stage": "stage",
        },
    )
    rows = validate_chunk(
        chunk("lead,type,at,stage\nL1,demo,2024-01-01,Decision\nL1,demo,2024-01-01,decision\n"),
        mapping,
    ).rows
    assert rows["content_stage"].tolist() == ["decision", "decision"]
    assert rows["import_key"].nunique() == 1  # same content, same key: stored once
    with_id = Mapping(kind="activities", fields={**mapping.fields, "activity_id": "event"})
    assert validate_chunk(chunk("lead,type,at,stage,event\nL1,x,2024-01-01,,A7\n"), with_id).rows[
        "import_key"
    ].tolist() == ["id:A7"]


def test_a_mapping_that_does_not_fit_the_chunk_is_refused():
    with pytest.raises(MappingError, match="which the file lacks"):
        validate_chunk(chunk("id,mail\nL1,a@x.com\n"), LEADS)


def test_ragged_rows_are_rejected():
    result = validate_chunk(chunk("id,mail,size,at\nL1\nL2,b@x.com,,\n"), LEADS)
    assert result.rows["external_id"].tolist() == ["L2"]
    assert result.rejects["column"].tolist() == ["(row)"]


def test_validation_leaves_the_input_frame_untouched():
    frame = chunk("id,mail,size,at\nL1,a@x.com,3,2024-01-01\n")
    before = frame.copy()
    validate_chunk(frame, LEADS)
    pd.testing.assert_frame_equal(frame, before)


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "12", "1,234.5", "2024-01-15", "01/15/2024 09:30", "yes", "n/a"]),
)
OUTCOMES = Mapping(
    kind="outcomes",
    fields={"lead_external_id": "lead", "won_at": "won", "amount": "amount", "budget": "budget"},
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=20))
def test_garbage_rows_are_each_accepted_or_rejected_with_a_reason_never_a_crash(rows):
    frame = pd.DataFrame(rows, columns=["lead", "won", "amount", "budget"], dtype=object)
    frame.index = pd.Index(range(2, len(rows) + 2), name="line")
    result = validate_chunk(frame, OUTCOMES)
    rejected = set(result.rejects["line"])
    assert rejected.isdisjoint(result.rows.index)
    assert rejected | set(result.rows.index) == set(frame.index)
    assert result.rejects["reason"].str.len().gt(0).all()
    accepted = result.rows
    assert accepted["lead_external_id"].notna().all()
    assert accepted["amount"].dropna().map(lambda v: isinstance(v, float)).all()
