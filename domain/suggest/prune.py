"""Keeping one input per fact, and the leakage warnings of a suggestion.

- A rule of the current definition that matches no training lead cannot be learnt from:
  it is left out and listed ("matches none of your leads").
- Inputs that carry the same information as an earlier one (the same leads, or exactly
  the other leads: correlation of at least `SAME_INFORMATION` on the training leads) are
  dropped: two columns holding the same leads would each get a rule for one fact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domain.suggest.features import Feature
from domain.suggest.leakage import Leak
from domain.suggest.rules import SuggestedRule

SAME_INFORMATION = 0.98
# Rows used to compare inputs (a sample is enough to see two inputs are the same).
COMPARE_ROWS = 20_000


def matching_only(
    features: Sequence[Feature], train: np.ndarray
) -> tuple[list[Feature], list[str]]:
    """(the inputs some training lead has, the names of those none has)."""
    kept: list[Feature] = []
    silent: list[Feature] = []
    for feature in features:
        (kept if np.any(feature.values[train] != 0) else silent).append(feature)
    return kept, [feature.name for feature in silent]


def distinct_information(features: Sequence[Feature], train: np.ndarray) -> list[Feature]:
    """The inputs, less those that repeat an earlier one's information (earlier ones win:
    the current definition's rules come first)."""
    if len(features) < 2:
        return list(features)
    rows = train if train.size <= COMPARE_ROWS else train[:: train.size // COMPARE_ROWS + 1]
    matrix = np.column_stack([feature.values[rows] for feature in features])
    spread = matrix.std(axis=0)
    standard = (matrix - matrix.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    correlation = np.abs(standard.T @ standard) / rows.size
    kept: list[int] = []
    for i in range(len(features)):
        if spread[i] == 0:
            continue
        if all(correlation[i, j] < SAME_INFORMATION for j in kept):
            kept.append(i)
    return [features[i] for i in kept]


def leak_warnings(
    leaks: Sequence[Leak], excluded: Sequence[str], rules: Sequence[SuggestedRule]
) -> tuple[str, ...]:
    """One sentence per suspect column: left out (and why), or used although suspect."""
    used = {
        getattr(r.rule, "attribute", None) or getattr(r.rule, "activity_type", None) for r in rules
    }
    warnings = []
    for leak in leaks:
        if leak.column in excluded:
            warnings.append(
                f"{leak.column} is left out: {leak.reason}. Include it only if it is known "
                "before sales work the lead."
            )
        elif leak.column in used:
            warnings.append(
                f"{leak.column} is used although {leak.reason}: the figures are likely too "
                "good to be true."
            )
    return tuple(warnings)
