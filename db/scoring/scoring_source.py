"""Build the scoring engine's model from the database (db -> domain, never the reverse).

Two parts with different costs: the leads and the activity aggregate (seconds at 100,000
leads; stored on disk per data version by `db/scoring/engine_cache.py` when given a folder), and
what sales recorded (touches, facts, owners: a fraction of a second), which a follow-up
action changes and `ScoringModel.with_sales` swaps in without touching the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select

from db.convert import naive_utc
from db.leads.activities_repo import load_activity_counts
from db.leads.leads_repo import load_leads, load_owners_and_versions
from db.leads.sales_repo import load_sales_facts, load_touches
from db.meta_repo import data_token, sales_changes
from db.models import Activity, table_of
from db.scoring.engine_cache import (
    StoredInputs,
    read_inputs,
    read_moments,
    read_sales,
    write_inputs,
    write_sales,
)
from db.scoring.model_snapshot import read_model, write_model
from domain.engine.frames import utc_timestamp
from domain.engine.scoring import ScoringModel

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

    def patched(self, moved: Collection[int], fresh: SalesRecords) -> SalesRecords:
        """These records with the rows of the `moved` leads replaced by `fresh` ones."""
        leads = self.leads.copy()
        leads.loc[fresh.leads.index, fresh.leads.columns] = fresh.leads
        return SalesRecords(
            _replace_rows(self.touches, fresh.touches, moved, ["touched_at", "touch_id"]),
            _replace_rows(self.facts, fresh.facts, moved, ["lead_id"]),
            leads,
        )


def load_sales_records(engine: Engine, lead_ids: Collection[int] | None = None) -> SalesRecords:
    """Every lead's sales records (or those of `lead_ids` only)."""
    return SalesRecords(
        load_touches(engine, lead_ids),
        load_sales_facts(engine, lead_ids),
        load_owners_and_versions(engine, lead_ids),
    )


def load_stored_sales(engine: Engine, version: int, folder: Path | None) -> SalesRecords:
    """The sales records as of sales `version` (or later). With a `folder`, those stored
    there for this data version, with the leads moved since read again (a restart then
    skips reading every lead); else loaded, and stored for the next start."""
    if folder is None:
        return load_sales_records(engine)
    token = data_token(engine)
    stored = read_sales(folder, token)
    if stored is not None:
        since, frames = stored
        records = sales_records_since(engine, SalesRecords(**frames), since, version)
        if records is not None:
            return records
    records = load_sales_records(engine)
    if data_token(engine) == token:  # not stored when the data moved meanwhile
        frames = {"touches": records.touches, "facts": records.facts, "leads": records.leads}
        write_sales(folder, token, version, frames)
    return records


def sales_records_since(
    engine: Engine, records: SalesRecords, since: int, upto: int
) -> SalesRecords | None:
    """`records` as of sales version `since`, brought up to `upto` by reading again only
    the leads that moved in between (milliseconds where reloading all takes a second at
    100,000 leads); None when which leads moved is not known: then load them all."""
    moved = sales_changes(engine, since, upto)
    if moved is None:
        return None
    if not moved:
        return records
    return records.patched(moved, load_sales_records(engine, moved))


def _replace_rows(
    rows: pd.DataFrame, fresh: pd.DataFrame, moved: Collection[int], order: list[str]
) -> pd.DataFrame:
    kept = rows[~rows["lead_id"].isin(list(moved))]
    if fresh.empty:
        return kept.reset_index(drop=True)
    if kept.empty:
        return fresh.reset_index(drop=True)
    both = pd.concat([kept, fresh], ignore_index=True)
    return both.sort_values(order, kind="stable", ignore_index=True)


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


def restore_model(
    engine: Engine, folder: Path | None, version: int, max_age: pd.Timedelta
) -> tuple[ScoringModel, SalesRecords] | None:
    """The model a server stored in `folder` for the current data (`save_model`) and its
    sales records, brought up to sales `version`; None when there is none it may serve:
    older than `max_age`, built before the stored inputs were counted again, or activity
    stored ahead of its moment has come due."""
    if folder is None:
        return None
    token = data_token(engine)
    moments = read_moments(folder, token)
    if moments is None:
        return None
    now = pd.Timestamp.now(tz="UTC")
    snapshot = read_model(folder, token, now, max_age, moments[1])
    if snapshot is None or snapshot.model.history.as_of_ns < moments[0].value:
        return None
    if not isinstance(snapshot.sales, SalesRecords):
        return None
    stored = snapshot.sales
    records = sales_records_since(engine, stored, snapshot.sales_version, version)
    if records is None:
        records = load_stored_sales(engine, version, folder)
    if records is stored:  # nothing moved since it was stored
        return snapshot.model, records
    model = snapshot.model.with_sales(records.touches, records.facts, records.owners, as_of=now)
    return model, records


def save_model(
    folder: Path | None, token: str, version: int, model: ScoringModel, sales: SalesRecords
) -> bool:
    """Store `model`, built from the data of `token` (read before it was loaded) with the
    `sales` records of sales `version`, for `restore_model`; True when stored."""
    if folder is None:
        return False
    moments = read_moments(folder, token)
    if moments is None or model.history.as_of_ns < moments[0].value:
        return False  # its inputs are not (or no longer) the stored ones
    return write_model(folder, token, version, model, sales)


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
