"""Count rules ("at least 3 pricing page views in the last 30 days"): points once, at a count."""

import json

import pytest

from domain.definitions.definition import DefinitionError, EngagementRule, parse_definition
from domain.definitions.describe import score_sentence
from domain.definitions.diff import describe_diff
from domain.definitions.rule_tables import engagement_rows, engagement_rules_from_rows
from domain.engine.explain import breakdown
from domain.follow_up.lead_view import explain, explain_text
from tests.builders import definition, engagement, make_activities, make_leads, model_of, score

ONE_LEAD = make_leads({"industry": "SaaS"})
VIEWS = "pricing_page_view"


def engagement_score(events, rules, **fields):
    frame = score(
        ONE_LEAD, definition(engagement_rules=rules, **fields), activities=make_activities(*events)
    )
    return frame.loc[1, "engagement_score"]


def views(*days: str) -> list[tuple[int, str, str]]:
    return [(1, VIEWS, day) for day in days]


def at_least(times: int, points: float = 20, **extra):
    return {**engagement(VIEWS, points), "min_count": times, **extra}


def test_the_points_come_once_when_the_count_is_reached():
    rule = [at_least(3)]
    assert engagement_score(views("2024-02-01", "2024-02-02"), rule) == 0
    assert engagement_score(views("2024-02-01", "2024-02-02", "2024-02-03"), rule) == 20
    assert engagement_score(views(*["2024-02-01"] * 9), rule) == 20


def test_only_activities_inside_the_window_count():
    events = views("2024-01-05", "2024-02-20", "2024-02-25")
    assert engagement_score(events, [at_least(3, window_days=30)]) == 0
    assert engagement_score(events, [at_least(2, window_days=30)]) == 20
    assert engagement_score(events, [at_least(3)]) == 20


def test_a_count_rule_does_not_decay():
    events = views("2023-06-01", "2023-06-02", "2023-06-03")
    assert engagement_score(events, [at_least(3)], decay_half_life_days=7) == 20
    per_view = engagement_score(events, [engagement(VIEWS, 20)], decay_half_life_days=7)
    assert per_view < 0.1


def test_a_count_rule_with_a_content_stage_counts_only_that_stage():
    events = [
        (1, "content_download", "2024-02-01", "decision"),
        (1, "content_download", "2024-02-02", "awareness"),
    ]
    rule = {**engagement("content_download", 15), "content_stage": "decision", "min_count": 2}
    assert engagement_score(events, [rule]) == 0
    assert engagement_score([*events, events[0]], [rule]) == 15


def test_negative_count_rules_subtract_once():
    events = [(1, "email_bounce", "2024-02-01")] * 5
    rule = {**engagement("email_bounce", -25), "min_count": 2}
    assert engagement_score(events, [rule]) == -25


def test_a_cap_on_a_count_rule_is_refused_with_a_reason():
    with pytest.raises(DefinitionError, match="takes no cap"):
        definition(engagement_rules=[at_least(3, cap=30)])
    with pytest.raises(DefinitionError, match="min_count"):
        definition(engagement_rules=[at_least(0)])


def test_stored_definitions_without_counts_load_and_save_byte_for_byte():
    # A definition saved before count rules existed (the JSON the database and exports hold).
    stored = json.dumps(
        {
            "engagement_rules": [
                {
                    "id": "e1", "activity_type": VIEWS, "points": 5.0, "cap": 15.0,
                    "window_days": 30, "content_stage": None, "label": "",
                }
            ],
            "mql_threshold": 60.0,
        }
    )  # fmt: skip
    loaded = parse_definition(stored)
    assert loaded.engagement_rules[0].min_count is None
    assert "min_count" not in loaded.to_json()
    again = parse_definition(loaded.to_json())
    assert again == loaded and again.fingerprint() == loaded.fingerprint()


def test_a_count_rule_survives_export_and_import():
    d = definition(engagement_rules=[at_least(3, window_days=30), engagement("email_open", 1)])
    text = d.to_json()
    back = parse_definition(text)
    assert back == d and back.to_json() == text
    assert back.engagement_rules[0].min_count == 3
    assert json.loads(text)["engagement_rules"][0]["min_count"] == 3


def test_count_rules_read_as_sentences():
    rule = EngagementRule(id="r", activity_type=VIEWS, points=20, min_count=3, window_days=30)
    assert rule.describe() == "at least 3 pricing page views in the last 30 days"
    webinar = EngagementRule(id="w", activity_type="webinar_attended", points=5, min_count=2)
    assert webinar.describe() == "webinar attended at least twice"
    once = EngagementRule(id="d", activity_type="demo_request", points=5, min_count=1)
    assert once.describe() == "at least 1 demo request"
    staged = EngagementRule(
        id="c", activity_type="content_download", points=5, min_count=2, content_stage="decision"
    )
    assert staged.describe() == "at least 2 content downloads (decision)"


def test_the_score_sentence_says_count_rules_do_not_fade():
    d = definition(engagement_rules=[at_least(3)], decay_half_life_days=14)
    assert "'at least' count rule does not fade" in score_sentence(d)
    plain = definition(engagement_rules=[engagement(VIEWS, 2)], decay_half_life_days=14)
    assert "count rule" not in score_sentence(plain)


def test_the_diff_names_a_changed_minimum_and_a_switch_to_counting():
    per_view = definition(engagement_rules=[engagement(VIEWS, 20)])
    three = definition(engagement_rules=[at_least(3)])
    five = definition(engagement_rules=[at_least(5)])
    assert describe_diff(three, five) == [
        "Engagement rule changed: at least 3 pricing page views: scores once at 3+ → once at 5+"
    ]
    assert describe_diff(per_view, three) == [
        "Engagement rule changed: pricing_page_view: scores per occurrence → once at 3+"
    ]
    added = describe_diff(definition(), three)
    assert added == ["Engagement rule added: at least 3 pricing page views (+20 points)"]


def test_why_this_score_shows_the_count_and_what_was_needed():
    events = make_activities(*views("2024-02-01", "2024-02-02"), (2, VIEWS, "2024-02-01"))
    leads = make_leads({}, {})
    model = model_of(leads, events)
    d = definition(engagement_rules=[at_least(2)], decay_half_life_days=14)
    reached = explain(breakdown(model, d, [1]), d)
    assert explain_text(reached) == "+20 at least 2 pricing page views (has 2)"
    short = explain(breakdown(model, d, [2]), d)
    assert explain_text(short) == "+0 at least 2 pricing page views (has 1 of 2)"


def test_rule_table_rows_carry_the_minimum_and_refuse_a_cap_beside_it():
    rule = EngagementRule(id="r", activity_type=VIEWS, points=20, min_count=3)
    rows = engagement_rows([rule])
    assert rows[0]["min_count"] == 3
    table = engagement_rules_from_rows(rows, [rule], [VIEWS])
    assert table.rules == (rule,) and not table.problems
    rows[0]["min_count"] = "5"
    assert engagement_rules_from_rows(rows, [rule], [VIEWS]).rules[0].min_count == 5
    for bad, reason in ((0, "1 or more"), (2.5, "whole number"), ("many", "not a number")):
        rows[0]["min_count"] = bad
        table = engagement_rules_from_rows(rows, [rule], [VIEWS])
        assert reason in table.problems[0] and table.rules == (rule,)
    rows[0].update(min_count=3, cap=40)
    table = engagement_rules_from_rows(rows, [rule], [VIEWS])
    assert "leave its cap empty" in table.problems[0]
