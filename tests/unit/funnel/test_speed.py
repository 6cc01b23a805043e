"""Velocity by group and speed-to-lead (domain.funnel.speed)."""

import math

import pandas as pd
import pytest

from domain.follow_up.sla import follow_up_status, follow_up_summary
from domain.funnel.metrics import velocity
from domain.funnel.speed import STEPS, speed_to_lead, step_days, velocity_by
from tests import small_funnel

SLA_HOURS = 24.0


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return small_funnel.table()


@pytest.fixture(scope="module")
def status(table) -> pd.DataFrame:
    return follow_up_status(table, small_funnel.touches(), SLA_HOURS, small_funnel.AS_OF)


def test_each_step_a_lead_made_is_one_row_of_days(table):
    days = step_days(table).groupby("step")["days"].apply(sorted).to_dict()
    assert days == {
        "Lead -> MQL": [0.0, 0.0, 0.0, 1.0, 3.0],
        "MQL -> SAL": [1.0, 2.0],
        "SAL -> SQL": [1.0],
        "SQL -> Opportunity": [7.0, 7.0],
        "Opportunity -> Won": [30.0],
    }


def test_a_lead_that_skipped_a_stage_is_in_neither_of_its_steps(table):
    bypassed = table[table["external_id"] == "L5"]  # Lead -> SQL, no MQL and no SAL
    assert step_days(bypassed).empty


def test_velocity_by_group_gives_the_median_and_the_leads_behind_it(table):
    by_owner = velocity_by(table, "owner").set_index(["group", "step"])
    assert by_owner.loc[("bob", "MQL -> SAL"), ["leads", "median_days"]].tolist() == [2, 1.5]
    assert by_owner.loc[("cy", "Lead -> MQL"), ["leads", "median_days"]].tolist() == [2, 1.5]
    assert by_owner.loc[("bob", "Opportunity -> Won"), "p75_days"] == 30.0
    assert ("ann", "MQL -> SAL") not in by_owner.index  # nobody of ann's made that step


def test_nobody_making_any_step_gives_an_empty_velocity_table(table):
    suspects = table[table["external_id"] == "L1"]
    assert velocity_by(suspects, "owner").empty


def test_velocity_by_group_agrees_with_the_overall_velocity(table):
    overall = velocity(table).set_index("step")
    whole = velocity_by(table.assign(everyone="all"), "everyone").set_index("step")
    for step in STEPS:
        assert whole.loc[step, "leads"] == overall.loc[step, "leads"]
        assert whole.loc[step, "median_days"] == pytest.approx(overall.loc[step, "median_days"])


def test_speed_to_lead_by_owner_is_exact(table, status):
    speed = speed_to_lead(status, table["owner"], SLA_HOURS).set_index("group")
    assert speed.loc["ann", ["mqls", "followed_up", "never"]].tolist() == [1, 0, 1]
    assert math.isnan(speed.loc["ann", "median_hours"])
    assert speed.loc["bob", ["mqls", "followed_up", "within_sla"]].tolist() == [2, 2, 1]
    assert speed.loc["bob", "median_hours"] == pytest.approx(25.0)  # 2 h and 48 h
    assert speed.loc["cy", "median_hours"] == pytest.approx(2.0)  # 1 h and 3 h
    assert speed.loc["cy", "share_within_sla"] == 1.0


def test_speed_to_lead_overall_is_the_follow_up_summary(table, status):
    overall = speed_to_lead(status, None, SLA_HOURS).iloc[0]
    summary = follow_up_summary(status, SLA_HOURS)
    assert overall["mqls"] == summary["mqls"] == 5  # L5 bypassed MQL: no MQL moment
    assert overall["median_hours"] == pytest.approx(2.5)
    assert overall["share_within_sla"] == pytest.approx(summary["share_within_sla"]) == 0.6
    assert overall["share_never"] == pytest.approx(0.2)


def test_no_mqls_give_an_empty_speed_table(table):
    suspects = table[table["external_id"] == "L1"]
    status = follow_up_status(suspects, small_funnel.touches(), SLA_HOURS, small_funnel.AS_OF)
    assert speed_to_lead(status, suspects["owner"], SLA_HOURS).empty
