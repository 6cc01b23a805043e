"""Conversion on cohorts that had the chance to convert (domain.funnel.cohorts)."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.funnel.cohorts import (
    SMALL_SAMPLE,
    STAGE_MONTH,
    cohort_rates,
    compare_rates,
    min_age,
    steps_after,
)
from domain.funnel.metrics import KEY_RATES, Filters, apply_filters, conversion_rates
from tests import small_funnel
from tests.small_funnel import EXITS, synthetic_table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return small_funnel.table()


def counts(frame: pd.DataFrame, *columns: str) -> dict[str, list[int]]:
    return {row["rate"]: [int(row[c]) for c in columns] for _, row in frame.iterrows()}


def test_with_no_minimum_age_the_rates_are_the_funnel_rates(table):
    rates = cohort_rates(table, small_funnel.AS_OF)
    assert counts(rates, "reached", "too_recent", "from", "converted") == {
        "Lead -> MQL": [7, 0, 7, 6],
        "MQL -> SQL": [6, 0, 6, 3],
        "SQL -> Won": [3, 0, 3, 1],
    }
    expected = conversion_rates(table)
    assert rates["from"].tolist() == expected["from"].tolist()
    assert rates["converted"].tolist() == expected["converted"].tolist()
    assert rates["conversion"].tolist() == pytest.approx(expected["conversion"].tolist())


def test_leads_that_reached_the_first_stage_too_recently_are_counted_apart(table):
    # Cut-off 2024-02-11 00:00: L7 (a lead since 02-11 09:00) and L8 (03-01) are too recent.
    rates = cohort_rates(table, "2024-04-01", min_age_days=50).set_index("rate")
    lead_mql = rates.loc["Lead -> MQL"]
    assert [lead_mql[c] for c in ("reached", "too_recent", "from", "converted")] == [7, 2, 5, 4]
    assert lead_mql["conversion"] == pytest.approx(4 / 5)


def test_each_step_can_give_leads_its_own_number_of_days(table):
    ages = {"Lead -> MQL": 50, "SQL -> Won": 1_000}
    rates = cohort_rates(table, "2024-04-01", min_age_days=ages).set_index("rate")
    assert rates.loc["MQL -> SQL", "too_recent"] == 0  # no age given: 0 days
    assert rates.loc["SQL -> Won", "from"] == 0
    assert math.isnan(rates.loc["SQL -> Won", "conversion"])
    assert min_age(ages, "Lead -> MQL") == 50 and min_age(7, "anything") == 7


def test_a_lead_that_skipped_mql_is_in_the_mql_cohort_and_converted(table):
    bypassed = table[table["external_id"] == "L5"]
    rates = cohort_rates(bypassed, small_funnel.AS_OF).set_index("rate")
    assert rates.loc["MQL -> SQL", ["from", "converted"]].tolist() == [1, 1]


def test_a_group_with_nobody_behind_a_rate_has_no_rate_and_is_flagged(table):
    rates = cohort_rates(table, small_funnel.AS_OF, by="source")
    events = rates[rates["group"] == "events"].set_index("rate")  # L1, a suspect only
    assert events["from"].tolist() == [0, 0, 0]
    assert events["conversion"].isna().all()
    assert events["small_sample"].all()


def test_rates_by_group_add_up_to_the_totals(table):
    total = cohort_rates(table, small_funnel.AS_OF).set_index("rate")
    for by in ("source", "segment", "owner"):
        summed = cohort_rates(table, small_funnel.AS_OF, by=by).groupby("rate").sum()
        for column in ("reached", "from", "converted"):
            assert summed[column].to_dict() == total[column].to_dict()


def test_rates_by_owner_are_exact(table):
    rates = cohort_rates(table, small_funnel.AS_OF, by="owner")
    bob = rates[rates["group"] == "bob"]
    assert counts(bob, "from", "converted") == {
        "Lead -> MQL": [3, 3],
        "MQL -> SQL": [3, 2],
        "SQL -> Won": [2, 1],
    }


def test_the_cohort_month_is_the_month_the_lead_reached_the_first_stage(table):
    rates = cohort_rates(table, small_funnel.AS_OF, by=STAGE_MONTH)
    mql_sql = rates[rates["rate"] == "MQL -> SQL"].set_index("group")
    assert mql_sql[["from", "converted"]].to_dict("index") == {
        "2024-01": {"from": 2, "converted": 1},
        "2024-02": {"from": 3, "converted": 1},  # L5 passed MQL on 02-03 with its SQL
        "2024-03": {"from": 1, "converted": 1},
    }


def test_a_missing_group_value_is_its_own_group(table):
    no_owner = table.assign(owner=[None, *table["owner"][1:]])
    rates = cohort_rates(no_owner, small_funnel.AS_OF, by="owner")
    assert "(none)" in set(rates["group"])


def test_fewer_leads_than_the_threshold_make_a_small_sample():
    paths = [((True, True, False, False, False, False), 0, "a", "")] * SMALL_SAMPLE
    big = cohort_rates(synthetic_table(paths), "2024-06-30").set_index("rate")
    small = cohort_rates(synthetic_table(paths[1:]), "2024-06-30").set_index("rate")
    assert not big.loc["Lead -> MQL", "small_sample"]
    assert small.loc["Lead -> MQL", "small_sample"]


def test_only_steps_after_the_date_stage_say_something():
    assert steps_after("Suspect") == KEY_RATES
    assert [s[0] for s in steps_after("MQL")] == ["MQL -> SQL", "SQL -> Won"]
    assert [s[0] for s in steps_after("SQL")] == ["SQL -> Won"]
    assert steps_after("Won") == ()


def test_the_draft_is_put_beside_published_with_the_change_in_points(table):
    published = cohort_rates(table, small_funnel.AS_OF)
    draft = cohort_rates(table[table["external_id"] != "L3"], small_funnel.AS_OF)
    both = compare_rates(published, draft).set_index("rate")
    row = both.loc["MQL -> SQL"]
    assert [row["from"], row["converted"], row["from_draft"], row["converted_draft"]] == [
        6,
        3,
        5,
        3,
    ]
    assert row["change_pts"] == pytest.approx((3 / 5 - 3 / 6) * 100)
    assert list(both.index) == [name for name, _, _ in KEY_RATES]


def test_a_group_only_one_side_has_gets_zero_counts_on_the_other(table):
    published = cohort_rates(table, small_funnel.AS_OF, by="source")
    draft = cohort_rates(table[table["source"] != "events"], small_funnel.AS_OF, by="source")
    events = compare_rates(published, draft).query("group == 'events'")
    assert events["from_draft"].tolist() == [0, 0, 0]
    assert events["small_sample_draft"].all()


def test_filtering_on_a_stage_date_gives_that_stages_cohort(table):
    feb_mqls = apply_filters(
        table,
        Filters(
            date_stage="MQL",
            created_from=pd.Timestamp("2024-02-01"),
            created_to=pd.Timestamp("2024-02-29"),
        ),
    )
    rates = cohort_rates(feb_mqls, small_funnel.AS_OF).set_index("rate")
    assert rates.loc["MQL -> SQL", ["from", "converted"]].tolist() == [3, 1]


def test_cohort_rates_do_not_mutate_the_table(table):
    before = table.copy()
    cohort_rates(table, small_funnel.AS_OF, 30, by=STAGE_MONTH)
    cohort_rates(table, small_funnel.AS_OF, 30, by="source")
    pd.testing.assert_frame_equal(table, before)


paths = st.lists(
    st.tuples(
        st.tuples(*[st.booleans()] * 6),
        st.integers(0, 120),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(EXITS),
    ),
    min_size=0,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(paths=paths, age=st.integers(0, 200))
def test_cohorts_are_consistent_for_any_leads(paths, age):
    table = synthetic_table(paths)
    rates = cohort_rates(table, "2024-06-30", min_age_days=age)
    assert (rates["converted"] <= rates["from"]).all()
    assert (rates["from"] + rates["too_recent"] == rates["reached"]).all()
    by_source = cohort_rates(table, "2024-06-30", min_age_days=age, by="source")
    summed = by_source.groupby("rate")[["reached", "from", "converted"]].sum()
    for _, row in rates.iterrows():
        expected = [int(row[c]) for c in ("reached", "from", "converted")]
        got = summed.loc[row["rate"]].tolist() if row["rate"] in summed.index else [0, 0, 0]
        assert got == expected
