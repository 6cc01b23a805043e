"""A lead's action history, undoing an action from it, and the lead state actions carry.

An undo reverses one audit entry (deletes the touch it logged, or puts back the owner or
sales facts it replaced) in one transaction, only if what the action set is still there
(else UndoConflictError), marks the entry undone (once: a second undo is a no-op) and is
itself audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, delete, select, update

from db.convert import aware_utc, naive_utc, read_frame, utc_column
from db.engine import jsonable
from db.follow_up.actions_repo import ActionResult
from db.follow_up.lead_rows import (
    LEAD_ENTITY,
    LeadRow,
    ReplayedError,
    VersionMovedError,
    insert_audit,
    move_lead,
    read_facts,
    read_lead,
    stale_error,
    write_facts,
)
from db.meta_repo import bump_sales_version
from db.models import AuditLog, Lead, SalesTouch, table_of, utcnow
from domain.engine.frames import TIMESTAMP_COLUMNS
from domain.follow_up.action_log import (
    UNDOABLE,
    UndoConflictError,
    UndoPlan,
    describe,
    restore_conflicts,
    undo_plan,
)

_lead = table_of(Lead)
_touch = table_of(SalesTouch)
_audit = table_of(AuditLog)
HISTORY_COLUMNS = (
    "audit_id", "at", "actor", "action", "summary", "undone_at", "undone_by", "undoable",
)  # fmt: skip


@dataclass(frozen=True)
class LeadState:
    """What an action on a lead is based on: its version, owner and sales facts."""

    lead_id: int
    external_id: str
    owner: str | None
    version: int
    facts: dict[str, Any]  # stored fact columns (tz-aware UTC datetimes); absent = empty


def lead_state(engine: Engine, lead_id: int) -> LeadState:
    with engine.connect() as connection:
        lead = read_lead(connection, lead_id)
        facts = read_facts(connection, lead_id)
    shown = {k: aware_utc(v) if isinstance(v, datetime) else v for k, v in facts.items()}
    return LeadState(lead.lead_id, lead.external_id, lead.owner, lead.version, shown)


def lead_id_for(engine: Engine, external_id: str) -> int | None:
    """The lead id of an external id, or None."""
    statement = select(_lead.c.id).where(_lead.c.external_id == str(external_id).strip())
    with engine.connect() as connection:
        found = connection.scalar(statement)
    return None if found is None else int(found)


def load_lead_versions(engine: Engine) -> pd.Series:
    """Every lead's version, indexed by lead id (what the queue's actions carry)."""
    statement = select(_lead.c.id.label("lead_id"), _lead.c.version).order_by(_lead.c.id)
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    return frame.set_index("lead_id")["version"].astype("int64")


def lead_history(engine: Engine, lead_id: int) -> pd.DataFrame:
    """The lead's audit entries, newest first, described, with whether each can be undone."""
    a = _audit.c
    statement = (
        select(a.id.label("audit_id"), a.at, a.actor, a.action, a.payload, a.undone_at, a.undone_by)
        .where(a.entity == LEAD_ENTITY, a.entity_id == str(int(lead_id)))
        .order_by(a.id.desc())
    )
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    for column in ("at", "undone_at"):
        frame[column] = utc_column(frame[column])
    frame["summary"] = [
        describe(a, p or {}) for a, p in zip(frame["action"], frame["payload"], strict=True)
    ]
    frame["undoable"] = frame["action"].isin(UNDOABLE) & frame["undone_at"].isna()
    return frame[list(HISTORY_COLUMNS)]


