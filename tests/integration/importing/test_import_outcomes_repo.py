"""Yes/no and stage outcome columns and snapshot dates, stored on both databases."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from db import repository as repo
from db.scoring.scoring_source import load_model
from domain.definitions.defaults import default_definition
from domain.engine.stages import ALL_STAGES
from domain.importing import Mapping, read_csv_source

LEADS = Mapping(kind="leads", fields={"external_id": "id", "created_at": "created"})
WON = Mapping.from_json(
    {
        "kind": "outcomes",
        "fields": {"lead_external_id": "Prospect ID", "won": "Converted"},
        "true_values": ["1"],
    }
)
STAGES = Mapping.from_json(
    {
        "kind": "outcomes",
        "fields": {
            "lead_external_id": "opportunity_id",
            "stage": "deal_stage",
            "stage_at": "close_date",
        },
        "stages": {"Won": "won", "Lost": "lost", "Engaging": "opportunity", "Prospecting": "sql"},
    }
)


def run(engine: Engine, text: str, mapping: Mapping, **options) -> repo.ImportReport:
    return repo.import_csv(engine, read_csv_source(text.encode()), mapping, **options)


def leads_csv(n: int) -> str:
    return "id,created\n" + "".join(f"L{i},2024-01-{1 + i % 28:02d}\n" for i in range(n))


def facts(engine: Engine) -> pd.DataFrame:
    leads = repo.load_leads(engine)[["lead_id", "external_id"]]
    return repo.load_sales_facts(engine).merge(leads, on="lead_id").set_index("external_id")


def stage_counts(engine: Engine) -> dict[str, int]:
    """Funnel counts, plus the leads whose current stage is Lost."""
    result = load_model(engine, as_of="2025-01-01").score(default_definition())
    return {
        **result.stage_counts(),
        "Lost": int((result.current == ALL_STAGES.index("Lost")).sum()),
    }


def test_an_undated_yes_is_dated_at_the_leads_creation_and_a_no_records_nothing(engine):
    run(engine, leads_csv(3), LEADS)
    report = run(engine, "Prospect ID,Converted\nL0,1\nL1,0\nL2,\n", WON)

    assert (report.inserted, report.unchanged, report.rejected) == (1, 2, 0)
    assert any("dated at the lead's creation time" in n for n in report.notes)
    stored = facts(engine)
    assert list(stored.index) == ["L0"]  # nothing recorded for a "no" or a blank
    assert stored.loc["L0", "won_at"] == pd.Timestamp("2024-01-01", tz="UTC")
    assert run(engine, "Prospect ID,Converted\nL0,1\nL1,0\nL2,\n", WON).unchanged == 3


def test_a_no_never_erases_a_stored_win_and_an_undated_yes_keeps_a_stored_date(engine):
    run(engine, leads_csv(2), LEADS)
    dated = Mapping(kind="outcomes", fields={"lead_external_id": "id", "won_at": "won"})
    run(engine, "id,won\nL0,2024-05-01\nL1,2024-05-02\n", dated)

    report = run(engine, "Prospect ID,Converted\nL0,0\nL1,1\n", WON)

    assert report.unchanged == 2
    stored = facts(engine)["won_at"]
    assert stored.tolist() == [
        pd.Timestamp("2024-05-01", tz="UTC"),
        pd.Timestamp("2024-05-02", tz="UTC"),
    ]


def test_a_snapshot_file_creates_its_leads_and_outcomes_at_its_as_of_date(engine):
    snapshot = "ID,age,status\nA,30,1\nB,41,0\n"
    leads = Mapping.from_json(
        {
            "kind": "leads",
            "fields": {"external_id": "ID"},
            "ignore": ["status"],
            "as_of": "2024-06-30",
        }
    )
    won = Mapping.from_json(
        {
            "kind": "outcomes",
            "fields": {"lead_external_id": "ID", "won": "status"},
            "as_of": "2024-06-30",
        }
    )
    report = run(engine, snapshot, leads)
    run(engine, snapshot, won)

    june_30 = pd.Timestamp("2024-06-30", tz="UTC")
    assert any("created at 2024-06-30" in n for n in report.notes)
    assert repo.load_leads(engine)["created_at"].tolist() == [june_30, june_30]
    assert facts(engine).loc["A", "won_at"] == june_30


def test_a_stage_column_counts_won_and_lost_apart(engine):
    # 200 deals: Won 110, Lost 60, Engaging 20, Prospecting 10.
    stages = ["Won"] * 110 + ["Lost"] * 60 + ["Engaging"] * 20 + ["Prospecting"] * 10
    run(engine, leads_csv(200), LEADS)
    text = "opportunity_id,deal_stage,close_date\n" + "".join(
        f"L{i},{s},{'2024-03-01' if s in ('Won', 'Lost') else ''}\n" for i, s in enumerate(stages)
    )

    report = run(engine, text, STAGES)

    assert (report.inserted, report.rejected) == (200, 0)
    assert report.stage_counts == {"Won": 110, "Lost": 60, "Engaging": 20, "Prospecting": 10}
    assert any("deal_stage values: Won 110 -> won; Lost 60 -> lost" in n for n in report.notes)
    counts = stage_counts(engine)
    assert counts["Won"] == 110  # not 170: lost deals have their own date
    assert counts["Lost"] == 60
    # Reaching a stage implies the earlier ones: every deal reached SQL, 190 an opportunity.
    assert (counts["SQL"], counts["Opportunity"]) == (200, 190)
    undated = facts(engine).loc["L170"]
    assert undated["opportunity_at"] == pd.Timestamp("2024-01-03", tz="UTC")  # its creation


def test_an_unmapped_stage_value_rejects_its_row_and_the_report_lists_every_value(engine):
    run(engine, leads_csv(3), LEADS)
    text = "opportunity_id,deal_stage,close_date\nL0,Won,2024-03-01\nL1,Stalled,\nL2,Stalled,\n"

    report = run(engine, text, STAGES)

    assert (report.inserted, report.rejected) == (1, 2)
    assert report.rejects["value"].tolist() == ["Stalled", "Stalled"]
    assert any("Stalled 2 -> not mapped (rejected)" in n for n in report.notes)


def test_a_hubspot_export_maps_its_lifecycle_stage_and_became_dates(engine):
    from domain.importing import suggest_mapping

    text = (
        "Record ID,Create Date,Contact owner,Lifecycle Stage,"
        "Became a Sales Qualified Lead Date,Became a Customer Date\n"
        "1,2024-01-02,rita,Subscriber,,\n"
        "2,2024-01-03,rita,marketingqualifiedlead,,\n"
        "3,2024-01-04,sam,salesqualifiedlead,2024-02-01,\n"
        "4,2024-01-05,sam,customer,2024-02-01,2024-03-01\n"
        "5,2024-01-06,sam,evangelist,,\n"
    )
    header = text.splitlines()[0].split(",")
    run(engine, text, suggest_mapping("leads", header))
    mapping = suggest_mapping("outcomes", header)
    assert mapping.fields["stage"] == "Lifecycle Stage"

    report = run(engine, text, mapping)

    assert report.rejected == 0
    stored = facts(engine)
    assert stored.loc["3", "qualified_at"] == pd.Timestamp("2024-02-01", tz="UTC")
    assert stored.loc["4", "won_at"] == pd.Timestamp("2024-03-01", tz="UTC")
    # An evangelist without a "Became a Customer Date": a customer since its creation.
    assert stored.loc["5", "won_at"] == pd.Timestamp("2024-01-06", tz="UTC")
    counts = stage_counts(engine)
    assert (counts["SQL"], counts["Won"]) == (3, 2)
