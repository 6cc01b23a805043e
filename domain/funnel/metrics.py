"""Funnel metrics on a scored lead table: counts, conversion rates, velocity, filters.

A "lead table" is one row per lead: the lead's attributes joined with the scoring
result (see `domain.engine.lead_table`). Every function here takes one and never mutates it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.engine.frames import utc_timestamp
from domain.engine.stages import FUNNEL_STAGES, STAGE_DATE_COLUMNS

# The rates the two teams argue about, as (name, from stage, to stage).
KEY_RATES: tuple[tuple[str, str, str], ...] = (
    ("Lead -> MQL", "Lead", "MQL"),
    ("MQL -> SQL", "MQL", "SQL"),
    ("SQL -> Won", "SQL", "Won"),
)


@dataclass(frozen=True)
class Filters:
    """What a user narrowed the view to; empty tuples and None mean "all"."""

    sources: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    cohort_months: tuple[str, ...] = ()  # "2024-05"
    created_from: pd.Timestamp | None = None
    created_to: pd.Timestamp | None = None  # inclusive (the whole day when a date)
    # The stage whose date the range above applies to: "Suspect" is the creation date;
    # e.g. "MQL" keeps the leads that became MQL within the range (see `stage_moment`).
    date_stage: str = "Suspect"


def apply_filters(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of `table` that pass every filter."""
    keep = np.ones(len(table), dtype=bool)
    for column, wanted in (
        ("source", filters.sources),
        ("segment", filters.segments),
        ("owner", filters.owners),
        ("cohort_month", filters.cohort_months),
    ):
        if wanted:
            keep &= table[column].isin(wanted).to_numpy()
    if filters.created_from is None and filters.created_to is None:
        return table[keep]
    # Leads that never reached the stage have no date (NaT), and NaT is outside any range.
    moment = stage_moment(table, filters.date_stage)
    if filters.created_from is not None:
        keep &= (moment >= utc_timestamp(filters.created_from)).to_numpy()
    if filters.created_to is not None:
        end = utc_timestamp(filters.created_to)
        if end == end.normalize():
            end = end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
        keep &= (moment <= end).to_numpy()
    return table[keep]


def reached(table: pd.DataFrame, stage: str) -> pd.Series:
    """Whether each lead ever reached `stage` (reaching a later stage implies it)."""
    return table["highest_stage"].cat.codes >= FUNNEL_STAGES.index(stage)


def stage_moment(table: pd.DataFrame, stage: str) -> pd.Series:
    """When each lead reached `stage` (NaT if it did not); "Suspect" is the creation time.

    A stage's own date where the lead has one; a lead that skipped the stage (an MQL
    bypass, an SQL never formally accepted) passed it at the first date of a later stage
    it reached. A lost deal was an opportunity: it counts from when it was lost.
    """
    if stage == "Suspect":
        return table["created_at"]
    later = FUNNEL_STAGES[FUNNEL_STAGES.index(stage) :]
    columns = [STAGE_DATE_COLUMNS[s] for s in later]
    if "Opportunity" in later:
        columns.append("lost_at")
    own = table[STAGE_DATE_COLUMNS[stage]]
    if stage == "Opportunity":
        own = own.fillna(table["lost_at"])
    first_later = table[columns].min(axis=1)
    return own.fillna(first_later).where(reached(table, stage))


def funnel(table: pd.DataFrame) -> pd.DataFrame:
    """Per funnel stage: leads that reached it, and the conversion from the stage before."""
    counts = [int(reached(table, stage).sum()) for stage in FUNNEL_STAGES]
    previous = [np.nan, *counts[:-1]]
    rates = [_rate(c, p) for c, p in zip(counts, previous, strict=True)]
    return pd.DataFrame(
        {"stage": FUNNEL_STAGES, "leads": counts, "from_previous": rates},
    )


def conversion_rates(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The key rates (Lead->MQL, MQL->SQL, SQL->Won) with the counts behind each."""
    groups = [("all", table)] if by is None else list(table.groupby(by, observed=True))
    rows = []
    for key, group in groups:
        for name, start, end in KEY_RATES:
            base = reached(group, start)
            converted = int((base & reached(group, end)).sum())
            rows.append(
                {
                    "group": key,
                    "rate": name,
                    "from": int(base.sum()),
                    "converted": converted,
                    "conversion": _rate(converted, int(base.sum())),
                }
            )
    return pd.DataFrame(rows, columns=["group", "rate", "from", "converted", "conversion"])


def velocity(table: pd.DataFrame) -> pd.DataFrame:
    """Median (and p25/p75) days between consecutive dated stages, with the count behind it."""
    rows = []
    stages = [s for s in FUNNEL_STAGES if s != "Suspect"]
    for start, end in zip(stages, stages[1:], strict=False):
        days = _days_between(table, STAGE_DATE_COLUMNS[start], STAGE_DATE_COLUMNS[end])
        rows.append(
            {
                "step": f"{start} -> {end}",
                "leads": int(days.size),
                "median_days": float(np.median(days)) if days.size else np.nan,
                "p25_days": float(np.percentile(days, 25)) if days.size else np.nan,
                "p75_days": float(np.percentile(days, 75)) if days.size else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _days_between(table: pd.DataFrame, start: str, end: str) -> np.ndarray:
    both = table[start].notna() & table[end].notna() & (table[end] >= table[start])
    delta = table.loc[both, end] - table.loc[both, start]
    return (delta.dt.total_seconds() / 86_400).to_numpy()


def _rate(numerator: float, denominator: float) -> float:
    return float(numerator) / denominator if denominator and not np.isnan(denominator) else np.nan
