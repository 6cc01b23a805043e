"""Leads: load as a frame (custom attributes as columns), bulk upsert by external_id."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, case, select, update

from db.bulk import execute_frame, with_bindparams
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
from db.engine import jsonable
from db.leads.attributes_repo import load_attribute_types
from db.meta_repo import bump_data_version
from db.models import Lead, table_of, utcnow
from domain.engine.frames import LEAD_CORE_COLUMNS, to_utc
from domain.importing.attribute_types import typed_column

_lead = table_of(Lead)
_STORED = tuple(c for c in LEAD_CORE_COLUMNS if c != "lead_id")
_STRINGS = tuple(c for c in _STORED if c not in ("company_size", "created_at"))
# Up to this many distinct external ids are looked up with IN (...); more load the whole
# id map in one query, which stays under SQLite's bound-parameter limit.
_IN_LIMIT = 500


class UnknownLeadsError(ValueError):
    """Rows name leads that do not exist; nothing was written."""

    def __init__(self, what: str, unknown: list[Any]) -> None:
        self.unknown = unknown
        super().__init__(
            f"{what}: {len(unknown)} unknown lead(s), import the leads first: {examples(unknown)}"
        )


def load_leads(engine: Engine) -> pd.DataFrame:
    """LEAD_CORE_COLUMNS, then one column per custom attribute (sorted by name), typed:
    numbers as floats, dates as UTC timestamps, yes/no as booleans, the rest as text."""
    statement = select(
        _lead.c.id.label("lead_id"), *plain_columns(_lead, _STORED), _lead.c.custom
    ).order_by(_lead.c.id)
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
        types = load_attribute_types(connection)
    frame = coerce_frame(frame, strings=_STRINGS, floats=("company_size",), ints=("lead_id",))
    custom = _expand_custom(frame.pop("custom"), types)
    return pd.concat([frame, custom], axis=1) if len(custom.columns) else frame


def _expand_custom(values: pd.Series, types: dict[str, str]) -> pd.DataFrame:
    dicts = [v if isinstance(v, dict) else {} for v in values]
    if not any(dicts):
        return pd.DataFrame(index=values.index)
    expanded = pd.json_normalize(dicts, max_level=0)
    expanded.index = values.index
    expanded = expanded[sorted(expanded.columns)]
    for name in expanded.columns:
        if name in types:  # others are as stored (written before types, or by hand)
            expanded[name] = typed_column(expanded[name], types[name])
    # A custom "email" must not shadow the real one.
    return expanded.rename(columns={c: f"custom.{c}" for c in LEAD_CORE_COLUMNS})


def insert_leads(engine: Engine, frame: pd.DataFrame) -> int:
    """Insert or update leads by external_id, in one transaction; returns rows written.

    `frame` has LEAD_CORE_COLUMNS but `lead_id` (only `external_id` is required) and an
    optional `custom` column of dicts. Repeated external ids or unknown columns raise
    ValueError before anything is written.

    Only the columns present in `frame` are updated on existing leads, so a file without
    `custom` (or `created_at`) leaves those untouched. `lead_id` is ignored if present.
    """
    frame = frame.drop(columns=["lead_id"], errors="ignore")
    _check_leads(frame)
    if frame.empty:
        return 0
    with engine.begin() as connection:
        written = write_leads(connection, frame)
        bump_data_version(connection)
    return written


def write_leads(connection: Connection, frame: pd.DataFrame, *, bulk: bool = False) -> int:
    """The upsert of `insert_leads` in the caller's transaction (no data-version bump).

    `frame` is checked already: unique, non-empty external ids and known columns only.
    `bulk` sends the rows straight to the driver (db/bulk.py), for big imports.
    """
    if frame.empty:
        return 0
    # Bulk rows come from an import, as text already: only numbers need coercing.
    frame = coerce_frame(frame, strings=() if bulk else _STRINGS, floats=("company_size",))
    if "created_at" in frame:  # NOT NULL: an unknown creation time becomes "now"
        frame["created_at"] = to_utc(frame["created_at"]).fillna(pd.Timestamp(utcnow(), tz="UTC"))
    if "custom" in frame and not bulk:
        frame["custom"] = [jsonable(v) if isinstance(v, dict) else {} for v in frame["custom"]]
    defaults: dict[str, Any] = {
        k: v for k, v in (("created_at", utcnow()), ("custom", {})) if k not in frame
    }
    updated = [c for c in frame.columns if c != "external_id"]
    statement = dialect_insert(connection, _lead)
    if bulk:
        frame = frame.assign(**{k: [v] * len(frame) for k, v in defaults.items()})
        statement = with_bindparams(statement, list(frame.columns))
    if updated:
        changes = {c: statement.excluded[c] for c in updated}
        if "owner" in changes:
            changes["version"] = _version_if_owner_changes(statement.excluded.owner)
        statement = statement.on_conflict_do_update(index_elements=["external_id"], set_=changes)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=["external_id"])
    if bulk:
        execute_frame(connection, statement, _lead, frame)
        return len(frame)
    rows = records(frame, defaults)
    for chunk in chunks(rows):
        connection.execute(statement, chunk)
    return len(rows)


def _version_if_owner_changes(new_owner: Any) -> Any:
    """An import that hands a lead to another owner moves the lead (see Lead.version)."""
    same = _lead.c.owner.is_not_distinct_from(new_owner)
    return case((same, _lead.c.version), else_=_lead.c.version + 1)


def bump_lead_versions(connection: Connection, lead_ids: pd.Series) -> None:
    """Mark leads as moved (their sales facts or owner changed), in the caller's transaction."""
    statement = update(_lead).where(_lead.c.id == bindparam("moved_id"))
    statement = statement.values(version=_lead.c.version + 1)
    rows = [{"moved_id": int(i)} for i in pd.unique(lead_ids)]
    for chunk in chunks(rows):
        connection.execute(statement, chunk)


