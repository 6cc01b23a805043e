"""Re-setting the MQL threshold so that a new definition keeps about the same MQL volume.

The whole-point threshold whose MQL count is closest to today's is taken, or a half point
when that is closer (engagement points come in halves). Within `VOLUME_TOLERANCE` the
volume is "about as many"; beyond it (many leads share one score) the suggestion says so
with both counts instead of claiming it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from domain.definitions.definition import Definition
from domain.engine.scoring import ScoringModel
from domain.engine.stages import NEVER

VOLUME_TOLERANCE = 0.05
# The engine's tolerances: a fit score, and a running score kept in float32, count as
# reaching the threshold this close below it.
FIT_TOLERANCE = 1e-6
ROW_TOLERANCE = 1e-4


def matching_threshold(count: Callable[[float], int], target: int, low: int, high: int) -> float:
    """The whole-point threshold in [low, high] whose MQL `count` is closest to `target`."""
    while high - low > 1:  # invariant: count(low) > target or low is the lower end
        middle = (low + high) // 2
        if count(middle) > target:
            low = middle
        else:
            high = middle
    candidates = (low, high)
    gaps = [abs(count(t) - target) for t in candidates]
    return float(candidates[int(np.argmin(gaps))])


def mql_count(model: ScoringModel, definition: Definition, threshold: float | None = None) -> int:
    """Leads that became MQL at some point under `definition` (at `threshold` if given)."""
    if threshold is not None:
        definition = definition.model_copy(update={"mql_threshold": float(threshold)})
    return int((model.score(definition).times["mql_at"] != NEVER).sum())


def mql_counter(model: ScoringModel, definition: Definition) -> Callable[[float], int]:
    """`mql_count` at any threshold from one pass over the activity rows: a lead becomes
    MQL when its highest score ever (fit plus running engagement at any row, or its fit
    alone at creation) reaches the threshold, or it raised its hand (the engine's
    tolerances give the same counts but for scores within 1e-4 of the threshold)."""
    fit = model.fit_scores(definition)
    peak = fit + FIT_TOLERANCE
    terms = model.terms(definition)
    history = model.history
    if terms and history.n_rows:
        running = model.engagement.rows(terms) + fit[history.row_lead]
        starts = history.lead_start[:-1]
        has_rows = history.lead_start[1:] > starts
        highest = np.maximum.reduceat(running, np.minimum(starts, running.size - 1))
        peak = np.where(has_rows, np.maximum(peak, highest + ROW_TOLERANCE), peak)
    hands = history.key_mask(set(definition.hand_raisers))
    peak[history.first_occurrence_ns(hands) != NEVER] = np.inf
    ordered = np.sort(peak)
    return lambda threshold: int(ordered.size - np.searchsorted(ordered, threshold, "left"))


def with_matching_threshold(
    model: ScoringModel, base: Definition, draft: Definition, low: int, high: int
) -> Definition:
    """`draft` with the threshold in [low, high] that keeps `base`'s MQL volume closest."""
    target = mql_count(model, base)
    count = mql_counter(model, draft)
    whole = matching_threshold(count, target, low, high)
    candidates = (whole, whole - 0.5, whole + 0.5)
    gaps = [abs(count(t) - target) for t in candidates]
    return draft.replace(mql_threshold=candidates[int(np.argmin(gaps))])


def volume_warning(current: int, suggested: int) -> tuple[str, ...]:
    """The sentence when the suggested threshold cannot keep the MQL volume within 5%."""
    if abs(suggested - current) <= VOLUME_TOLERANCE * current:
        return ()
    return (
        f"no threshold keeps the MQL volume within 5%: {suggested:,} leads become MQL "
        f"against {current:,} today (many leads share one score); adjust the threshold "
        "on the Definitions page",
    )
