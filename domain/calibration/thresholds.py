"""Which MQL threshold? The one that fills sales' capacity, or the best trade-off.

`threshold_curve` re-scores the leads at every threshold of a grid with the real engine
(only the threshold changes, so each step reuses the engine's caches) and records:

- `mqls`: leads that became MQL at some point (by score, fit alone or a hand-raiser);
- `mqls_per_week`: MQLs per week over the recent full weeks (as `impact.workload`);
- on the leads old enough to be judged (see `domain.calibration.quality`): `eligible_mqls`,
  `wins_captured` (leads that reached the outcome and were MQLs), `wins_captured_share`
  (of all leads that reached it), `volume_share` (eligible leads made MQL) and
  `wins_per_mql`. "Wins" means the chosen outcome: Won, or SQL with `outcome="sql"`.

Hand-raisers become MQLs at any threshold, so the curve flattens at their volume.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.calibration.quality import Outcome, mature_leads, min_age_for, outcome_reached
from domain.common.numbers import percent
from domain.definitions.definition import Definition
from domain.engine.scoring import ScoringModel
from domain.engine.stages import NEVER
from domain.funnel.impact import RECENT_WEEKS, weekly_counts

CURVE_COLUMNS = (
    "threshold", "mqls", "mqls_per_week", "eligible_mqls", "wins_captured",
    "wins_captured_share", "volume_share", "wins_per_mql",
)  # fmt: skip
# The trade-offs `best_tradeoff` can maximise, with what each means, for the UI.
OBJECTIVES: dict[str, str] = {
    "captured_minus_volume": "share of wins captured minus share of leads made MQL",
    "wins_per_mql": "most wins per MQL while capturing at least the minimum share of wins",
}
DEFAULT_MIN_CAPTURE = 0.8
GRID_POINTS = 80


@dataclass(frozen=True)
class ThresholdChoice:
    """A suggested MQL threshold and what it gives on the curve, with the reason in words."""

    threshold: float
    mqls_per_week: float
    mqls: int
    wins_captured: int
    wins_captured_share: float
    wins_per_mql: float
    reason: str


def default_thresholds(totals: np.ndarray, points: int = GRID_POINTS) -> np.ndarray:
    """A grid of round thresholds from the lowest to just above the highest score."""
    if totals.size == 0:
        return np.array([0.0])
    low, high = math.floor(float(totals.min())), math.ceil(float(totals.max())) + 1
    raw = max((high - low) / points, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    return np.arange(start, high + step, step, dtype=float)


def threshold_curve(
    model: ScoringModel,
    definition: Definition,
    *,
    outcome: Outcome,
    thresholds: Sequence[float] | None = None,
    min_age_days: int | None = None,
    weeks: int = RECENT_WEEKS,
) -> pd.DataFrame:
    """One row per threshold (ascending): MQL volume and wins captured (CURVE_COLUMNS)."""
    first = model.score(definition)
    grid = (
        default_thresholds(first.total)
        if thresholds is None
        else np.unique(np.asarray(thresholds, dtype=float))
    )
    eligible = mature_leads(first, model.as_of.value, min_age_for(outcome, min_age_days))
    wins = outcome_reached(first, outcome) & eligible  # the outcome does not move with it
    n_wins, n_eligible = int(wins.sum()), int(eligible.sum())
    rows = []
    for threshold in grid:
        changed = definition.model_copy(update={"mql_threshold": float(threshold)})
        mql_at = model.score(changed).times["mql_at"]
        is_mql = mql_at != NEVER
        eligible_mqls = int((is_mql & eligible).sum())
        captured = int((is_mql & wins).sum())
        rows.append(
            (
                float(threshold),
                int(is_mql.sum()),
                float(weekly_counts(mql_at, model.as_of.value, weeks).mean()) if weeks else 0.0,
                eligible_mqls,
                captured,
                captured / n_wins if n_wins else math.nan,
                eligible_mqls / n_eligible if n_eligible else math.nan,
                captured / eligible_mqls if eligible_mqls else math.nan,
            )
        )
    return pd.DataFrame(rows, columns=list(CURVE_COLUMNS))


def threshold_for_capacity(
    model: ScoringModel,
    definition: Definition,
    capacity_per_week: float,
    *,
    outcome: Outcome = "won",
    thresholds: Sequence[float] | None = None,
) -> ThresholdChoice:
    """The lowest threshold whose recent MQLs per week fit within `capacity_per_week`.

    Sales capacity is reps x leads each rep can work per week. When even the highest
    threshold makes more MQLs (hand-raisers alone can), that threshold is returned and the
    reason says so.
    """
    curve = threshold_curve(model, definition, outcome=outcome, thresholds=thresholds)
    return capacity_choice(curve, capacity_per_week)


def capacity_choice(curve: pd.DataFrame, capacity_per_week: float) -> ThresholdChoice:
    """On a computed curve: the lowest threshold whose MQLs per week fit the capacity."""
    if curve.empty:
        raise ValueError("the threshold curve is empty")
    fits = curve.index[curve["mqls_per_week"] <= capacity_per_week + 1e-9]
    if len(fits):
        row = curve.loc[fits[0]]
        reason = (
            f"{row['mqls_per_week']:.1f} MQLs per week fill a capacity of "
            f"{capacity_per_week:g} per week"
        )
    else:
        row = curve.iloc[-1]
        reason = (
            f"even at {row['threshold']:g} points there are {row['mqls_per_week']:.1f} MQLs "
            f"per week, over the capacity of {capacity_per_week:g} (hand-raisers count always)"
        )
    return _choice(row, reason)


def best_tradeoff(
    curve: pd.DataFrame,
    objective: str = "captured_minus_volume",
    *,
    min_capture: float = DEFAULT_MIN_CAPTURE,
) -> ThresholdChoice:
    """The threshold on `curve` that maximises `objective` (a key of OBJECTIVES).

    "captured_minus_volume": share of wins captured minus share of eligible leads made MQL
    (Youden's J of the MQL flag). "wins_per_mql": the highest wins per MQL among thresholds
    that capture at least `min_capture` of the wins. Ties go to the lower threshold.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    if curve.empty or curve["wins_captured_share"].isna().all():
        raise ValueError("no lead old enough has reached the outcome yet: nothing to trade off")
    if objective == "captured_minus_volume":
        value = (curve["wins_captured_share"] - curve["volume_share"]).fillna(-np.inf)
        row = curve.loc[value.idxmax()]
        reason = (
            f"captures {percent(row['wins_captured_share'])} of wins with "
            f"{percent(row['volume_share'])} of leads as MQLs"
        )
        return _choice(row, reason)
    enough = curve[curve["wins_captured_share"] >= min_capture - 1e-12]
    if enough.empty:
        raise ValueError(f"no threshold captures {percent(min_capture)} of the wins")
    row = enough.loc[enough["wins_per_mql"].fillna(-np.inf).idxmax()]
    reason = (
        f"{percent(row['wins_per_mql'])} of MQLs win while capturing "
        f"{percent(row['wins_captured_share'])} of wins (at least {percent(min_capture)})"
    )
    return _choice(row, reason)


def _choice(row: pd.Series, reason: str) -> ThresholdChoice:
    return ThresholdChoice(
        threshold=float(row["threshold"]),
        mqls_per_week=float(row["mqls_per_week"]),
        mqls=int(row["mqls"]),
        wins_captured=int(row["wins_captured"]),
        wins_captured_share=float(row["wins_captured_share"]),
        wins_per_mql=float(row["wins_per_mql"]),
        reason=reason,
    )
