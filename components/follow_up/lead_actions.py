"""Act on leads from any page: pick an action, fill its form, see the result, undo it.

The form's key holds a nonce that is also the action's idempotency key, so a double-
clicked submit is recorded once; each success brings a new nonce (a fresh, empty form).
The write happens in the submit callback, before the page reruns, so the page (and every
other page, through the data version) already shows the result. Leads another user moved
meanwhile are listed with what changed, and can be acted on anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import streamlit as st

from components.common.literal import md, md_lines
from components.follow_up.action_forms import build_action, render_fields
from components.shell import state
from components.shell.identity import current_actor
from domain.admin.access import AccessDenied
from domain.definitions.definition import SqlCriteria
from domain.follow_up.action_log import StaleLeadError, UndoConflictError
from domain.follow_up.actions import ACTION_LABELS, Action, ActionError
from gateways import follow_up as gateway

DETAIL_LINES = 10  # per-lead results listed under a bulk action's confirmation


@dataclass(frozen=True)
class Target:
    """A lead to act on, with the version the user's view showed (None: do not check)."""

    lead_id: int
    external_id: str
    version: int | None


@dataclass(frozen=True)
class ActionContext:
    user: str | None
    criteria: SqlCriteria
    owners: tuple[str, ...]


@dataclass
class Outcome:
    """What the last action on this panel did, shown until the next one."""

    messages: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    undo_ids: list[int] = field(default_factory=list)
    stale: list[tuple[Target, str]] = field(default_factory=list)  # at its current version
    action: Action | None = None
    toast: str | None = None


def render_actions(targets: Sequence[Target], *, key: str, context: ActionContext) -> None:
    """The outcome of the last action, then the action picker and form for `targets`."""
    render_outcome(key, context)
    if not targets:
        st.caption("Select leads in the table (the boxes on the left) to act on them.")
        return
    kind = st.segmented_control(
        "Action",
        tuple(ACTION_LABELS),
        format_func=ACTION_LABELS.__getitem__,
        key=f"{key}_kind",
        default="touch",
        required=True,
        wrap=True,
    )
    kind = kind or "touch"
    nonce = _nonce(key)
    form_key = f"{key}_{kind}_{nonce}"
    with st.form(form_key, border=True):
        render_fields(kind, form_key, context.criteria, context.owners)
        many = f" · {len(targets)} leads" if len(targets) > 1 else f" · {targets[0].external_id}"
        st.form_submit_button(
            f"{ACTION_LABELS[kind]}{many}",
            type="primary",
            key=f"{form_key}_submit",
            on_click=_submit,
            args=(key, kind, form_key, nonce, tuple(targets), context),
            disabled=context.user is None,
        )
    if context.user is None:
        st.caption("Say who you are first (your name): actions are recorded by name.")


def render_outcome(key: str, context: ActionContext) -> None:
    outcome: Outcome | None = st.session_state.get(f"{key}_outcome")
    if outcome is None:
        return
    if outcome.toast:
        st.toast(md(outcome.toast), icon=":material/check_circle:")
        outcome.toast = None
    for level, text in outcome.messages:
        getattr(st, level)(md(text))
    if outcome.stale:
        lines = md_lines([message for _, message in outcome.stale])
        st.warning(f"Not applied, because someone else moved these leads meanwhile:\n{lines}")
    with st.container(horizontal=True):
        if outcome.undo_ids:
            st.button(
                "Undo", key=f"{key}_undo", icon=":material/undo:", on_click=_undo,
                args=(key, tuple(outcome.undo_ids), context.user or "unknown"),
            )  # fmt: skip
        if outcome.stale and outcome.action is not None:
            st.button(
                "Apply anyway", key=f"{key}_anyway", on_click=_apply_anyway, args=(key, context)
            )
        st.button("Dismiss", key=f"{key}_dismiss", on_click=_dismiss, args=(key,))


def undo_button(key: str, audit_id: int, context: ActionContext) -> None:
    """Undo one recorded action; its outcome shows in the panel `key`."""
    st.button(
        "Undo",
        key=f"{key}_undo_{audit_id}",
        icon=":material/undo:",
        on_click=_undo,
        args=(key, (audit_id,), context.user or ""),
        disabled=context.user is None,
        help="Reverse this action (recorded under your name)",
    )


