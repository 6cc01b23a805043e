"""When the leads cannot support a suggestion, or it is no better: the plain-language reasons."""

from __future__ import annotations

import numpy as np

from domain.suggest.split import Split

MIN_LEADS = 50
MIN_POSITIVES = 10
MIN_HOLDOUT_POSITIVES = 3


class SuggestionError(ValueError):
    """No suggestion can be made from these leads; the message says why, in plain words."""


def check_counts(n_leads: int, n_positive: int, outcome: str, days: int) -> None:
    """Refuse too few judged leads, one class only, or too few of either class."""
    if n_leads < MIN_LEADS:
        raise SuggestionError(
            f"too few leads to learn from: {n_leads} are at least {days} days old, "
            f"{MIN_LEADS} are needed"
        )
    if n_positive == 0 or n_positive == n_leads:
        which = "none" if n_positive == 0 else "all"
        raise SuggestionError(
            f"{which} of the {n_leads} leads old enough reached {outcome}: with one class "
            "only there is nothing to learn"
        )
    if min(n_positive, n_leads - n_positive) < MIN_POSITIVES:
        raise SuggestionError(
            f"too few leads to learn from: {n_positive} of {n_leads} leads reached {outcome}, "
            f"at least {MIN_POSITIVES} of each kind are needed"
        )


def check_split(split: Split, outcomes: np.ndarray) -> None:
    """Refuse a split where either half has too few leads of one kind to measure an AUC."""
    for name, positions in (("training", split.train), ("held-out", split.holdout)):
        hits = int(outcomes[positions].sum())
        if min(hits, positions.size - hits) < MIN_HOLDOUT_POSITIVES:
            raise SuggestionError(
                f"the {name} leads have {hits} of {positions.size} converted: too few of one "
                "kind to measure; change --holdout or wait for more outcomes"
            )


NO_IMPROVEMENT = (
    "no improvement found on held-out leads (AUC {suggested:.3f} suggested vs {current:.3f} "
    "current): keep the current rules"
)


def holdout_verdict(current: float, suggested: float) -> str | None:
    """The plain warning when the suggestion does not rank the held-out leads at least as
    well as the current definition (or either AUC is unmeasurable); None when it does."""
    if suggested >= current:
        return None
    return NO_IMPROVEMENT.format(suggested=suggested, current=current)
