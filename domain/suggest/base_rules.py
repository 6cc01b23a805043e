"""The base definition's own rules as inputs of the fit, so a suggestion starts from them.

Each fit rule of the base scores exactly its own matches; each engagement rule counts its
activity (type, content stage, window) under the half-life being tried, capped where the
rule caps it (`cap / points` occurrences; an uncapped rule gets the 95th percentile of the
training leads that have any, like a new activity input); a count rule is 1 where the lead
reaches its minimum (never decayed). `prior` holds the base's points, so the fit can
shrink towards the current definition instead of towards nothing.

Rules on excluded attributes or activity types are left out. New candidate inputs that
duplicate a base rule are dropped: the same matches as a base fit rule, an activity
(type, stage) a base per-occurrence rule already counts, or the same minimum of a base
count rule. The base's wording then survives.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from domain.definitions.definition import Definition, EngagementRule
from domain.engine.engagement import Source, Term
from domain.engine.scoring import ScoringModel
from domain.suggest.features import CAP_QUANTILE, Feature


def base_fit_features(
    model: ScoringModel, base: Definition, excluded: Collection[str]
) -> list[Feature]:
    """The base's fit rules on attributes the data has and the user did not exclude."""
    features = []
    for rule in base.fit_rules:
        if rule.attribute in excluded or rule.attribute not in model.leads.columns:
            continue
        values = model.fit_mask(rule).astype(np.float64)
        zeroed = rule.model_copy(update={"points": 0.0})
        features.append(
            Feature(rule.describe(), "fit", rule.attribute, zeroed, values, prior=rule.points)
        )
    return features


def base_engagement_features(
    model: ScoringModel,
    base: Definition,
    train: np.ndarray,
    half_life: float | None,
    excluded: Collection[str],
) -> list[Feature]:
    """The base's engagement rules with activity counts under `half_life`."""
    features = []
    for rule in base.engagement_rules:
        if rule.activity_type in excluded or rule.points == 0:
            continue
        counts = model.engagement.counts(Source.of(rule, half_life))[1]
        if rule.is_count:
            features.append(_count_feature(rule, counts))
            continue
        if rule.cap is not None:
            cap = rule.cap / abs(rule.points)
        else:
            present = counts[train][counts[train] > 1e-9]
            cap = max(float(np.quantile(present, CAP_QUANTILE)), 1.0) if present.size else 1.0
        zeroed = rule.model_copy(update={"points": 0.0, "cap": None})
        features.append(
            Feature(
                name=rule.describe(),
                kind="engagement",
                source=rule.activity_type,
                rule=zeroed,
                values=np.minimum(counts, cap),
                cap_count=cap,
                prior=rule.points,
            )
        )
    return features


def _count_feature(rule: EngagementRule, counts: np.ndarray) -> Feature:
    reached = Term.of(rule.model_copy(update={"points": 1.0}), None).apply(counts)
    zeroed = rule.model_copy(update={"points": 0.0})
    return Feature(
        rule.describe(), "engagement", rule.activity_type, zeroed, reached, prior=rule.points
    )


def without_duplicates(candidates: Sequence[Feature], base: Sequence[Feature]) -> list[Feature]:
    """The new candidates that say something the base's rules do not already say."""
    covered = {_counted(f.rule) for f in base if isinstance(f.rule, EngagementRule)}
    masks = [f.values for f in base if f.kind == "fit"]
    kept = []
    for feature in candidates:
        if isinstance(feature.rule, EngagementRule):
            if _counted(feature.rule) in covered:
                continue
        elif any(np.array_equal(feature.values, mask) for mask in masks):
            continue
        kept.append(feature)
    return kept


def _counted(rule: EngagementRule) -> tuple[str, str | None, int | None]:
    """What an engagement input measures: per occurrence (no minimum) or a count's step."""
    return (rule.activity_type, rule.content_stage, rule.min_count)
