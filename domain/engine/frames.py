"""The frames the domain takes in: column names and types, shared with `db/` and `data/`.

All timestamps are timezone-aware UTC (`datetime64[ns, UTC]`); naive ones are read as UTC.
Days are whole days since 1970-01-01 UTC (int), the unit of time buckets.

leads (one row per lead; index-free, `lead_id` unique):
    lead_id int, external_id str, name, email, company, title, industry str|None,
    company_size float (employees, NaN when unknown), country, source, segment, owner
    str|None, created_at ts; plus one column per custom attribute (from imports).

activity_counts (the GROUP BY of the activity log by lead, type, content stage and day;
the app never loads the raw log):
    lead_id int, activity_type str, content_stage str|None, day int, n int,
    first_at ts, last_at ts (first and last occurrence within that day).

touches (sales touches, one row each):
    lead_id int, touched_at ts, rep str|None, channel str (call/email/meeting/...),
    outcome str|None.

sales_facts (at most one row per lead; what reps recorded):
    lead_id int, accepted_at ts (SAL), conversation_at ts (a real conversation took
    place), budget, authority, need, timeline bool|None, bant_at ts (when the answers
    were recorded), opportunity_at ts, won_at ts, lost_at ts, amount float,
    disqualified_at ts, recycled_at ts, reason str|None, qualified_at ts (the CRM said the
    lead reached SQL: an import's "qualified" flag or SQL stage).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

LEAD_CORE_COLUMNS: tuple[str, ...] = (
    "lead_id",
    "external_id",
    "name",
    "email",
    "company",
    "title",
    "industry",
    "company_size",
    "country",
    "source",
    "segment",
    "owner",
    "created_at",
)
ACTIVITY_COUNT_COLUMNS: tuple[str, ...] = (
    "lead_id",
    "activity_type",
    "content_stage",
    "day",
    "n",
    "first_at",
    "last_at",
)
TOUCH_COLUMNS: tuple[str, ...] = ("lead_id", "touched_at", "rep", "channel", "outcome")
SALES_FACT_COLUMNS: tuple[str, ...] = (
    "lead_id",
    "accepted_at",
    "conversation_at",
    "budget",
    "authority",
    "need",
    "timeline",
    "bant_at",
    "opportunity_at",
    "won_at",
    "lost_at",
    "amount",
    "disqualified_at",
    "recycled_at",
    "reason",
    "qualified_at",
)
TIMESTAMP_COLUMNS: frozenset[str] = frozenset(
    {
        "created_at",
        "first_at",
        "last_at",
        "touched_at",
        "accepted_at",
        "conversation_at",
        "bant_at",
        "opportunity_at",
        "won_at",
        "lost_at",
        "disqualified_at",
        "recycled_at",
        "qualified_at",
        "occurred_at",
    }
)
# Touch outcomes that count as a real sales conversation when the rep did not record one.
CONVERSATION_OUTCOMES: frozenset[str] = frozenset({"connected", "meeting_held", "conversation"})
SECONDS_PER_DAY = 86_400
NS_PER_DAY = SECONDS_PER_DAY * 10**9


def to_utc(values: pd.Series | Iterable[object]) -> pd.Series:
    """Timestamps as tz-aware UTC; naive values are taken to be UTC already."""
    series = pd.to_datetime(pd.Series(values), utc=True, format="mixed")
    return series.astype("datetime64[ns, UTC]")


def empty_frame(columns: Iterable[str]) -> pd.DataFrame:
    """An empty frame with the right columns (and UTC timestamp columns)."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return normalise_timestamps(frame)


def normalise_timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose known timestamp columns are tz-aware UTC (copy-on-write: columns are
    shared with `frame` until either is changed)."""
    out = frame.copy(deep=False)
    for column in TIMESTAMP_COLUMNS.intersection(out.columns):
        out[column] = to_utc(out[column])
    return out


def day_number(timestamps: pd.Series) -> pd.Series:
    """Whole days since 1970-01-01 UTC, as int64."""
    utc = to_utc(timestamps)
    return (utc.astype("int64") // NS_PER_DAY).astype("int64")


def utc_timestamp(value: object) -> pd.Timestamp:
    """One timestamp as tz-aware UTC; a naive one is taken to be UTC already."""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
