"""Rules as editable table rows, and rows back to rules with a reason for every bad row.

A row is a plain dict (what a table editor shows). Turning rows back into rules never
fails: a row that does not make a valid rule gets a problem ("cap must be 0 or more"),
and the rule keeps its last valid state (the previous rule with the same id; a new row
is left out until it is valid). So the definition is always valid and the charts work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from domain.definitions.definition import (
    CONTENT_STAGES,
    OPERATORS,
    Definition,
    EngagementRule,
    FitRule,
)
from domain.definitions.rule_values import (
    RowProblem,
    cell_text,
    format_value,
    is_missing,
    number_or_none,
    parse_value,
)

FIT_COLUMNS: tuple[str, ...] = ("id", "attribute", "operator", "value", "points", "label")
ENGAGEMENT_COLUMNS: tuple[str, ...] = (
    "id", "activity_type", "content_stage", "min_count", "points", "cap", "window_days", "label",
)  # fmt: skip
FIT_PREFIX = "fit"
ENGAGEMENT_PREFIX = "eng"
Row = dict[str, Any]


@dataclass(frozen=True)
class RuleTable:
    """Rules built from rows; `problems` maps a row's position to its reason."""

    rules: tuple[Any, ...]
    problems: dict[int, str]


@dataclass(frozen=True)
class TablesResult:
    """The definition with both tables applied, and the problems per table."""

    definition: Definition
    fit_problems: dict[int, str]
    engagement_problems: dict[int, str]

    @property
    def ok(self) -> bool:
        return not self.fit_problems and not self.engagement_problems


# --- rules -> rows --------------------------------------------------------------------


def fit_rows(rules: Iterable[FitRule]) -> list[Row]:
    return [
        {
            "id": r.id,
            "attribute": r.attribute,
            "operator": r.operator,
            "value": format_value(r.value),
            "points": r.points,
            "label": r.label,
        }
        for r in rules
    ]


def engagement_rows(rules: Iterable[EngagementRule]) -> list[Row]:
    return [
        {
            "id": r.id,
            "activity_type": r.activity_type,
            "content_stage": r.content_stage,
            "min_count": r.min_count,
            "points": r.points,
            "cap": r.cap,
            "window_days": r.window_days,
            "label": r.label,
        }
        for r in rules
    ]


# --- rows -> rules --------------------------------------------------------------------


def fit_rules_from_rows(
    rows: Sequence[Row], previous: Iterable[FitRule], attributes: Collection[str]
) -> RuleTable:
    """Fit rules from rows; attributes must be among `attributes` (those in the data)."""
    return _rules_from_rows(rows, previous, lambda row, old: _fit_rule(row, old, attributes))


def engagement_rules_from_rows(
    rows: Sequence[Row],
    previous: Iterable[EngagementRule],
    activity_types: Collection[str],
    reserved_ids: Collection[str] = (),
) -> RuleTable:
    """Engagement rules from rows; activity types must be among `activity_types`.

    `reserved_ids` are taken by the fit rules (ids are unique across both tables).
    """
    return _rules_from_rows(
        rows, previous, lambda row, old: _engagement_rule(row, activity_types), reserved_ids
    )


def apply_tables(
    definition: Definition,
    fit: Sequence[Row],
    engagement: Sequence[Row],
    attributes: Collection[str],
    activity_types: Collection[str],
) -> TablesResult:
    """`definition` with the rules of both tables (bad rows keep their last valid rule)."""
    fit_table = fit_rules_from_rows(fit, definition.fit_rules, attributes)
    engagement_table = engagement_rules_from_rows(
        engagement,
        definition.engagement_rules,
        activity_types,
        reserved_ids={rule.id for rule in fit_table.rules},
    )
    updated = definition.replace(fit_rules=fit_table.rules, engagement_rules=engagement_table.rules)
    return TablesResult(updated, fit_table.problems, engagement_table.problems)


def without_unknown_attributes(definition: Definition, attributes: Collection[str]) -> Definition:
    """The definition minus fit rules on attributes the data lacks (they match no lead)."""
    kept = tuple(r for r in definition.fit_rules if r.attribute in attributes)
    if len(kept) == len(definition.fit_rules):
        return definition
    return definition.model_copy(update={"fit_rules": kept})


# --- table editor changes -------------------------------------------------------------


def apply_editor_changes(
    rows: Sequence[Row],
    changes: Mapping[str, Any],
    columns: Sequence[str],
    prefix: str,
    taken_ids: Collection[str] = (),
) -> list[Row]:
    """Rows after a table editor's changes (edited_rows, added_rows, deleted_rows).

    Ids are not editable: a new row gets a fresh id ("fit-3") that no rule in `rows` or
    `taken_ids` has. Returns new dicts; `rows` is left untouched.
    """
    out = [dict(row) for row in rows]
    for position, edits in (changes.get("edited_rows") or {}).items():
        index = int(position)
        if 0 <= index < len(out):
            out[index].update({k: v for k, v in edits.items() if k in columns and k != "id"})
    deleted = {int(p) for p in changes.get("deleted_rows") or ()}
    out = [row for index, row in enumerate(out) if index not in deleted]
    used = {str(row.get("id")) for row in out} | set(taken_ids)
    for added in changes.get("added_rows") or ():
        row: Row = {column: None for column in columns}
        row.update({k: v for k, v in added.items() if k in columns and k != "id"})
        row["id"] = _fresh_id(prefix, used)
        used.add(row["id"])
        out.append(row)
    return out


