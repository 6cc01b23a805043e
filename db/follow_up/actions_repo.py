"""Actions on a lead (touch, accept, qualify, disqualify, recycle, reassign), audited.

Every action runs in one transaction and
- is idempotent: its `idempotency_key` (one per submitted form) is stored on the audit
  entry (and on the touch), so the same submission again returns the first result;
- carries the lead version the user saw (`expected_version`). Owner and sales-fact changes
  are compare-and-set on `lead.version` (`UPDATE ... WHERE version = :seen`), so when two
  reps act on one lead at once, one wins and the other gets StaleLeadError listing what
  changed; nothing is lost silently. Touches are plain inserts: they never conflict;
- records who and when (touch created_by/created_at, fact updated_by/updated_at) and an
  audit entry holding what undoing it needs (`db/follow_up/undo_repo.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from db.convert import dialect_insert, naive_utc
from db.engine import jsonable
from db.errors import describe as describe_error
from db.follow_up.lead_rows import (
    LeadRow,
    ReplayedError,
    VersionMovedError,
    insert_audit,
    move_lead,
    read_facts,
    read_lead,
    replay_of,
    stale_error,
    talked_to,
    write_facts,
)
from db.meta_repo import bump_sales_version
from db.models import SalesTouch, table_of, utcnow
from domain.definitions.definition import SqlCriteria
from domain.follow_up.action_log import LeadChange, StaleLeadError, describe
from domain.follow_up.actions import Action, LogTouch, Qualify, Reassign, fact_changes, sql_verdict

_touch = table_of(SalesTouch)


@dataclass(frozen=True)
class ActionResult:
    """What an action did; `audit_id` is None when there was nothing to change."""

    lead_id: int
    external_id: str
    action: str
    summary: str
    audit_id: int | None = None
    replayed: bool = False  # the same submission was recorded before: nothing new written
    touch_id: int | None = None
    version: int | None = None  # the lead's version afterwards
    # For touches (which land anyway): what others did since the user's view.
    notice: tuple[LeadChange, ...] = ()


@dataclass(frozen=True)
class BulkOutcome:
    """One action on many leads: each lead in its own transaction."""

    done: list[ActionResult] = field(default_factory=list)
    stale: list[StaleLeadError] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def apply_action(
    engine: Engine,
    *,
    lead_id: int,
    action: Action,
    actor: str,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
    sql_criteria: SqlCriteria | None = None,
) -> ActionResult:
    """Apply `action` to one lead; raises StaleLeadError if the lead moved since
    `expected_version` (except touches), LookupError for an unknown lead."""
    if idempotency_key:
        earlier = replay_of(engine, idempotency_key)
        if earlier is not None:
            return _replayed(earlier)
    moment = naive_utc(now) if now is not None else utcnow()
    step = _Step(actor.strip() or "unknown", idempotency_key, moment, expected_version)
    try:
        with engine.begin() as connection:
            lead = read_lead(connection, lead_id)
            result = _dispatch(connection, lead, action, step, sql_criteria)
            if result.audit_id is not None:
                bump_sales_version(connection, [lead.lead_id])
    except (ReplayedError, VersionMovedError) as exc:
        earlier = replay_of(engine, idempotency_key) if idempotency_key else None
        if earlier is not None:
            return _replayed(earlier)
        if isinstance(exc, VersionMovedError):
            raise stale_error(engine, lead_id, exc.seen) from None
        raise
    if result.audit_id is None and idempotency_key:
        # Nothing to change may mean the same submission just did it on another thread.
        earlier = replay_of(engine, idempotency_key)
        if earlier is not None:
            return _replayed(earlier)
    return result


def apply_to_many(
    engine: Engine,
    *,
    targets: Sequence[tuple[int, int | None]],
    action: Action,
    actor: str,
    key_prefix: str | None = None,
    sql_criteria: SqlCriteria | None = None,
) -> BulkOutcome:
    """`action` on each (lead id, version seen); one lead's conflict does not stop others."""
    outcome = BulkOutcome()
    for position, (lead_id, seen) in enumerate(targets):
        try:
            outcome.done.append(
                apply_action(
                    engine,
                    lead_id=lead_id,
                    action=action,
                    actor=actor,
                    idempotency_key=f"{key_prefix}:{lead_id}" if key_prefix else None,
                    expected_version=seen,
                    sql_criteria=sql_criteria,
                )
            )
        except StaleLeadError as exc:
            outcome.stale.append(exc)
        except (LookupError, ValueError) as exc:
            outcome.failed.append((lead_id, str(exc)))
        except SQLAlchemyError as exc:
            # A lock held by an import (or a lost server) fails the rest alike: say so per
            # lead instead of waiting out the busy timeout once per lead.
            reason = describe_error(exc)
            outcome.failed.extend((later, reason) for later, _ in targets[position:])
            break
    return outcome


