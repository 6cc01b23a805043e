"""The audit log, filtered: who did what, when, for the Audit page and its download."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from db.convert import naive_utc, read_frame, utc_column
from db.models import AuditLog, table_of

_audit = table_of(AuditLog)
AUDIT_LIMIT = 20_000  # rows a page shows and downloads at most (newest first)


def audit_actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.scalars(select(_audit.c.action).distinct()).all())


def query_audit(
    engine: Engine,
    *,
    actions: list[str] | None = None,
    actor: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = AUDIT_LIMIT,
) -> pd.DataFrame:
    """Audit rows, newest first; `actor` matches part of the name, in any case."""
    a = _audit.c
    statement = select(
        a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.payload, a.undone_at, a.undone_by
    )
    if actions:
        statement = statement.where(a.action.in_(actions))
    if actor.strip():
        statement = statement.where(func.lower(a.actor).contains(actor.strip().lower()))
    if since is not None:
        statement = statement.where(a.at >= naive_utc(since))
    if until is not None:
        statement = statement.where(a.at < naive_utc(until))
    with engine.connect() as connection:
        frame = read_frame(connection, statement.order_by(a.id.desc()).limit(limit))
    for column in ("at", "undone_at"):
        frame[column] = utc_column(frame[column])
    return frame
