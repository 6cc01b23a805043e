"""Bookkeeping: the data and sales versions caches key on, row counts, wiping data, audit.

Two counters, because their writes cost the app very different rebuilds: `data_version`
moves with leads and activities (re-aggregating the activity log), `sales_version` with
what sales recorded on leads (touches, facts, owners), which reloads in a fraction of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Integer, String, cast, delete, func, insert, select
from sqlalchemy import update as sql_update
from sqlmodel import Session, SQLModel

from db.convert import dialect_insert, read_frame, utc_column
from db.engine import jsonable
from db.models import (
    DATA_STAMP_KEY,
    DATA_VERSION_KEY,
    SALES_VERSION_KEY,
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
# Which leads each sales version moved, one meta row per version ("sales_change:<n>"),
# the last CHANGES_KEPT of them; a write moving more than CHANGED_LEADS_MAX leads (an
# import of touches) is recorded as ANY_LEAD: reloading all is then as cheap.
SALES_CHANGE_PREFIX = "sales_change:"
CHANGES_KEPT = 256
CHANGED_LEADS_MAX = 1000
ANY_LEAD = "*"
_audit = table_of(AuditLog)
# Children first, so foreign keys hold at every step.
_DATA_TABLES = (table_of(Activity), table_of(SalesTouch), table_of(SalesFact), table_of(Lead))


def data_version(engine: Engine) -> int:
    """A number that changes on every write to leads or activities (and imports)."""
    return data_versions(engine)[0]


def sales_version(engine: Engine) -> int:
    """A number that changes on every sales action (touch, facts, owner, undo)."""
    return data_versions(engine)[1]


def data_versions(engine: Engine) -> tuple[int, int]:
    """(data version, sales version), read in one query."""
    keys = (DATA_VERSION_KEY, SALES_VERSION_KEY)
    with engine.connect() as connection:
        rows = connection.execute(
            select(_meta.c.key, _meta.c.value).where(_meta.c.key.in_(keys))
        ).all()
    values = {key: int(value) for key, value in rows}
    return values.get(DATA_VERSION_KEY, 0), values.get(SALES_VERSION_KEY, 0)


def bump_data_version(connection: Connection) -> None:
    """Leads or activities changed: every cache built from them is stale."""
    _bump(connection, DATA_VERSION_KEY)
    # A random stamp beside the counter: a database deleted and seeded again counts from
    # 0 again, and files stored for its namesake version must not be taken for its own.
    stamp = uuid.uuid4().hex[:12]
    upsert = dialect_insert(connection, _meta).values(key=DATA_STAMP_KEY, value=stamp)
    connection.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": stamp}))


def data_token(engine: Engine) -> str:
    """The data version and its stamp: what files stored for this data are named by."""
    keys = (DATA_VERSION_KEY, DATA_STAMP_KEY)
    with engine.connect() as connection:
        found = connection.execute(select(_meta.c.key, _meta.c.value).where(_meta.c.key.in_(keys)))
        rows = {str(key): str(value) for key, value in found}
    if DATA_STAMP_KEY not in rows:
        # A database written before stamps existed gets one now (a racing reader's wins).
        with engine.begin() as connection:
            stamp = dialect_insert(connection, _meta).values(
                key=DATA_STAMP_KEY, value=uuid.uuid4().hex[:12]
            )
            connection.execute(stamp.on_conflict_do_nothing(index_elements=["key"]))
        return data_token(engine)
    return f"v{rows.get(DATA_VERSION_KEY, '0')}-{rows[DATA_STAMP_KEY]}"


def bump_sales_version(connection: Connection, lead_ids: Iterable[int] | None = None) -> int:
    """Only sales facts, touches or owners changed: the activity aggregate still holds.

    Also records which leads moved (`lead_ids`; None: any may have), so a reader holding
    the records of an older sales version reads just those leads again. Returns the new
    version. The bump locks the counter's row until commit, so versions commit in order.
    """
    _bump(connection, SALES_VERSION_KEY)
    current = select(_meta.c.value).where(_meta.c.key == SALES_VERSION_KEY)
    version = int(connection.execute(current).scalar_one())  # the bump made the row
    ids = None if lead_ids is None else sorted({int(i) for i in lead_ids})
    moved = ANY_LEAD if ids is None or len(ids) > CHANGED_LEADS_MAX else ",".join(map(str, ids))
    upsert = dialect_insert(connection, _meta).values(key=_change_key(version), value=moved)
    connection.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": moved}))
    connection.execute(delete(_meta).where(_meta.c.key == _change_key(version - CHANGES_KEPT)))
    return version


def sales_changes(engine: Engine, after: int, upto: int) -> frozenset[int] | None:
    """The leads whose sales records moved in the versions after `after` up to `upto`;
    None when unknown (a bulk write, a version not recorded): then reload them all."""
    if upto <= after:
        return frozenset()
    if upto - after > CHANGES_KEPT:
        return None
    keys = [_change_key(v) for v in range(after + 1, upto + 1)]
    with engine.connect() as connection:
        values = connection.scalars(select(_meta.c.value).where(_meta.c.key.in_(keys))).all()
    if len(values) != len(keys) or ANY_LEAD in values:
        return None
    return frozenset(int(i) for value in values for i in value.split(",") if i)


def _change_key(version: int) -> str:
    return f"{SALES_CHANGE_PREFIX}{version}"


def _bump(connection: Connection, key: str) -> None:
    """Increment in SQL (not read-modify-write) so concurrent writers never lose a bump."""
    increment = (
        sql_update(_meta)
        .where(_meta.c.key == key)
        .values(value=cast(cast(_meta.c.value, Integer) + 1, String))
    )
    if connection.execute(increment).rowcount == 0:
        # The first bump of a counter: a concurrent first bump may create it meanwhile.
        create = dialect_insert(connection, _meta).values(key=key, value="1")
        created = connection.execute(create.on_conflict_do_nothing(index_elements=["key"]))
        if created.rowcount == 0:
            connection.execute(increment)


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
