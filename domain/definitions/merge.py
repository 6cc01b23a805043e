"""Three-way merge of two people's edits to one draft, field by field.

`base` is the draft both started from, `mine` and `theirs` their edits. A setting, a stage
note or a field of one rule (found by its id) changed by only one side takes that side's
value; changed by both to different values it is a conflict, reported with both values,
and the merge keeps theirs until someone chooses. Rules added on one side are kept, rules
removed on one side (and not changed on the other) are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from domain.definitions.definition import Definition, EngagementRule, FitRule, parse_definition

SETTINGS = (
    "mql_threshold", "decay_half_life_days", "hand_raisers", "sql_criteria", "sla_hours",
)  # fmt: skip
RULE_LISTS = ("fit_rules", "engagement_rules")
RULE_MODELS: dict[str, type[FitRule] | type[EngagementRule]] = {
    "fit_rules": FitRule,
    "engagement_rules": EngagementRule,
}
_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    """One field both changed: where it is, and both values (None: the rule is removed)."""

    where: str
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merged:
    definition: Definition  # theirs wherever there is a conflict
    conflicts: tuple[Conflict, ...]

    def choose_mine(self, mine: Definition) -> Definition:
        """The merge with every conflict settled my way."""
        data = self.definition.model_dump(mode="json")
        for conflict in self.conflicts:
            _put(data, conflict.where, mine.model_dump(mode="json"))
        return parse_definition(data)


def merge_drafts(base: Definition, mine: Definition, theirs: Definition) -> Merged:
    b, m, t = (d.model_dump(mode="json") for d in (base, mine, theirs))
    out = dict(t)
    conflicts: list[Conflict] = []
    for name in SETTINGS:
        out[name] = _pick(name, b.get(name), m.get(name), t.get(name), conflicts)
    notes = {}
    for stage in sorted({*b["stage_notes"], *m["stage_notes"], *t["stage_notes"]}):
        value = _pick(
            f"stage_notes.{stage}",
            b["stage_notes"].get(stage, ""),
            m["stage_notes"].get(stage, ""),
            t["stage_notes"].get(stage, ""),
            conflicts,
        )
        if value:
            notes[stage] = value
    out["stage_notes"] = notes
    for name in RULE_LISTS:
        out[name] = _merge_rules(name, b[name], m[name], t[name], conflicts)
    return Merged(parse_definition(out), tuple(conflicts))


def _pick(where: str, base: Any, mine: Any, theirs: Any, conflicts: list[Conflict]) -> Any:
    if mine in (theirs, base):
        return theirs
    if theirs == base:
        return mine
    conflicts.append(Conflict(where, mine, theirs))
    return theirs


def _merge_rules(
    name: str, base: list[dict], mine: list[dict], theirs: list[dict], conflicts: list[Conflict]
) -> list[dict]:
    b, m, t = ({r["id"]: r for r in rules} for rules in (base, mine, theirs))
    order = [r["id"] for r in theirs] + [i for i in m if i not in t and i not in b]
    merged: list[dict[str, Any]] = []
    for rule_id in order:
        was, now, their = b.get(rule_id), m.get(rule_id), t.get(rule_id)
        if their is None:  # only mine added it (theirs removed: handled below)
            if now is not None:
                merged.append(now)
            continue
        if was is None or now is None:
            if now is None and was is not None and their != was:
                conflicts.append(Conflict(f"{name}.{rule_id}", None, their))
            if now is not None or was is None or their != was:
                merged.append(their)
            continue
        merged.append(_merge_rule(name, rule_id, was, now, their, conflicts))
    # A rule removed by them but changed by me comes back, as a conflict to settle.
    for rule_id, now in m.items():
        was = b.get(rule_id)
        if rule_id not in t and was is not None and now != was:
            conflicts.append(Conflict(f"{name}.{rule_id}", now, None))
    return [{k: v for k, v in r.items() if v is not _MISSING} for r in merged]


def _merge_rule(
    name: str, rule_id: str, was: dict, now: dict, their: dict, conflicts: list[Conflict]
) -> dict[str, Any]:
    """Field by field; when the fields each side changed do not make a valid rule together
    (my count beside their cap, my operator beside their value), the whole rule conflicts."""
    found: list[Conflict] = []
    rule = {
        f: _pick(
            f"{name}.{rule_id}.{f}",
            was.get(f, _MISSING),
            now.get(f, _MISSING),
            their.get(f, _MISSING),
            found,
        )
        for f in {*was, *now, *their}
    }
    try:
        RULE_MODELS[name].model_validate({k: v for k, v in rule.items() if v is not _MISSING})
    except ValidationError:
        conflicts.append(Conflict(f"{name}.{rule_id}", now, their))
        return their
    conflicts.extend(found)
    return rule


def _put(data: dict[str, Any], where: str, source: dict[str, Any]) -> None:
    """Copy the value at dotted path `where` (rule lists by rule id) from `source`."""
    head, *rest = where.split(".")
    if head in RULE_LISTS and rest:
        mine = next((r for r in source[head] if r["id"] == rest[0]), None)
        rules = data[head]
        at = next((i for i, r in enumerate(rules) if r["id"] == rest[0]), None)
        if mine is None:
            data[head] = [r for r in rules if r["id"] != rest[0]]
        elif at is None:
            rules.append(dict(mine))
        elif len(rest) == 1:
            rules[at] = dict(mine)
        else:
            rules[at] = {**rules[at], rest[1]: mine.get(rest[1])}
    elif head == "stage_notes":
        value = source["stage_notes"].get(rest[0], "")
        data["stage_notes"] = {**data["stage_notes"], rest[0]: value}
        if not value:
            data["stage_notes"].pop(rest[0])
    else:
        data[head] = source[head]