def has_changes(changes: Mapping[str, Any] | None) -> bool:
    return bool(
        changes
        and (changes.get("edited_rows") or changes.get("added_rows") or changes.get("deleted_rows"))
    )


# --- helpers --------------------------------------------------------------------------


def _rules_from_rows(
    rows: Sequence[Row],
    previous: Iterable[Any],
    build: Callable[[Row, Any], Any],
    reserved_ids: Collection[str] = (),
) -> RuleTable:
    before = {rule.id: rule for rule in previous}
    rules, problems = [], {}
    seen = set(reserved_ids)
    for position, row in enumerate(rows):
        rule_id = cell_text(row.get("id"))
        old = before.get(rule_id)
        if not rule_id or rule_id in seen:
            problems[position] = f"rule id '{rule_id}' is missing or used twice"
            continue
        seen.add(rule_id)
        try:
            rules.append(build(row, old))
        except RowProblem as problem:
            problems[position] = str(problem)
            if old is not None:
                rules.append(old)
    return RuleTable(tuple(rules), problems)


def _fit_rule(row: Row, old: FitRule | None, attributes: Collection[str]) -> FitRule:
    attribute = cell_text(row.get("attribute"))
    if not attribute:
        raise RowProblem("pick an attribute")
    if attribute not in attributes:
        raise RowProblem(f"attribute '{attribute}' is not in the lead data")
    operator = cell_text(row.get("operator"))
    if operator not in OPERATORS:
        raise RowProblem(f"unknown operator '{operator}': use one of {', '.join(OPERATORS)}")
    text = row.get("value")
    # An unchanged cell keeps the exact stored value ("1" stays text, 200 stays an int).
    if old is not None and old.operator == operator and format_value(old.value) == cell_text(text):
        value = old.value
    else:
        value = parse_value(text, operator)
    return _build(
        FitRule,
        id=cell_text(row.get("id")),
        attribute=attribute,
        operator=operator,
        value=value,
        points=_required_number(row.get("points"), "points"),
        label=cell_text(row.get("label")),
    )


def _engagement_rule(row: Row, activity_types: Collection[str]) -> EngagementRule:
    activity = cell_text(row.get("activity_type"))
    if not activity:
        raise RowProblem("pick an activity")
    if activity not in activity_types:
        raise RowProblem(f"no activity of type '{activity}' in the data")
    stage = cell_text(row.get("content_stage")) or None
    if stage is not None and stage not in CONTENT_STAGES:
        raise RowProblem(f"content stage must be one of {', '.join(CONTENT_STAGES)}")
    cap = _optional_number(row.get("cap"), "cap")
    if cap is not None and cap < 0:
        raise RowProblem("cap must be 0 or more (it limits the rule's total both ways)")
    window = _optional_number(row.get("window_days"), "window")
    if window is not None and (window <= 0 or not float(window).is_integer()):
        raise RowProblem("window must be a whole number of days above 0")
    at_least = _optional_number(row.get("min_count"), "at least")
    if at_least is not None and (at_least < 1 or not float(at_least).is_integer()):
        raise RowProblem("at least must be a whole number of activities, 1 or more")
    if at_least is not None and cap is not None:
        raise RowProblem(
            "a rule with an 'at least' count gives its points once: leave its cap empty"
        )
    return _build(
        EngagementRule,
        id=cell_text(row.get("id")),
        activity_type=activity,
        content_stage=stage,
        points=_required_number(row.get("points"), "points"),
        cap=cap,
        window_days=None if window is None else int(window),
        label=cell_text(row.get("label")),
        min_count=None if at_least is None else int(at_least),
    )


def _build(model: type[Any], **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"][:1])
        raise RowProblem(f"{where}: {error['msg'].removeprefix('Value error, ')}") from None


def _required_number(value: object, name: str) -> float:
    number = _optional_number(value, name)
    if number is None:
        raise RowProblem(f"{name}: enter a number")
    return number


def _optional_number(value: object, name: str) -> float | None:
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RowProblem(f"{name}: '{value}' is not a number")
    number = value if isinstance(value, int | float) else number_or_none(str(value))
    if number is None or not math.isfinite(number):
        raise RowProblem(f"{name}: '{value}' is not a number")
    return float(number)


def _fresh_id(prefix: str, used: Collection[str]) -> str:
    number = 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"
