import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.engine.lead_table import lead_table
from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.metrics import (
    Filters,
    apply_filters,
    conversion_rates,
    funnel,
    reached,
    stage_moment,
    velocity,
)
from tests import small_funnel
from tests.builders import definition, make_activities, make_facts, make_leads, model_of
from tests.small_funnel import EXITS, synthetic_table

# Five leads: a suspect, a lead, an MQL, an MQL that became SQL and won, a prospecting SQL.
LEADS = make_leads(
    {"source": "email", "owner": "ann"},
    {"source": "email", "owner": "ann"},
    {"source": "paid_search", "owner": "bob"},
    {"source": "paid_search", "owner": "bob", "created_at": "2024-02-03"},
    {"source": "outbound", "owner": "bob"},
)
EVENTS = make_activities(
    (2, "email_open", "2024-01-05"),
    (3, "demo_request", "2024-01-10"),
    (4, "demo_request", "2024-02-04"),
)
FACTS = make_facts(
    {
        "lead_id": 4,
        "accepted_at": "2024-02-05",
        "conversation_at": "2024-02-06",
        "budget": True,
        "authority": True,
        "need": True,
        "bant_at": "2024-02-07",
        "opportunity_at": "2024-02-10",
        "won_at": "2024-02-20",
    },
    {
        "lead_id": 5,
        "conversation_at": "2024-01-15",
        "budget": True,
        "authority": True,
        "need": True,
        "timeline": True,
        "bant_at": "2024-01-15",
    },
)


@pytest.fixture(scope="module")
def table():
    d = definition(hand_raisers=["demo_request"], mql_threshold=100)
    return lead_table(LEADS, model_of(LEADS, EVENTS, facts=FACTS).score(d))


def test_the_funnel_counts_every_lead_that_reached_each_stage(table):
    counts = funnel(table).set_index("stage")["leads"].to_dict()
    assert counts == {
        "Suspect": 5,
        "Lead": 4,
        "MQL": 3,
        "SAL": 2,
        "SQL": 2,
        "Opportunity": 1,
        "Won": 1,
    }


def test_stage_to_stage_conversion_is_relative_to_the_stage_before(table):
    rates = funnel(table).set_index("stage")["from_previous"]
    assert np.isnan(rates["Suspect"])
    assert rates["Lead"] == pytest.approx(4 / 5)
    assert rates["Won"] == pytest.approx(1.0)


def test_key_rates_carry_the_counts_behind_them(table):
    rates = conversion_rates(table).set_index("rate")
    assert rates.loc["MQL -> SQL", ["from", "converted"]].tolist() == [3, 2]
    assert rates.loc["MQL -> SQL", "conversion"] == pytest.approx(2 / 3)


def test_a_rate_with_nobody_behind_it_is_not_a_number(table):
    only_email = apply_filters(table, Filters(sources=("email",)))
    rates = conversion_rates(only_email).set_index("rate")
    assert rates.loc["SQL -> Won", "from"] == 0
    assert np.isnan(rates.loc["SQL -> Won", "conversion"])


def test_rates_can_be_broken_down_by_a_column(table):
    by_owner = conversion_rates(table, by="owner")
    assert set(by_owner["group"]) == {"ann", "bob"}
    bob = by_owner[(by_owner["group"] == "bob") & (by_owner["rate"] == "Lead -> MQL")]
    assert bob[["from", "converted"]].values.tolist() == [[3, 3]]


def test_filters_narrow_by_source_owner_cohort_and_creation_date(table):
    assert len(apply_filters(table, Filters(owners=("bob",)))) == 3
    assert len(apply_filters(table, Filters(cohort_months=("2024-02",)))) == 1
    assert len(apply_filters(table, Filters(created_from=pd.Timestamp("2024-02-01")))) == 1
    assert len(apply_filters(table, Filters(created_to=pd.Timestamp("2024-01-01")))) == 4
    assert len(apply_filters(table, Filters(sources=("nowhere",)))) == 0


