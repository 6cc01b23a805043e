"""Write a suggestion (whole, single rules, or a threshold) into the shared working draft.

Goes through the definitions workspace's session (`components.definitions.draft_session`): the save
expects the revision this session loaded, so someone else's newer save is never
overwritten silently. A refused save becomes the session's pending edit, and the
existing conflict panel (`components.definitions.conflict_panel`) asks: reload theirs or overwrite
with mine. After a save the workspace's widgets and rule tables show the new draft.

`merge_rules` and `with_suggestion` are pure (definitions in, definition out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import streamlit as st

from components.common.literal import md
from components.definitions import draft_session as session
from components.shell import state as app_state
from components.shell.identity import writer
from domain.admin.access import AccessDenied
from domain.definitions.definition import Definition, DefinitionError, EngagementRule, FitRule
from gateways import calibration as gateway

Rule = FitRule | EngagementRule
FLASH = "calib_flash"  # {section: (kind, text)}: what the last button did, shown in place
STILL_NEEDS = (
    "The draft still needs both teams' sign-off and a publish on the Definitions page "
    "before any other page uses it."
)


@dataclass(frozen=True)
class DraftWrite:
    """What a write did: saved (with the new revision), nothing to do, or refused (why)."""

    saved: bool
    message: str
    revision: int | None = None


def condition(rule: Rule) -> tuple[object, ...]:
    """What a rule is about, without its points: two rules on one condition would count
    the same fact twice, so a taken rule replaces the draft's rule on its condition."""
    if isinstance(rule, FitRule):
        return ("fit", rule.attribute.lower(), rule.operator, _normal(rule.value))
    return ("engagement", rule.activity_type, rule.content_stage, rule.min_count)


def merge_rules(definition: Definition, rules: Iterable[Rule]) -> Definition:
    """`definition` with `rules` in it: each replaces the rule on the same condition (keeping
    that rule's id), or is added (with a fresh id if its own is taken)."""
    fit = list(definition.fit_rules)
    engagement = list(definition.engagement_rules)
    for rule in rules:
        same = fit if isinstance(rule, FitRule) else engagement
        where = next((i for i, r in enumerate(same) if condition(r) == condition(rule)), None)
        if where is not None:
            same[where] = rule.model_copy(update={"id": same[where].id})
            continue
        taken = {r.id for r in fit} | {r.id for r in engagement}
        same.append(rule.model_copy(update={"id": _fresh_id(rule.id, taken)}))
    return definition.replace(fit_rules=tuple(fit), engagement_rules=tuple(engagement))


def with_suggestion(draft: Definition, suggested: Definition) -> Definition:
    """The draft with the suggestion's rules and threshold (its points are on the
    suggestion's scale); decay, hand-raisers, SQL criteria, SLA and notes stay the draft's."""
    return draft.replace(
        fit_rules=suggested.fit_rules,
        engagement_rules=suggested.engagement_rules,
        mql_threshold=suggested.mql_threshold,
    )


def write_into_draft(change: Callable[[Definition], Definition], what: str) -> DraftWrite:
    """Apply `change` to the draft this session loaded and save it, expecting its revision.

    Call after `draft_session.sync` ran in this script run (the page does it first).
    """
    if session.pending() is not None:
        return DraftWrite(False, "Your earlier edit is in conflict: resolve it above first.")
    current = session.loaded()
    try:
        candidate = change(current.definition)
    except DefinitionError as exc:
        return DraftWrite(False, f"The draft refused {what}: {exc}")
    if candidate.fingerprint() == current.definition.fingerprint():
        return DraftWrite(False, f"The draft already has {what}: nothing to save.")
    try:
        revision = gateway.save_suggestion(
            app_state.get_engine_cached(),
            actor=writer(),
            definition=candidate,
            expected_revision=current.revision,
        )
    except AccessDenied as exc:
        return DraftWrite(False, f"Not saved: {exc}")
    except gateway.StaleDraftError as exc:
        st.session_state[session.PENDING] = candidate  # the conflict panel takes it from here
        who = exc.current.updated_by if exc.current is not None else "someone"
        return DraftWrite(False, f"{who} saved the draft meanwhile: {what} is not saved yet.")
    session.after_save(current, candidate, revision)
    session.show_in_editor(candidate)  # else the workspace's tables would save the old rules
    cleared = " Its sign-offs were cleared." if current.signoffs else ""
    return DraftWrite(
        True, f"Saved {what} into the draft (revision {revision}).{cleared}", revision
    )


def flash(section: str, outcome: DraftWrite) -> None:
    """Remember what a button did, to show it in its section on the next run."""
    st.session_state.setdefault(FLASH, {})[section] = outcome


def render_flash(section: str) -> None:
    outcome: DraftWrite | None = st.session_state.get(FLASH, {}).pop(section, None)
    if outcome is None:
        return
    if outcome.saved:
        st.success(f"{md(outcome.message)} {STILL_NEEDS}", icon=":material/check_circle:")
        st.page_link("pages/definitions.py", label="Open the draft", icon=":material/tune:")
    else:
        st.warning(md(outcome.message), icon=":material/info:")


def _fresh_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}_{number}" in taken:
        number += 1
    return f"{wanted}_{number}"


def _normal(value: object) -> object:
    if isinstance(value, tuple):
        return tuple(sorted(str(v).lower() for v in value))
    return str(value).lower() if isinstance(value, str) else value
