"""Re-setting the MQL threshold so that a new definition keeps about the same MQL volume."""

from __future__ import annotations

import numpy as np

from domain.definition import Definition
from domain.scoring import ScoringModel
from domain.stages import NEVER


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
