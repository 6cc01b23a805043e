"""Normalising an attribute's spellings ("organic_search" -> "Organic Search") in place.

One transaction: the leads' text column (or custom attribute) is rewritten, the data
version bumped and one audit row written, so every page shows the merged value at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, bindparam, select, update

from db.meta_repo import bump_data_version, log_audit
from db.models import Lead, table_of
from domain.engine.frames import LEAD_CORE_COLUMNS

_lead = table_of(Lead)
# Text columns a rule may name; ids, e-mail and name are keys, not categories.
_TEXT = tuple(
    c
    for c in LEAD_CORE_COLUMNS
    if c not in ("lead_id", "external_id", "email", "name", "company_size", "created_at")
)


def normalise_values(
    engine: Engine, attribute: str, to: str, from_values: list[str], *, actor: str
) -> int:
    """Replace `from_values` of `attribute` by `to` on every lead; the leads changed."""
    olds = sorted({v for v in from_values if v != to})
    if not olds:
        return 0
    with engine.begin() as connection:
        if attribute in _TEXT:
            changed = _normalise_column(connection, attribute, to, olds)
        else:
            changed = _normalise_custom(connection, attribute, to, olds)
        if changed:
            bump_data_version(connection)
            log_audit(
                connection,
                actor=actor,
                action="normalise values",
                entity="lead attribute",
                entity_id=attribute,
                payload={"to": to, "from": olds, "leads": changed},
            )
    return changed


def _normalise_column(connection: Connection, column: str, to: str, olds: list[str]) -> int:
    statement = update(_lead).where(_lead.c[column].in_(olds)).values({column: to})
    return int(connection.execute(statement).rowcount or 0)


def _normalise_custom(connection: Connection, attribute: str, to: str, olds: list[str]) -> int:
    # JSON paths differ between SQLite and PostgreSQL; the rows are read and written here.
    wanted = set(olds)
    changes = []
    for lead_id, custom in connection.execute(select(_lead.c.id, _lead.c.custom)):
        value = custom.get(attribute) if isinstance(custom, dict) else None
        if value is not None and str(value) in wanted:
            changes.append({"key": lead_id, "custom": {**custom, attribute: to}})
    if changes:
        statement = (
            update(_lead)
            .where(_lead.c.id == bindparam("key"))
            .values(custom=bindparam("custom", type_=_lead.c.custom.type))
        )
        connection.execute(statement, changes)
    return len(changes)
