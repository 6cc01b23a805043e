"""The activity log: bulk insert, and the per lead/type/stage/day GROUP BY the app reads."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select

from db.bulk import execute_frame, with_bindparams
from db.convert import (
    coerce_frame,
    examples,
    naive_utc,
    raw_timestamp,
    read_frame,
    read_frame_in_parts,
    refuse_unknown_columns,
    require_columns,
)
from db.leads.leads_repo import lead_ids_for
from db.meta_repo import bump_data_version
from db.models import Activity, table_of
from domain.definitions.definition import CONTENT_STAGES
from domain.engine.frames import ACTIVITY_COUNT_COLUMNS, day_number, to_utc

_activity = table_of(Activity)
_INPUT_COLUMNS = (
    "lead_external_id",
    "lead_id",
    "activity_type",
    "occurred_at",
    "content_stage",
    "asset",
    "duration_s",
    "import_key",
)
ACTIVITY_LOG_COLUMNS = (
    "activity_id",
    "lead_id",
    "activity_type",
    "occurred_at",
    "day",
    "content_stage",
    "asset",
    "duration_s",
)


def load_activity_counts(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """ACTIVITY_COUNT_COLUMNS, counted by the database; the raw log never leaves it.

    `as_of` (naive means UTC) keeps only activities that occurred at or before it.
    """
    a = _activity.c
    groups = (a.lead_id, a.activity_type, a.content_stage, a.occurred_day)
    statement = select(
        *groups[:3],
        a.occurred_day.label("day"),
        func.count().label("n"),
        raw_timestamp(func.min(a.occurred_at), "first_at"),
        raw_timestamp(func.max(a.occurred_at), "last_at"),
    ).group_by(*groups)
    if as_of is not None:
        statement = statement.where(a.occurred_at <= naive_utc(as_of))
    with engine.connect() as connection:
        # Part by part, each made compact before the next is read: the driver's rows of
        # a few million groups would otherwise take more memory than the app's model.
        parts = [
            coerce_frame(part, strings=("activity_type", "content_stage"), ints=_COUNTS)
            for part in read_frame_in_parts(connection, statement, _ROWS_PER_PART)
        ]
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return frame[list(ACTIVITY_COUNT_COLUMNS)]


_COUNTS = ("lead_id", "day", "n")
_ROWS_PER_PART = 100_000


def load_activities_for_lead(engine: Engine, lead_id: int) -> pd.DataFrame:
    """Every activity of one lead, oldest first (for the lead timeline)."""
    a = _activity.c
    statement = (
        select(
            a.id.label("activity_id"),
            a.lead_id,
            a.activity_type,
            raw_timestamp(a.occurred_at),
            a.occurred_day.label("day"),
            a.content_stage,
            a.asset,
            a.duration_s,
        )
        .where(a.lead_id == int(lead_id))
        .order_by(a.occurred_at, a.id)
    )
    with engine.connect() as connection:
        frame = read_frame(connection, statement)
    return coerce_frame(
        frame,
        strings=("activity_type", "content_stage", "asset"),
        floats=("duration_s",),
        ints=("activity_id", "lead_id", "day"),
    )


def insert_activities(engine: Engine, frame: pd.DataFrame) -> int:
    """Append activities (leads named by `lead_external_id`) in one transaction.

    Raises UnknownLeadsError, writing nothing, if any row names an unknown lead.
    Returns the number of rows inserted.
    """
    _check_activities(frame)
    if frame.empty:
        return 0
    source = frame.reset_index(drop=True)
    with engine.begin() as connection:
        lead_ids = lead_ids_for(connection, source, what="insert_activities")
        written = write_activities(connection, source, lead_ids)
        bump_data_version(connection)
    return written


def write_activities(connection: Connection, frame: pd.DataFrame, lead_ids: pd.Series) -> int:
    """Insert checked activities of known leads (`lead_ids`, aligned by position) in the
    caller's transaction, without a data-version bump. An `import_key` column is stored.
    """
    if frame.empty:
        return 0
    rows = activity_rows(frame).assign(lead_id=pd.Series(lead_ids).to_numpy(dtype="int64"))
    # Index order: inserts then walk the B-tree instead of jumping around it.
    rows = rows.sort_values(["lead_id", "activity_type", "occurred_at"], ignore_index=True)
    execute_frame(connection, with_bindparams(insert(_activity), list(rows)), _activity, rows)
    return len(rows)


def activity_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Checked activities as the table's columns (without `lead_id`), in `frame`'s order."""
    source = frame.reset_index(drop=True)
    occurred = to_utc(source["occurred_at"])
    optional = [c for c in ("content_stage", "asset", "duration_s", "import_key") if c in source]
    return coerce_frame(
        source[optional].assign(
            activity_type=source["activity_type"].astype(str),
            occurred_at=occurred,
            occurred_day=day_number(occurred),
        ),
        strings=("content_stage", "asset", "import_key"),
        floats=("duration_s",),
    )


def _check_activities(frame: pd.DataFrame) -> None:
    what = "insert_activities"
    refuse_unknown_columns(frame, _INPUT_COLUMNS, what=what)
    require_columns(frame, ["activity_type", "occurred_at"], what=what)
    for column in ("activity_type", "occurred_at"):
        if frame[column].isna().any():
            raise ValueError(f"{what}: {int(frame[column].isna().sum())} row(s) lack {column}")
    if "content_stage" in frame:
        stages = frame["content_stage"]
        bad = stages[stages.notna() & ~stages.isin(CONTENT_STAGES)].unique()
        if len(bad):
            raise ValueError(
                f"{what}: content_stage must be one of {', '.join(CONTENT_STAGES)} or empty, "
                f"got {examples(bad)}"
            )
