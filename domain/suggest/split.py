"""Train / held-out split of the leads that can be judged.

Time-based when the leads have creation dates that differ: the oldest leads train and the
newest `holdout` share is held out, as the suggestion will be used on leads yet to come.
Otherwise (no dates, or all on one day) a random split with the fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from domain.engine.stages import NEVER

SplitKind = Literal["time", "random"]


@dataclass(frozen=True, eq=False)
class Split:
    """Positions (in the model's lead order, ascending) of the training and held-out leads."""

    kind: SplitKind
    train: np.ndarray
    holdout: np.ndarray


def split_leads(
    eligible: np.ndarray, created_ns: np.ndarray, *, holdout: float, seed: int
) -> Split:
    """Split the positions in `eligible` (a boolean mask) into train and held-out leads."""
    if not 0 < holdout < 1:
        raise ValueError(f"holdout must be a share between 0 and 1, not {holdout}")
    positions = np.flatnonzero(eligible)
    n_holdout = int(round(holdout * positions.size))
    created = created_ns[positions]
    dated = (created != NEVER) & (created != np.iinfo(np.int64).min)  # NaT reads as min
    if dated.all() and np.unique(created).size > 1:
        # Stable sort by creation time, ties by position: the same leads every run.
        order = positions[np.argsort(created, kind="stable")]
        cut = order.size - n_holdout
        return Split("time", np.sort(order[:cut]), np.sort(order[cut:]))
    shuffled = np.random.default_rng(seed).permutation(positions)
    return Split("random", np.sort(shuffled[n_holdout:]), np.sort(shuffled[:n_holdout]))
