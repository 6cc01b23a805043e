import pandas as pd
import pytest

from tests.builders import definition, engagement, fit, make_activities, make_leads, score

ONE_LEAD = make_leads({"industry": "SaaS"})


def engagement_score(events, rules, **fields):
    frame = score(
        ONE_LEAD, definition(engagement_rules=rules, **fields), activities=make_activities(*events)
    )
    return frame.loc[1, "engagement_score"]


def test_each_occurrence_earns_the_rules_points():
    events = [(1, "email_click", "2024-02-01")] * 3
    assert engagement_score(events, [engagement("email_click", 3)]) == 9


def test_a_cap_stops_a_cheap_action_from_adding_up_forever():
    events = [(1, "email_open", "2024-02-01")] * 100
    assert engagement_score(events, [engagement("email_open", 1, cap=5)]) == 5


def test_negative_rules_subtract_and_their_cap_limits_the_penalty():
    events = [(1, "email_bounce", "2024-02-01")] * 4
    assert engagement_score(events, [engagement("email_bounce", -10)]) == -40
    assert engagement_score(events, [engagement("email_bounce", -10, cap=15)]) == -15


def test_a_window_counts_only_the_last_n_days():
    events = [(1, "page_view", "2024-01-05"), (1, "page_view", "2024-02-25")]
    assert engagement_score(events, [engagement("page_view", 2, window_days=30)]) == 2
    assert engagement_score(events, [engagement("page_view", 2)]) == 4


def test_decay_halves_points_exactly_at_the_half_life():
    events = [(1, "pricing_page_view", "2024-02-16")]  # 14 days before 2024-03-01
    score_ = engagement_score(
        events, [engagement("pricing_page_view", 10)], decay_half_life_days=14
    )
    assert score_ == pytest.approx(5.0, abs=1e-9)


def test_without_a_half_life_points_do_not_decay():
    events = [(1, "pricing_page_view", "2023-03-01")]
    assert engagement_score(events, [engagement("pricing_page_view", 10)]) == 10


def test_decay_is_applied_before_the_cap():
    events = [(1, "email_open", "2024-02-16")] * 10  # each worth 0.5 after one half-life
    rules = [engagement("email_open", 2, cap=8)]
    assert engagement_score(events, rules, decay_half_life_days=14) == pytest.approx(8)
    assert engagement_score(events[:6], rules, decay_half_life_days=14) == pytest.approx(6)


def test_a_content_stage_rule_counts_only_that_stage():
    events = [
        (1, "content_download", "2024-02-01", "decision"),
        (1, "content_download", "2024-02-01", "awareness"),
        (1, "content_download", "2024-02-02", "awareness"),
    ]
    rules = [
        engagement("content_download", 15, content_stage="decision"),
        {**engagement("content_download", 3, content_stage="awareness"), "id": "aw"},
    ]
    assert engagement_score(events, rules) == 21


def test_a_rule_without_a_stage_counts_every_stage():
    events = [
        (1, "content_download", "2024-02-01", "decision"),
        (1, "content_download", "2024-02-01", None),
    ]
    assert engagement_score(events, [engagement("content_download", 4)]) == 8


def test_activities_after_the_as_of_moment_do_not_count():
    events = [(1, "email_click", "2024-02-01"), (1, "email_click", "2024-03-05")]
    assert engagement_score(events, [engagement("email_click", 3)]) == 3


def test_a_lead_without_activity_scores_its_fit_only_and_stays_a_suspect():
    frame = score(
        ONE_LEAD,
        definition(
            fit_rules=[fit("industry", "equals", "SaaS", 7)],
            engagement_rules=[engagement("email_open", 1)],
        ),
    )
    row = frame.loc[1]
    assert (row["fit_score"], row["engagement_score"], row["score"]) == (7, 0, 7)
    assert row["highest_stage"] == "Suspect"


def test_totals_can_be_negative():
    frame = score(
        ONE_LEAD,
        definition(engagement_rules=[engagement("unsubscribe", -20)]),
        activities=make_activities((1, "unsubscribe", "2024-02-01")),
    )
    assert frame.loc[1, "score"] == -20


def test_an_activity_without_a_type_counts_for_no_rule():
    from domain.engine.aggregate import aggregate_activities
    from domain.engine.scoring import ScoringModel
    from tests.builders import make_facts, make_touches

    counts = aggregate_activities(make_activities((1, "email_open", "2024-02-01")))
    untyped = counts.assign(activity_type=None, n=5)
    model = ScoringModel(
        ONE_LEAD, pd.concat([counts, untyped]), make_touches(), make_facts(), as_of="2024-03-01"
    )
    assert (
        model.score(definition(engagement_rules=[engagement("email_open", 1)])).engagement[0] == 1
    )


def test_a_short_half_life_with_a_window_never_gives_nan():
    leads = make_leads({}, {})
    events = make_activities(
        (1, "page_view", "2024-02-20"), *[(2, "page_view", "2021-01-01 10:00")] * 10
    )
    d = definition(
        engagement_rules=[engagement("page_view", 10, window_days=30)],
        decay_half_life_days=1,
        mql_threshold=60,
    )
    frame = score(leads, d, activities=events)
    assert frame["score"].notna().all()
    assert frame.loc[2, "mql_at"] == pd.Timestamp("2021-01-01 10:00", tz="UTC")


def test_a_rule_on_an_attribute_the_data_lacks_matches_no_one():
    d = definition(fit_rules=[fit("favourite_colour", "equals", "green", 50)])
    assert score(ONE_LEAD, d).loc[1, "fit_score"] == 0
    from tests.builders import model_of

    assert model_of(ONE_LEAD).missing_attributes(d) == ["favourite_colour"]
