"""Leakage guard: inputs that give the outcome away instead of predicting it.

Two signs: the attribute's name says it is only known after sales worked the lead
(owner, status, stage, reason, won/lost, deal amount...: `features.AFTER_SALES_WORDS`),
or the input alone separates converted leads almost perfectly (single-input ROC AUC of
at least `SUSPECT_AUC`, on the leads old enough to be judged). Rare values are grouped
before measuring, so that an attribute with many one-off values does not look perfect.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from domain.calibration import Outcome, mature_leads, min_age_for, outcome_reached, roc_auc
from domain.definition import Definition
from domain.engagement import Source
from domain.scoring import ScoringModel
from domain.suggest.features import (
    AFTER_SALES_WORDS,
    MIN_SUPPORT,
    activity_keys,
    attribute_words,
    candidate_attributes,
)

SUSPECT_AUC = 0.95


def leakage_suspects(
    model: ScoringModel,
    outcome: Outcome,
    *,
    min_age_days: int | None = None,
    threshold: float = SUSPECT_AUC,
) -> list[tuple[str, float]]:
    """(input, single-input AUC) for attributes or activity types that predict the outcome
    almost perfectly alone, plus the attributes excluded by name; strongest first.

    The AUC is NaN when it cannot be measured (one class only among the judged leads).
    """
    result = model.score(Definition(hand_raisers=()))
    eligible = mature_leads(result, model.as_of.value, min_age_for(outcome, min_age_days))
    y = outcome_reached(result, outcome)[eligible]
    found: dict[str, float] = {}
    for attribute in candidate_attributes(model):
        auc = attribute_auc(model.leads[attribute][eligible], y)
        named = bool(attribute_words(attribute) & AFTER_SALES_WORDS)
        if named or (auc is not None and auc >= threshold):
            found[attribute] = math.nan if auc is None else auc
    for activity_type, stage in activity_keys(model):
        counts = model.engagement.counts(Source(activity_type, stage, None, None))[1][eligible]
        auc = _two_sided(roc_auc(counts, y))
        if auc is not None and auc >= threshold:
            found[activity_type] = max(auc, found.get(activity_type, 0.0))
    return sorted(found.items(), key=lambda item: (-np.nan_to_num(item[1], nan=-1), item[0]))


def attribute_auc(values: pd.Series, outcomes: np.ndarray) -> float | None:
    """How well one attribute alone separates the outcome (0.5..1; None if unmeasurable).

    Numbers rank by value (either direction, missing ones last); other values by their
    conversion rate among these leads, rare values grouped.
    """
    y = np.asarray(outcomes, dtype=bool)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        filled = np.where(np.isnan(numbers), np.nanmin(numbers, initial=0.0) - 1, numbers)
        return _two_sided(roc_auc(filled, y))
    keys = values.astype("string").str.strip().str.casefold().fillna("").to_numpy(dtype=object)
    _, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse)
    inverse = np.where(counts[inverse] >= MIN_SUPPORT, inverse, -1)
    _, grouped = np.unique(inverse, return_inverse=True)
    rates = np.bincount(grouped, weights=y) / np.bincount(grouped)
    return roc_auc(rates[grouped], y)


def _two_sided(auc: float | None) -> float | None:
    return None if auc is None else max(auc, 1 - auc)
