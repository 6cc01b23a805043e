"""A readable difference between two definitions."""

from domain.definitions.defaults import default_definition
from domain.definitions.diff import Change, describe_diff, diff_definitions
from tests.builders import definition, engagement, fit

BASE = default_definition()


def with_rules(fit_rules, engagement_rules):
    return BASE.replace(fit_rules=fit_rules, engagement_rules=engagement_rules)


def test_identical_definitions_have_no_differences():
    assert diff_definitions(BASE, BASE.replace()) == []


def test_a_higher_threshold_reads_as_stricter():
    lines = describe_diff(BASE, BASE.replace(mql_threshold=65))
    assert lines == ["MQL threshold: 60 → 65 (stricter)"]
    assert describe_diff(BASE, BASE.replace(mql_threshold=50)) == [
        "MQL threshold: 60 → 50 (looser)"
    ]


def test_settings_changes_are_listed_before_rule_changes():
    new = BASE.replace(
        decay_half_life_days=None,
        sla_hours=48,
        hand_raisers=["demo_request", "webinar_attended"],
        sql_criteria={"min_bant": 2, "mandatory": ["need", "budget"]},
        fit_rules=BASE.fit_rules[1:],
    )
    assert describe_diff(BASE, new) == [
        "Decay half-life: 45 days → no decay",
        "Follow-up SLA: 24 hours → 2 days",
        "Hand-raisers: added attends a webinar; removed submits a contact form",
        "BANT facts required for SQL: 3 → 2",
        "Mandatory BANT facts: added budget",
        "Fit rule removed: industry is SaaS or Fintech (+15 points)",
    ]


def test_rules_are_matched_by_id_so_a_points_change_is_one_change():
    old = with_rules([fit("industry", "in", ["SaaS"], 10)], [engagement("email_open", 1, cap=5)])
    new = with_rules(
        [fit("industry", "in", ["SaaS"], 10) | {"points": 12, "value": ["SaaS", "Fintech"]}],
        [engagement("email_open", 1, cap=5) | {"cap": None, "window_days": 30}],
    )
    changes = diff_definitions(old, new)
    assert [c.kind for c in changes] == ["changed", "changed"]
    assert changes[0].details == ("value SaaS → SaaS, Fintech", "points +10 → +12")
    assert changes[1].details == ("cap 5 → none", "window all time → 30 days")


def test_added_and_removed_rules_are_summarised():
    old = with_rules([], [engagement("email_open", 1, cap=5)])
    new = with_rules([fit("title", "contains", "student", -25)], [])
    assert describe_diff(old, new) == [
        "Fit rule added: title contains student (-25 points)",
        "Engagement rule removed: email_open (+1 points, cap 5)",
    ]


def test_stage_notes_show_the_new_wording():
    new = BASE.replace(stage_notes={"MQL": "Ready for a call"})
    assert describe_diff(BASE, new) == ["Stage note added: MQL: “Ready for a call”"]
    assert describe_diff(new, BASE) == ["Stage note removed: MQL"]


def test_a_conversation_requirement_change_reads_as_yes_or_no():
    old = definition(sql_criteria={"require_conversation": True})
    new = definition(sql_criteria={"require_conversation": False})
    assert describe_diff(old, new) == ["SQL needs a real conversation: yes → no"]


def test_a_change_reads_as_one_sentence():
    change = Change("changed", "Fit rule", "director or above", ("points +10 → +12",))
    assert change.text() == "Fit rule changed: director or above: points +10 → +12"
