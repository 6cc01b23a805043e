"""Two people's draft edits merge field by field; only the same field changed twice asks."""

from __future__ import annotations

from domain.definitions.defaults import default_definition
from domain.definitions.merge import merge_drafts

BASE = default_definition()


def _rule(definition, rule_id):
    return next(r for r in definition.fit_rules if r.id == rule_id)


def test_different_settings_and_rules_merge_without_asking():
    first = BASE.fit_rules[0]
    mine = BASE.replace(mql_threshold=70)
    theirs = BASE.replace(
        sla_hours=48,
        fit_rules=[
            r.model_dump() | ({"points": 99} if r.id == first.id else {}) for r in BASE.fit_rules
        ],
    )
    merged = merge_drafts(BASE, mine, theirs)
    assert merged.conflicts == ()
    assert merged.definition.mql_threshold == 70 and merged.definition.sla_hours == 48
    assert _rule(merged.definition, first.id).points == 99


def test_the_same_field_changed_by_both_is_a_conflict_with_both_values():
    merged = merge_drafts(BASE, BASE.replace(mql_threshold=70), BASE.replace(mql_threshold=50))
    assert [(c.where, c.mine, c.theirs) for c in merged.conflicts] == [("mql_threshold", 70, 50)]
    assert merged.definition.mql_threshold == 50
    assert merged.choose_mine(BASE.replace(mql_threshold=70)).mql_threshold == 70


def test_different_fields_of_one_rule_merge():
    rule = BASE.fit_rules[0]
    rules = [r.model_dump() for r in BASE.fit_rules]
    mine = BASE.replace(
        fit_rules=[r | ({"points": 1} if r["id"] == rule.id else {}) for r in rules]
    )
    theirs = BASE.replace(
        fit_rules=[r | ({"label": "theirs"} if r["id"] == rule.id else {}) for r in rules]
    )
    merged = merge_drafts(BASE, mine, theirs)
    assert merged.conflicts == ()
    assert (_rule(merged.definition, rule.id).points, _rule(merged.definition, rule.id).label) == (
        1,
        "theirs",
    )


def test_rules_added_on_both_sides_and_removed_on_one_are_all_kept_or_dropped():
    rules = [r.model_dump() for r in BASE.fit_rules]
    extra = {
        "id": "mine-new",
        "attribute": "country",
        "operator": "equals",
        "value": "DE",
        "points": 3,
    }
    other = {**extra, "id": "their-new", "value": "FR"}
    mine = BASE.replace(fit_rules=[*rules, extra])
    theirs = BASE.replace(fit_rules=[*rules[1:], other])
    merged = merge_drafts(BASE, mine, theirs)
    ids = [r.id for r in merged.definition.fit_rules]
    assert merged.conflicts == ()
    assert "mine-new" in ids and "their-new" in ids and rules[0]["id"] not in ids


def test_stage_notes_merge_per_stage():
    mine = BASE.replace(stage_notes={"MQL": "mine"})
    theirs = BASE.replace(stage_notes={"SQL": "theirs"})
    merged = merge_drafts(BASE, mine, theirs)
    assert merged.definition.stage_notes == {"MQL": "mine", "SQL": "theirs"}


def _engagement(definition, rule_id):
    return next(r for r in definition.engagement_rules if r.id == rule_id)


def test_a_count_beside_a_cap_that_cannot_stand_together_is_one_rule_conflict():
    rule = next(r for r in BASE.engagement_rules if r.cap is None)
    rules = [r.model_dump() for r in BASE.engagement_rules]
    mine = BASE.replace(
        engagement_rules=[r | ({"min_count": 3} if r["id"] == rule.id else {}) for r in rules]
    )
    theirs = BASE.replace(
        engagement_rules=[r | ({"cap": 30} if r["id"] == rule.id else {}) for r in rules]
    )
    merged = merge_drafts(BASE, mine, theirs)
    assert [c.where for c in merged.conflicts] == [f"engagement_rules.{rule.id}"]
    kept = _engagement(merged.definition, rule.id)
    assert (kept.cap, kept.min_count) == (30, None)
    chosen = _engagement(merged.choose_mine(mine), rule.id)
    assert (chosen.cap, chosen.min_count) == (None, 3)


def test_an_operator_beside_a_value_that_do_not_fit_is_one_rule_conflict():
    rule = next(r for r in BASE.fit_rules if r.operator == "in")
    rules = [r.model_dump(mode="json") for r in BASE.fit_rules]
    single = {"operator": "equals", "value": "SaaS"}
    wider = {"value": [*rule.value, "Retail"]}
    mine = BASE.replace(fit_rules=[r | (single if r["id"] == rule.id else {}) for r in rules])
    theirs = BASE.replace(fit_rules=[r | (wider if r["id"] == rule.id else {}) for r in rules])
    merged = merge_drafts(BASE, mine, theirs)
    assert [c.where for c in merged.conflicts] == [f"fit_rules.{rule.id}"]
    assert _rule(merged.definition, rule.id).value == (*rule.value, "Retail")
    chosen = _rule(merged.choose_mine(mine), rule.id)
    assert (chosen.operator, chosen.value) == ("equals", "SaaS")
