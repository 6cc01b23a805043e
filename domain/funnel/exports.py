"""Shapes that leave Baton: a CRM-ready score export and the funnel report (CLI, JSON)."""

from __future__ import annotations

import math

import pandas as pd

from domain.definitions.definition import Definition
from domain.engine.lead_table import lead_table
from domain.engine.scoring import ScoreResult, ScoringModel
from domain.follow_up.sla import follow_up_status, follow_up_summary
from domain.funnel.metrics import conversion_rates, funnel

EXPORT_COLUMNS = (
    "external_id", "score", "fit_score", "engagement_score", "stage", "highest_stage",
    "mql_reason", "mql_at", "sal_at", "sql_at", "opportunity_at", "won_at",
)  # fmt: skip


def score_export(leads: pd.DataFrame, result: ScoreResult) -> pd.DataFrame:
    """One row per lead keyed by external id, scores rounded to 0.1, times in ISO UTC."""
    table = lead_table(leads, result).reset_index()
    out = table[list(EXPORT_COLUMNS)].copy()
    for column in ("score", "fit_score", "engagement_score"):
        # + 0.0 turns a rounded -0.0 into 0.0: a CRM should never read "-0.0".
        out[column] = out[column].round(1) + 0.0
    for column in ("stage", "highest_stage", "mql_reason"):
        out[column] = out[column].astype(str)
    return out


def funnel_report(
    model: ScoringModel, definition: Definition, touches: pd.DataFrame
) -> dict[str, object]:
    """Stage counts, conversion rates and follow-up counts, JSON-ready."""
    result = model.score(definition)
    table = lead_table(model.leads, result)
    stages = funnel(table)
    rates = conversion_rates(table)
    status = follow_up_status(table, touches, definition.sla_hours, model.as_of)
    return {
        "as_of": model.as_of.isoformat(),
        "mql_threshold": definition.mql_threshold,
        "stages": dict(zip(stages["stage"], stages["leads"].astype(int).tolist(), strict=True)),
        "stage_to_stage": {
            f"{a} -> {b}": _number(rate)
            for a, b, rate in zip(
                stages["stage"][:-1], stages["stage"][1:], stages["from_previous"][1:], strict=True
            )
        },
        "conversion": {
            row["rate"]: {
                "rate": _number(row["conversion"]),
                "converted": int(row["converted"]),
                "from": int(row["from"]),
            }
            for _, row in rates.iterrows()
        },
        "follow_up": {
            k: _number(v) for k, v in follow_up_summary(status, definition.sla_hours).items()
        },
        "mql_bypassed": int(result.frame["mql_bypassed"].sum()),
    }


def _number(value: object) -> float | int | None:
    """JSON has no NaN: a rate with no leads behind it is null."""
    if isinstance(value, int):
        return value
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else round(number, 6)
