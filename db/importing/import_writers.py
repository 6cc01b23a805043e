"""Writing one validated import chunk in the caller's transaction, counting what changed.

Leads and outcomes are upserts: a row equal to what is stored is counted unchanged and not
written. Activities and touches are append-only facts keyed by their import key: a row
already stored (or repeated in the file) is unchanged. Rows naming an unknown lead are
returned as rejects. Activities, and leads on PostgreSQL, go through db/importing/import_staged.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, bindparam, func, select

from db.convert import coerce_frame, plain_columns, read_frame
from db.importing import import_staged
from db.leads.attributes_repo import add_attributes
from db.leads.leads_repo import lookup_lead_ids, write_leads
from db.leads.sales_repo import write_sales_facts, write_touches
from db.models import Lead, SalesFact, SalesTouch, table_of
from domain.definitions.definition import BANT_FACTS
from domain.engine.frames import TIMESTAMP_COLUMNS, to_utc
from domain.importing import Mapping, empty_rejects
from domain.importing.outcomes import KEEP, UNDATED, marker_columns

_lead = table_of(Lead)
_touch = table_of(SalesTouch)
_fact = table_of(SalesFact)
LOOKUP_BATCH = 5_000
TOUCH_KEY_PREFIX = "import:"


@dataclass
class ChunkCounts:
    """What one chunk did to the database, and the rows it refused (unknown leads)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    unmatched: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    """Attributes files: the join values (indexed by line) that matched no lead."""


def write_chunk(
    connection: Connection, rows: pd.DataFrame, mapping: Mapping, *, actor: str
) -> ChunkCounts:
    """Store the valid rows of one chunk (indexed by line) of a `mapping.kind` file."""
    if rows.empty:
        return ChunkCounts()
    if mapping.kind == "leads":
        return _upsert_leads(connection, rows)
    if mapping.kind == "attributes":
        (join_on,) = mapping.join_on
        updated, unchanged, unmatched = add_attributes(connection, rows, join_on)
        return ChunkCounts(updated=updated, unchanged=unchanged, unmatched=unmatched)
    if mapping.kind == "activities":
        inserted, unknown = import_staged.append_activities(connection, rows)
        return ChunkCounts(
            inserted=inserted,
            unchanged=len(rows) - len(unknown) - inserted,
            rejects=_unknown_leads(rows.loc[unknown], mapping),
        )
    counts = ChunkCounts()
    lead_ids = lookup_lead_ids(connection, rows["lead_external_id"], batch=LOOKUP_BATCH)
    unknown = lead_ids.isna().to_numpy()
    if unknown.any():
        counts.rejects = _unknown_leads(rows[unknown], mapping)
        rows, lead_ids = rows[~unknown], lead_ids[~unknown]
    rows = rows.assign(lead_id=lead_ids.astype("int64").to_numpy())
    if mapping.kind == "outcomes":
        _write_outcomes(connection, rows, mapping, actor, counts)
    else:
        _append_touches(connection, rows, actor, counts)
    return counts


def _unknown_leads(rows: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    ids = rows["lead_external_id"].astype(str)
    return pd.DataFrame(
        {
            "line": rows.index.to_numpy(dtype="int64"),
            "column": mapping.fields["lead_external_id"],
            "value": ids.to_numpy(),
            "reason": [f"no lead with external id {i}; import leads first" for i in ids],
        }
    )


def _upsert_leads(connection: Connection, rows: pd.DataFrame) -> ChunkCounts:
    """Leads by external id. A blank creation date never overwrites a stored one: those
    rows are written without the column (a new lead then gets "now", as the column is
    NOT NULL), so re-importing the file changes nothing."""
    undated = rows["created_at"].isna().to_numpy() if "created_at" in rows else None
    if undated is None or not undated.any():
        return _leads_on_backend(connection, rows)
    parts = [_leads_on_backend(connection, rows[undated].drop(columns="created_at"))]
    if not undated.all():
        parts.append(_leads_on_backend(connection, rows[~undated]))
    return ChunkCounts(
        inserted=sum(p.inserted for p in parts),
        updated=sum(p.updated for p in parts),
        unchanged=sum(p.unchanged for p in parts),
    )


def _leads_on_backend(connection: Connection, rows: pd.DataFrame) -> ChunkCounts:
    if connection.dialect.name == "postgresql":
        return ChunkCounts(*import_staged.upsert_leads(connection, rows))
    return _write_leads(connection, rows)


def _write_leads(connection: Connection, rows: pd.DataFrame) -> ChunkCounts:
    columns = [c for c in rows.columns if c not in ("external_id", "custom")]
    stored = _stored(
        connection, _lead, _lead.c.external_id, rows["external_id"], [*columns, "custom"]
    )
    is_new = ~rows["external_id"].isin(stored.index).to_numpy()
    old = stored.reindex(rows["external_id"][~is_new])
    existing = rows[~is_new].copy()
    same = _same_values(existing, old, columns)
    if "custom" in rows:
        # Merge: the file's columns replace their keys; other custom keys stay.
        merged = [
            {**(o if isinstance(o, dict) else {}), **n}
            for o, n in zip(old["custom"], existing["custom"], strict=True)
        ]
        same &= np.array([m == o for m, o in zip(merged, old["custom"], strict=True)], bool)
        existing["custom"] = merged
    changed = existing[~same]
    written = pd.concat([rows[is_new], changed]) if len(changed) else rows[is_new]
    write_leads(connection, written.reset_index(drop=True), bulk=True)
    return ChunkCounts(inserted=int(is_new.sum()), updated=len(changed), unchanged=int(same.sum()))


def _write_outcomes(
    connection: Connection, rows: pd.DataFrame, mapping: Mapping, actor: str, counts: ChunkCounts
) -> None:
    markers = marker_columns(list(rows.columns))
    columns = [c for c in rows.columns if c not in ("lead_external_id", "lead_id", *markers)]
    stored = _stored(connection, _fact, _fact.c.lead_id, rows["lead_id"], columns)
    is_new = ~rows["lead_id"].isin(stored.index).to_numpy()
    if markers:
        rows = _resolve_markers(connection, rows, stored, mapping)
        # A new lead for which the file records nothing (every "no") gets no empty row.
        empty = rows[columns].isna().all(axis=1).to_numpy()
        counts.unchanged += int((is_new & empty).sum())
        rows, is_new = rows[~(is_new & empty)], is_new[~(is_new & empty)]
    old = stored.reindex(rows["lead_id"][~is_new])
    same = _same_values(rows[~is_new], old, columns)
    changed = rows[~is_new][~same]
    written = pd.concat([rows[is_new], changed])
    if len(written):
        values = written[["lead_id", *columns]].reset_index(drop=True)
        write_sales_facts(connection, values.assign(updated_by=actor))
    counts.inserted += int(is_new.sum())
    counts.updated += len(changed)
    counts.unchanged += int(same.sum())


def _resolve_markers(
    connection: Connection, rows: pd.DataFrame, stored: pd.DataFrame, mapping: Mapping
) -> pd.DataFrame:
    """Dates a row keeps (a "no") take the stored value; an undated "yes" takes the stored
    date, else the mapping's as-of date, else the lead's creation time (domain/importing/
    outcomes.py says why)."""
    rows = rows.copy()
    fallback = mapping.as_of_time
    if fallback is None and any(rows[c].any() for c in rows if c.startswith(UNDATED)):
        created = _stored(connection, _lead, _lead.c.id, rows["lead_id"], ["created_at"])
        fallback = _aligned(created, "created_at", rows)
    for marker in [c for c in rows if c.startswith(KEEP)]:
        column = marker.removeprefix(KEEP)
        before = _aligned(stored, column, rows)
        value = to_utc(rows[column])
        keep, undated = rows.pop(marker), rows.pop(UNDATED + column)
        value = value.where(~keep, before)
        rows[column] = value.where(~undated, before.where(before.notna(), fallback))
    return rows


def _aligned(stored: pd.DataFrame, column: str, rows: pd.DataFrame) -> pd.Series:
    """The stored `column` (timestamps) for each row's lead, NaT where none is stored."""
    if column not in stored:
        return pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns, UTC]")
    values = to_utc(stored[column].reindex(rows["lead_id"]).reset_index(drop=True))
    values.index = rows.index
    return values