def _submit(
    key: str,
    kind: str,
    form_key: str,
    nonce: str,
    targets: tuple[Target, ...],
    context: ActionContext,
) -> None:
    try:
        values = {k: st.session_state[k] for k in st.session_state if str(k).startswith(form_key)}
        action = build_action(kind, form_key, values)
    except ActionError as exc:
        st.session_state[f"{key}_outcome"] = Outcome(messages=[("error", f"Not saved: {exc}.")])
        return
    _run(key, action, targets, context, key_prefix=nonce)
    # A fresh form for the next action; a double click still carries the old nonce.
    st.session_state[f"{key}_nonce"] = uuid.uuid4().hex


def _apply_anyway(key: str, context: ActionContext) -> None:
    outcome: Outcome | None = st.session_state.get(f"{key}_outcome")
    if outcome is None or outcome.action is None:
        return
    targets = tuple(target for target, _ in outcome.stale)
    _run(key, outcome.action, targets, context, key_prefix=uuid.uuid4().hex)


def _run(
    key: str,
    action: Action,
    targets: Sequence[Target],
    context: ActionContext,
    *,
    key_prefix: str,
) -> None:
    try:
        result = gateway.apply_to_many(
            state.get_engine_cached(),
            actor=current_actor(),
            targets=[(t.lead_id, t.version) for t in targets],
            action=action,
            key_prefix=key_prefix,
            sql_criteria=context.criteria,
        )
    except AccessDenied as exc:
        st.session_state[f"{key}_outcome"] = Outcome(messages=[("error", f"Not saved: {exc}")])
        return
    st.session_state[f"{key}_outcome"] = _describe(action, targets, result)


def _describe(action: Action, targets: Sequence[Target], result: gateway.BulkOutcome) -> Outcome:
    outcome = Outcome(action=action)
    written = [r for r in result.done if r.audit_id is not None and not r.replayed]
    label = ACTION_LABELS[action.kind]
    if len(targets) == 1 and result.done:
        done = result.done[0]
        text = f"{done.external_id}: {done.summary}"
        outcome.messages.append(("success" if written else "info", text))
        outcome.toast = text if written else None
    elif result.done:
        text = f"{label}: done for {len(written)} of {len(targets)} leads"
        outcome.messages.append(("success", text))
        outcome.toast = text
        lines = [f"- {r.external_id}: {r.summary}" for r in result.done[:DETAIL_LINES]]
        more = len(result.done) - DETAIL_LINES
        outcome.messages.append(
            ("caption", "\n".join(lines) + (f"\n- and {more} more" if more > 0 else ""))
        )
    for done in result.done:
        for change in done.notice:
            outcome.messages.append(("info", f"{done.external_id} changed meanwhile: {change}"))
    outcome.undo_ids = [r.audit_id for r in written if r.audit_id is not None]
    by_id = {t.lead_id: t for t in targets}
    for error in result.stale:
        moved = replace(by_id[error.lead_id], version=error.current_version)
        outcome.stale.append((moved, str(error)))
    for lead_id, message in result.failed:
        name = by_id[lead_id].external_id if lead_id in by_id else lead_id
        outcome.messages.append(("error", f"{name}: not saved: {message}"))
    return outcome


def _undo(key: str, audit_ids: tuple[int, ...], user: str) -> None:
    del user  # recorded under the current actor, checked again by the write
    outcome = Outcome()
    engine = state.get_engine_cached()
    undone = 0
    for audit_id in audit_ids:
        try:
            result = gateway.undo_action(engine, actor=current_actor(), audit_id=audit_id)
        except (UndoConflictError, StaleLeadError, LookupError, ValueError, AccessDenied) as exc:
            outcome.messages.append(("warning", f"Not undone: {exc}"))
            continue
        undone += 0 if result.replayed else 1
    if undone:
        outcome.messages.insert(0, ("success", f"Undone ({undone} of {len(audit_ids)})."))
        outcome.toast = "Undone"
    elif not outcome.messages:
        outcome.messages.append(("info", "Already undone."))
    st.session_state[f"{key}_outcome"] = outcome


def _dismiss(key: str) -> None:
    st.session_state.pop(f"{key}_outcome", None)


def _nonce(key: str) -> str:
    name = f"{key}_nonce"
    if name not in st.session_state:
        st.session_state[name] = uuid.uuid4().hex
    return str(st.session_state[name])
