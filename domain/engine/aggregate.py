"""Aggregating a raw activity log into per lead x type x content stage x day counts.

The database does this with a GROUP BY (db.repository.load_activity_counts); this pandas
version has the same semantics and serves tests, benchmarks and in-memory imports.
"""

from __future__ import annotations

import pandas as pd

from domain.engine.frames import (
    ACTIVITY_COUNT_COLUMNS,
    day_number,
    empty_frame,
    to_utc,
    utc_timestamp,
)


def aggregate_activities(raw: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Count `raw` (lead_id, activity_type, occurred_at, content_stage?) by lead/type/stage/day."""
    if raw.empty:
        return empty_frame(ACTIVITY_COUNT_COLUMNS)
    frame = pd.DataFrame(
        {
            "lead_id": raw["lead_id"].to_numpy(),
            "activity_type": raw["activity_type"].astype(str).to_numpy(),
            "content_stage": raw["content_stage"].to_numpy() if "content_stage" in raw else None,
            "occurred_at": to_utc(raw["occurred_at"]).to_numpy(),
        }
    )
    if as_of is not None:
        frame = frame[frame["occurred_at"] <= utc_timestamp(as_of)]
    frame["day"] = day_number(frame["occurred_at"]).to_numpy()
    # A missing content stage is its own group, as NULL is in SQL.
    frame["content_stage"] = (
        frame["content_stage"].astype(object).where(frame["content_stage"].notna(), "\0")
    )
    grouped = frame.groupby(
        ["lead_id", "activity_type", "content_stage", "day"], sort=True, observed=True
    )["occurred_at"].agg(n="size", first_at="min", last_at="max")
    out = grouped.reset_index()
    out["content_stage"] = out["content_stage"].where(out["content_stage"] != "\0", None)
    out["n"] = out["n"].astype("int64")
    return out[list(ACTIVITY_COUNT_COLUMNS)]
