"""Importing CSV files: one transaction, idempotent re-imports, rejects, rollback."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

import db.importing.import_repo as import_repo
from db import repository as repo
from domain.importing import Mapping, MappingError, read_csv_source

LEADS_CSV = (
    "Id,Email,Employees,Created,Stage\n"
    'L1,ann@x.com,"1,200",2024-01-15 09:30,lead\n'
    "L2,bob@x.com,12,2024-01-16,customer\n"
    "L3,cy@x.com,,2024-01-17,lead\n"
)
LEADS = Mapping(
    kind="leads",
    fields={
        "external_id": "Id",
        "email": "Email",
        "company_size": "Employees",
        "created_at": "Created",
    },
)
ACTIVITIES_CSV = "lead,type,at\nL1,page_view,2024-01-16 10:00\nL1,demo_request,2024-01-17\n"
ACTIVITIES = Mapping(
    kind="activities",
    fields={"lead_external_id": "lead", "activity_type": "type", "occurred_at": "at"},
)
TOUCHES_CSV = "lead,at,channel,outcome\nL1,2024-01-18 08:00,call,connected\nL2,2024-01-19,email,\n"
TOUCHES = Mapping(
    kind="touches",
    fields={
        "lead_external_id": "lead",
        "touched_at": "at",
        "channel": "channel",
        "outcome": "outcome",
    },
)
OUTCOMES_CSV = "lead,won,amount,budget\nL1,2024-03-01,$900,yes\nL2,,,no\n"
OUTCOMES = Mapping(
    kind="outcomes",
    fields={"lead_external_id": "lead", "won_at": "won", "amount": "amount", "budget": "budget"},
)
ALL_KINDS = [
    (LEADS_CSV, LEADS),
    (ACTIVITIES_CSV, ACTIVITIES),
    (TOUCHES_CSV, TOUCHES),
    (OUTCOMES_CSV, OUTCOMES),
]


def run(engine: Engine, text: str, mapping: Mapping, **options):
    chunk_rows = options.pop("chunk_rows", 100_000)
    source = read_csv_source(text.encode(), chunk_rows=chunk_rows)
    return repo.import_csv(engine, source, mapping, **options)


def snapshot(engine: Engine) -> dict:
    """Everything an import may touch (the audit log aside), comparable with `same`."""
    counts = repo.count_rows(engine)
    counts.pop("audit_log")
    return {
        "counts": counts,
        "data_version": repo.data_version(engine),
        "leads": repo.load_leads(engine).to_json(date_format="iso"),
        "facts": repo.load_sales_facts(engine).to_json(date_format="iso"),
        "touches": repo.load_touches(engine).to_json(date_format="iso"),
        "activity_counts": repo.load_activity_counts(engine).to_json(date_format="iso"),
    }


def test_every_kind_imports_and_a_second_import_of_the_same_file_changes_nothing(engine):
    for text, mapping in ALL_KINDS:
        first = run(engine, text, mapping)
        assert first.inserted == len(text.strip().splitlines()) - 1, mapping.kind
        assert (first.updated, first.rejected) == (0, 0)
    before = snapshot(engine)
    for text, mapping in ALL_KINDS:
        again = run(engine, text, mapping)
        assert (again.inserted, again.updated, again.rejected) == (0, 0, 0), mapping.kind
        assert again.unchanged == len(text.strip().splitlines()) - 1
    assert snapshot(engine) == before


def test_imported_values_are_typed_and_unmapped_columns_are_custom_attributes(engine):
    run(engine, LEADS_CSV, LEADS)
    run(engine, OUTCOMES_CSV, OUTCOMES)
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["L1", "company_size"] == 1200.0
    assert leads.loc["L1", "created_at"] == pd.Timestamp("2024-01-15 09:30", tz="UTC")
    assert leads["Stage"].tolist() == ["lead", "customer", "lead"]
    facts = repo.load_sales_facts(engine).set_index("lead_id")
    assert facts["amount"].tolist()[0] == 900.0
    assert facts["budget"].tolist() == [True, False]


def test_a_changed_file_updates_only_mapped_columns_and_merges_custom_attributes(engine):
    run(engine, LEADS_CSV, LEADS)
    edited = "Id,Email,Region\nL1,ann@new.com,EMEA\nL2,bob@x.com,US\nL4,dee@x.com,APAC\n"
    report = run(
        engine, edited, Mapping(kind="leads", fields={"external_id": "Id", "email": "Email"})
    )
    assert (report.inserted, report.updated, report.unchanged) == (1, 2, 0)
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["L1", "email"] == "ann@new.com"
    assert leads.loc["L1", "company_size"] == 1200.0  # not in the file: kept
    assert (leads.loc["L1", "Stage"], leads.loc["L1", "Region"]) == ("lead", "EMEA")


def test_rows_naming_an_unknown_lead_are_rejected_and_the_rest_imported(engine):
    run(engine, LEADS_CSV, LEADS)
    report = run(engine, "lead,type,at\nL1,demo,2024-01-17\nL9,demo,2024-01-17\n", ACTIVITIES)
    assert (report.inserted, report.rejected) == (1, 1)
    reject = report.rejects.iloc[0]
    assert (reject["line"], reject["column"]) == (3, "lead")
    assert reject["reason"] == "no lead with external id L9; import leads first"


def test_all_or_nothing_rolls_back_everything_when_a_row_is_rejected(engine):
    before = snapshot(engine)
    bad = LEADS_CSV + "L4,dee@x.com,many,2024-01-18,lead\n"
    with pytest.raises(repo.ImportAborted) as aborted:
        run(engine, bad, LEADS, all_or_nothing=True, chunk_rows=2)
    assert "1 row(s) rejected" in aborted.value.report.aborted_reason
    assert aborted.value.report.rejects["line"].tolist() == [5]
    assert snapshot(engine) == before


def test_a_database_error_in_the_second_chunk_leaves_the_database_as_it_was(engine, monkeypatch):
    run(engine, LEADS_CSV, LEADS)
    before = snapshot(engine)
    calls = []
    real = import_repo.write_chunk

    def failing(connection, rows, mapping, *, actor):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(connection, rows, mapping, actor=actor)

    monkeypatch.setattr(import_repo, "write_chunk", failing)
    text = "Id,Email\n" + "".join(f"N{i},n{i}@x.com\n" for i in range(5)) + "L1,changed@x.com\n"
    mapping = Mapping(kind="leads", fields={"external_id": "Id", "email": "Email"})
    with pytest.raises(repo.ImportAborted, match="disk I/O error"):
        run(engine, text, mapping, chunk_rows=3)
    assert len(calls) == 2
    assert snapshot(engine) == before


def test_a_file_that_turns_undecodable_midway_is_rolled_back(engine, tmp_path):
    path = tmp_path / "broken.csv"
    rows = "".join(f"N{i},n{i}@x.com\n" for i in range(20_000))
    path.write_bytes(b"Id,Email\n" + rows.encode() + b"BAD,\xff\xfe\n")
    mapping = Mapping(kind="leads", fields={"external_id": "Id", "email": "Email"})
    with pytest.raises(repo.ImportAborted, match="not valid utf-8"):
        repo.import_csv(engine, read_csv_source(path, chunk_rows=5_000), mapping)
    assert repo.count_rows(engine)["lead"] == 0


def test_a_mapping_that_does_not_fit_the_file_is_refused_before_anything_runs(engine):
    with pytest.raises(MappingError, match="'Mail', which the file lacks"):
        run(engine, LEADS_CSV, Mapping(kind="leads", fields={"email": "Mail"}))


def test_one_import_bumps_the_data_version_once_logs_one_audit_row_and_reports_progress(
    engine,
):
    progress = []
    version = repo.data_version(engine)
    run(
        engine,
        LEADS_CSV,
        LEADS,
        chunk_rows=1,
        on_progress=lambda d, t: progress.append((d, t)),
        actor="rita",
    )
    assert repo.data_version(engine) == version + 1
    audit = repo.list_audit(engine)
    assert (len(audit), audit.iloc[0]["actor"], audit.iloc[0]["action"]) == (1, "rita", "import")
    assert audit.iloc[0]["payload"]["inserted"] == 3
    assert len(progress) == 3 and progress[-1][0] == progress[-1][1] == len(LEADS_CSV)


def test_leads_without_an_id_are_keyed_by_email_and_the_report_says_so(engine):
    mapping = Mapping(kind="leads", fields={"email": "Email"})
    report = run(engine, "Email\nAnn@X.com\nbob@x.com\n", mapping)
    assert report.key == "email" and report.warnings
    again = run(engine, "Email\nann@x.com \n", mapping)
    assert (again.inserted, again.updated) == (0, 1)  # same lead, e-mail now lower case
    assert sorted(repo.load_leads(engine)["external_id"]) == ["ann@x.com", "bob@x.com"]


def test_saved_mappings_are_listed_by_kind_loaded_and_replaced(engine):
    repo.save_mapping(engine, "HubSpot weekly", LEADS)
    repo.save_mapping(engine, "Dialer", TOUCHES)
    repo.save_mapping(engine, "HubSpot weekly", Mapping(kind="leads", fields={"email": "E"}))
    assert repo.list_mappings(engine) == ["Dialer", "HubSpot weekly"]
    assert repo.list_mappings(engine, kind="touches") == ["Dialer"]
    assert repo.load_mapping(engine, "HubSpot weekly").fields == {"email": "E"}
    with pytest.raises(LookupError, match="no saved mapping"):
        repo.load_mapping(engine, "nope")


garbage = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from(["", "12", "1,5", "2024-01-15", "13/13/2024", "x@y.z", "L1"]),
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(garbage, garbage, garbage), min_size=1, max_size=12),
    all_or_nothing=st.booleans(),
)
def test_garbage_rows_never_crash_or_half_import(sqlite_engine, rows, all_or_nothing):
    repo.delete_all_data(sqlite_engine)
    frame = pd.DataFrame(rows, columns=["Id", "Employees", "Created"])
    text = frame.to_csv(index=False)
    mapping = Mapping(
        kind="leads",
        fields={"external_id": "Id", "company_size": "Employees", "created_at": "Created"},
    )
    try:
        source = read_csv_source(text.encode(), chunk_rows=5)
    except ValueError:
        return  # e.g. every row blank: refused as "header but no rows"
    try:
        report = repo.import_csv(sqlite_engine, source, mapping, all_or_nothing=all_or_nothing)
    except repo.ImportAborted as aborted:
        assert all_or_nothing and aborted.report.rejected > 0
        assert repo.count_rows(sqlite_engine)["lead"] == 0
        return
    assert report.rejected == 0 or not all_or_nothing
    assert repo.count_rows(sqlite_engine)["lead"] == report.inserted + report.updated
    assert report.rejects["reason"].str.len().gt(0).all()


def test_a_blank_creation_date_keeps_the_stored_one_on_re_import(engine: Engine) -> None:
    run(engine, LEADS_CSV, LEADS)
    created = repo.load_leads(engine).set_index("external_id")["created_at"]
    blank = LEADS_CSV.replace("2024-01-16,customer", ",customer")

    report = run(engine, blank, LEADS)

    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 3)
    after = repo.load_leads(engine).set_index("external_id")["created_at"]
    assert after.equals(created)
    again = run(engine, "Id,Email,Employees,Created,Stage\nL9,z@x.com,3,,lead\n", LEADS)
    assert again.inserted == 1
    assert repo.load_leads(engine).set_index("external_id")["created_at"].notna().all()
