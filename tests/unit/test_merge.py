"""Two people's draft edits merge field by field; only the same field changed twice asks."""

from __future__ import annotations

from domain.defaults import default_definition
from domain.merge import merge_drafts

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
