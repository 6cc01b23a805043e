from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from data import DEFAULT_AS_OF, DemoData, generate, hot_moments, lead_fit
from domain.definitions.defaults import ACTIVITY_TYPES
from domain.definitions.definition import BANT_FACTS, CONTENT_STAGES
from domain.engine.frames import LEAD_CORE_COLUMNS, SALES_FACT_COLUMNS, TOUCH_COLUMNS

AS_OF = pd.Timestamp(DEFAULT_AS_OF)
SENIORITIES = {"C-level", "VP", "Director", "Manager", "Individual contributor", "Student"}
# Each stage date is never earlier than the one before it (won and lost both follow opportunity).
STAGE_ORDER = ("accepted_at", "conversation_at", "bant_at", "opportunity_at")


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(10_000, seed=7)


def first_touches(demo: DemoData) -> pd.Series:
    return demo.touches.groupby("lead_external_id")["touched_at"].min()


def engaged_ids(demo: DemoData) -> pd.Index:
    return pd.Index(demo.activities["lead_external_id"].unique())


def frames(demo: DemoData) -> dict[str, pd.DataFrame]:
    return {
        "leads": demo.leads,
        "activities": demo.activities,
        "touches": demo.touches,
        "sales_facts": demo.sales_facts,
    }


def test_the_same_seed_gives_identical_frames():
    first, second = generate(1_500, seed=3), generate(1_500, seed=3)
    for name, frame in frames(first).items():
        pd.testing.assert_frame_equal(frame, frames(second)[name], check_exact=True)


def test_another_seed_gives_different_data():
    first, second = generate(1_500, seed=3), generate(1_500, seed=4)
    assert not first.leads["email"].equals(second.leads["email"])
    assert len(first.activities) != len(second.activities)


def test_the_default_as_of_is_a_fixed_date_not_the_clock():
    implicit = generate(300, seed=1)
    explicit = generate(300, seed=1, as_of=datetime(2026, 11, 1, tzinfo=UTC))
    pd.testing.assert_frame_equal(implicit.activities, explicit.activities)


def test_a_naive_as_of_is_read_as_utc():
    naive = generate(300, seed=1, as_of=datetime(2025, 6, 1))
    aware = generate(300, seed=1, as_of=datetime(2025, 6, 1, tzinfo=UTC))
    pd.testing.assert_frame_equal(naive.touches, aware.touches)
    assert naive.activities["occurred_at"].max() < pd.Timestamp("2025-06-01", tz="UTC")


def test_frames_have_the_contracted_columns(demo):
    leads_core = [c for c in LEAD_CORE_COLUMNS if c != "lead_id"]
    assert list(demo.leads.columns) == [*leads_core, "custom"]
    assert list(demo.activities.columns) == [
        "lead_external_id", "activity_type", "occurred_at", "content_stage", "asset", "duration_s",
    ]  # fmt: skip
    assert list(demo.touches.columns) == ["lead_external_id", *TOUCH_COLUMNS[1:]]
    assert list(demo.sales_facts.columns) == ["lead_external_id", *SALES_FACT_COLUMNS[1:]]
    assert demo.leads["external_id"].is_unique
    assert demo.sales_facts["lead_external_id"].is_unique
    assert demo.leads["company_size"].dtype == float


def test_every_lead_has_a_seniority_and_an_employee_growth(demo):
    custom = pd.DataFrame(demo.leads["custom"].tolist())
    assert set(custom["seniority"]) == SENIORITIES
    assert custom["employee_growth"].map(type).eq(float).all()


def test_every_timestamp_is_utc_and_not_after_as_of(demo):
    for name, frame in frames(demo).items():
        for column in frame.columns:
            if column.endswith("_at"):
                assert str(frame[column].dtype) == "datetime64[ns, UTC]", (name, column)
                assert (frame[column].dropna() <= AS_OF).all(), (name, column)


def test_activities_use_the_default_vocabulary(demo):
    activities = demo.activities
    assert set(activities["activity_type"].unique()) == set(ACTIVITY_TYPES)
    downloads = activities["activity_type"] == "content_download"
    assert set(activities.loc[downloads, "content_stage"].unique()) == set(CONTENT_STAGES)
    assert activities.loc[~downloads, "content_stage"].isna().all()


def test_every_activity_touch_and_fact_belongs_to_an_existing_lead(demo):
    for frame in (demo.activities, demo.touches, demo.sales_facts):
        assert frame["lead_external_id"].isin(demo.leads["external_id"]).all()


def test_nothing_happens_to_a_lead_before_it_was_created(demo):
    created = demo.leads.set_index("external_id")["created_at"]
    for frame, column in ((demo.activities, "occurred_at"), (demo.touches, "touched_at")):
        created_at = created.reindex(frame["lead_external_id"]).reset_index(drop=True)
        assert (frame[column].reset_index(drop=True) >= created_at).all(), column