def test_velocity_gives_the_median_days_between_dated_stages(table):
    steps = velocity(table).set_index("step")
    assert steps.loc["MQL -> SAL", "median_days"] == pytest.approx(1.0)
    assert steps.loc["MQL -> SAL", "leads"] == 1
    assert steps.loc["Opportunity -> Won", "median_days"] == pytest.approx(10.0)


def test_metrics_do_not_mutate_the_table(table):
    before = table.copy()
    funnel(table), conversion_rates(table, by="source"), velocity(table)
    apply_filters(table, Filters(sources=("email",)))
    pd.testing.assert_frame_equal(table, before)


# --- Stage dates: when a lead reached a stage, and date ranges on a stage's date ---


@pytest.fixture(scope="module")
def small():
    return small_funnel.table()


def moments(table, stage):
    return dict(zip(table["external_id"], stage_moment(table, stage), strict=True))


def test_a_stage_is_reached_at_its_own_date(small):
    assert moments(small, "MQL")["L4"] == pd.Timestamp("2024-01-06T12:00", tz="UTC")
    assert moments(small, "Suspect")["L1"] == pd.Timestamp("2024-01-02T09:00", tz="UTC")


def test_a_lead_that_skipped_a_stage_passed_it_with_the_next_stage_it_reached(small):
    # L5 was prospected straight to SQL (02-03); L8 became an SQL without a formal SAL.
    assert moments(small, "MQL")["L5"] == pd.Timestamp("2024-02-03T09:00", tz="UTC")
    assert moments(small, "SAL")["L8"] == pd.Timestamp("2024-03-05T09:30", tz="UTC")


def test_a_lead_that_never_reached_a_stage_has_no_date_for_it(small):
    assert pd.isna(moments(small, "MQL")["L2"])
    assert stage_moment(small, "SQL").notna().sum() == 3


def test_a_lost_deal_was_an_opportunity_from_when_it_was_lost():
    lost = synthetic_table([((True, True, True, True, True, False), 1, "a", "Lost")])
    assert stage_moment(lost, "Opportunity").iloc[0] == lost["lost_at"].iloc[0]


def test_the_date_range_can_apply_to_a_stage_date(small):
    february = {
        "created_from": pd.Timestamp("2024-02-01"),
        "created_to": pd.Timestamp("2024-02-29"),
    }
    by_mql = apply_filters(small, Filters(date_stage="MQL", **february))
    assert sorted(by_mql["external_id"]) == ["L5", "L6", "L7"]
    by_creation = apply_filters(small, Filters(**february))
    assert sorted(by_creation["external_id"]) == ["L5", "L6", "L7"]
    by_sql = apply_filters(small, Filters(date_stage="SQL", **february))
    assert sorted(by_sql["external_id"]) == ["L5"]


def test_a_stage_date_without_a_range_filters_nothing(small):
    assert len(apply_filters(small, Filters(date_stage="Won"))) == len(small)


def test_segments_filter_like_the_other_attributes(small):
    assert sorted(apply_filters(small, Filters(segments=("Enterprise",)))["external_id"]) == [
        "L5",
        "L8",
    ]


@settings(max_examples=40, deadline=None)
@given(
    paths=st.lists(
        st.tuples(
            st.tuples(*[st.booleans()] * 6),
            st.integers(0, 60),
            st.just("a"),
            st.sampled_from(EXITS),
        ),
        max_size=25,
    )
)
def test_a_lead_has_a_date_for_a_stage_exactly_when_it_reached_it_in_order(paths):
    table = synthetic_table(paths)
    previous = None
    for stage in FUNNEL_STAGES:
        moment = stage_moment(table, stage)
        assert (moment.notna() == reached(table, stage)).all()
        if previous is not None:
            both = moment.notna()
            assert (moment[both] >= previous[both]).all()
        previous = moment
