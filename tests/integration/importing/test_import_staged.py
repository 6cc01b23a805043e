"""The staged (set-based) import writes: same counts and effects on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from db import repository as repo
from db.models import Lead, table_of
from domain.importing import Mapping, read_csv_source

OWNED = Mapping(kind="leads", fields={"external_id": "Id", "owner": "Owner"})
ACTIVITIES = Mapping(
    kind="activities",
    fields={"lead_external_id": "lead", "activity_type": "type", "occurred_at": "at"},
)


def run(engine: Engine, text: str, mapping: Mapping, chunk_rows: int = 100_000):
    source = read_csv_source(text.encode(), chunk_rows=chunk_rows)
    return repo.import_csv(engine, source, mapping)


def versions(engine: Engine) -> dict[str, int]:
    lead = table_of(Lead)
    with engine.connect() as connection:
        return dict(connection.execute(select(lead.c.external_id, lead.c.version)).all())


def counts(report) -> tuple[int, int, int, int]:
    return (report.inserted, report.updated, report.unchanged, report.rejected)


def test_a_new_owner_moves_the_lead_and_an_unchanged_file_moves_nothing(engine):
    same = "Id,Owner,Tier\nL1,rita,A\nL2,sam,B\nL3,,C\n"
    run(engine, same, OWNED)
    assert counts(run(engine, same, OWNED)) == (0, 0, 3, 0)
    assert versions(engine) == {"L1": 0, "L2": 0, "L3": 0}
    report = run(engine, "Id,Owner,Tier\nL1,omar,A\nL2,sam,B2\nL3,li,C\n", OWNED)
    assert counts(report) == (0, 3, 0, 0)
    assert versions(engine) == {"L1": 1, "L2": 0, "L3": 1}  # a changed custom value only: kept


def test_a_blank_custom_value_is_stored_once_then_unchanged(engine):
    run(engine, "Id,Owner,Region\nL1,rita,EMEA\n", OWNED)
    assert counts(run(engine, "Id,Owner,Tier\nL1,rita,\n", OWNED)) == (0, 1, 0, 0)
    assert counts(run(engine, "Id,Owner,Tier\nL1,rita,\n", OWNED)) == (0, 0, 1, 0)
    lead = repo.load_leads(engine).iloc[0]
    assert lead["Region"] == "EMEA"


def test_activities_repeated_within_and_across_chunks_and_unknown_leads_are_counted(engine):
    run(engine, "Id,Owner\nL1,rita\nL2,sam\n", OWNED)
    text = (
        "lead,type,at\n"
        "L1,demo,2024-01-17\n"
        "L1,demo,2024-01-17\n"  # repeats line 2 in the same chunk
        "L9,demo,2024-01-17\n"  # unknown lead
        "L2,demo,2024-01-18\n"
        "L1,demo,2024-01-17\n"  # repeats line 2 in a later chunk
    )
    first = run(engine, text, ACTIVITIES, chunk_rows=2)
    assert counts(first) == (2, 0, 2, 1)
    assert first.rejects["line"].tolist() == [4]
    assert counts(run(engine, text, ACTIVITIES, chunk_rows=2)) == (0, 0, 4, 1)
    assert repo.count_rows(engine)["activity"] == 2


def test_an_aborted_activity_import_leaves_no_activity_behind(engine):
    run(engine, "Id,Owner\nL1,rita\n", OWNED)
    text = "lead,type,at\nL1,demo,2024-01-17\nL1,call,2024-01-18\nL9,demo,2024-01-19\n"
    source = read_csv_source(text.encode(), chunk_rows=1)
    with pytest.raises(repo.ImportAborted, match="1 row"):
        repo.import_csv(engine, source, ACTIVITIES, all_or_nothing=True)
    assert repo.count_rows(engine)["activity"] == 0
    assert counts(run(engine, text, ACTIVITIES)) == (2, 0, 0, 1)  # the stage is reusable


def test_cells_with_tabs_newlines_and_backslashes_are_stored_exactly(engine):
    notes = ["a\tb", "two\nlines", "back\\slash", "\\N", "", "crlf\r\nend"]
    text = "Id,Note\n" + "".join(f'L{i},"{note}"\n' for i, note in enumerate(notes))
    report = run(engine, text, Mapping(kind="leads", fields={"external_id": "Id"}))
    assert counts(report) == (6, 0, 0, 0)
    lead = table_of(Lead)
    with engine.connect() as connection:
        stored = dict(connection.execute(select(lead.c.external_id, lead.c.custom)).all())
    expected = [note.strip() or None for note in notes]
    assert [stored[f"L{i}"]["Note"] for i in range(len(notes))] == expected
