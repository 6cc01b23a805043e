"""What sales recorded: touches (one row each) and sales facts (one row per lead)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import Connection, Engine, select

from db.convert import (
    chunks,
    coerce_frame,
    dialect_insert,
    examples,
    plain_columns,
    read_frame,
    records,
    refuse_unknown_columns,
    require_columns,
)
from db.leads.leads_repo import bump_lead_versions, lead_ids_for
from db.meta_repo import bump_sales_version
from db.models import SalesFact, SalesTouch, table_of, utcnow
from domain.definitions.definition import BANT_FACTS
from domain.engine.frames import SALES_FACT_COLUMNS, TOUCH_COLUMNS

_touch = table_of(SalesTouch)
_fact = table_of(SalesFact)
_LEAD_KEYS = ("lead_external_id", "lead_id")
_TOUCH_EXTRA = ("note", "created_by", "created_at", "idempotency_key")
_TOUCH_STRINGS = ("rep", "channel", "outcome", "note", "created_by", "idempotency_key")
_FACT_VALUES = tuple(c for c in SALES_FACT_COLUMNS if c != "lead_id")


def load_touches(engine: Engine, lead_ids: Collection[int] | None = None) -> pd.DataFrame:
    """TOUCH_COLUMNS plus `touch_id`, oldest touch first (of `lead_ids` only, if given)."""
    t = _touch.c
    statement = select(*plain_columns(_touch, TOUCH_COLUMNS), t.id.label("touch_id")).order_by(
        t.touched_at, t.id
    )
    if lead_ids is not None:
        statement = statement.where(t.lead_id.in_(sorted(lead_ids)))
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    return coerce_frame(frame, strings=_TOUCH_STRINGS, ints=("lead_id", "touch_id"))


def insert_touches(engine: Engine, frame: pd.DataFrame) -> int:
    """Append touches in one transaction; returns how many were new.

    Rows whose `idempotency_key` is already stored are skipped, so retrying an action is
    safe. Raises UnknownLeadsError, writing nothing, if a row names an unknown lead.
    """
    what = "insert_touches"
    refuse_unknown_columns(frame, (*_LEAD_KEYS, *TOUCH_COLUMNS[1:], *_TOUCH_EXTRA), what=what)
    require_columns(frame, ["touched_at", "channel"], what=what)
    _refuse_missing(frame, ("touched_at", "channel"), what=what)
    if frame.empty:
        return 0
    source = frame.reset_index(drop=True)
    values = coerce_frame(
        source.drop(columns=list(_LEAD_KEYS), errors="ignore"), strings=_TOUCH_STRINGS
    )
    with engine.begin() as connection:
        values["lead_id"] = lead_ids_for(connection, source, what=what).to_numpy()
        inserted = write_touches(connection, values)
        if inserted:
            bump_sales_version(connection, values["lead_id"])
    return inserted


def write_touches(connection: Connection, values: pd.DataFrame) -> int:
    """Insert checked touches (with `lead_id`) in the caller's transaction; returns how many
    were new (a stored `idempotency_key` is skipped). No version bump.
    """
    defaults = {} if "created_at" in values else {"created_at": utcnow()}
    # RETURNING counts the rows really inserted (executemany rowcount is -1 on psycopg).
    statement = (
        dialect_insert(connection, _touch)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(_touch.c.id)
    )
    rows = records(values, defaults)
    return sum(len(connection.execute(statement, chunk).all()) for chunk in chunks(rows))


def load_sales_facts(engine: Engine, lead_ids: Collection[int] | None = None) -> pd.DataFrame:
    """SALES_FACT_COLUMNS, one row per lead that has any (of `lead_ids` only, if given);
    BANT answers as nullable booleans."""
    statement = select(*plain_columns(_fact, SALES_FACT_COLUMNS)).order_by(_fact.c.lead_id)
    if lead_ids is not None:
        statement = statement.where(_fact.c.lead_id.in_(sorted(lead_ids)))
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    return coerce_frame(
        frame, strings=("reason",), floats=("amount",), bools=BANT_FACTS, ints=("lead_id",)
    )


def upsert_sales_facts(engine: Engine, frame: pd.DataFrame) -> int:
    """Create or update each lead's facts in one transaction; returns rows written.

    Only the columns present in `frame` are overwritten (a missing value in a present
    column clears it), so recording `accepted_at` alone keeps an existing `won_at`.
    Raises UnknownLeadsError, writing nothing, if a row names an unknown lead.
    """
    what = "upsert_sales_facts"
    refuse_unknown_columns(frame, (*_LEAD_KEYS, *_FACT_VALUES, "updated_by"), what=what)
    if frame.empty:
        return 0
    source = frame.reset_index(drop=True)
    values = coerce_frame(
        source.drop(columns=list(_LEAD_KEYS), errors="ignore"),
        strings=("reason", "updated_by"),
        floats=("amount",),
        bools=BANT_FACTS,
    )
    with engine.begin() as connection:
        lead_ids = lead_ids_for(connection, source, what=what)
        repeated = lead_ids[lead_ids.duplicated()].unique()
        if len(repeated):
            raise ValueError(f"{what}: several rows for lead id(s) {examples(repeated)}")
        values["lead_id"] = lead_ids.to_numpy()
        written = write_sales_facts(connection, values)
        bump_sales_version(connection, values["lead_id"])
    return written


def write_sales_facts(connection: Connection, values: pd.DataFrame) -> int:
    """Upsert checked facts (one row per `lead_id`) in the caller's transaction and bump
    those leads' versions; only the columns present are overwritten. No version bump.
    """
    statement = dialect_insert(connection, _fact)
    updated = [c for c in values.columns if c != "lead_id"] + ["updated_at"]
    statement = statement.on_conflict_do_update(
        index_elements=["lead_id"], set_={c: statement.excluded[c] for c in updated}
    )
    rows = records(values, {"updated_at": utcnow()})
    for chunk in chunks(rows):
        connection.execute(statement, chunk)
    bump_lead_versions(connection, values["lead_id"])
    return len(rows)


def _refuse_missing(frame: pd.DataFrame, columns: tuple[str, ...], *, what: str) -> None:
    for column in columns:
        missing = int(frame[column].isna().sum())
        if missing:
            raise ValueError(f"{what}: {missing} row(s) lack {column}")
