"""Import writes through a staging table: a chunk goes into a temp table (COPY on
PostgreSQL), then one set-based statement matches, counts and writes it.

Same results as the row-level path in db/importing/import_writers.py (counts, custom-attribute
merge, owner-change version bump, unknown-lead rejects) without reading stored rows back
into Python, which was most of the time at 1,000,000 rows. Activities take it on both
databases; leads on PostgreSQL only (SQLite's json_patch would drop keys set to null).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from db.bulk import STAGE, staged
from db.convert import coerce_frame
from db.leads.activities_repo import activity_rows
from db.models import Activity, Lead, table_of, utcnow

_lead = table_of(Lead)
_activity = table_of(Activity)


def upsert_leads(connection: Connection, rows: pd.DataFrame) -> tuple[int, int, int]:
    """PostgreSQL: upsert checked lead rows (unique external ids) by external id.

    Only the file's columns are updated, its custom attributes merged into the stored ones;
    a row equal to the stored lead is not written. Returns (inserted, updated, unchanged).
    """
    frame = coerce_frame(rows.reset_index(drop=True), floats=("company_size",))
    with staged(connection, _lead, frame):
        statement = text(_lead_upsert(list(frame.columns)))
        inserted, written = connection.execute(statement, {"now": utcnow()}).one()
    return inserted, written - inserted, len(frame) - written


def _lead_upsert(columns: list[str]) -> str:
    """INSERT ... ON CONFLICT from STAGE (with `columns`), returning (inserted, written)."""
    updated = [c for c in columns if c != "external_id"]
    targets = columns + [c for c in ("created_at",) if c not in columns]
    # created_at is NOT NULL: a blank (or absent) one becomes "now", as on SQLite.
    now = "COALESCE(created_at, :now)" if "created_at" in columns else ":now"
    values = [now if c == "created_at" else c for c in targets]
    merged = "CAST(CAST(lead.custom AS jsonb) || CAST(excluded.custom AS jsonb) AS json)"
    sets = [f"{c} = {merged if c == 'custom' else f'excluded.{c}'}" for c in updated]
    if "owner" in updated:  # handing a lead to another owner moves it (see Lead.version)
        sets.append(
            "version = CASE WHEN lead.owner IS NOT DISTINCT FROM excluded.owner "
            "THEN lead.version ELSE lead.version + 1 END"
        )
    plain = [c for c in updated if c != "custom"]
    changed = []
    if plain:
        changed.append(
            f"({', '.join(f'lead.{c}' for c in plain)}) IS DISTINCT FROM "
            f"({', '.join(f'excluded.{c}' for c in plain)})"
        )
    if "custom" in updated:
        changed.append(f"CAST({merged} AS jsonb) IS DISTINCT FROM CAST(lead.custom AS jsonb)")
    conflict = f"DO UPDATE SET {', '.join(sets)} WHERE {' OR '.join(changed)}"
    # An unchanged row fails the WHERE and is not returned; xmax = 0 marks inserted rows.
    return (
        f"WITH written AS (INSERT INTO lead ({', '.join(targets)}) "
        f"SELECT {', '.join(values)} FROM {STAGE} "
        f"ON CONFLICT (external_id) {conflict if sets else 'DO NOTHING'} "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FROM written"
    )


def append_activities(connection: Connection, rows: pd.DataFrame) -> tuple[int, list[int]]:
    """Insert checked activity rows (indexed by line, with `import_key`) of known leads;
    a key already stored or repeated is skipped. Returns (inserted, lines naming an
    unknown lead).
    """
    frame = activity_rows(rows).assign(
        lead_external_id=rows["lead_external_id"].astype(str).to_numpy(),
        line=rows.index.to_numpy(dtype="int64"),
    )
    columns = [c for c in frame.columns if c not in ("lead_external_id", "line")]
    with staged(connection, _activity, frame):
        unknown = connection.scalars(
            text(
                f"SELECT line FROM {STAGE} s WHERE NOT EXISTS "
                "(SELECT 1 FROM lead WHERE lead.external_id = s.lead_external_id) ORDER BY line"
            )
        ).all()
        # In index order: the inserts then walk the B-tree instead of jumping around it.
        inserted = connection.execute(
            text(
                f"INSERT INTO activity (lead_id, {', '.join(columns)}) "
                f"SELECT lead.id, {', '.join(f's.{c}' for c in columns)} FROM {STAGE} s "
                "JOIN lead ON lead.external_id = s.lead_external_id "
                "WHERE true "  # SQLite needs it to parse the ON CONFLICT after a join
                "ORDER BY lead.id, s.activity_type, s.occurred_at "
                "ON CONFLICT (import_key) DO NOTHING"
            )
        ).rowcount
    return inserted, list(unknown)
