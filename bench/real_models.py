"""The real exports of the benchmark as scoring models, loaded with pandas directly.

Attributes are kept as the text the file holds (as Baton stores custom attributes today),
so the suggestion must find the numbers, yes/no columns and dates by itself. Files without
dates get one creation date a year before the as-of moment (every lead is old enough to be
judged); a yes/no outcome becomes a won date the day after creation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from domain.engine.frames import (
    ACTIVITY_COUNT_COLUMNS,
    SALES_FACT_COLUMNS,
    TOUCH_COLUMNS,
    empty_frame,
)
from domain.engine.scoring import ScoringModel

DATASETS = Path(__file__).resolve().parents[2] / "shared/datasets"
SNAPSHOT_AS_OF = pd.Timestamp("2024-06-30", tz="UTC")


def snapshot_model(
    raw: pd.DataFrame, won: np.ndarray, *, created: pd.Series | None = None
) -> ScoringModel:
    """Leads with every column of `raw` as a text attribute and Won where `won` is True."""
    leads = raw.astype("string").replace("", pd.NA).reset_index(drop=True)
    leads.columns = [str(c) for c in leads.columns]
    leads.insert(0, "lead_id", np.arange(1, len(leads) + 1))
    if created is None:
        created = pd.Series(SNAPSHOT_AS_OF - pd.Timedelta(days=365), index=leads.index)
    leads["created_at"] = pd.to_datetime(created.reset_index(drop=True), utc=True)
    as_of = max(SNAPSHOT_AS_OF, leads["created_at"].max() + pd.Timedelta(days=120))
    winners = leads.loc[np.asarray(won, dtype=bool), ["lead_id", "created_at"]]
    facts = pd.DataFrame(
        {"lead_id": winners["lead_id"], "won_at": winners["created_at"] + pd.Timedelta(days=1)}
    )
    facts = (
        empty_frame(SALES_FACT_COLUMNS)
        .drop(columns=["lead_id", "won_at"])
        .reindex(facts.index)
        .join(facts)
    )
    return ScoringModel(
        leads,
        empty_frame(ACTIVITY_COUNT_COLUMNS),
        empty_frame(TOUCH_COLUMNS),
        facts.astype({"lead_id": "int64"}),
        as_of,
    )


def extraalearn_model() -> ScoringModel | None:
    """ExtraaLearn: 4,612 ed-tech leads, `status` 1 converted, no dates, no e-mail."""
    path = DATASETS / "extraalearn/ExtraaLearn.csv"
    if not path.is_file():
        return None
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    won = raw.pop("status").to_numpy() == "1"
    raw = raw.rename(columns={"ID": "external_id"})
    return snapshot_model(raw, won)


def bank_model() -> ScoringModel | None:
    """Bank loan leads: 69,713 leads, `Approved` 1 (1.5%), day-first creation dates."""
    path = DATASETS / "bank-loan-leads/train.csv"
    if not path.is_file():
        return None
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    won = raw.pop("Approved").to_numpy() == "1"
    created = pd.to_datetime(raw.pop("Lead_Creation_Date"), format="%d/%m/%y", utc=True)
    raw = raw.rename(columns={"ID": "external_id"})
    return snapshot_model(raw, won, created=created)


def ibm_model(rows: int | None = None) -> ScoringModel | None:
    """IBM sales win/loss: 78,025 opportunities, `Opportunity Result` Won, no dates
    (`rows`: that many drawn at random, with repeats beyond the file's size, for timing)."""
    path = DATASETS / "ibm-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv"
    if not path.is_file():
        return None
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    if rows is not None:
        raw = raw.sample(rows, replace=rows > len(raw), random_state=0).reset_index(drop=True)
    won = raw.pop("Opportunity Result").to_numpy() == "Won"
    raw = raw.rename(columns={"Opportunity Number": "external_id"})
    return snapshot_model(raw, won)


def olist_model() -> ScoringModel | None:
    """Olist's marketing-qualified leads (attributes only) with Won from the closed deals."""
    folder = DATASETS / "olist-marketing-funnel"
    leads_file = folder / "olist_marketing_qualified_leads_dataset.csv"
    deals_file = folder / "olist_closed_deals_dataset.csv"
    if not leads_file.is_file() or not deals_file.is_file():
        return None
    raw = pd.read_csv(leads_file)
    deals = pd.read_csv(deals_file)
    leads = pd.DataFrame(
        {
            "lead_id": np.arange(1, len(raw) + 1),
            "external_id": raw["mql_id"],
            "origin": raw["origin"],
            "landing_page_id": raw["landing_page_id"],
            "created_at": pd.to_datetime(raw["first_contact_date"], utc=True),
        }
    )
    ids = dict(zip(raw["mql_id"], leads["lead_id"], strict=True))
    facts = pd.DataFrame(
        {"lead_id": deals["mql_id"].map(ids), "won_at": pd.to_datetime(deals["won_date"], utc=True)}
    ).dropna(subset=["lead_id"])
    facts = (
        empty_frame(SALES_FACT_COLUMNS)
        .drop(columns=["lead_id", "won_at"])
        .reindex(facts.index)
        .join(facts)
    )
    as_of = facts["won_at"].max().normalize() + pd.Timedelta(days=1)
    return ScoringModel(
        leads,
        empty_frame(ACTIVITY_COUNT_COLUMNS),
        empty_frame(TOUCH_COLUMNS),
        facts.astype({"lead_id": "int64"}),
        as_of,
    )
