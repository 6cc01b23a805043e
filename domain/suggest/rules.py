"""From logistic coefficients to a readable points definition.

All coefficients are multiplied by one scale so that the strongest input is worth
`TOP_POINTS` points: a fit rule's effect is its coefficient, an engagement rule's effect
is its coefficient times its cap in occurrences (its largest possible contribution). Fit
points are whole numbers; engagement points per occurrence are rounded to halves (half a
point per e-mail open reads fine, and whole points would distort cheap actions) and the cap
is the whole number of points the rule can add at most. Inputs worth less than
`MIN_POINTS` at most are dropped, then the `max_rules` that move the ranking most are kept.

"Move the ranking most" is the coefficient times the input's spread among the training
leads (its standardised weight), not the points one lead can get: a value held by a dozen
leads may earn many points per match yet barely reorders the leads, and ranking by points
alone filled the list with single-company e-mail domains and pushed out broad signals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from domain.definition import EngagementRule, FitRule
from domain.suggest.features import Feature
from domain.suggest.fit import LogisticFit

TOP_POINTS = 30.0
MIN_POINTS = 2.0
OUTCOME_VERBS = {"sql": "became an SQL", "won": "won"}


@dataclass(frozen=True)
class SuggestedRule:
    """One rule of a suggestion: the rule with its points, the model's coefficient
    (`weight`, log-odds per match or per occurrence), its kind and why, in plain words."""

    rule: FitRule | EngagementRule
    weight: float
    kind: Literal["fit", "engagement"]
    why: str

    @property
    def max_points(self) -> float:
        """The most the rule can add (or take away, negative) for one lead."""
        if isinstance(self.rule, EngagementRule):
            cap = self.rule.cap if self.rule.cap is not None else math.inf
            return math.copysign(cap, self.rule.points)
        return self.rule.points


def to_rules(
    features: Sequence[Feature],
    fit: LogisticFit,
    *,
    train: np.ndarray,
    outcomes: np.ndarray,
    outcome: str,
    max_rules: int,
) -> tuple[SuggestedRule, ...]:
    """The strongest inputs as rules with points, the ones that move the ranking most first."""
    effects = _effects(features, fit)
    kept = strongest(features, fit, max_rules, train)
    if not kept:
        return ()
    scale = TOP_POINTS / effects.max()
    rules = []
    for i in kept:
        feature, weight = features[i], float(fit.coefficients[i])
        rule = _with_points(feature, weight * scale)
        why = explain(feature, train, outcomes, outcome)
        rules.append(SuggestedRule(rule, weight, feature.kind, why))  # type: ignore[arg-type]
    return tuple(rules)


def strongest(
    features: Sequence[Feature], fit: LogisticFit, max_rules: int, train: np.ndarray
) -> list[int]:
    """Positions of the inputs worth at least MIN_POINTS, the `max_rules` that move the
    training leads' ranking most (|coefficient| x spread) first."""
    effects = _effects(features, fit)
    if effects.size == 0 or not np.isfinite(effects).all() or effects.max() <= 0:
        return []
    scale = TOP_POINTS / effects.max()
    spread = np.array([feature.values[train].std() for feature in features])
    order = np.argsort(-np.abs(fit.coefficients) * spread, kind="stable")
    return [int(i) for i in order if effects[i] * scale >= MIN_POINTS][: max(max_rules, 0)]


def _effects(features: Sequence[Feature], fit: LogisticFit) -> np.ndarray:
    """Per input: the largest log-odds it can add (coefficient x cap for activities)."""
    return np.array(
        [abs(c) * (f.cap_count or 1.0) for f, c in zip(features, fit.coefficients, strict=True)]
    )


def _with_points(feature: Feature, points: float) -> FitRule | EngagementRule:
    rule_id = f"s-{feature.rule.id}"
    if isinstance(feature.rule, FitRule):
        return feature.rule.model_copy(update={"points": float(round(points)), "id": rule_id})
    per_occurrence = round(points * 2) / 2 or math.copysign(0.5, points)
    cap = float(max(round(abs(points) * (feature.cap_count or 1.0)), abs(per_occurrence)))
    return feature.rule.model_copy(
        update={"points": per_occurrence, "cap": cap, "id": rule_id, "label": ""}
    )


def explain(feature: Feature, train: np.ndarray, outcomes: np.ndarray, outcome: str) -> str:
    """How often leads with the input reached the outcome against the others (training)."""
    matched = feature.values[train] > 0
    y = np.asarray(outcomes[train], dtype=bool)
    verb = OUTCOME_VERBS.get(outcome, f"reached {outcome}")
    who = "leads with it" if feature.kind == "fit" else "leads who did it"
    n_in, n_out = int(matched.sum()), int((~matched).sum())
    if n_in == 0 or n_out == 0:
        return f"every training lead is alike on this ({n_in} of {matched.size})"
    rate_in, rate_out = y[matched].mean(), y[~matched].mean()
    if rate_in == 0:
        return f"none of the {n_in:,} {who} {verb} (vs {rate_out:.1%} of the others)"
    base = f"{rate_in:.1%} of {n_in:,} {who} {verb}"
    if rate_out == 0:
        return f"{base}; none of the others"
    ratio = rate_in / rate_out
    return f"{verb} {ratio:.1f}x as often as other leads ({base}, vs {rate_out:.1%})"
