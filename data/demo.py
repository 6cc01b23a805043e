"""Deterministic demo data: leads, their marketing activities, sales touches and outcomes.

    from data import generate
    demo = generate(10_000, seed=7)   # same arguments, byte-identical frames

Run `python -m data [n_leads]` for the summary figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from data.activities import make_activities
from data.leads import make_leads
from data.sales import make_sales
from data.sampling import epoch_seconds
from data.signals import hot_moments, hot_seconds

# Fixed, so the demo never depends on the day it is generated.
DEFAULT_AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DemoData:
    """The four frames, keyed by the leads' `external_id` (see domain/engine/frames.py for types).

    leads: LEAD_CORE_COLUMNS without lead_id, plus `custom` (a dict per lead: seniority,
    department, employee_growth). activities: lead_external_id, activity_type, occurred_at,
    content_stage, asset, duration_s. touches and sales_facts: their frames.py columns with
    lead_external_id in place of lead_id.
    """

    leads: pd.DataFrame
    activities: pd.DataFrame
    touches: pd.DataFrame
    sales_facts: pd.DataFrame


def generate(n_leads: int = 10_000, *, seed: int = 7, as_of: datetime | None = None) -> DemoData:
    """A believable funnel of `n_leads` leads over the 14 months before `as_of` (UTC)."""
    if n_leads < 1:
        raise ValueError("n_leads must be at least 1")
    moment = _epoch_seconds(as_of or DEFAULT_AS_OF)
    # One independent stream per stage: changing how touches are drawn keeps the leads.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]
    leads, traits = make_leads(streams[0], n_leads, moment)
    ids = leads["external_id"].array
    activities, lead_of_row = make_activities(streams[1], traits, ids, moment)
    hot = hot_seconds(
        lead_of_row,
        epoch_seconds(activities["occurred_at"]),
        activities["activity_type"],
        activities["content_stage"],
        traits.fit,
    )
    touches, sales_facts = make_sales(streams[2], traits, hot, ids, moment)
    return DemoData(leads, activities, touches, sales_facts)


def _epoch_seconds(moment: datetime) -> float:
    """Whole epoch seconds; a naive datetime is taken to be UTC, like everywhere in Baton."""
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return float(np.floor(stamp.timestamp()))


def summarize(data: DemoData) -> dict[str, float]:
    """Headline figures of a demo data set, to eyeball it against the domain's typical rates."""
    leads, facts = data.leads, data.sales_facts
    engaged = data.activities["lead_external_id"].unique()
    hot = hot_moments(leads, data.activities)
    first_touch = data.touches.groupby("lead_external_id")["touched_at"].min()
    delay_h = (first_touch.reindex(hot.index) - hot).dt.total_seconds() / 3600
    bant = facts[["budget", "authority", "need", "timeline"]].fillna(False).astype(bool)
    sql = facts["conversation_at"].notna() & (bant.sum(axis=1) >= 3) & bant["need"]
    sal = facts["accepted_at"].notna()
    won, lost = facts["won_at"].notna(), facts["lost_at"].notna()
    return {
        "leads": len(leads),
        "activities": len(data.activities),
        "activities_per_lead": len(data.activities) / len(leads),
        "suspect_share": 1 - len(engaged) / len(leads),
        "hot": len(hot),
        "inquiry_to_hot": len(hot) / max(len(engaged), 1),
        "touched": len(first_touch),
        "touched_share": len(first_touch) / len(leads),
        "hot_never_touched_share": float(delay_h.isna().mean()),
        "first_touch_median_hours": float(delay_h.median()),
        "first_touch_within_hour_share": float((delay_h.dropna() <= 1).mean()),
        "sal": int(sal.sum()),
        "conversations": int(facts["conversation_at"].notna().sum()),
        "sql": int(sql.sum()),
        "opportunities": int(facts["opportunity_at"].notna().sum()),
        "won": int(won.sum()),
        "lost": int(lost.sum()),
        "hot_to_sal": sal.sum() / max(len(hot), 1),
        "sal_to_sql": (sal & sql).sum() / max(sal.sum(), 1),
        "sql_to_won": (sql & won).sum() / max(sql.sum(), 1),
        "win_rate_closed": won.sum() / max((won | lost).sum(), 1),
        "mql_bypass_touched": int((~first_touch.index.isin(engaged)).sum()),
        "mql_bypass_sql": int((sql & ~facts["lead_external_id"].isin(engaged)).sum()),
    }
