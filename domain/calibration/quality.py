"""Does the score predict? Conversion by score band, ROC AUC and top-decile lift.

A definition is judged on the leads that had the chance to convert: those created at least
`min_age_days` before the model's as-of moment (30 days for SQL, 90 for Won by default,
the conversion page's maturity), and a snapshot's leads whose outcome it recorded.
The score is the lead's total score today under the definition, exactly what Baton ranks
by; the outcome is whether the lead reached the stage (SQL or Won) by the as-of moment.
A lead that reached a later stage without the formal SQL step (an opportunity never
qualified by BANT) counts as having reached SQL, like the funnel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition
from domain.engine.frames import NS_PER_DAY
from domain.engine.scoring import ScoreResult, ScoringModel
from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.cohorts import DEFAULT_MIN_AGE_DAYS
from domain.funnel.impact import SCORE_BAND_EDGES, band_labels

Outcome = Literal["sql", "won"]
OUTCOMES: tuple[Outcome, ...] = ("sql", "won")
OUTCOME_STAGES: dict[str, str] = {"sql": "SQL", "won": "Won"}
# Days a lead gets to reach the outcome before it is judged (the conversion page's defaults).
DEFAULT_MIN_AGE: dict[str, int] = {
    "sql": int(DEFAULT_MIN_AGE_DAYS["MQL -> SQL"]),
    "won": int(DEFAULT_MIN_AGE_DAYS["SQL -> Won"]),
}
# Outcomes that, recorded at the creation moment, make a lead judged (see mature_leads).
CLOSING_TIMES: tuple[str, ...] = ("won_at", "lost_at", "disqualified_at")
TOP_SHARE = 0.10
BAND_COLUMNS = ("band", "leads", "converted", "rate")


def roc_auc(scores: np.ndarray, outcomes: np.ndarray) -> float | None:
    """ROC AUC of `scores` for the boolean `outcomes`; None when only one class is present.

    The chance that a random converted lead scores above a random other one, ties counting
    one half (the Mann-Whitney statistic from average ranks; equals sklearn's roc_auc_score).
    """
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(outcomes, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _average_ranks(scores)
    rank_sum = float(ranks[positive].sum())
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def top_decile_lift(scores: np.ndarray, outcomes: np.ndarray) -> float | None:
    """Conversion among the top 10% by score divided by the overall conversion.

    The top decile holds ceil(10% of leads) places. Ties are handled deterministically and
    without depending on lead order: leads tied at the cut-off score share the remaining
    places equally (each counts with the same fraction), which is the expected lift of a
    random tie-break. None when there are no leads or no conversions.
    """
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(outcomes, dtype=bool)
    n = scores.size
    if n == 0 or not positive.any():
        return None
    places = math.ceil(TOP_SHARE * n)
    cut = np.sort(scores)[::-1][places - 1]
    above = scores > cut
    tied = scores == cut
    share_of_tied = (places - int(above.sum())) / int(tied.sum())
    converted_top = float(positive[above].sum()) + share_of_tied * float(positive[tied].sum())
    return (converted_top / places) / (float(positive.sum()) / n)


@dataclass(frozen=True, eq=False)
class Calibration:
    """How well a definition's score separates leads that converted from those that did not.

    `bands` has one row per score band (the definitions page's bands): band, leads,
    converted, rate (NaN for an empty band). `auc` and `top_decile_lift` are None when
    they cannot be measured, and `message` then says why in plain words.
    """

    outcome: Outcome
    min_age_days: int
    n_leads: int
    n_positive: int
    base_rate: float | None
    auc: float | None
    top_decile_lift: float | None
    top_decile_leads: int
    bands: pd.DataFrame = field(repr=False)
    message: str | None = None


def outcome_reached(result: ScoreResult, outcome: Outcome) -> np.ndarray:
    """Per lead: did it reach the outcome's stage (SQL or Won) by the as-of moment?"""
    return result.highest >= FUNNEL_STAGES.index(OUTCOME_STAGES[outcome])


def mature_leads(result: ScoreResult, as_of_ns: int, min_age_days: float) -> np.ndarray:
    """Per lead: created at least `min_age_days` before the as-of moment, or a snapshot's?

    A lead whose outcome (won, lost or disqualified) is recorded at its very creation
    moment came from a snapshot file with no dates (domain/importing/outcomes.py dates
    such outcomes at the lead's creation or the file's as-of date): the export holds its
    outcome as known, so it is judged whatever its age. Sales-recorded outcomes always come
    later than the creation, so live data is judged by age alone, as before.
    """
    created = result.times["created_at"]
    judged = created <= as_of_ns - int(min_age_days * NS_PER_DAY)
    for column in CLOSING_TIMES:
        judged |= result.times[column] == created
    return judged


def min_age_for(outcome: Outcome, min_age_days: int | None = None) -> int:
    """The days a lead needs to be judged on `outcome` (the default unless given)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    return DEFAULT_MIN_AGE[outcome] if min_age_days is None else int(min_age_days)


def calibrate(
    model: ScoringModel,
    definition: Definition,
    *,
    outcome: Outcome,
    min_age_days: int | None = None,
) -> Calibration:
    """Conversion by score band, ROC AUC and top-decile lift of `definition` on `model`'s
    leads old enough to have had the chance to reach `outcome`."""
    days = min_age_for(outcome, min_age_days)
    result = model.score(definition)
    eligible = mature_leads(result, model.as_of.value, days)
    scores = result.total[eligible]
    converted = outcome_reached(result, outcome)[eligible]
    n, n_pos = int(scores.size), int(converted.sum())
    return Calibration(
        outcome=outcome,
        min_age_days=days,
        n_leads=n,
        n_positive=n_pos,
        base_rate=n_pos / n if n else None,
        auc=roc_auc(scores, converted),
        top_decile_lift=top_decile_lift(scores, converted),
        top_decile_leads=math.ceil(TOP_SHARE * n) if n else 0,
        bands=band_table(scores, converted),
        message=_missing_reason(outcome, days, n, n_pos),
    )


def band_table(
    scores: np.ndarray, converted: np.ndarray, edges: tuple[float, ...] = SCORE_BAND_EDGES
) -> pd.DataFrame:
    """Leads, converted leads and the rate per score band (the definitions page's bands)."""
    labels = band_labels(edges)
    band = np.searchsorted(np.asarray(edges, dtype=float), scores, side="right")
    leads = np.bincount(band, minlength=len(labels))
    hits = np.bincount(band, weights=np.asarray(converted, dtype=float), minlength=len(labels))
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(leads > 0, hits / np.maximum(leads, 1), np.nan)
    return pd.DataFrame(
        {"band": labels, "leads": leads, "converted": hits.astype(np.int64), "rate": rate}
    )


def _missing_reason(outcome: Outcome, days: int, n: int, n_pos: int) -> str | None:
    stage = OUTCOME_STAGES[outcome]
    if n == 0:
        return f"no lead is {days} days old yet, so none has had the time to reach {stage}"
    if n_pos == 0:
        return f"no lead old enough ({days}+ days) has converted to {stage} yet"
    if n_pos == n:
        return f"every lead old enough ({days}+ days) converted to {stage}: nothing to separate"
    return None


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, tied values sharing their average rank."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], values.size]
    average = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(average, ends - starts)
    return ranks
