"""Re-setting the MQL threshold so that a new definition keeps about the same MQL volume.

The whole-point threshold whose MQL count is closest to today's is taken, or a half point
when that is closer (engagement points come in halves). Within `VOLUME_TOLERANCE` the
volume is "about as many"; beyond it (many leads share one score) the suggestion says so
with both counts instead of claiming it.
"""

from __future__ import annotations

import numpy as np

from domain.definition import Definition
from domain.scoring import ScoringModel
from domain.stages import NEVER

VOLUME_TOLERANCE = 0.05


def matching_threshold(
    model: ScoringModel, definition: Definition, target: int, low: int, high: int
) -> float:
    """The whole-point threshold in [low, high] whose MQL count is closest to `target`."""
    while high - low > 1:  # invariant: count(low) > target or low is the lower end
        middle = (low + high) // 2
        if mql_count(model, definition, middle) > target:
            low = middle
        else:
            high = middle
    candidates = (low, high)
    gaps = [abs(mql_count(model, definition, t) - target) for t in candidates]
    return float(candidates[int(np.argmin(gaps))])


def mql_count(model: ScoringModel, definition: Definition, threshold: float | None = None) -> int:
    """Leads that became MQL at some point under `definition` (at `threshold` if given)."""
    if threshold is not None:
        definition = definition.model_copy(update={"mql_threshold": float(threshold)})
    return int((model.score(definition).times["mql_at"] != NEVER).sum())


def with_matching_threshold(
    model: ScoringModel, base: Definition, draft: Definition, low: int, high: int
) -> Definition:
    """`draft` with the threshold in [low, high] that keeps `base`'s MQL volume closest."""
    target = mql_count(model, base)
    whole = matching_threshold(model, draft, target, low, high)
    candidates = (whole, whole - 0.5, whole + 0.5)
    gaps = [abs(mql_count(model, draft, t) - target) for t in candidates]
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
