"""Outcome files with yes/no and stage columns, and snapshot (as_of) files, in the domain."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.importing import Mapping, MappingError, read_csv_source, validate_chunk
from domain.importing.outcomes import KEEP, UNDATED, undated_note

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
            "stage_at": "close",
        },
        "stages": {"Won": "won", "Lost": "lost", "Engaging": "opportunity", "Prospecting": "sql"},
    }
)


def chunk(text: str) -> pd.DataFrame:
    (frame,) = list(read_csv_source(text.encode()).chunks())
    return frame


def test_a_yes_no_won_column_sets_won_only_on_yes_and_marks_it_undated():
    rows = validate_chunk(chunk("Prospect ID,Converted\nA,1\nB,0\nC,\n"), WON).rows
    assert rows["won_at"].isna().all()  # no date column: the writer dates it
    assert rows[UNDATED + "won_at"].tolist() == [True, False, False]
    # "no" and blank record nothing: a stored date stays.
    assert rows[KEEP + "won_at"].tolist() == [False, True, True]
    assert "won" not in rows


def test_a_yes_no_column_with_its_date_column_takes_the_date_on_yes_only():
    mapping = Mapping(
        kind="outcomes",
        fields={"lead_external_id": "id", "won": "Won", "won_at": "Close"},
    )
    text = "id,Won,Close\nA,yes,2024-03-01\nB,no,2024-03-02\nC,yes,\n"
    rows = validate_chunk(chunk(text), mapping).rows
    assert rows["won_at"].tolist()[0] == pd.Timestamp("2024-03-01", tz="UTC")
    assert rows["won_at"].iloc[1:].isna().all()
    assert rows[UNDATED + "won_at"].tolist() == [False, False, True]


def test_a_stage_column_routes_its_date_to_the_mapped_stage():
    text = (
        "opportunity_id,deal_stage,close\n"
        "O1,Won,2024-03-01\nO2,Lost,2024-03-02\nO3,Engaging,\nO4,Prospecting,2024-01-05\n"
    )
    result = validate_chunk(chunk(text), STAGES)
    rows = result.rows.set_index("lead_external_id")
    assert rows.loc["O1", "won_at"] == pd.Timestamp("2024-03-01", tz="UTC")
    assert pd.isna(rows.loc["O2", "won_at"]) and rows.loc["O2", KEEP + "won_at"]
    assert rows.loc["O2", "lost_at"] == pd.Timestamp("2024-03-02", tz="UTC")
    assert rows.loc["O3", UNDATED + "opportunity_at"]  # Engaging, no close date
    assert rows.loc["O4", "qualified_at"] == pd.Timestamp("2024-01-05", tz="UTC")
    assert result.stage_counts == {"Won": 1, "Lost": 1, "Engaging": 1, "Prospecting": 1}


def test_a_stage_value_missing_from_the_map_rejects_the_row_and_is_counted():
    text = "opportunity_id,deal_stage,close\nO1,Won,2024-03-01\nO2,On hold,\nO3,won,\n"
    result = validate_chunk(chunk(text), STAGES)
    assert result.rows["lead_external_id"].tolist() == ["O1", "O3"]  # case is ignored
    assert result.rejects[["line", "column", "value"]].values.tolist() == [
        [3, "deal_stage", "On hold"]
    ]
    assert "not in the mapping's stages" in result.rejects["reason"].iloc[0]
    assert result.stage_counts == {"Won": 1, "On hold": 1, "won": 1}


def test_stage_maps_are_checked_when_the_mapping_is_read():
    with pytest.raises(MappingError, match="unknown Baton stage"):
        Mapping.from_json({"kind": "outcomes", "stages": {"Won": "closed-won"}})
    with pytest.raises(MappingError, match="outcomes mapping"):
        Mapping.from_json({"kind": "leads", "stages": {"Won": "won"}})
    no_map = Mapping(kind="outcomes", fields={"lead_external_id": "id", "stage": "s"})
    assert any('needs "stages"' in p for p in no_map.problems(["id", "s"]))


def test_as_of_dates_a_snapshot_and_must_be_a_date():
    leads = Mapping.from_json(
        {"kind": "leads", "fields": {"external_id": "ID"}, "as_of": "2024-06-30"}
    )
    rows = validate_chunk(chunk("ID,age\nA,30\n"), leads).rows
    assert rows["created_at"].tolist() == [pd.Timestamp("2024-06-30", tz="UTC")]
    assert Mapping.from_json(leads.to_json()) == leads
    with pytest.raises(MappingError, match="as_of"):
        Mapping.from_json({"kind": "leads", "as_of": "June"})
    with pytest.raises(MappingError, match="as_of"):
        Mapping.from_json({"kind": "touches", "as_of": "2024-06-30"})


def test_the_report_says_how_undated_outcomes_are_dated():
    assert "lead's creation time" in undated_note(WON)
    snapshot = Mapping.from_json({**WON.to_dict(), "as_of": "2024-06-30"})
    assert "as-of date 2024-06-30" in undated_note(snapshot)
    assert undated_note(STAGES) is None  # stage_at dates it


def test_salesforce_reports_map_lead_status_converted_and_opportunity_stage():
    from domain.importing import detect_preset, suggest_mapping

    leads = ["Lead ID", "Lead Owner", "Lead Source", "Lead Status", "Converted", "Converted Date"]
    mapping = suggest_mapping("outcomes", leads)
    assert detect_preset(leads) == "Salesforce leads report"
    assert mapping.fields["qualified"] == "Converted"
    assert mapping.stage_target("Closed - Not Converted") == "disqualified"
    opportunities = [
        "Opportunity ID", "Opportunity Name", "Stage", "Closed", "Won", "Close Date",
        "Created Date", "Amount",
    ]  # fmt: skip
    text = (
        ",".join(opportunities) + "\n"
        "O1,Big deal,Closed Won,1,1,2024-03-01,2024-01-10,900\n"
        "O2,Small deal,Closed Lost,1,0,2024-03-02,2024-01-11,100\n"
        "O3,Open deal,Negotiation/Review,0,0,2024-09-30,2024-01-12,50\n"
    )
    rows = validate_chunk(chunk(text), suggest_mapping("outcomes", opportunities)).rows
    rows = rows.set_index("lead_external_id")
    assert rows.loc["O1", "won_at"] == pd.Timestamp("2024-03-01", tz="UTC")
    assert rows.loc["O2", "lost_at"] == pd.Timestamp("2024-03-02", tz="UTC")
    # An open deal's Close Date is only expected: it is an opportunity since its creation.
    assert rows.loc["O3", "opportunity_at"] == pd.Timestamp("2024-01-12", tz="UTC")
    assert pd.isna(rows.loc["O3", "won_at"]) and rows.loc["O3", KEEP + "won_at"]


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(
        st.tuples(st.sampled_from(["1", "0", "yes", "no", ""]), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_a_yes_sets_or_marks_its_date_and_a_no_or_blank_never_does(answers):
    mapping = Mapping(kind="outcomes", fields={"lead_external_id": "id", "won": "w", "won_at": "d"})
    text = "id,w,d\n" + "".join(
        f"L{i},{a},{'2024-05-01' if dated else ''}\n" for i, (a, dated) in enumerate(answers)
    )
    rows = validate_chunk(chunk(text), mapping).rows
    yes = pd.Series([a in ("1", "yes") for a, _ in answers], index=rows.index)
    dated = pd.Series([d for _, d in answers], index=rows.index)
    assert (rows["won_at"].notna() == (yes & dated)).all()
    assert (rows[UNDATED + "won_at"] == (yes & ~dated)).all()
    assert (rows[KEEP + "won_at"] == ~yes).all()
