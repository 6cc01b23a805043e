"""A suggestion's result: the suggested definition, its rules and how both definitions rank."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from domain.calibration.quality import Outcome
from domain.definitions.definition import Definition
from domain.suggest.leakage import Leak
from domain.suggest.rules import SuggestedRule


@dataclass(frozen=True, eq=False)
class Suggestion:
    """A suggested definition with its rules and how both definitions rank the leads."""

    outcome: Outcome
    definition: Definition
    rules: tuple[SuggestedRule, ...]
    auc_train_current: float
    auc_train_suggested: float
    auc_holdout_current: float
    auc_holdout_suggested: float
    split: Literal["time", "random"]
    n_train: int
    n_holdout: int
    n_positive_train: int
    n_positive_holdout: int
    warnings: tuple[str, ...]
    excluded: tuple[str, ...]
    # The logistic model itself on the same leads (what rounding to points costs).
    auc_train_model: float = math.nan
    auc_holdout_model: float = math.nan
    min_age_days: int = 0
    leaks: tuple[Leak, ...] = ()
    unmatched: tuple[str, ...] = ()  # current rules matching none of the training leads
    mql_current: int = 0  # leads that became MQL under the current definition
    mql_suggested: int = 0  # ... and under the suggested one (its threshold matches)

    @property
    def improves(self) -> bool:
        """Whether the suggestion ranks the held-out leads at least as well as the current
        definition (False when either AUC cannot be measured)."""
        return bool(self.auc_holdout_suggested >= self.auc_holdout_current)

    def to_json(self) -> dict[str, Any]:
        """Everything as plain JSON values (the definition as its JSON form)."""
        return {
            "outcome": self.outcome,
            "auc_holdout_current": _finite(self.auc_holdout_current),
            "auc_holdout_suggested": _finite(self.auc_holdout_suggested),
            "auc_train_current": _finite(self.auc_train_current),
            "auc_train_suggested": _finite(self.auc_train_suggested),
            "auc_holdout_model": _finite(self.auc_holdout_model),
            "auc_train_model": _finite(self.auc_train_model),
            "improves": self.improves,
            "split": self.split,
            "min_age_days": self.min_age_days,
            "n_train": self.n_train,
            "n_holdout": self.n_holdout,
            "n_positive_train": self.n_positive_train,
            "n_positive_holdout": self.n_positive_holdout,
            "warnings": list(self.warnings),
            "excluded": list(self.excluded),
            "leaks": [{"column": k.column, "reason": k.reason} for k in self.leaks],
            "unmatched": list(self.unmatched),
            "mql_current": self.mql_current,
            "mql_suggested": self.mql_suggested,
            "rules": [
                {
                    "kind": r.kind,
                    "rule": r.rule.model_dump(mode="json"),
                    "text": r.rule.describe(),
                    "weight": r.weight,
                    "why": r.why,
                }
                for r in self.rules
            ],
            "definition": self.definition.model_dump(mode="json"),
        }


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value