def undo_action(
    engine: Engine, *, audit_id: int, actor: str, now: datetime | None = None
) -> ActionResult:
    """Reverse one audit entry. Raises UndoConflictError when a later change is in the way,
    StaleLeadError when the lead moved during the undo, ValueError when not undoable."""
    moment = naive_utc(now) if now is not None else utcnow()
    actor = actor.strip() or "unknown"
    moved_lead = 0
    try:
        with engine.begin() as connection:
            entry = _read_entry(connection, audit_id)
            if entry["undone_at"] is not None:
                raise ReplayedError
            plan = undo_plan(entry["action"], entry["payload"])
            lead = read_lead(connection, int(entry["entity_id"]))
            moved_lead = lead.lead_id
            version = _reverse(connection, plan, lead, audit_id, actor=actor, now=moment)
            marked = connection.execute(
                update(_audit)
                .where(_audit.c.id == audit_id, _audit.c.undone_at.is_(None))
                .values(undone_at=moment, undone_by=actor)
            )
            if marked.rowcount != 1:
                raise ReplayedError
            payload = _undo_payload(entry, lead, version)
            undo_id = insert_audit(connection, actor, moment, None, lead, "undo", payload)
            bump_sales_version(connection, [lead.lead_id])
    except ReplayedError:
        return _already_undone(engine, audit_id)
    except VersionMovedError as exc:
        raise stale_error(engine, moved_lead, exc.seen) from None
    return ActionResult(
        lead.lead_id, lead.external_id, "undo", describe("undo", payload),
        audit_id=undo_id, version=version,
    )  # fmt: skip


def _undo_payload(entry: dict[str, Any], lead: LeadRow, version: int) -> dict[str, Any]:
    return {
        "external_id": lead.external_id,
        "version": None if version == lead.version else [lead.version, version],
        "undoes": entry["id"],
        "undone_action": entry["action"],
        "undone_summary": describe(entry["action"], entry["payload"]),
    }


def _reverse(
    connection: Connection,
    plan: UndoPlan,
    lead: LeadRow,
    audit_id: int,
    *,
    actor: str,
    now: datetime,
) -> int:
    """Apply the plan; returns the lead's version afterwards."""
    if plan.kind == "delete_touch":
        gone = connection.execute(
            delete(_touch).where(_touch.c.id == plan.touch_id, _touch.c.lead_id == lead.lead_id)
        )
        if gone.rowcount != 1:
            raise UndoConflictError(audit_id, {"touch": (plan.touch_id, None)})
        return lead.version
    if plan.kind == "restore_owner":
        _refuse_conflicts(audit_id, plan, {"owner": lead.owner})
        return move_lead(connection, lead, owner=plan.restore.get("owner"))
    _refuse_conflicts(audit_id, plan, jsonable(read_facts(connection, lead.lead_id)))
    version = move_lead(connection, lead)
    values = {column: _stored(column, value) for column, value in plan.restore.items()}
    write_facts(connection, lead.lead_id, values, actor=actor, now=now)
    return version


def _refuse_conflicts(audit_id: int, plan: UndoPlan, current: dict[str, Any]) -> None:
    conflicts = restore_conflicts(plan.expect, current)
    if conflicts:
        raise UndoConflictError(audit_id, conflicts)


def _stored(column: str, value: Any) -> Any:
    """A JSON value from the audit payload back as the column stores it."""
    if column in TIMESTAMP_COLUMNS and isinstance(value, str):
        return naive_utc(datetime.fromisoformat(value))
    return value


def _read_entry(connection: Connection, audit_id: int) -> dict[str, Any]:
    a = _audit.c
    row = connection.execute(
        select(a.id, a.action, a.entity, a.entity_id, a.payload, a.undone_at).where(
            a.id == int(audit_id)
        )
    ).first()
    if row is None or row.entity != LEAD_ENTITY:
        raise LookupError(f"no lead action with audit id {audit_id}")
    return {**row._mapping, "payload": row.payload or {}}


def _already_undone(engine: Engine, audit_id: int) -> ActionResult:
    with engine.connect() as connection:
        entry = _read_entry(connection, audit_id)
        lead = read_lead(connection, int(entry["entity_id"]))
    summary = f"already undone: {describe(entry['action'], entry['payload'])}"
    return ActionResult(
        lead.lead_id, lead.external_id, "undo", summary, replayed=True, version=lead.version
    )
