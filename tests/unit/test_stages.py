import pandas as pd

from tests.builders import (
    definition,
    engagement,
    fit,
    make_activities,
    make_facts,
    make_leads,
    make_touches,
    score,
)

LEAD = make_leads({"industry": "SaaS"})
PRICING = [engagement("pricing_page_view", 10)]


def ts(text):
    return pd.Timestamp(text, tz="UTC")


def test_the_mql_moment_is_when_the_running_score_first_crossed_the_threshold():
    events = make_activities(
        (1, "pricing_page_view", "2024-01-10 09:00"),
        (1, "pricing_page_view", "2024-01-12 15:30"),
        (1, "pricing_page_view", "2024-01-20 08:00"),
    )
    row = score(
        LEAD, definition(engagement_rules=PRICING, mql_threshold=20), activities=events
    ).loc[1]
    assert row["mql_at"] == ts("2024-01-12 15:30")
    assert row["mql_reason"] == "score"
    assert row["lead_at"] == ts("2024-01-10 09:00")


def test_a_lead_that_crossed_then_decayed_stays_an_mql_but_is_not_one_now():
    events = make_activities(*[(1, "pricing_page_view", "2024-01-02 10:00")] * 3)
    row = score(
        LEAD,
        definition(engagement_rules=PRICING, mql_threshold=25, decay_half_life_days=7),
        activities=events,
    ).loc[1]
    assert row["highest_stage"] == "MQL"
    assert row["mql_at"] == ts("2024-01-02 10:00")
    assert not row["mql_now"]
    assert row["score"] < 25


def test_a_hand_raiser_makes_an_mql_below_the_threshold():
    events = make_activities(
        (1, "email_open", "2024-02-01"), (1, "demo_request", "2024-02-03 14:05")
    )
    row = score(
        LEAD,
        definition(
            engagement_rules=[engagement("email_open", 1)],
            mql_threshold=50,
            hand_raisers=["demo_request"],
        ),
        activities=events,
    ).loc[1]
    assert row["highest_stage"] == "MQL"
    assert row["mql_at"] == ts("2024-02-03 14:05")
    assert row["mql_reason"] == "hand-raiser"


def test_fit_alone_can_reach_the_threshold_from_the_day_the_lead_was_created():
    row = score(LEAD, definition(fit_rules=[fit("industry", "equals", "SaaS", 12)])).loc[1]
    assert row["mql_at"] == ts("2024-01-01")
    assert row["mql_reason"] == "fit"


def test_a_prospecting_sql_bypasses_the_mql():
    touches = make_touches((1, "2024-02-01 10:00", "call", "connected"))
    facts = make_facts(
        {
            "lead_id": 1,
            "budget": True,
            "authority": True,
            "need": True,
            "bant_at": "2024-02-01 11:00",
        }
    )
    row = score(LEAD, definition(mql_threshold=50), touches=touches, facts=facts).loc[1]
    assert row["highest_stage"] == "SQL"
    assert pd.isna(row["mql_at"])
    assert row["mql_bypassed"]
    assert row["sql_at"] == ts("2024-02-01 11:00")


def test_sql_needs_k_of_four_bant_facts_and_every_mandatory_one():
    touches = make_touches((1, "2024-02-01", "meeting", "meeting_held"))
    facts = make_facts(
        {
            "lead_id": 1,
            "budget": True,
            "authority": True,
            "need": False,
            "timeline": False,
            "bant_at": "2024-02-02",
        }
    )
    criteria = {"require_conversation": True, "min_bant": 2}

    def stage(**extra):
        d = definition(sql_criteria={**criteria, **extra})
        return score(LEAD, d, touches=touches, facts=facts).loc[1, "highest_stage"]

    assert stage() == "SQL"
    assert stage(min_bant=3) == "Lead"
    assert stage(mandatory=["need"]) == "Lead"
    assert stage(mandatory=["budget"]) == "SQL"


