"""Custom attributes: their type registry, and adding a related file's columns to leads.

An `attributes` import (`{"kind": "attributes", "join_on": {"company": "account"}}`) adds
its columns to every EXISTING lead whose field (or custom attribute) equals the row's
join value, ignoring case and surrounding spaces. It never creates a lead; rows matching
none are counted and reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, func, select, update

from db.convert import dialect_insert
from db.models import CustomAttribute, Lead, table_of, utcnow
from domain.engine.frames import LEAD_CORE_COLUMNS

_types = table_of(CustomAttribute)
_lead = table_of(Lead)
_BATCH = 500


def load_attribute_types(source: Engine | Connection) -> dict[str, str]:
    """Custom attribute name -> type ("number", "date", "yes/no", "text")."""
    statement = select(_types.c.name, _types.c.value_type)
    if isinstance(source, Engine):
        with source.connect() as connection:
            return {str(n): str(t) for n, t in connection.execute(statement)}
    return {str(n): str(t) for n, t in source.execute(statement)}


def register_types(connection: Connection, types: dict[str, str]) -> None:
    """Record the types of the attributes an import wrote (the latest import's type wins)."""
    if not types:
        return
    now = utcnow()
    rows = [{"name": n, "value_type": t, "updated_at": now} for n, t in types.items()]
    statement = dialect_insert(connection, _types)
    statement = statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"value_type": statement.excluded.value_type, "updated_at": now},
    )
    connection.execute(statement, rows)


def join_column(name: str) -> Any:
    """The lead column (or custom attribute) an attributes file joins on, normalised."""
    column = _lead.c[name] if name in LEAD_CORE_COLUMNS and name != "lead_id" else None
    value = column if column is not None else _lead.c.custom[name].as_string()
    return func.lower(func.trim(value))


def add_attributes(
    connection: Connection, rows: pd.DataFrame, join_on: str
) -> tuple[int, int, pd.Series]:
    """Merge each row's `custom` into the leads whose `join_on` equals its `join_value`.

    Returns (leads updated, leads unchanged, the rows that matched no lead (by line)).
    """
    keys = rows["join_value"].astype(str).str.strip().str.casefold()
    custom_by_key = dict(zip(keys, rows["custom"], strict=True))
    column = join_column(join_on)
    leads: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    wanted = list(custom_by_key)
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        statement = select(column.label("key"), _lead.c.id, _lead.c.custom)
        for key, lead_id, custom in connection.execute(statement.where(column.in_(batch))):
            leads[key].append((int(lead_id), custom if isinstance(custom, dict) else {}))
    changed = []
    unchanged = 0
    for key, matched in leads.items():
        for lead_id, stored in matched:
            merged = {**stored, **custom_by_key[key]}
            if merged == stored:
                unchanged += 1
            else:
                changed.append({"lead_key": lead_id, "merged": merged})
    if changed:
        write = update(_lead).where(_lead.c.id == bindparam("lead_key"))
        values = bindparam("merged", type_=_lead.c.custom.type)
        connection.execute(write.values(custom=values), changed)
    unmatched = rows["join_value"][~keys.isin(leads.keys()).to_numpy()]
    return len(changed), unchanged, unmatched
