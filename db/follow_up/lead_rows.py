"""Row-level reads and writes the lead actions share (inside the caller's transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from db.convert import aware_utc, dialect_insert
from db.engine import jsonable
from db.models import AuditLog, Lead, SalesFact, SalesTouch, table_of
from domain.engine.frames import CONVERSATION_OUTCOMES, SALES_FACT_COLUMNS
from domain.follow_up.action_log import LeadChange, StaleLeadError, describe

_lead = table_of(Lead)
_fact = table_of(SalesFact)
_touch = table_of(SalesTouch)
_audit = table_of(AuditLog)
FACT_VALUES: tuple[str, ...] = tuple(c for c in SALES_FACT_COLUMNS if c != "lead_id")
LEAD_ENTITY = "lead"
# How many of a lead's latest audit entries explain a version change.
_RECENT_ENTRIES = 50


class ReplayedError(Exception):
    """The submission was recorded before (its idempotency key is taken)."""


class VersionMovedError(Exception):
    """The lead's version is not the one the action was based on."""

    def __init__(self, seen: int) -> None:
        self.seen = seen
        super().__init__(f"lead moved since version {seen}")


@dataclass(frozen=True)
class LeadRow:
    lead_id: int
    external_id: str
    owner: str | None
    version: int


def read_lead(connection: Connection, lead_id: int) -> LeadRow:
    row = connection.execute(
        select(_lead.c.id, _lead.c.external_id, _lead.c.owner, _lead.c.version).where(
            _lead.c.id == int(lead_id)
        )
    ).first()
    if row is None:
        raise LookupError(f"no lead with id {lead_id}")
    return LeadRow(int(row.id), str(row.external_id), row.owner, int(row.version))


def read_facts(connection: Connection, lead_id: int) -> dict[str, Any]:
    """The lead's sales facts as stored (naive UTC datetimes); {} when none are recorded."""
    columns = [_fact.c[name] for name in FACT_VALUES]
    row = connection.execute(select(*columns).where(_fact.c.lead_id == int(lead_id))).first()
    return {} if row is None else {k: v for k, v in row._mapping.items() if v is not None}


def move_lead(connection: Connection, lead: LeadRow, **values: Any) -> int:
    """Compare-and-set: bump the version (and set `values`) only if nobody moved it."""
    result = connection.execute(
        update(_lead)
        .where(_lead.c.id == lead.lead_id, _lead.c.version == lead.version)
        .values(version=_lead.c.version + 1, **values)
    )
    if result.rowcount != 1:
        raise VersionMovedError(lead.version)
    return lead.version + 1


def write_facts(
    connection: Connection, lead_id: int, values: dict[str, Any], *, actor: str, now: datetime
) -> None:
    """Create or update the lead's fact row: only `values`' columns, plus who and when."""
    row = {**values, "updated_at": now, "updated_by": actor}
    statement = dialect_insert(connection, _fact).values(lead_id=int(lead_id), **row)
    statement = statement.on_conflict_do_update(
        index_elements=["lead_id"], set_={c: statement.excluded[c] for c in row}
    )
    connection.execute(statement)


def insert_audit(
    connection: Connection,
    actor: str,
    at: datetime,
    key: str | None,
    lead: LeadRow,
    action: str,
    payload: dict[str, Any],
) -> int:
    """One audit entry for the lead; ReplayedError if `key` was used before."""
    statement = dialect_insert(connection, _audit).values(
        at=at,
        actor=actor,
        action=action,
        entity=LEAD_ENTITY,
        entity_id=str(lead.lead_id),
        payload=jsonable(payload),
        idempotency_key=key,
    )
    statement = statement.on_conflict_do_nothing(index_elements=["idempotency_key"])
    audit_id = connection.execute(statement.returning(_audit.c.id)).scalar()
    if audit_id is None:
        raise ReplayedError
    return int(audit_id)


def replay_of(engine: Engine, key: str) -> dict[str, Any] | None:
    """The audit entry recorded under `key`, if any."""
    a = _audit.c
    statement = select(a.id, a.action, a.entity_id, a.payload).where(a.idempotency_key == key)
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    return None if row is None else dict(row._mapping)


def talked_to(connection: Connection, lead_id: int, facts: dict[str, Any]) -> bool:
    """Whether sales had a real conversation with the lead (recorded, or a touch's outcome)."""
    if facts.get("conversation_at") is not None:
        return True
    outcomes = select(_touch.c.outcome).where(_touch.c.lead_id == int(lead_id)).distinct()
    return any(
        str(o).casefold() in CONVERSATION_OUTCOMES for (o,) in connection.execute(outcomes) if o
    )


def stale_error(source: Engine | Connection, lead_id: int, seen: int) -> StaleLeadError:
    """StaleLeadError for a lead that moved past version `seen`, saying who did what."""
    if isinstance(source, Engine):
        with source.connect() as connection:
            return stale_error(connection, lead_id, seen)
    lead = read_lead(source, lead_id)
    a = _audit.c
    rows = source.execute(
        select(a.at, a.actor, a.action, a.payload)
        .where(a.entity == LEAD_ENTITY, a.entity_id == str(lead_id))
        .order_by(a.id.desc())
        .limit(_RECENT_ENTRIES)
    ).all()
    changes = []
    for row in reversed(rows):
        version = (row.payload or {}).get("version") or [None, None]
        if version[1] is not None and int(version[1]) > seen:
            at = aware_utc(row.at) if isinstance(row.at, datetime) else None
            changes.append(LeadChange(at, row.actor, describe(row.action, row.payload or {})))
    return StaleLeadError(
        lead_id=lead.lead_id,
        external_id=lead.external_id,
        seen_version=seen,
        current_version=lead.version,
        changes=tuple(changes),
    )
