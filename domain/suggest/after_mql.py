"""Inputs first seen after the lead's MQL moment: known only once sales had the lead.

A score ranks leads when they are handed off, so an input that for most leads appears
only after that moment (a "contract signed" or "demo held" activity, a "Close Date" or
"Became a Customer Date" attribute) gives the outcome away instead of predicting it.

The moment each lead is judged against (`handoff_moments`):
- its MQL moment under the current definition;
- when it never became MQL, the first moment sales recorded for it (accepted, SQL,
  opportunity, won, lost or disqualified): it was handed off another way;
- when neither, the as-of moment: it was never handed off, so whatever is known today
  was known before any hand-off.
Leads whose moment is their creation (MQL on fit alone at creation, or an export whose
outcomes are dated at creation) say nothing, as everything about them comes later: they
are left out of the share. An input is a suspect when, among at least `MIN_LEADS` leads
that have it, at least `AFTER_SHARE` first have it after their moment (activities: the
first occurrence, strictly later; dates: on a later calendar day). Files without dates
or activities are unaffected.

Suggestion inputs themselves are today's counts and values, exactly what the engine
scores; this guard is what keeps the after-hand-off ones out.
"""

from __future__ import annotations

import numpy as np

from domain.common.numbers import count, percent
from domain.engine.frames import NS_PER_DAY
from domain.engine.scoring import ScoreResult, ScoringModel
from domain.engine.stages import NEVER
from domain.suggest.columns import numbers

AFTER_SHARE = 0.75
MIN_LEADS = 30
# Moments sales record when they take a lead on without it becoming MQL.
SALES_MOMENTS = ("sal_at", "sql_at", "opportunity_at", "won_at", "lost_at", "disqualified_at")


def handoff_moments(scored: ScoreResult, as_of_ns: int) -> np.ndarray:
    """Per lead: epoch ns it is judged against (see the module doc); NEVER when its moment
    is its creation (it cannot tell before from after)."""
    times = scored.times
    sales = np.min([times[name] for name in SALES_MOMENTS], axis=0)
    moment = np.where(times["mql_at"] != NEVER, times["mql_at"], sales)
    moment = np.where(moment != NEVER, moment, as_of_ns)
    return np.where(moment <= times["created_at"], NEVER, moment)


def activity_after_share(
    model: ScoringModel, activity_type: str, moments: np.ndarray
) -> tuple[float, int] | None:
    """(share first seen after the moment, leads judged) for an activity type, or None
    when too few leads with a moment have it."""
    first = model.history.first_occurrence_ns(model.history.key_mask({activity_type}))
    judged = (first != NEVER) & (moments != NEVER)
    return _share(first[judged] > moments[judged])


def date_after_share(
    model: ScoringModel, attribute: str, moments: np.ndarray
) -> tuple[float, int] | None:
    """(share of the filled-in dates on a later day than the moment, leads judged) for a
    date attribute, or None when too few leads with a moment have it."""
    ages = numbers(model, attribute)  # days from the date to creation
    created = model.sales.created
    judged = ~np.isnan(ages) & (moments != NEVER)
    dates = created[judged] - np.round(ages[judged] * NS_PER_DAY).astype(np.int64)
    return _share(dates // NS_PER_DAY > moments[judged] // NS_PER_DAY)


def after_reason(share: float, leads: int) -> str:
    return (
        f"it is first seen after the MQL moment for {percent(share)} of the {count(leads)} leads "
        "that have it: known only once sales had the lead"
    )


def is_after(measured: tuple[float, int] | None) -> bool:
    return measured is not None and measured[0] >= AFTER_SHARE


def _share(after: np.ndarray) -> tuple[float, int] | None:
    if after.size < MIN_LEADS:
        return None
    return float(after.mean()), int(after.size)
