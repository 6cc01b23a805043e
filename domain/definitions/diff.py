"""A readable difference between two definitions: rules added, removed or changed, and
settings that moved ("MQL threshold 60 -> 65, stricter").

Rules are matched by id, so a rule whose points changed reads as one change, not as a
removal and an addition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from domain.definitions.definition import BANT_FACTS, Definition, EngagementRule, FitRule
from domain.definitions.describe import duration, hand_raiser_phrase, join_words, number

ChangeKind = Literal["added", "removed", "changed"]
ARROW = "→"


@dataclass(frozen=True)
class Change:
    """One difference, e.g. kind "changed", area "Fit rule", subject "director or above"."""

    kind: ChangeKind
    area: str
    subject: str
    details: tuple[str, ...] = ()

    def text(self) -> str:
        detail = f": {'; '.join(self.details)}" if self.details else ""
        if self.area == "Setting":
            return f"{self.subject}{detail}"
        return f"{self.area} {self.kind}: {self.subject}{detail}"


def diff_definitions(old: Definition, new: Definition) -> list[Change]:
    """Everything that differs from `old` to `new`: settings first, then rules."""
    return [
        *_setting_changes(old, new),
        *_rule_changes("Fit rule", old.fit_rules, new.fit_rules, _fit_fields),
        *_rule_changes(
            "Engagement rule", old.engagement_rules, new.engagement_rules, _engagement_fields
        ),
        *_note_changes(old, new),
    ]


def describe_diff(old: Definition, new: Definition) -> list[str]:
    """The differences as sentences (an empty list when the definitions agree)."""
    return [change.text() for change in diff_definitions(old, new)]


def _setting_changes(old: Definition, new: Definition) -> list[Change]:
    changes = []
    if old.mql_threshold != new.mql_threshold:
        direction = "stricter" if new.mql_threshold > old.mql_threshold else "looser"
        moved = _moved(number(old.mql_threshold), number(new.mql_threshold))
        changes.append(_setting("MQL threshold", f"{moved} ({direction})"))
    if old.decay_half_life_days != new.decay_half_life_days:
        moved = _moved(_half_life(old.decay_half_life_days), _half_life(new.decay_half_life_days))
        changes.append(_setting("Decay half-life", moved))
    if old.sla_hours != new.sla_hours:
        changes.append(
            _setting("Follow-up SLA", _moved(duration(old.sla_hours), duration(new.sla_hours)))
        )
    hand = _set_change(old.hand_raisers, new.hand_raisers, hand_raiser_phrase)
    if hand:
        changes.append(_setting("Hand-raisers", hand))
    return changes + _sql_changes(old, new)


def _sql_changes(old: Definition, new: Definition) -> list[Change]:
    before, after = old.sql_criteria, new.sql_criteria
    changes = []
    if before.min_bant != after.min_bant:
        changes.append(
            _setting(
                "BANT facts required for SQL", _moved(str(before.min_bant), str(after.min_bant))
            )
        )
    mandatory = _set_change(before.mandatory, after.mandatory, str)
    if mandatory:
        changes.append(_setting("Mandatory BANT facts", mandatory))
    if before.require_conversation != after.require_conversation:
        moved = _moved(_yes(before.require_conversation), _yes(after.require_conversation))
        changes.append(_setting("SQL needs a real conversation", moved))
    return changes


def _rule_changes(
    area: str,
    old: Sequence[FitRule | EngagementRule],
    new: Sequence[FitRule | EngagementRule],
    fields: Callable[[FitRule | EngagementRule], dict[str, str]],
) -> list[Change]:
    before = {rule.id: rule for rule in old}
    after = {rule.id: rule for rule in new}
    changes = []
    for rule in new:
        if rule.id not in before:
            changes.append(Change("added", area, _summary(rule), ()))
            continue
        was, now = fields(before[rule.id]), fields(rule)
        details = tuple(
            f"{name} {_moved(was[name], now[name])}" for name in now if was[name] != now[name]
        )
        if details:
            changes.append(Change("changed", area, before[rule.id].describe(), details))
    changes += [Change("removed", area, _summary(r), ()) for r in old if r.id not in after]
    return changes


def _note_changes(old: Definition, new: Definition) -> list[Change]:
    changes = []
    for stage in ("Lead", "MQL", "SAL", "SQL"):
        was = old.stage_notes.get(stage, "")  # type: ignore[call-overload]
        now = new.stage_notes.get(stage, "")  # type: ignore[call-overload]
        if was != now:
            kind: ChangeKind = "added" if not was else "removed" if not now else "changed"
            changes.append(Change(kind, "Stage note", stage, (f"“{now}”",) if now else ()))
    return changes


def _fit_fields(rule: FitRule | EngagementRule) -> dict[str, str]:
    assert isinstance(rule, FitRule)
    value = rule.value
    shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return {
        "attribute": rule.attribute,
        "operator": rule.operator.replace("_", " "),
        "value": shown,
        "points": _points(rule.points),
        "label": rule.label or "(none)",
    }


def _engagement_fields(rule: FitRule | EngagementRule) -> dict[str, str]:
    assert isinstance(rule, EngagementRule)
    return {
        "activity": rule.activity_type,
        "content stage": rule.content_stage or "any",
        "points": _points(rule.points),
        "scores": "per occurrence" if rule.min_count is None else f"once at {rule.min_count:,}+",
        "cap": "none" if rule.cap is None else number(rule.cap),
        "window": "all time" if rule.window_days is None else f"{rule.window_days} days",
        "label": rule.label or "(none)",
    }


def _summary(rule: FitRule | EngagementRule) -> str:
    extra = ""
    if isinstance(rule, EngagementRule) and rule.cap is not None:
        extra = f", cap {number(rule.cap)}"
    return f"{rule.describe()} ({_points(rule.points)} points{extra})"


def _set_change(old: Sequence[str], new: Sequence[str], show: Callable[[str], str]) -> str:
    added = [show(x) for x in _ordered(new) if x not in old]
    removed = [show(x) for x in _ordered(old) if x not in new]
    parts = []
    if added:
        parts.append(f"added {join_words(added, 'and')}")
    if removed:
        parts.append(f"removed {join_words(removed, 'and')}")
    return "; ".join(parts)


def _ordered(items: Sequence[str]) -> list[str]:
    order = {fact: i for i, fact in enumerate(BANT_FACTS)}
    return sorted(set(items), key=lambda x: (order.get(x, len(order)), x))


def _setting(subject: str, detail: str) -> Change:
    return Change("changed", "Setting", subject, (detail,))


def _moved(before: str, after: str) -> str:
    return f"{before} {ARROW} {after}"


def _points(points: float) -> str:
    return f"{'+' if points > 0 else ''}{number(points)}"


def _half_life(days: float | None) -> str:
    return "no decay" if days is None else f"{number(days)} days"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
