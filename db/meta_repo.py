"""Bookkeeping: the data version caches key on, row counts, wiping data, the audit log."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Integer, String, cast, delete, func, insert, select
from sqlalchemy import update as sql_update
from sqlmodel import Session, SQLModel

from db.convert import read_frame, utc_column
from db.engine import jsonable
from db.models import (
    DATA_VERSION_KEY,
    Activity,
    AuditLog,
    Lead,
    Meta,
    SalesFact,
    SalesTouch,
    table_of,
    utcnow,
)

_meta = table_of(Meta)
_audit = table_of(AuditLog)
# Children first, so foreign keys hold at every step.
_DATA_TABLES = (table_of(Activity), table_of(SalesTouch), table_of(SalesFact), table_of(Lead))


def data_version(engine: Engine) -> int:
    """A number that changes on every write to leads, activities, touches or facts."""
    with engine.connect() as connection:
        value = connection.scalar(select(_meta.c.value).where(_meta.c.key == DATA_VERSION_KEY))
    return int(value) if value is not None else 0


def bump_data_version(connection: Connection) -> None:
    """Increment in SQL (not read-modify-write) so concurrent writers never lose a bump."""
    result = connection.execute(
        sql_update(_meta)
        .where(_meta.c.key == DATA_VERSION_KEY)
        .values(value=cast(cast(_meta.c.value, Integer) + 1, String))
    )
    if result.rowcount == 0:
        connection.execute(insert(_meta).values(key=DATA_VERSION_KEY, value="1"))


def delete_all_data(engine: Engine, *, actor: str = "system") -> None:
    """Remove leads, activities, touches and facts; definitions and the audit log stay."""
    with engine.begin() as connection:
        counts = _counts(connection, _DATA_TABLES)
        for table in _DATA_TABLES:
            connection.execute(delete(table))
        bump_data_version(connection)
        log_audit(
            connection,
            actor=actor,
            action="delete_all_data",
            entity="data",
            entity_id=None,
            payload={"deleted": counts},
        )


def ever_held_data(engine: Engine) -> bool:
    """Whether leads were ever imported into, or deleted from, this database (the audit
    log says so), so that an empty database is not mistaken for a new one."""
    statement = select(func.count()).where(_audit.c.action.in_(("import", "delete_all_data")))
    with engine.connect() as connection:
        return bool(connection.scalar(statement))


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows per table, for status pages and tests."""
    with engine.connect() as connection:
        return _counts(connection, SQLModel.metadata.sorted_tables)


def _counts(connection: Connection, tables: Any) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables
    }


def log_audit(
    engine_or_session: Engine | Connection | Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append one audit row; pass a Connection or Session to join the caller's transaction."""
    row = {
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "payload": jsonable(payload or {}),
    }
    statement = insert(_audit).values(at=utcnow(), **row)
    if isinstance(engine_or_session, Engine):
        with engine_or_session.begin() as connection:
            connection.execute(statement)
    else:
        engine_or_session.execute(statement)


def list_audit(engine: Engine, *, limit: int = 200, entity: str | None = None) -> pd.DataFrame:
    """The latest audit rows, newest first."""
    statement = (
        select(
            _audit.c.id,
            _audit.c.at,
            _audit.c.actor,
            _audit.c.action,
            _audit.c.entity,
            _audit.c.entity_id,
            _audit.c.payload,
        )
        .order_by(_audit.c.id.desc())
        .limit(limit)
    )
    if entity is not None:
        statement = statement.where(_audit.c.entity == entity)
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    frame["at"] = utc_column(frame["at"])
    return frame