def _check_leads(frame: pd.DataFrame) -> None:
    what = "insert_leads"
    refuse_unknown_columns(frame, (*_STORED, "custom"), what=what)
    require_columns(frame, ["external_id"], what=what)
    ids = frame["external_id"]
    if ids.isna().any():
        raise ValueError(f"{what}: {int(ids.isna().sum())} row(s) have no external_id")
    repeated = ids[ids.astype(str).duplicated()].astype(str).unique()
    if len(repeated):
        raise ValueError(f"{what}: external_id repeated in the input: {examples(repeated)}")


def lookup_lead_ids(
    connection: Connection, external_ids: pd.Series, *, batch: int = 5_000
) -> pd.Series:
    """Lead ids (nullable Int64, <NA> when unknown) for external ids, looked up in batches.

    Batches stay under SQLite's bound-parameter limit and never load the whole id map.
    """
    keys = external_ids.astype(str)
    wanted = list(pd.unique(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), batch):
        part = wanted[start : start + batch]
        statement = select(_lead.c.external_id, _lead.c.id).where(_lead.c.external_id.in_(part))
        found.update({key: lead_id for key, lead_id in connection.execute(statement)})
    return keys.map(found).astype("Int64")


def lead_ids_for(connection: Connection, frame: pd.DataFrame, *, what: str) -> pd.Series:
    """Lead ids for rows naming their lead by `lead_external_id` (or by `lead_id`).

    Raises UnknownLeadsError when any row names a lead that does not exist.
    """
    by_id = "lead_id" in frame and "lead_external_id" not in frame
    key_column = "lead_id" if by_id else "lead_external_id"
    require_columns(frame, [key_column], what=what)
    keys = frame[key_column]
    if keys.isna().any():
        raise ValueError(f"{what}: {int(keys.isna().sum())} row(s) have no {key_column}")
    keys = keys.astype("int64") if by_id else keys.astype(str)
    wanted = pd.unique(keys)
    key_col, id_col = (_lead.c.id, _lead.c.id) if by_id else (_lead.c.external_id, _lead.c.id)
    statement = select(key_col, id_col)
    if len(wanted) <= _IN_LIMIT:
        statement = statement.where(key_col.in_([k.item() if by_id else k for k in wanted]))
    mapping: dict[Any, int] = {key: lead_id for key, lead_id in connection.execute(statement)}
    ids = keys.map(mapping)
    if ids.isna().any():
        raise UnknownLeadsError(what, list(pd.unique(keys[ids.isna()])))
    return ids.astype("int64")


def load_owners_and_versions(
    engine: Engine, lead_ids: Collection[int] | None = None
) -> pd.DataFrame:
    """Every lead's (or those of `lead_ids`) `owner` (None when unassigned) and `version`,
    indexed by lead id: what follow-up actions move."""
    statement = select(_lead.c.id.label("lead_id"), _lead.c.owner, _lead.c.version).order_by(
        _lead.c.id
    )
    if lead_ids is not None:
        statement = statement.where(_lead.c.id.in_(sorted(lead_ids)))
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    frame = coerce_frame(frame, strings=("owner",), ints=("lead_id", "version"))
    return frame.set_index("lead_id")
