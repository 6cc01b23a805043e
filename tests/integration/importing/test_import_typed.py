"""Typed custom attributes, leads without an id column, and related (attributes) files."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from db.leads.attributes_repo import load_attribute_types
from domain.definitions.definition import FitRule
from domain.engine.fit import fit_mask
from domain.importing import Mapping, read_csv_source

TYPED_CSV = (
    "Id,Company,TotalVisits,Signed up,Opt in,Zip,Plan\n"
    "L1,Acme,3,2024-01-15,Yes,02134,pro\n"
    "L2,acme ,12.5,2024-02-01,no,94105,free\n"
    "L3,Initech,,2024-03-10,,10001,\n"
)
TYPED = Mapping(kind="leads", fields={"external_id": "Id", "company": "Company"})
ACCOUNTS_CSV = (
    "account,sector,revenue,employees,public\n"
    "ACME,Software,1200000,250,yes\n"
    "Initech,Finance,300000,40,no\n"
    "Nobody Inc,Retail,5,1,no\n"
)
ACCOUNTS = Mapping.from_json({"kind": "attributes", "join_on": {"company": "account"}})


def run(engine: Engine, text: str, mapping: Mapping, **options):
    source = read_csv_source(text.encode(), chunk_rows=options.pop("chunk_rows", 100_000))
    return repo.import_csv(engine, source, mapping, **options)


def test_custom_columns_are_typed_from_their_values_and_come_back_typed(engine):
    report = run(engine, TYPED_CSV, TYPED)

    assert report.types == {
        "TotalVisits": "number",
        "Signed up": "date",
        "Opt in": "yes/no",
        "Zip": "text",  # leading zero: a code, not a number
        "Plan": "text",
    }
    assert "TotalVisits (number)" in " ".join(report.notes)
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads["TotalVisits"].dtype == "float64"
    assert leads["TotalVisits"].tolist()[:2] == [3.0, 12.5]
    assert pd.isna(leads.loc["L3", "TotalVisits"])
    assert leads.loc["L2", "Signed up"] == pd.Timestamp("2024-02-01", tz="UTC")
    assert leads["Opt in"].tolist()[:2] == [True, False]
    assert leads.loc["L1", "Zip"] == "02134"
    rule = FitRule(id="v", attribute="TotalVisits", operator=">=", value=10, points=5)
    assert fit_mask(leads, rule).tolist() == [False, True, False]


def test_re_importing_a_typed_file_changes_nothing(engine):
    run(engine, TYPED_CSV, TYPED)
    again = run(engine, TYPED_CSV, TYPED)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_the_mapping_overrides_a_type_and_a_value_that_misses_it_rejects_its_row(engine):
    mapping = Mapping.from_json(
        {**TYPED.to_dict(), "types": {"Zip": "number", "TotalVisits": "text"}}
    )
    csv = TYPED_CSV + "L4,Hooli,7,2024-04-01,yes,not-a-zip,pro\n"

    report = run(engine, csv, mapping)

    assert report.types["Zip"] == "number" and report.types["TotalVisits"] == "text"
    assert report.rejected == 1
    assert "typed number" in report.rejects["reason"].iloc[0]
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["L1", "Zip"] == 2134.0 and leads.loc["L1", "TotalVisits"] == "3"


def test_the_type_is_decided_once_for_the_whole_file(engine):
    # The second chunk's "n/a" would make the column text on its own; it is rejected.
    csv = "Id,Visits\nL1,1\nL2,2\nL3,n/a\n"
    report = run(engine, csv, Mapping(kind="leads", fields={"external_id": "Id"}), chunk_rows=2)
    assert report.types == {"Visits": "number"} and report.rejected == 1
    assert (
        "types" in report.rejects["reason"].iloc[0]
        or "typed number" in report.rejects["reason"].iloc[0]
    )
    assert load_attribute_types(engine) == {"Visits": "number"}


def test_attributes_stored_before_types_keep_reading_as_they_were(engine):
    leads = pd.DataFrame({"external_id": ["L1"], "custom": [{"tier": "gold", "visits": "7"}]})
    repo.insert_leads(engine, leads)
    loaded = repo.load_leads(engine)
    assert loaded["tier"].tolist() == ["gold"] and loaded["visits"].tolist() == ["7"]
    # A later import that types the column reads the old text value as a number too.
    run(engine, "Id,visits\nL2,9\n", Mapping(kind="leads", fields={"external_id": "Id"}))
    assert repo.load_leads(engine)["visits"].tolist() == [7.0, 9.0]


def _no_id_file(rows: int = 200) -> tuple[str, int]:
    """Rows sharing every mapped column, told apart only by unmapped ones, plus one row
    repeated whole. Returns the text and the number of distinct rows."""
    rng = random.Random(11)
    lines = ["name,company,age,job,balance"]
    for i in range(rows):
        lines.append(f"Ann,Acme,{30 + i % 40},{rng.choice(['admin', 'services'])},{i * 10}")
    lines.append(lines[5])  # a truly repeated row
    return "\n".join(lines) + "\n", rows


def test_without_an_id_rows_differing_only_in_unmapped_columns_all_import(engine):
    text, distinct = _no_id_file()
    mapping = Mapping(kind="leads", fields={"name": "name", "company": "company"})

    report = run(engine, text, mapping)

    assert report.inserted == distinct and report.rejected == 1
    assert report.rejects["reason"].iloc[0] == "repeats the external_id of line 6"
    assert any("hash of all its columns" in w for w in report.warnings)
    assert run(engine, text, mapping).unchanged == distinct
    assert repo.count_rows(engine)["lead"] == distinct


def test_without_an_id_the_mapping_may_key_rows_by_line_number(engine):
    text, distinct = _no_id_file()
    mapping = Mapping.from_json({"kind": "leads", "fields": {"name": "name"}, "key": "row_number"})
    report = run(engine, text, mapping)
    assert report.inserted == distinct + 1 and report.key == "row_number"
    assert "line-2" in set(repo.load_leads(engine)["external_id"])


def test_an_attributes_file_adds_typed_columns_to_every_lead_of_the_account(engine):
    run(engine, TYPED_CSV, TYPED)
    before = repo.count_rows(engine)["lead"]

    report = run(engine, ACCOUNTS_CSV, ACCOUNTS)

    assert repo.count_rows(engine)["lead"] == before  # no lead created
    assert (report.inserted, report.updated, report.unmatched) == (0, 3, 1)
    assert "Nobody Inc" in " ".join(report.warnings)
    assert report.summary().endswith("matched no lead 1")
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads["sector"].tolist() == ["Software", "Software", "Finance"]
    assert leads["revenue"].tolist() == [1_200_000.0, 1_200_000.0, 300_000.0]
    assert leads["public"].tolist() == [True, True, False]
    assert leads.loc["L1", "TotalVisits"] == 3.0  # the leads' own attributes stay


def test_re_importing_an_attributes_file_updates_the_values(engine):
    run(engine, TYPED_CSV, TYPED)
    run(engine, ACCOUNTS_CSV, ACCOUNTS)
    assert run(engine, ACCOUNTS_CSV, ACCOUNTS).unchanged == 3

    report = run(engine, ACCOUNTS_CSV.replace("Finance,300000", "Finance,350000"), ACCOUNTS)

    assert (report.updated, report.unchanged) == (1, 2)
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["L3", "revenue"] == 350_000.0


def test_an_attributes_file_may_join_on_a_custom_attribute(engine):
    run(engine, TYPED_CSV, TYPED)
    mapping = Mapping.from_json({"kind": "attributes", "join_on": {"Plan": "plan"}})
    report = run(engine, "plan,seats\nPRO,10\nenterprise,99\n", mapping)
    assert (report.updated, report.unmatched) == (1, 1)
    assert repo.load_leads(engine).set_index("external_id").loc["L1", "seats"] == 10.0


@pytest.mark.parametrize("bad", [{"company": "missing"}, {}])
def test_an_attributes_mapping_needs_one_join_column_in_the_file(engine, bad):
    with pytest.raises(ValueError, match="join_on"):
        run(engine, ACCOUNTS_CSV, Mapping.from_json({"kind": "attributes", "join_on": bad}))
