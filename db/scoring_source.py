"""Build the scoring engine's model from the database (db -> domain, never the reverse)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from db.repository import load_activity_counts, load_leads, load_sales_facts, load_touches
from domain.frames import utc_timestamp
from domain.scoring import ScoringModel


def load_model(engine: Engine, as_of: datetime | str | None = None) -> ScoringModel:
    """Everything the engine needs, loaded once; the activity log is aggregated by SQL."""
    moment = utc_timestamp(as_of if as_of is not None else pd.Timestamp.now(tz="UTC"))
    return ScoringModel(
        leads=load_leads(engine),
        activity_counts=load_activity_counts(engine, as_of=moment.to_pydatetime()),
        touches=load_touches(engine),
        sales_facts=load_sales_facts(engine),
        as_of=moment,
    )
