"""Small builders of the frames the repository takes, and of a two-lead database."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine

from db import repository as repo


def utc(text: str) -> pd.Timestamp:
    """A UTC timestamp; text without an offset is read as UTC."""
    stamp = pd.Timestamp(text)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def make_leads(*external_ids: str, **columns: list[Any]) -> pd.DataFrame:
    """Leads with plausible core values; keyword lists override or add columns."""
    n = len(external_ids)
    frame = pd.DataFrame(
        {
            "external_id": list(external_ids),
            "name": [f"Person {e}" for e in external_ids],
            "email": [f"{e.lower()}@example.com" for e in external_ids],
            "company": ["Acme"] * n,
            "title": ["VP Sales"] * n,
            "industry": ["SaaS"] * n,
            "company_size": [250.0] * n,
            "country": ["US"] * n,
            "source": ["webinar"] * n,
            "segment": ["mid"] * n,
            "owner": ["rita"] * n,
            "created_at": [utc("2024-03-01T09:00:00")] * n,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def make_activities(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    """Activities from (lead_external_id, activity_type, occurred_at ISO, content_stage)."""
    return pd.DataFrame(
        {
            "lead_external_id": [r[0] for r in rows],
            "activity_type": [r[1] for r in rows],
            "occurred_at": pd.to_datetime([r[2] for r in rows], utc=True, format="ISO8601"),
            "content_stage": [r[3] for r in rows],
        }
    )


def insert_two_leads(engine: Engine) -> None:
    """Two leads with custom attributes, each with one activity in March 2024."""
    repo.insert_leads(engine, make_leads("L1", "L2", custom=[{"plan": "pro"}, {"seats": 12}]))
    repo.insert_activities(
        engine,
        make_activities(
            [("L1", "page_view", "2024-03-02", None), ("L2", "demo_request", "2024-03-03", None)]
        ),
    )
