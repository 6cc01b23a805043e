"""This browser session's view of the shared draft: load it, save every valid edit, and
never overwrite someone else's save silently.

Session state holds the draft as this session last loaded or saved it (`LOADED`, with its
revision), the rule-table rows as typed (valid or not), and, after a refused save, the
user's edit (`PENDING`) until they reload theirs or overwrite with theirs. `sync` runs at
the top of every page run and fragment run, before any widget is drawn:

1. fold the table editors' changes into the rows;
2. build the candidate definition from the widgets and the rows (bad rows keep their
   last valid rule) and save it if it differs, expecting the loaded revision;
3. on a full run with nothing to save, follow a newer stored draft (a second browser's
   edit), unless the user has typed something that is not valid yet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.definitions.definition_form import (
    ENGAGEMENT_EDITOR,
    FIT_EDITOR,
    apply_widgets,
    widget_values,
)
from components.shell import state as app_state
from components.shell.identity import author_name, writer
from domain.admin.access import AccessDenied
from domain.definitions.defaults import default_definition
from domain.definitions.definition import Definition, DefinitionError
from domain.definitions.merge import merge_drafts
from domain.definitions.rule_tables import (
    ENGAGEMENT_COLUMNS,
    ENGAGEMENT_PREFIX,
    FIT_COLUMNS,
    FIT_PREFIX,
    apply_editor_changes,
    apply_tables,
    engagement_rows,
    fit_rows,
    has_changes,
)
from domain.engine.scoring import ScoringModel
from gateways import definitions as gateway

LOADED = "defs_loaded"
PENDING = "defs_pending"
FIT_ROWS = "defs_fit_rows"
ENGAGEMENT_ROWS = "defs_engagement_rows"
PROBLEMS = "defs_problems"
NOTICES = "defs_notices"
# Not scoring attributes: identifiers and the creation time.
NOT_ATTRIBUTES = frozenset({"lead_id", "external_id", "created_at"})


@dataclass(frozen=True)
class Vocabulary:
    """What rules can refer to: the lead attributes and activity types in the data."""

    attributes: tuple[str, ...]
    activity_types: tuple[str, ...]


@dataclass(frozen=True)
class Problems:
    settings: str = ""
    fit: dict[int, str] | None = None
    engagement: dict[int, str] | None = None


def vocabulary(model: ScoringModel) -> Vocabulary:
    attributes = tuple(c for c in model.leads.columns if c not in NOT_ATTRIBUTES)
    return Vocabulary(attributes=attributes, activity_types=tuple(model.activity_types))


def loaded() -> gateway.DraftState:
    return st.session_state[LOADED]


def pending() -> Definition | None:
    return st.session_state.get(PENDING)


def working_definition() -> Definition:
    """What the user is looking at: their unsaved edit during a conflict, else the draft."""
    return pending() or loaded().definition


def problems() -> Problems:
    return st.session_state.get(PROBLEMS) or Problems()


def notify(text: str) -> None:
    """A message for the next page run (callbacks cannot draw in place)."""
    st.session_state.setdefault(NOTICES, []).append(text)


def sync(vocab: Vocabulary, *, full_run: bool) -> None:
    """Bring the session and the stored draft together (see the module docstring)."""
    state = st.session_state
    current: gateway.DraftState | None = state.get(LOADED)
    if current is None:
        adopt(_load_or_create())
        return
    _fill_missing_widgets(pending() or current.definition)
    _fold_editor_changes()
    candidate = _candidate(current.definition, vocab)
    if pending() is not None:
        state[PENDING] = candidate
        return
    if candidate.fingerprint() != current.definition.fingerprint():
        _save(candidate, current, full_run=full_run)
    elif full_run and not _has_problems():
        _follow_stored(current)


def adopt(draft: gateway.DraftState) -> None:
    """Make `draft` what this session edits: widgets, rows and the loaded revision."""
    st.session_state[LOADED] = draft
    st.session_state[PENDING] = None
    show_in_editor(draft.definition)


def show_in_editor(definition: Definition) -> None:
    """Put `definition` into every widget and both tables (before they are drawn)."""
    state = st.session_state
    for key, value in widget_values(definition).items():
        state[key] = value
    state[FIT_ROWS] = fit_rows(definition.fit_rules)
    state[ENGAGEMENT_ROWS] = engagement_rows(definition.engagement_rules)
    state[PROBLEMS] = Problems()
    for key in (FIT_EDITOR, ENGAGEMENT_EDITOR):
        if key in state:
            del state[key]


def after_save(current: gateway.DraftState, definition: Definition, revision: int) -> None:
    """Record a successful save of `definition` as the loaded draft."""
    st.session_state[LOADED] = replace(
        current,
        definition=definition,
        revision=revision,
        updated_by=author_name(),
        updated_at=datetime.now(UTC),
        # The repository keeps sign-offs only when the definition is unchanged.
        signoffs=current.signoffs if definition.to_json() == current.definition.to_json() else (),
    )


def _load_or_create() -> gateway.DraftState:
    stored = app_state.get_draft()
    if stored is not None:
        return stored
    published = app_state.get_published()
    start = published[1] if published is not None else default_definition()
    engine = app_state.get_engine_cached()
    # Someone may create it at the same moment: then theirs is used.
    gateway.create_draft(engine, definition=start, author=author_name())
    created = app_state.get_draft()
    assert created is not None
    return created


def _fill_missing_widgets(definition: Definition) -> None:
    # Streamlit drops a widget's state when its page is left; refill from the draft.
    state = st.session_state
    for key, value in widget_values(definition).items():
        if key not in state:
            state[key] = value
    if FIT_ROWS not in state:
        state[FIT_ROWS] = fit_rows(definition.fit_rules)
    if ENGAGEMENT_ROWS not in state:
        state[ENGAGEMENT_ROWS] = engagement_rows(definition.engagement_rules)


def _fold_editor_changes() -> None:
    """Apply the editors' pending changes to the rows, then reset the editors.

    The editors are redrawn from the new rows (with each row's problem next to it), so
    their own change lists must start empty again.
    """
    state = st.session_state
    tables = (
        (FIT_EDITOR, FIT_ROWS, FIT_COLUMNS, FIT_PREFIX, ENGAGEMENT_ROWS),
        (ENGAGEMENT_EDITOR, ENGAGEMENT_ROWS, ENGAGEMENT_COLUMNS, ENGAGEMENT_PREFIX, FIT_ROWS),
    )
    for editor, rows, columns, prefix, other in tables:
        changes = state.get(editor)
        if changes is None or not has_changes(changes):
            continue
        taken = {str(row.get("id")) for row in state[other]}
        state[rows] = apply_editor_changes(state[rows], changes, columns, prefix, taken)
        del state[editor]


def _candidate(base: Definition, vocab: Vocabulary) -> Definition:
    state = st.session_state
    values = {key: state[key] for key in widget_values(base) if key in state}
    settings_problem = ""
    try:
        settings = apply_widgets(base, values)
    except DefinitionError as exc:
        settings, settings_problem = base, str(exc)
    tables = apply_tables(
        settings, state[FIT_ROWS], state[ENGAGEMENT_ROWS], vocab.attributes, vocab.activity_types
    )
    state[PROBLEMS] = Problems(settings_problem, tables.fit_problems, tables.engagement_problems)
    return tables.definition


def _has_problems() -> bool:
    found = problems()
    return bool(found.settings or found.fit or found.engagement)


def _save(candidate: Definition, current: gateway.DraftState, *, full_run: bool) -> None:
    engine = app_state.get_engine_cached()
    try:
        revision = gateway.save_draft(
            engine, actor=writer(), definition=candidate, expected_revision=current.revision
        )
    except AccessDenied as exc:
        # Put the editor back to the stored draft: the refused change is not kept.
        adopt(current)
        notify(f"Not saved: {exc}")
        if not full_run:
            st.rerun()
        return
    except SQLAlchemyError as exc:  # a lock held by an import, or a lost server
        notify(f"Your change is not saved yet: {gateway.describe(exc)}")
        return
    except gateway.StaleDraftError as stale:
        if not _merged_in(current, candidate, stale.current):
            st.session_state[PENDING] = candidate
        if not full_run:
            st.rerun()  # the conflict panel (or the merged draft) is outside the fragment
        return
    after_save(current, candidate, revision)
    if current.signoffs:
        notify("The draft changed, so its sign-offs were cleared: both teams sign again.")
        if not full_run:
            st.rerun()  # the sign-off panel sits outside the fragment


def _merged_in(
    current: gateway.DraftState, mine: Definition, stored: gateway.DraftState | None
) -> bool:
    """Someone saved meanwhile: when we changed different fields, save both changes."""
    if stored is None:
        return False
    merged = merge_drafts(current.definition, mine, stored.definition)
    if merged.conflicts:
        return False
    try:
        revision = gateway.save_draft(
            app_state.get_engine_cached(),
            actor=writer(),
            definition=merged.definition,
            expected_revision=stored.revision,
        )
    except (gateway.StaleDraftError, AccessDenied):
        return False
    after_save(stored, merged.definition, revision)
    adopt(st.session_state[LOADED])  # the widgets show the merged draft
    notify(
        f"{stored.updated_by} saved the draft while you were editing. You changed different "
        "things, so both changes are kept (merged)."
    )
    return True


def _follow_stored(current: gateway.DraftState) -> None:
    stored = app_state.get_draft()
    if stored is None or stored.revision == current.revision:
        return
    adopt(stored)
    if stored.definition.to_json() != current.definition.to_json():
        notify(f"{stored.updated_by} changed the draft; you now see the latest version.")