def _append_touches(
    connection: Connection, rows: pd.DataFrame, actor: str, counts: ChunkCounts
) -> None:
    rows = rows.assign(idempotency_key=TOUCH_KEY_PREFIX + rows.pop("import_key"))
    repeated = rows["idempotency_key"].duplicated().to_numpy()
    rows = rows[~repeated]
    known = _stored_keys(connection, _touch.c.idempotency_key, rows["idempotency_key"])
    new = rows[~rows["idempotency_key"].isin(known).to_numpy()]
    values = new.drop(columns=["lead_external_id"]).reset_index(drop=True)
    inserted = write_touches(connection, values.assign(created_by=actor))
    counts.inserted += inserted
    counts.unchanged += int(repeated.sum()) + len(rows) - inserted


def _stored(
    connection: Connection, table: Any, key: Any, wanted: pd.Series, columns: list[str]
) -> pd.DataFrame:
    """Stored values of `columns` for the rows whose `key` is in `wanted`, indexed by key."""
    keys = [k.item() if hasattr(k, "item") else k for k in pd.unique(wanted)]
    statement = select(key.label("_key"), *plain_columns(table, columns))
    if connection.dialect.name == "sqlite" and keys:
        # One query whatever the count: the keys go as one JSON array that SQLite unpacks
        # in C (compiling and binding 5,000 parameters per query cost more than the lookups).
        listed = func.json_each(bindparam("keys", json.dumps(keys))).table_valued("value")
        found = read_frame(connection, statement.where(key.in_(select(listed.c.value))))
        parts = [found]
    else:
        parts = [
            read_frame(connection, statement.where(key.in_(keys[start : start + LOOKUP_BATCH])))
            for start in range(0, len(keys), LOOKUP_BATCH)
        ]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["_key"])
    frame = coerce_frame(frame, bools=[c for c in BANT_FACTS if c in frame])
    return frame.set_index("_key")


def _stored_keys(connection: Connection, column: Any, wanted: pd.Series) -> set[str]:
    keys = list(pd.unique(wanted))
    found: set[str] = set()
    for start in range(0, len(keys), LOOKUP_BATCH):
        batch = keys[start : start + LOOKUP_BATCH]
        found.update(connection.scalars(select(column).where(column.in_(batch))))
    return found


def _same_values(new: pd.DataFrame, old: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Per row: every column in `columns` equals the stored value (missing equals missing)."""
    same = pd.Series(True, index=new.index)
    for column in columns:
        a, b = new[column].reset_index(drop=True), old[column].reset_index(drop=True)
        if column in TIMESTAMP_COLUMNS:
            a, b = to_utc(a), to_utc(b)
        elif pd.api.types.is_float_dtype(a) or column == "company_size":
            a, b = pd.to_numeric(a), pd.to_numeric(b)
        equal = (a == b).fillna(False).astype(bool) | (a.isna() & b.isna())
        same &= equal.to_numpy()
    return same.to_numpy(dtype=bool, copy=True)  # type: ignore[return-value]
