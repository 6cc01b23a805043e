"""The scoring result as a table: one row per lead, its attributes beside its scores and
stages. The funnel metrics and the follow-up queue both start from it."""

from __future__ import annotations

import pandas as pd

from domain.engine.scoring import ScoreResult

ATTRIBUTE_COLUMNS = ("external_id", "name", "company", "source", "segment", "owner", "industry")


def lead_table(leads: pd.DataFrame, result: ScoreResult) -> pd.DataFrame:
    """Lead attributes and scoring result side by side, indexed by lead_id."""
    attributes = leads.set_index("lead_id")[[c for c in ATTRIBUTE_COLUMNS if c in leads]]
    table = attributes.join(result.frame, how="right")
    created = table["created_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    table["cohort_month"] = created.dt.to_period("M").astype(str)
    return table