@dataclass(frozen=True)
class _Step:
    actor: str
    key: str | None
    now: datetime
    expected_version: int | None


def _dispatch(
    connection: Connection,
    lead: LeadRow,
    action: Action,
    step: _Step,
    criteria: SqlCriteria | None,
) -> ActionResult:
    if isinstance(action, LogTouch):
        return _log_touch(connection, lead, action, step)
    if step.expected_version is not None and step.expected_version != lead.version:
        raise VersionMovedError(step.expected_version)
    if isinstance(action, Reassign):
        return _reassign(connection, lead, action, step)
    return _change_facts(connection, lead, action, step, criteria)


def _log_touch(
    connection: Connection, lead: LeadRow, action: LogTouch, step: _Step
) -> ActionResult:
    touched_at = naive_utc(action.touched_at) if action.touched_at is not None else step.now
    row = {
        "lead_id": lead.lead_id,
        "touched_at": touched_at,
        "rep": action.rep or step.actor,
        "channel": action.channel,
        "outcome": action.outcome,
        "note": action.note,
        "created_by": step.actor,
        "created_at": step.now,
        "idempotency_key": step.key,
    }
    insert = dialect_insert(connection, _touch).values(**row)
    insert = insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
    touch_id = connection.execute(insert.returning(_touch.c.id)).scalar()
    if touch_id is None:
        raise ReplayedError
    payload = {
        "external_id": lead.external_id,
        "version": None,
        "touch_id": int(touch_id),
        **{k: row[k] for k in ("channel", "outcome", "note", "rep", "touched_at")},
    }
    audit_id = insert_audit(connection, step.actor, step.now, step.key, lead, "touch", payload)
    notice: tuple[LeadChange, ...] = ()
    if step.expected_version is not None and step.expected_version != lead.version:
        notice = stale_error(connection, lead.lead_id, step.expected_version).changes
    return ActionResult(
        lead.lead_id, lead.external_id, "touch", describe("touch", jsonable(payload)),
        audit_id=audit_id, touch_id=int(touch_id), version=lead.version, notice=notice,
    )  # fmt: skip


def _reassign(connection: Connection, lead: LeadRow, action: Reassign, step: _Step) -> ActionResult:
    if action.owner == lead.owner:
        summary = f"{lead.external_id} is already owned by {lead.owner}"
        return ActionResult(
            lead.lead_id, lead.external_id, "reassign", summary, version=lead.version
        )
    version = move_lead(connection, lead, owner=action.owner)
    payload = {
        "external_id": lead.external_id,
        "version": [lead.version, version],
        "before": {"owner": lead.owner},
        "after": {"owner": action.owner},
    }
    audit_id = insert_audit(connection, step.actor, step.now, step.key, lead, "reassign", payload)
    return ActionResult(
        lead.lead_id, lead.external_id, "reassign", describe("reassign", payload),
        audit_id=audit_id, version=version,
    )  # fmt: skip


def _change_facts(
    connection: Connection,
    lead: LeadRow,
    action: Action,
    step: _Step,
    criteria: SqlCriteria | None,
) -> ActionResult:
    current = read_facts(connection, lead.lead_id)
    changes = fact_changes(action, current, step.now)
    if not changes:
        summary = f"nothing to change: {lead.external_id} already has that recorded"
        return ActionResult(
            lead.lead_id, lead.external_id, action.kind, summary, version=lead.version
        )
    version = move_lead(connection, lead)
    write_facts(connection, lead.lead_id, changes, actor=step.actor, now=step.now)
    payload: dict[str, Any] = {
        "external_id": lead.external_id,
        "version": [lead.version, version],
        "before": {column: current.get(column) for column in changes},
        "after": changes,
    }
    if isinstance(action, Qualify):
        payload["answers"] = action.answers()
        if criteria is not None:
            talked = action.conversation or talked_to(connection, lead.lead_id, current)
            verdict = sql_verdict(action.answers(), criteria, talked)
            payload["sql"] = "SQL" if verdict.met else "not SQL: " + "; ".join(verdict.reasons)
    audit_id = insert_audit(connection, step.actor, step.now, step.key, lead, action.kind, payload)
    return ActionResult(
        lead.lead_id, lead.external_id, action.kind, describe(action.kind, jsonable(payload)),
        audit_id=audit_id, version=version,
    )  # fmt: skip


def _replayed(entry: dict[str, Any]) -> ActionResult:
    payload = entry["payload"] or {}
    version = (payload.get("version") or [None, None])[1]
    return ActionResult(
        int(entry["entity_id"]), str(payload.get("external_id", "")), entry["action"],
        describe(entry["action"], payload), audit_id=int(entry["id"]), replayed=True,
        touch_id=payload.get("touch_id"), version=version,
    )  # fmt: skip
