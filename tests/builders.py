"""Small builders for hand-made leads, activities, touches and sales facts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from domain.definitions.definition import Definition, parse_definition
from domain.engine.aggregate import aggregate_activities
from domain.engine.frames import LEAD_CORE_COLUMNS, SALES_FACT_COLUMNS, TOUCH_COLUMNS, empty_frame
from domain.engine.scoring import ScoreResult, ScoringModel

AS_OF = "2024-03-01"


def make_leads(*rows: dict[str, Any]) -> pd.DataFrame:
    """Leads with ids 1..n; unspecified core columns are empty, created 2024-01-01."""
    records = []
    for number, row in enumerate(rows, start=1):
        record: dict[str, Any] = {c: None for c in LEAD_CORE_COLUMNS}
        record.update(lead_id=number, external_id=f"L{number}", created_at="2024-01-01")
        record.update(row)
        records.append(record)
    return pd.DataFrame(records)


def make_activities(*events: tuple[int, str, str] | tuple[int, str, str, str]) -> pd.DataFrame:
    """Raw events (lead_id, activity_type, occurred_at[, content_stage])."""
    rows = [
        {
            "lead_id": e[0],
            "activity_type": e[1],
            "occurred_at": e[2],
            "content_stage": e[3] if len(e) > 3 else None,
        }
        for e in events
    ]
    return pd.DataFrame(rows, columns=["lead_id", "activity_type", "occurred_at", "content_stage"])


def make_touches(*touches: tuple[int, str, str, str]) -> pd.DataFrame:
    """Touches (lead_id, touched_at, channel, outcome)."""
    if not touches:
        return empty_frame(TOUCH_COLUMNS)
    return pd.DataFrame(
        [
            {"lead_id": t[0], "touched_at": t[1], "rep": "rep", "channel": t[2], "outcome": t[3]}
            for t in touches
        ]
    )


def make_facts(*facts: dict[str, Any]) -> pd.DataFrame:
    """Sales facts rows; unspecified columns are empty."""
    if not facts:
        return empty_frame(SALES_FACT_COLUMNS)
    return pd.DataFrame([{c: f.get(c) for c in SALES_FACT_COLUMNS} for f in facts])


def definition(**fields: Any) -> Definition:
    """A definition with no rules and threshold 10 unless given."""
    base: dict[str, Any] = {"mql_threshold": 10, "hand_raisers": []}
    base.update(fields)
    return parse_definition(base)


def engagement(activity_type: str, points: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{activity_type}-{points}",
        "activity_type": activity_type,
        "points": points,
        **extra,
    }


def fit(attribute: str, operator: str, value: Any, points: float) -> dict[str, Any]:
    return {
        "id": f"{attribute}-{operator}-{value}",
        "attribute": attribute,
        "operator": operator,
        "value": value,
        "points": points,
    }


def model_of(
    leads: pd.DataFrame,
    activities: pd.DataFrame | None = None,
    touches: pd.DataFrame | None = None,
    facts: pd.DataFrame | None = None,
    as_of: str = AS_OF,
) -> ScoringModel:
    raw = activities if activities is not None else make_activities()
    return ScoringModel(
        leads,
        aggregate_activities(raw),
        touches if touches is not None else make_touches(),
        facts if facts is not None else make_facts(),
        as_of=as_of,
    )


def score(leads: pd.DataFrame, d: Definition, **kwargs: Any) -> pd.DataFrame:
    result: ScoreResult = model_of(leads, **kwargs).score(d)
    return result.frame
