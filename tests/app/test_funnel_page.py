"""The funnel page through AppTest: the hand-built funnel to the last number, the filters,
the drill-down, the draft overlay, and agreement with `cli.py funnel --json`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app as cli_app
from db import repository as repo
from db.engine import get_engine
from tests import small_funnel
from tests.app.analytics_helpers import (
    CONVERSION_PAGE,
    FUNNEL_PAGE,
    copy_database,
    figure,
    funnel_counts,
    infos,
    open_page,
    rows,
    sankey_links,
    table,
)
from tests.app.seeded_db import seeded_copy


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = tmp_path_factory.getbasetemp()
    return seeded_copy(base, tmp_path_factory.mktemp("funnel") / "seeded.db")


@pytest.fixture(scope="module")
def small_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('funnel') / 'small.db'}"
    small_funnel.seed(get_engine(url))
    return url


@pytest.fixture
def seeded(seeded_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    return open_page(FUNNEL_PAGE)


@pytest.fixture
def small(small_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", small_url)
    return open_page(FUNNEL_PAGE)


def test_the_hand_built_funnel_shows_every_count_and_share_exactly(small):
    trace = figure(small, "funnel_chart")["data"][0]
    assert trace["y"] == ["Suspect", "Lead", "MQL", "SAL", "SQL", "Opportunity", "Won"]
    assert trace["x"] == [8, 7, 6, 4, 3, 2, 1]
    assert trace["text"] == [
        "8",
        "7 · 87.5% of previous",
        "6 · 85.7% of previous",
        "4 · 66.7% of previous",
        "3 · 75.0% of previous",
        "2 · 66.7% of previous",
        "1 · 50.0% of previous",
    ]
    numbers = table(small, "funnel_numbers")
    assert numbers["published_leads"].tolist() == [8, 7, 6, 4, 3, 2, 1]
    assert numbers["published_from_previous"].tolist()[1:] == pytest.approx(
        [7 / 8, 6 / 7, 4 / 6, 3 / 4, 2 / 3, 1 / 2]
    )


def test_the_hand_built_flows_and_where_leads_end_are_exact(small):
    assert sankey_links(figure(small, "flow_sankey_1_True")) == {
        ("Before MQL", "MQL"): 5,
        ("Before MQL", "SQL"): 1,
        ("MQL", "SAL"): 2,
        ("MQL", "SQL"): 1,
        ("SAL", "SQL"): 1,
        ("SQL", "Opportunity"): 2,
        ("Opportunity", "Won"): 1,
        ("Opportunity", "Lost"): 1,
        ("SAL", "Disqualified"): 1,
        ("MQL", "Recycled"): 1,
    }
    small.segmented_control(key="flow_start").set_value("Suspect").run()
    assert sankey_links(figure(small, "flow_sankey_1_True"))[("Suspect", "Lead")] == 7
    assert rows(table(small, "flow_outcomes"), "stage", "leads", "open", "lost") == [
        ("Suspect", 1, 1, 0),
        ("Lead", 1, 1, 0),
        ("MQL", 2, 1, 0),
        ("SAL", 1, 0, 0),
        ("SQL", 1, 1, 0),
        ("Opportunity", 1, 0, 1),
        ("Won", 1, 1, 0),
    ]


def test_the_hand_built_velocity_and_speed_to_lead_are_exact(small):
    velocity = table(small, "velocity_table")
    assert rows(velocity, "group", "step", "leads", "median_days") == [
        ("email", "Lead → MQL", 1, 0.0),
        ("paid", "Lead → MQL", 2, 0.5),
        ("paid", "MQL → SAL", 2, 1.5),
        ("paid", "SAL → SQL", 1, 1.0),
        ("paid", "SQL → Opportunity", 1, 7.0),
        ("paid", "Opportunity → Won", 1, 30.0),
        ("webinar", "Lead → MQL", 2, 1.5),
        ("webinar", "SQL → Opportunity", 1, 7.0),
    ]
    speed = table(small, "speed_table")
    assert rows(speed, "group", "mqls", "followed_up", "median_hours", "within_sla", "never") == [
        ("email", 1, 0, None, 0, 1),
        ("paid", 2, 2, 25.0, 1, 0),
        ("webinar", 2, 2, 2.0, 2, 0),
    ]
    small.segmented_control(key="velocity_by").set_value("owner").run()
    by_owner = table(small, "speed_table")
    assert rows(by_owner, "group", "mqls", "median_hours") == [
        ("ann", 1, None),
        ("bob", 2, 25.0),
        ("cy", 2, 2.0),
    ]


def test_picking_a_stage_lists_its_leads_with_scores_owners_sources_and_links(small):
    assert "Click a bar" in small.get_by_key("funnel_drilldown").caption[0].value
    small.pills(key="funnel_drill_stage").set_value("MQL").run()
    drill = table(small, "funnel_drilldown_table")
    assert rows(drill, "lead", "score", "highest_stage", "stage", "source", "owner") == [
        ("lead?lead_id=L3", 0.0, "MQL", "MQL", "email", "ann"),
        ("lead?lead_id=L4", 0.0, "Won", "Won", "paid", "bob"),
        ("lead?lead_id=L5", 0.0, "SQL", "SQL", "outbound", "bob"),
        ("lead?lead_id=L6", 0.0, "SAL", "Disqualified", "paid", "bob"),
        ("lead?lead_id=L7", 0.0, "MQL", "Recycled", "webinar", "cy"),
        ("lead?lead_id=L8", 0.0, "Opportunity", "Lost", "webinar", "cy"),
    ]
    # L5 skipped MQL: it passed it when it became an SQL.
    assert drill["reached_at"][2] == pd.Timestamp("2024-02-03T09:00", tz="UTC")
    heading = small.get_by_key("funnel_drilldown").markdown[0].value
    assert heading.startswith("**MQL: 6 leads**")


def test_a_stage_date_range_gives_that_stages_cohort(small):
    small.selectbox(key="filter_date_stage").set_value("MQL")
    small.date_input(key="filter_created").set_value((date(2024, 2, 1), date(2024, 2, 29))).run()
    assert not small.exception
    assert funnel_counts(small) == [[3, 3, 3, 2, 1, 0, 0]]  # L5, L6 and L7
    assert small.date_input(key="filter_created").label == "Became MQL between"


def test_the_segment_filter_narrows_every_view(small):
    small.multiselect(key="filter_segment").set_value(["Enterprise"]).run()
    assert funnel_counts(small) == [[2, 2, 2, 2, 2, 1, 0]]  # L5 and L8
    assert table(small, "flow_outcomes")["leads"].sum() == 2
    small.button(key="filter_clear").click().run()
    assert funnel_counts(small) == [[8, 7, 6, 4, 3, 2, 1]]


def test_filters_matching_nothing_say_what_to_do(small):
    small.multiselect(key="filter_segment").set_value(["SMB"])
    small.multiselect(key="filter_owner").set_value(["cy"]).run()
    assert not small.exception
    assert any("No leads match these filters" in text for text in infos(small))
    assert not small.get("plotly_chart")


def test_without_a_draft_the_toggle_says_there_is_none(small):
    assert small.toggle(key="compare_draft").proto.disabled
    assert any("no working draft" in c.value for c in small.caption)


def test_the_draft_is_drawn_beside_published(
    small_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_database(small_url, tmp_path / "draft.db")
    engine = get_engine(url)
    # E-mail opens also make an MQL under the draft: L2 and (earlier) L8.
    draft = small_funnel.small_definition().replace(hand_raisers=["demo_request", "email_open"])
    repo.save_draft(engine, definition=draft, expected_revision=None, author="test")
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(FUNNEL_PAGE)
    at.toggle(key="compare_draft").set_value(True).run()
    assert not at.exception
    assert funnel_counts(at) == [[8, 7, 6, 4, 3, 2, 1], [8, 7, 7, 4, 3, 2, 1]]
    numbers = table(at, "funnel_numbers")
    assert numbers["draft_change"].tolist() == [0, 0, 1, 0, 0, 0, 0]
    at.pills(key="funnel_drill_stage").set_value("MQL")
    at.segmented_control(key="funnel_drill_side").set_value(1).run()
    drill = table(at, "funnel_drilldown_table")
    assert len(drill) == 7
    # L2 is an MQL only under the draft: listed first, with its stage under published.
    assert rows(drill.head(1), "external_id", "highest_other", "reached_other") == [
        ("L2", "Lead", False)
    ]
    assert drill["reached_other"].tolist()[1:] == [True] * 6


def test_every_table_can_be_downloaded_as_csv(seeded):
    seeded.pills(key="funnel_drill_stage").set_value("SQL").run()
    keys = {b.key for b in seeded.download_button}
    tables = ("funnel_numbers", "funnel_drilldown_table", "flow_outcomes", "velocity_table")
    assert {f"{k}_csv" for k in (*tables, "speed_table")} <= keys


def test_the_page_agrees_with_the_cli_funnel_report(seeded, seeded_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    result = CliRunner().invoke(cli_app, ["funnel", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    stages = list(report["stages"].values())
    assert funnel_counts(seeded) == [stages]
    numbers = table(seeded, "funnel_numbers")
    assert numbers["published_leads"].tolist() == stages
    shares = list(report["stage_to_stage"].values())  # Suspect -> Lead, ..., Opportunity -> Won
    assert numbers["published_from_previous"].tolist()[1:] == pytest.approx(shares, abs=1e-6)
    seeded.pills(key="funnel_drill_stage").set_value("MQL").run()
    assert len(table(seeded, "funnel_drilldown_table")) == report["stages"]["MQL"]
    speed = table(seeded, "speed_table")
    assert speed["mqls"].sum() == report["follow_up"]["mqls"]
    assert speed["never"].sum() == report["follow_up"]["never"]


def test_a_database_emptied_while_open_says_how_to_seed(
    small_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_database(small_url, tmp_path / "emptied.db")
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(FUNNEL_PAGE)
    repo.delete_all_data(get_engine(url))
    at.run()
    assert not at.exception
    assert any("python cli.py seed" in text for text in infos(at))


@pytest.mark.parametrize("page", [FUNNEL_PAGE, CONVERSION_PAGE])
def test_a_draft_with_no_lead_in_view_leaves_the_published_side_whole(
    page: str, small_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_database(small_url, tmp_path / "no-mql-draft.db")
    draft = small_funnel.small_definition().replace(hand_raisers=[])  # nobody becomes MQL
    repo.save_draft(get_engine(url), definition=draft, expected_revision=None, author="test")
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(page)
    at.toggle(key="compare_draft").set_value(True)
    at.selectbox(key="filter_date_stage").set_value("MQL")
    at.date_input(key="filter_created").set_value((date(2024, 1, 10), date(2024, 1, 10))).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == FUNNEL_PAGE:
        assert funnel_counts(at) == [[1, 1, 1, 0, 0, 0, 0], [0] * 7]  # L3 under published
    else:
        assert table(at, "rates_key")["from"].tolist() == [1, 0]
