"""Velocity by group: days between stages, and speed-to-lead (MQL -> first sales touch).

Days between stages are measured like `metrics.velocity`: between the own dates of two
consecutive funnel stages, for the leads that have both (a lead that skipped a stage is in
neither of its steps) and reached them in order. Speed-to-lead is `followup`'s: hours from
the MQL moment to the first sales touch at or after it.
"""

from __future__ import annotations

import pandas as pd

from domain.engine.stages import FUNNEL_STAGES, STAGE_DATE_COLUMNS
from domain.follow_up.sla import follow_up_summary
from domain.funnel.cohorts import group_labels

DATED_STAGES: tuple[str, ...] = FUNNEL_STAGES[1:]  # a suspect has no stage date of its own
STEP_PAIRS: tuple[tuple[str, str], ...] = tuple(
    zip(DATED_STAGES[:-1], DATED_STAGES[1:], strict=True)
)
STEPS: tuple[str, ...] = tuple(f"{a} -> {b}" for a, b in STEP_PAIRS)
VELOCITY_COLUMNS = ("group", "step", "leads", "median_days", "p25_days", "p75_days")
SPEED_COLUMNS = (
    "group",
    "mqls",
    "followed_up",
    "median_hours",
    "within_sla",
    "share_within_sla",
    "waiting",
    "never",
    "share_never",
)


def step_days(table: pd.DataFrame) -> pd.DataFrame:
    """One row per lead and step it made: lead_id, step, days (long format, for plots)."""
    parts = []
    for start, end in STEP_PAIRS:
        first, then = table[STAGE_DATE_COLUMNS[start]], table[STAGE_DATE_COLUMNS[end]]
        made = first.notna() & then.notna() & (then >= first)
        days = (then[made] - first[made]).dt.total_seconds() / 86_400
        parts.append(
            pd.DataFrame({"lead_id": days.index, "step": f"{start} -> {end}", "days": days.values})
        )
    return pd.concat(parts, ignore_index=True)


def velocity_by(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group of `by` and step: leads that made the step, median, p25 and p75 days."""
    durations = step_days(table)
    if durations.empty:
        return pd.DataFrame(columns=list(VELOCITY_COLUMNS))
    durations["group"] = group_labels(table[by]).reindex(durations["lead_id"]).to_numpy()
    grouped = durations.groupby(["group", "step"], sort=False)["days"]
    quantiles = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    out = pd.DataFrame(
        {
            "leads": grouped.size(),
            "median_days": quantiles[0.5],
            "p25_days": quantiles[0.25],
            "p75_days": quantiles[0.75],
        }
    ).reset_index()
    order = {step: i for i, step in enumerate(STEPS)}
    out = out.assign(_order=out["step"].map(order)).sort_values(["group", "_order"])
    return out[list(VELOCITY_COLUMNS)].reset_index(drop=True)


def speed_to_lead(status: pd.DataFrame, groups: pd.Series | None, sla_hours: float) -> pd.DataFrame:
    """Per group: MQLs, how many were followed up, median hours to the first touch, how
    many within the SLA (and the share of those whose SLA ran out), still waiting, never.

    `status` is `followup.follow_up_status(...)`; `groups` maps lead_id to a group (None:
    one row, "all"). The shares are `follow_up_summary`'s, so they match the home page.
    """
    keys = (
        pd.Series("all", index=status.index)
        if groups is None
        else group_labels(groups).reindex(status.index)
    )
    rows = []
    for key, part in status.groupby(keys.to_numpy(), sort=True):
        summary = follow_up_summary(part, sla_hours)
        rows.append(
            {
                "group": key,
                "mqls": summary["mqls"],
                "followed_up": summary["followed_up_on_time"] + summary["followed_up_late"],
                "median_hours": summary["median_hours_to_follow_up"],
                "within_sla": summary["followed_up_on_time"],
                "share_within_sla": summary["share_within_sla"],
                "waiting": summary["on_time"] + summary["due_soon"] + summary["overdue"],
                "never": summary["never"],
                "share_never": summary["share_never"],
            }
        )
    return pd.DataFrame(rows, columns=list(SPEED_COLUMNS))