def test_sql_may_require_a_real_conversation():
    touches = make_touches((1, "2024-02-01", "email", "replied"))
    facts = make_facts(
        {
            "lead_id": 1,
            "budget": True,
            "authority": True,
            "need": True,
            "timeline": True,
            "bant_at": "2024-02-02",
        }
    )
    strict = definition(sql_criteria={"require_conversation": True, "min_bant": 3})
    loose = definition(sql_criteria={"require_conversation": False, "min_bant": 3})
    assert score(LEAD, strict, touches=touches, facts=facts).loc[1, "highest_stage"] == "Lead"
    assert score(LEAD, loose, touches=touches, facts=facts).loc[1, "highest_stage"] == "SQL"


def test_a_won_lead_without_sql_data_still_counts_as_having_passed_sql():
    facts = make_facts({"lead_id": 1, "won_at": "2024-02-20", "amount": 1000})
    frame = score(LEAD, definition(), facts=facts)
    assert frame.loc[1, "highest_stage"] == "Won"
    assert frame.loc[1, "stage"] == "Won"
    assert pd.isna(frame.loc[1, "sql_at"])


def test_a_crm_qualified_moment_makes_an_sql_whatever_the_bant_criteria():
    facts = make_facts(
        {"lead_id": 1, "qualified_at": "2024-02-12"},
        {"lead_id": 2, "qualified_at": "2024-02-12", "budget": True, "bant_at": "2024-02-05"},
    )
    leads = make_leads({"industry": "SaaS"}, {"industry": "SaaS"})
    frame = score(leads, definition(), facts=facts)
    assert frame.loc[1, "highest_stage"] == "SQL"
    assert frame.loc[1, "sql_at"] == ts("2024-02-12")
    # Whichever came first: a lead meeting the criteria earlier is an SQL from then.
    assert frame.loc[2, "sql_at"] <= ts("2024-02-12")


def test_a_lost_deal_reached_opportunity_and_is_now_lost():
    facts = make_facts({"lead_id": 1, "opportunity_at": "2024-02-10", "lost_at": "2024-02-20"})
    row = score(LEAD, definition(), facts=facts).loc[1]
    assert (row["highest_stage"], row["stage"]) == ("Opportunity", "Lost")


def test_disqualifying_an_mql_keeps_its_highest_stage():
    events = make_activities((1, "demo_request", "2024-02-01"))
    facts = make_facts({"lead_id": 1, "disqualified_at": "2024-02-05", "reason": "student"})
    row = score(
        LEAD, definition(hand_raisers=["demo_request"]), activities=events, facts=facts
    ).loc[1]
    assert (row["highest_stage"], row["stage"]) == ("MQL", "Disqualified")


def test_a_recycled_lead_is_back_in_nurture_until_sales_moves_it_again():
    events = make_activities((1, "demo_request", "2024-02-01"))
    recycled = make_facts({"lead_id": 1, "recycled_at": "2024-02-05"})
    accepted_later = make_facts(
        {"lead_id": 1, "recycled_at": "2024-02-05", "accepted_at": "2024-02-09"}
    )
    d = definition(hand_raisers=["demo_request"])
    assert score(LEAD, d, activities=events, facts=recycled).loc[1, "stage"] == "Recycled"
    assert score(LEAD, d, activities=events, facts=accepted_later).loc[1, "stage"] == "SAL"


def test_sales_facts_after_the_as_of_moment_are_not_known_yet():
    facts = make_facts({"lead_id": 1, "accepted_at": "2024-02-01", "won_at": "2024-04-01"})
    row = score(LEAD, definition(), facts=facts).loc[1]
    assert row["highest_stage"] == "SAL"
    assert pd.isna(row["won_at"])


def test_a_touch_makes_a_suspect_a_lead():
    touches = make_touches((1, "2024-02-01", "call", "no_answer"))
    assert score(LEAD, definition(), touches=touches).loc[1, "highest_stage"] == "Lead"
