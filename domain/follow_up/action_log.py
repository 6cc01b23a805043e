"""The history of actions on a lead: how an entry reads, how it is undone, what conflicts.

The repository writes one audit entry per action with a JSON payload:
    every action: external_id, version [before, after] (None when it did not move)
    touch: touch_id, channel, outcome, note, rep, touched_at
    accept / qualify / disqualify / recycle / reassign: before {column: value}, after {...}
        (only the columns that changed); qualify adds answers {fact: bool|None} and sql
    undo: undoes (the audit id), undone_action, undone_summary
Values in `before`/`after` are JSON (dates as ISO text), compared as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from domain.definitions.definition import BANT_FACTS
from domain.follow_up.actions import ActionError

UNDOABLE = ("touch", "accept", "qualify", "disqualify", "recycle", "reassign")


@dataclass(frozen=True)
class LeadChange:
    """One thing that happened to a lead after a user loaded it."""

    at: datetime | None
    actor: str
    summary: str

    def __str__(self) -> str:
        when = f" ({self.at:%Y-%m-%d %H:%M} UTC)" if self.at is not None else ""
        return f"{self.actor}: {self.summary}{when}"


class StaleLeadError(RuntimeError):
    """The lead changed since the user loaded it; nothing was written."""

    def __init__(
        self,
        *,
        lead_id: int,
        external_id: str,
        seen_version: int,
        current_version: int,
        changes: tuple[LeadChange, ...],
    ) -> None:
        self.lead_id = lead_id
        self.external_id = external_id
        self.seen_version = seen_version
        self.current_version = current_version
        self.changes = changes
        shown = "; ".join(str(c) for c in changes) or "changed outside Baton's actions"
        super().__init__(f"{external_id} changed since you loaded it: {shown}")


class UndoConflictError(RuntimeError):
    """An undo would overwrite a later change; nothing was written."""

    def __init__(self, audit_id: int, conflicts: Mapping[str, tuple[Any, Any]]) -> None:
        self.audit_id = audit_id
        self.conflicts = dict(conflicts)
        shown = ", ".join(
            f"{column} is now {_shown(now)} (the action set {_shown(set_to)})"
            for column, (set_to, now) in self.conflicts.items()
        )
        super().__init__(f"cannot undo: the lead changed since: {shown}")


@dataclass(frozen=True)
class UndoPlan:
    """How to reverse one audit entry."""

    kind: Literal["delete_touch", "restore_facts", "restore_owner"]
    touch_id: int | None = None
    restore: dict[str, Any] = field(default_factory=dict)  # column -> value to put back
    expect: dict[str, Any] = field(default_factory=dict)  # column -> value still there


def undo_plan(action: str, payload: Mapping[str, Any]) -> UndoPlan:
    """The reverse of an audit entry, or ActionError when it cannot be undone."""
    if action == "touch":
        if payload.get("touch_id") is None:
            raise ActionError("this touch entry does not name the touch it logged")
        return UndoPlan("delete_touch", touch_id=int(payload["touch_id"]))
    if action not in UNDOABLE:
        raise ActionError(f"'{action}' cannot be undone (do the action again instead)")
    before, after = dict(payload.get("before") or {}), dict(payload.get("after") or {})
    if not after:
        raise ActionError("this entry changed nothing, so there is nothing to undo")
    kind: Literal["restore_owner", "restore_facts"] = (
        "restore_owner" if action == "reassign" else "restore_facts"
    )
    return UndoPlan(kind, restore={c: before.get(c) for c in after}, expect=after)


def restore_conflicts(
    expect: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Columns whose stored value is no longer what the action set: (set to, now)."""
    return {
        column: (value, current.get(column))
        for column, value in expect.items()
        if current.get(column) != value
    }


def describe(action: str, payload: Mapping[str, Any]) -> str:
    """One line a rep understands, e.g. "Reassigned Alex Morgan → Sam Rivera"."""
    after = payload.get("after") or {}
    before = payload.get("before") or {}
    if action == "touch":
        channel = str(payload.get("channel") or "touch")
        text = f"Logged {'an' if channel[:1] in 'aeiou' else 'a'} {channel}"
        if payload.get("outcome"):
            text += f" · {str(payload['outcome']).replace('_', ' ')}"
        return text + (f" — {payload['note']}" if payload.get("note") else "")
    if action == "accept":
        return "Accepted (SAL)"
    if action == "qualify":
        given = payload.get("answers") or {}
        answers = ", ".join(f"{fact} {_answer(given.get(fact))}" for fact in BANT_FACTS)
        verdict = payload.get("sql")
        return f"Recorded BANT: {answers}" + (f" → {verdict}" if verdict else "")
    if action == "disqualify":
        return f"Disqualified: {after.get('reason') or before.get('reason') or 'no reason'}"
    if action == "recycle":
        return f"Recycled to nurture: {after.get('reason') or before.get('reason') or 'no reason'}"
    if action == "reassign":
        return f"Reassigned {before.get('owner') or 'nobody'} → {after.get('owner')}"
    if action == "undo":
        return f"Undid: {payload.get('undone_summary') or payload.get('undone_action')}"
    return action.replace("_", " ")


def _answer(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else "—"


def _shown(value: Any) -> str:
    return "empty" if value is None else str(value)