def test_stage_dates_are_ordered_per_lead(demo):
    facts = demo.sales_facts.set_index("lead_external_id")
    touched = first_touches(demo).reindex(facts.index)
    previous = touched
    for column in STAGE_ORDER:
        dated = facts[column].notna()
        assert (facts.loc[dated, column] >= previous[dated]).all(), column
        previous = facts[column].fillna(previous)
    for column in ("won_at", "lost_at"):
        dated = facts[column].notna()
        assert (facts.loc[dated, column] >= facts.loc[dated, "opportunity_at"]).all(), column
    for column in ("disqualified_at", "recycled_at"):
        dated = facts[column].notna()
        assert (facts.loc[dated, column] >= touched[dated]).all(), column


def test_sales_follows_up_only_after_the_lead_turned_hot(demo):
    hot, touched = hot_moments(demo.leads, demo.activities), first_touches(demo)
    inbound = touched.index.intersection(hot.index)
    assert (touched[inbound] >= hot[inbound]).all()
    # Everyone else sales touched was prospected cold, from an outbound list.
    cold = demo.leads.set_index("external_id").loc[touched.index.difference(hot.index)]
    assert (cold["source"] == "outbound").all()


def test_only_touched_leads_have_sales_facts(demo):
    assert demo.sales_facts["lead_external_id"].isin(demo.touches["lead_external_id"]).all()


def test_bant_is_answered_only_after_a_conversation(demo):
    facts = demo.sales_facts
    asked = facts["bant_at"].notna()
    assert facts.loc[asked, "conversation_at"].notna().all()
    for fact in BANT_FACTS:
        assert facts.loc[~asked, fact].isna().all()
        assert facts.loc[asked, fact].isin([True, False]).all()


def test_only_opportunities_carry_a_deal_amount(demo):
    facts = demo.sales_facts
    assert facts["amount"].notna().eq(facts["opportunity_at"].notna()).all()
    assert (facts["amount"].dropna() > 0).all()


def test_about_a_fifth_of_leads_are_suspects_without_any_activity(demo):
    suspects = 1 - len(engaged_ids(demo)) / len(demo.leads)
    assert 0.15 <= suspects <= 0.25


def test_leads_average_fifteen_to_twenty_five_activities(demo):
    assert 15 <= len(demo.activities) / len(demo.leads) <= 25


def test_a_share_of_hot_leads_is_never_touched(demo):
    hot = hot_moments(demo.leads, demo.activities)
    never = ~hot.index.isin(demo.touches["lead_external_id"])
    assert 0.15 <= never.mean() <= 0.35


def test_some_suspects_are_prospected_straight_into_sales(demo):
    touched = pd.Index(demo.touches["lead_external_id"].unique())
    prospected = touched.difference(engaged_ids(demo))
    suspects = len(demo.leads) - len(engaged_ids(demo))
    assert 0.01 <= len(prospected) / suspects <= 0.05


def test_won_leads_fit_better_than_lost_ones(demo):
    fit = lead_fit(demo.leads).set_axis(demo.leads["external_id"])
    facts = demo.sales_facts
    won = fit[facts.loc[facts["won_at"].notna(), "lead_external_id"]]
    lost = fit[facts.loc[facts["lost_at"].notna(), "lead_external_id"]]
    assert len(won) > 20 and len(lost) > 20
    assert won.mean() > lost.mean()


def test_funnel_rates_land_near_the_typical_ones(demo):
    hot = hot_moments(demo.leads, demo.activities)
    facts = demo.sales_facts
    accepted = facts["accepted_at"].notna()
    bant = facts[list(BANT_FACTS)].fillna(False).astype(bool)
    sql = accepted & facts["conversation_at"].notna() & (bant.sum(axis=1) >= 3) & bant["need"]
    won = sql & facts["won_at"].notna()
    assert 0.10 <= len(hot) / len(engaged_ids(demo)) <= 0.25
    assert 0.40 <= accepted.sum() / len(hot) <= 0.60
    assert 0.50 <= sql.sum() / accepted.sum() <= 0.70
    assert 0.15 <= won.sum() / sql.sum() <= 0.30


def test_emails_match_who_the_lead_is(demo):
    leads = demo.leads
    seniority = leads["custom"].str.get("seniority")
    students = seniority == "Student"
    assert leads.loc[students, "email"].str.endswith(".edu").all()
    assert leads.loc[students, "title"].str.lower().str.contains("student").all()
    assert leads["email"].str.endswith("@rivalcrm.com").any()
    assert 0.10 <= leads["email"].str.endswith("@gmail.com").mean() <= 0.20


def test_segment_follows_company_size(demo):
    size = demo.leads["company_size"]
    expected = np.select([size < 200, size < 5_000], ["SMB", "Mid-market"], "Enterprise")
    assert (demo.leads["segment"] == expected).all()
    assert size.between(1, 100_000).all()


def test_reading_signals_leaves_the_frames_untouched(demo):
    leads, activities = demo.leads.copy(), demo.activities.copy()
    lead_fit(demo.leads)
    hot_moments(demo.leads, demo.activities)
    pd.testing.assert_frame_equal(demo.leads, leads)
    pd.testing.assert_frame_equal(demo.activities, activities)


def test_a_hundred_leads_still_make_a_consistent_data_set():
    small = generate(100, seed=11)
    assert len(small.leads) == 100
    assert small.touches["lead_external_id"].isin(small.leads["external_id"]).all()


def test_ten_thousand_leads_generate(demo):
    assert len(demo.leads) == 10_000
