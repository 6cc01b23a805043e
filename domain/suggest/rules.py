"""From logistic coefficients to a readable points definition.

All coefficients are multiplied by one scale so that the strongest input is worth
`TOP_POINTS` points: a fit rule's effect is its coefficient, an engagement rule's effect
is its coefficient times its cap in occurrences (its largest possible contribution). Fit
points are whole numbers; engagement points per occurrence are rounded to halves (half a
point per e-mail open reads fine, and whole points would distort cheap actions) and the cap
is the whole number of points the rule can add at most; a count rule ("at least 3 pricing
page views") gives whole points once, like a fit rule. Inputs worth less than
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

from domain.definitions.definition import EngagementRule, FitRule
from domain.suggest.explain import given_others
from domain.suggest.features import Feature
from domain.suggest.fit import LogisticFit

TOP_POINTS = 30.0
MIN_POINTS = 2.0


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
        if isinstance(self.rule, EngagementRule) and not self.rule.is_count:
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
) -> tuple[tuple[SuggestedRule, ...], list[int]]:
    """The strongest inputs as rules with points, the ones that move the ranking most first,
    and the positions of the inputs whose sign their explanation contradicts.

    New `equals` rules of one attribute with the same points become one `in` rule. Each
    rule is explained given the other rules (`explain.given_others`); a rule whose points
    go against its explanation is listed, for the caller to refit without it.
    """
    effects = _effects(features, fit)
    kept = strongest(features, fit, max_rules, train)
    if not kept:
        return (), []
    scale = TOP_POINTS / effects.max()
    contributions = {i: fit.coefficients[i] * features[i].values[train] for i in kept}
    linear = sum(contributions.values())
    rules, contradicted = [], []
    for group in _groups(features, kept, fit.coefficients * scale):
        first = features[group[0]]
        rule = _with_points(first, float(fit.coefficients[group[0]]) * scale)
        if len(group) > 1:
            rule = _as_one_rule(rule, [features[i] for i in group])  # type: ignore[arg-type]
        matched = np.any([features[i].values[train] > 0 for i in group], axis=0)
        rest = linear - sum(contributions[i] for i in group)
        ratio, why = given_others(matched, rest, outcomes[train], outcome, first.kind)
        if not _agrees(rule.points, ratio):
            contradicted += group
            continue
        weight = float(np.mean([fit.coefficients[i] for i in group]))
        rules.append(SuggestedRule(rule, weight, first.kind, why))  # type: ignore[arg-type]
    return tuple(rules), contradicted


def _groups(features: Sequence[Feature], kept: list[int], points: np.ndarray) -> list[list[int]]:
    """Kept inputs grouped: new `equals` inputs of one attribute with the same whole points
    form one group (one `in` rule), every other input is a group of its own."""
    groups: dict[object, list[int]] = {}
    for i in kept:
        rule = features[i].rule
        same_fact = (
            isinstance(rule, FitRule) and rule.operator == "equals" and features[i].prior == 0
        )
        key = (rule.attribute, round(points[i])) if same_fact else ("own", i)  # type: ignore[union-attr]
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _as_one_rule(rule: FitRule, members: list[Feature]) -> FitRule:
    values = tuple(str(m.rule.value) for m in members)  # type: ignore[union-attr]
    shown = ", ".join(values[:-1]) + f" or {values[-1]}"
    return rule.model_copy(
        update={
            "operator": "in",
            "value": values,
            "id": f"s-{rule.attribute}-in-{'|'.join(values)}",
            "label": f"{rule.attribute} is {shown}",
        }
    )


def _agrees(points: float, ratio: float) -> bool:
    if math.isnan(ratio):
        return True  # nothing to compare with: the explanation says so, no sign claimed
    return (points > 0 and ratio > 1) or (points < 0 and ratio < 1)


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
    # A rule of the current definition keeps its id and label, so taking the suggestion
    # reads as "changed" in the draft's diff, not as a removal plus an addition.
    own = feature.prior != 0
    rule_id = feature.rule.id if own else f"s-{feature.rule.id}"
    if isinstance(feature.rule, FitRule) or feature.rule.is_count:
        return feature.rule.model_copy(update={"points": float(round(points)), "id": rule_id})
    per_occurrence = round(points * 2) / 2 or math.copysign(0.5, points)
    cap = float(max(round(abs(points) * (feature.cap_count or 1.0)), abs(per_occurrence)))
    label = feature.rule.label if own else ""
    return feature.rule.model_copy(
        update={"points": per_occurrence, "cap": cap, "id": rule_id, "label": label}
    )
