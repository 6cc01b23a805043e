"""A ScoringModel on generated demo data, in memory (no database): for suggestion tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from data.demo import DemoData, generate
from domain.engine.aggregate import aggregate_activities
from domain.engine.scoring import ScoringModel

DEMO_AS_OF = datetime(2026, 6, 30, tzinfo=UTC)


def demo_frames(demo: DemoData) -> dict[str, pd.DataFrame]:
    """The demo frames keyed by lead_id (1..n), custom attributes as columns (as db loads)."""
    leads = demo.leads.drop(columns=["custom"]).copy()
    leads.insert(0, "lead_id", range(1, len(leads) + 1))
    custom = pd.DataFrame(list(demo.leads["custom"]), index=leads.index)
    leads = pd.concat([leads, custom], axis=1)
    ids = dict(zip(leads["external_id"], leads["lead_id"], strict=True))

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out.insert(0, "lead_id", out.pop("lead_external_id").map(ids))
        return out

    return {
        "leads": leads,
        "activity_counts": aggregate_activities(keyed(demo.activities)),
        "touches": keyed(demo.touches),
        "sales_facts": keyed(demo.sales_facts),
    }


def demo_model(n_leads: int = 3_000, seed: int = 7, as_of: datetime = DEMO_AS_OF) -> ScoringModel:
    """The scoring model of `n_leads` generated demo leads as of `as_of`."""
    frames = demo_frames(generate(n_leads, seed=seed, as_of=as_of))
    return ScoringModel(**frames, as_of=as_of)
