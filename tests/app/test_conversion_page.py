"""The conversion page through AppTest: every rate of the hand-built funnel with the counts
behind it, cohorts that had the chance to convert, the filters and the draft overlay."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app as cli_app
from db import repository as repo
from db.engine import get_engine
from tests import small_funnel
from tests.app.analytics_helpers import (
    CONVERSION_PAGE,
    copy_database,
    figure,
    infos,
    open_page,
    rows,
    table,
)
from tests.app.seeded_db import seeded_copy

STEPS = ("Lead -> MQL", "MQL -> SQL", "SQL -> Won")
COUNTS = ("group", "rate", "from", "converted")


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = tmp_path_factory.getbasetemp()
    return seeded_copy(base, tmp_path_factory.mktemp("conversion") / "seeded.db")


@pytest.fixture(scope="module")
def small_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('conversion') / 'small.db'}"
    small_funnel.seed(get_engine(url))
    return url


@pytest.fixture
def small(small_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", small_url)
    return open_page(CONVERSION_PAGE)


def set_min_ages(at, days: int) -> None:
    for step in STEPS:
        name = step.split()
        at.number_input(key=f"conversion_min_age_{name[0]}_{name[-1]}").set_value(days)
    at.run()


def test_the_key_rates_of_the_hand_built_funnel_are_exact(small):
    key_rates = table(small, "rates_key")
    columns = ("rate", "reached", "too_recent", "from", "converted", "small_sample")
    assert rows(key_rates, *columns) == [
        ("Lead → MQL", 7, 0, 7, 6, True),
        ("MQL → SQL", 6, 0, 6, 3, True),
        ("SQL → Won", 3, 0, 3, 1, True),
    ]
    assert key_rates["conversion"].tolist() == pytest.approx([6 / 7, 3 / 6, 1 / 3])
    tiles = [small.get_by_key(f"rate_tile_{a}_{b}").metric[0] for a, b in _ends()]
    assert [t.value for t in tiles] == ["85.7%", "50.0%", "33.3%"]
    assert tiles[0].delta.startswith("6 of 7") and "small sample" in tiles[0].delta


def test_the_rates_by_source_segment_and_owner_are_exact(small):
    assert rows(table(small, "rates_source"), *COUNTS) == [
        ("email", "Lead → MQL", 2, 1),
        ("email", "MQL → SQL", 1, 0),
        ("email", "SQL → Won", 0, 0),
        ("events", "Lead → MQL", 0, 0),  # L1: a suspect, nobody to convert
        ("events", "MQL → SQL", 0, 0),
        ("events", "SQL → Won", 0, 0),
        ("outbound", "Lead → MQL", 1, 1),
        ("outbound", "MQL → SQL", 1, 1),
        ("outbound", "SQL → Won", 1, 0),
        ("paid", "Lead → MQL", 2, 2),
        ("paid", "MQL → SQL", 2, 1),
        ("paid", "SQL → Won", 1, 1),
        ("webinar", "Lead → MQL", 2, 2),
        ("webinar", "MQL → SQL", 2, 1),
        ("webinar", "SQL → Won", 1, 0),
    ]
    assert rows(table(small, "rates_segment"), *COUNTS)[::3] == [
        ("Enterprise", "Lead → MQL", 2, 2),
        ("Mid-market", "Lead → MQL", 3, 3),
        ("SMB", "Lead → MQL", 2, 1),
    ]
    assert rows(table(small, "rates_owner"), *COUNTS) == [
        ("ann", "Lead → MQL", 2, 1),
        ("ann", "MQL → SQL", 1, 0),
        ("ann", "SQL → Won", 0, 0),
        ("bob", "Lead → MQL", 3, 3),
        ("bob", "MQL → SQL", 3, 2),
        ("bob", "SQL → Won", 2, 1),
        ("cy", "Lead → MQL", 2, 2),
        ("cy", "MQL → SQL", 2, 1),
        ("cy", "SQL → Won", 1, 0),
    ]
    events = table(small, "rates_source").query("group == 'events'")
    assert events["conversion"].isna().all() and events["small_sample"].all()


def test_the_rates_by_cohort_month_are_exact(small):
    assert rows(table(small, "rates_month"), *COUNTS) == [
        ("2024-01", "Lead → MQL", 3, 2),
        ("2024-01", "MQL → SQL", 2, 1),
        ("2024-01", "SQL → Won", 1, 1),
        ("2024-02", "Lead → MQL", 3, 3),
        ("2024-02", "MQL → SQL", 3, 1),
        ("2024-02", "SQL → Won", 1, 0),
        ("2024-03", "Lead → MQL", 1, 1),
        ("2024-03", "MQL → SQL", 1, 1),
        ("2024-03", "SQL → Won", 1, 0),
    ]
    heatmap = figure(small, "rates_month_chart")["data"][0]
    assert heatmap["x"] == ["2024-01", "2024-02", "2024-03"]
    assert heatmap["text"][1][0] == "50.0%<br>1/2 ⚠"  # MQL -> SQL, January


def test_each_bar_shows_its_rate_and_the_counts_behind_it(small):
    bars = figure(small, "rates_owner_chart")["data"]
    lead_mql = next(b for b in bars if b["xaxis"] == "x")
    assert lead_mql["y"] == ["ann", "bob", "cy"]
    assert lead_mql["text"] == ["50.0% · 1/2 ⚠", "100.0% · 3/3 ⚠", "100.0% · 2/2 ⚠"]


def test_leads_too_recent_to_judge_are_counted_apart(seeded_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    at = open_page(CONVERSION_PAGE)
    key_rates = table(at, "rates_key")
    assert (key_rates["too_recent"] > 0).all()  # the demo data runs up to today
    assert (key_rates["from"] + key_rates["too_recent"] == key_rates["reached"]).all()
    assert any("Too recent to judge" in c.value for c in at.caption)


def test_with_no_waiting_time_the_rates_agree_with_the_cli(seeded_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    at = open_page(CONVERSION_PAGE)
    set_min_ages(at, 0)
    report = json.loads(CliRunner().invoke(cli_app, ["funnel", "--json"]).output)
    key_rates = table(at, "rates_key").set_index("rate")
    for step in STEPS:
        cli = report["conversion"][step]
        row = key_rates.loc[step.replace("->", "→")]
        assert [row["from"], row["converted"]] == [cli["from"], cli["converted"]]
        assert row["conversion"] == pytest.approx(cli["rate"], abs=1e-6)
        assert row["too_recent"] == 0


def test_a_stage_date_range_drops_the_rates_that_would_be_100_percent(small):
    small.selectbox(key="filter_date_stage").set_value("MQL")
    small.date_input(key="filter_created").set_value((date(2024, 2, 1), date(2024, 2, 29))).run()
    assert not small.exception
    assert rows(table(small, "rates_key"), "rate", "from", "converted") == [
        ("MQL → SQL", 3, 1),  # L5, L6, L7: L5 became an SQL
        ("SQL → Won", 1, 0),
    ]
    assert any("Not shown: Lead -> MQL" in c.value for c in small.caption)
    small.selectbox(key="filter_date_stage").set_value("Won").run()
    assert any("there is no rate left to measure" in text for text in infos(small))


def test_the_owner_filter_narrows_the_rates(small):
    small.multiselect(key="filter_owner").set_value(["bob"]).run()
    assert rows(table(small, "rates_key"), "rate", "from", "converted") == [
        ("Lead → MQL", 3, 3),
        ("MQL → SQL", 3, 2),
        ("SQL → Won", 2, 1),
    ]


def test_filters_matching_nothing_say_what_to_do(small):
    small.multiselect(key="filter_source").set_value(["events"])
    small.multiselect(key="filter_owner").set_value(["bob"]).run()
    assert any("No leads match these filters" in text for text in infos(small))
    assert not small.get("plotly_chart")


def test_the_draft_rates_are_shown_beside_published(small_url, tmp_path: Path, monkeypatch):
    url = copy_database(small_url, tmp_path / "draft.db")
    draft = small_funnel.small_definition().replace(hand_raisers=["demo_request", "email_open"])
    repo.save_draft(get_engine(url), definition=draft, expected_revision=None, author="test")
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(CONVERSION_PAGE)
    at.toggle(key="compare_draft").set_value(True).run()
    assert not at.exception
    key_rates = table(at, "rates_key").set_index("rate")
    assert key_rates.loc["Lead → MQL", ["from_draft", "converted_draft"]].tolist() == [7, 7]
    assert key_rates.loc["Lead → MQL", "change_pts"] == pytest.approx((7 / 7 - 6 / 7) * 100)
    assert key_rates.loc["MQL → SQL", ["from_draft", "converted_draft"]].tolist() == [7, 3]
    bars = figure(at, "rates_source_chart")["data"]
    assert {b["name"] for b in bars} == {"Published v1", "Draft r1"}
    keys = {b.key for b in at.download_button}
    assert {"rates_key_csv", "rates_source_csv", "rates_segment_csv"} <= keys
    assert {"rates_owner_csv", "rates_month_csv"} <= keys


def _ends() -> list[tuple[str, str]]:
    return [(s.split()[0], s.split()[-1]) for s in STEPS]
