"""The definition's settings as widget values, and widget values back into a definition.

Pure functions (no Streamlit calls): the workspace writes `widget_values(...)` into
session state when it loads a draft, and reads the widgets back with `apply_widgets`.
Only widgets whose value differs from the loaded definition's are applied, so opening
the page never rewrites a definition (e.g. a threshold of 62.5 on an integer slider).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.definitions.definition import BANT_FACTS, Definition, SqlCriteria
from domain.definitions.describe import DESCRIBED_STAGES

# The stable hook for browser tests; the other keys are namespaced "defs_".
THRESHOLD = "mql_threshold"
HALF_LIFE = "defs_half_life"
HAND_RAISERS = "defs_hand_raisers"
SLA_HOURS = "defs_sla_hours"
MIN_BANT = "defs_min_bant"
CONVERSATION = "defs_require_conversation"
MANDATORY: dict[str, str] = {fact: f"defs_mandatory_{fact}" for fact in BANT_FACTS}
NOTES: dict[str, str] = {stage: f"defs_note_{stage}" for stage in DESCRIBED_STAGES}
FIT_EDITOR = "defs_fit_rules"
ENGAGEMENT_EDITOR = "defs_engagement_rules"

THRESHOLD_RANGE = (0, 200)
HALF_LIFE_RANGE = (0, 365)  # 0 means no decay
SLA_RANGE = (1, 168)
_SQL_KEYS = (MIN_BANT, CONVERSATION, *MANDATORY.values())


def widget_values(definition: Definition) -> dict[str, Any]:
    """Every settings widget's value for `definition` (the rule tables are separate)."""
    criteria = definition.sql_criteria
    half_life = definition.decay_half_life_days
    return {
        THRESHOLD: int(round(definition.mql_threshold)),
        HALF_LIFE: 0 if half_life is None else int(round(half_life)),
        HAND_RAISERS: sorted(definition.hand_raisers),
        SLA_HOURS: max(1, int(round(definition.sla_hours))),
        MIN_BANT: criteria.min_bant,
        CONVERSATION: criteria.require_conversation,
        **{MANDATORY[fact]: fact in criteria.mandatory for fact in BANT_FACTS},
        **{NOTES[stage]: definition.stage_notes.get(stage, "") for stage in DESCRIBED_STAGES},  # type: ignore[call-overload]
    }


def changed_keys(definition: Definition, values: Mapping[str, Any]) -> set[str]:
    """The widgets whose value differs from what `definition` would show."""
    shown = widget_values(definition)
    return {key for key, value in shown.items() if key in values and _norm(values[key]) != value}


def apply_widgets(definition: Definition, values: Mapping[str, Any]) -> Definition:
    """`definition` with the changed widgets applied (validated; DefinitionError if not)."""
    changed = changed_keys(definition, values)
    if not changed:
        return definition
    updates: dict[str, Any] = {}
    if THRESHOLD in changed:
        updates["mql_threshold"] = float(values[THRESHOLD])
    if HALF_LIFE in changed:
        days = values[HALF_LIFE]
        updates["decay_half_life_days"] = None if not days else float(days)
    if HAND_RAISERS in changed:
        updates["hand_raisers"] = tuple(values[HAND_RAISERS])
    if SLA_HOURS in changed:
        updates["sla_hours"] = float(values[SLA_HOURS])
    if changed.intersection(_SQL_KEYS):
        updates["sql_criteria"] = _criteria(definition.sql_criteria, values)
    if changed.intersection(NOTES.values()):
        updates["stage_notes"] = _notes(definition, values)
    return definition.replace(**updates)


def slider_range(value: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """The slider's bounds, widened so a stored value outside them still shows."""
    return min(bounds[0], value), max(bounds[1], value)


def _norm(value: Any) -> Any:
    # A multiselect lists choices in the order they were picked; the definition sorts them.
    return sorted(value) if isinstance(value, list | tuple) else value


def _criteria(before: SqlCriteria, values: Mapping[str, Any]) -> SqlCriteria:
    mandatory = tuple(
        fact for fact in BANT_FACTS if values.get(MANDATORY[fact], fact in before.mandatory)
    )
    return SqlCriteria(
        require_conversation=bool(values.get(CONVERSATION, before.require_conversation)),
        min_bant=int(values.get(MIN_BANT, before.min_bant)),
        mandatory=mandatory,  # type: ignore[arg-type]
    )


def _notes(definition: Definition, values: Mapping[str, Any]) -> dict[str, str]:
    notes = {}
    for stage in DESCRIBED_STAGES:
        before = definition.stage_notes.get(stage, "")  # type: ignore[call-overload]
        text = str(values.get(NOTES[stage], before) or "").strip()
        if text:
            notes[stage] = text
    return notes
