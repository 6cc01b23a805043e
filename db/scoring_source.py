"""Build the scoring engine's model from the database (db -> domain, never the reverse).

Two parts with different costs: the leads and the activity aggregate (seconds at 100,000
leads; stored on disk per data version by `db/engine_cache.py` when given a folder), and
what sales recorded (touches, facts, owners: a fraction of a second), which a follow-up
action changes and `ScoringModel.with_sales` swaps in without touching the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select

from db.activities_repo import load_activity_counts
from db.convert import naive_utc
from db.engine_cache import StoredInputs, read_inputs, write_inputs
from db.leads_repo import load_leads, load_owners_and_versions
from db.meta_repo import data_token
from db.models import Activity, table_of
from db.sales_repo import load_sales_facts, load_touches
from domain.frames import utc_timestamp
from domain.scoring import ScoringModel

# Called with a sentence saying what is being loaded and the share done (0..1).
Progress = Callable[[str, float], None]
_activity = table_of(Activity)


@dataclass(frozen=True, eq=False)
class SalesRecords:
    """What sales recorded on leads: the part of the model every follow-up action moves."""

    touches: pd.DataFrame
    facts: pd.DataFrame
    leads: pd.DataFrame  # owner and version, indexed by lead id

    @property
    def owners(self) -> pd.Series:
        return self.leads["owner"]

    @property
    def versions(self) -> pd.Series:
        return self.leads["version"]


def load_sales_records(engine: Engine) -> SalesRecords:
    return SalesRecords(
        load_touches(engine), load_sales_facts(engine), load_owners_and_versions(engine)
    )


def load_model(
    engine: Engine,
    as_of: datetime | str | None = None,
    *,
    cache_dir: Path | None = None,
    sales: SalesRecords | None = None,
    on_progress: Progress | None = None,
) -> ScoringModel:
    """Everything the engine needs, loaded once; the activity log is aggregated by SQL
    (or read from `cache_dir`, where it was stored for the same data version). `sales`
    are the sales records when the caller loaded them already."""
    report = on_progress or (lambda _text, _share: None)
    moment = utc_timestamp(as_of if as_of is not None else pd.Timestamp.now(tz="UTC"))
    report("Loading leads and activities...", 0.0)
    stored = _stored_inputs(engine, moment, cache_dir)
    report("Loading sales records...", 0.7)
    records = sales if sales is not None else load_sales_records(engine)
    return model_from(stored.leads, stored.counts, records, moment)


def model_from(
    leads: pd.DataFrame, counts: pd.DataFrame, sales: SalesRecords, as_of: pd.Timestamp
) -> ScoringModel:
    """The model of these inputs; owners come from `sales` (a stored leads frame may
    predate a reassign, which does not change the data version)."""
    if "owner" in leads.columns and len(leads):
        owners = sales.owners.reindex(leads["lead_id"]).to_numpy(dtype=object)
        leads = leads.assign(owner=owners)
    return ScoringModel(leads, counts, sales.touches, sales.facts, as_of)


def _stored_inputs(engine: Engine, moment: pd.Timestamp, folder: Path | None) -> StoredInputs:
    token = data_token(engine) if folder is not None else ""
    if folder is not None:
        stored = read_inputs(folder, token)
        if stored is not None and stored.holds_at(moment):
            return stored
    leads = load_leads(engine)
    counts = load_activity_counts(engine, as_of=moment.to_pydatetime())
    if folder is None:
        return StoredInputs(leads, counts, moment)
    fresh = StoredInputs(leads, counts, moment, _next_activity_after(engine, moment))
    # Stored only when nothing was written meanwhile: the files must match their token.
    if data_token(engine) == token:
        write_inputs(folder, token, fresh)
    return fresh


def _next_activity_after(engine: Engine, moment: pd.Timestamp) -> pd.Timestamp | None:
    """When the next stored activity occurs after `moment` (imported ahead of its date):
    the counts must be taken again from then on."""
    occurred = _activity.c.occurred_at
    statement = select(func.min(occurred)).where(occurred > naive_utc(moment.to_pydatetime()))
    with engine.connect() as connection:
        value = connection.scalar(statement)
    return None if value is None else utc_timestamp(value)
