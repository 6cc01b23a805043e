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
from sqlalchemy import Engine, exists, select

from db.activities_repo import load_activity_counts
from db.convert import naive_utc
from db.engine_cache import StoredInputs, read_inputs, write_inputs
from db.leads_repo import load_lead_owners, load_leads
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
    owners: pd.Series  # indexed by lead id


def load_sales_records(engine: Engine) -> SalesRecords:
    return SalesRecords(load_touches(engine), load_sales_facts(engine), load_lead_owners(engine))


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
    token = data_token(engine) if folder is not None else None
    if folder is not None and token is not None:
        stored = read_inputs(folder, token)
        if stored is not None and stored.as_of <= moment and _nothing_new(engine, stored, moment):
            return stored
    fresh = StoredInputs(
        load_leads(engine), load_activity_counts(engine, as_of=moment.to_pydatetime()), moment
    )
    # Stored only when nothing was written meanwhile: the files must match their token.
    if folder is not None and token is not None and data_token(engine) == token:
        write_inputs(folder, token, fresh)
    return fresh


def _nothing_new(engine: Engine, stored: StoredInputs, moment: pd.Timestamp) -> bool:
    """No activity occurred between the stored counts' as-of moment and `moment` (activity
    dated in the future when it was imported counts once its moment has come)."""
    occurred = _activity.c.occurred_at
    after = exists().where(
        occurred > naive_utc(stored.as_of.to_pydatetime()),
        occurred <= naive_utc(moment.to_pydatetime()),
    )
    with engine.connect() as connection:
        return not connection.scalar(select(after))
