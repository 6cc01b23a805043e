"""Leakage guard: inputs that give the outcome away instead of predicting it.

A column is a suspect, excluded from a suggestion unless the user includes it knowingly,
when any of these holds (each gives its own reason, shown with the column's name):
- its name says it is only known after sales worked the lead (owner, status, stage,
  reason, won/lost, deal amount...: `features.AFTER_SALES_WORDS`);
- alone it separates the outcome too well: a held-out ROC AUC of at least `SUSPECT_AUC`
  (its values' conversion rates learnt on the training leads, measured on the held-out
  ones; numbers by deciles, rare values grouped), which real lead facts never reach;
- its values read like sales outcomes or notes ("Closed by Horizzon", "Lost to EINS",
  "Will revert after reading the email", "Ringing", "Not interested", "Junk lead");
- it is filled in mostly for converted leads (a field the rep completes while closing).
Activity types are suspects when their counts alone separate the outcome almost perfectly
(`ACTIVITY_SUSPECT_AUC`: engagement is meant to predict, so the bar is higher).
Where dates exist, activity types and date attributes first seen after the lead's MQL
moment for most leads are suspects too (`after_mql`: known only once sales had the lead).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.calibration.quality import Outcome, roc_auc
from domain.common.numbers import percent
from domain.definitions.definition import Definition
from domain.engine.engagement import Source
from domain.engine.fit import casefolded
from domain.engine.scoring import ScoringModel
from domain.suggest.after_mql import (
    activity_after_share,
    after_reason,
    date_after_share,
    is_after,
)
from domain.suggest.columns import column_kind, numbers
from domain.suggest.features import (
    AFTER_SALES_WORDS,
    activity_keys,
    attribute_words,
    candidate_attributes,
    min_support,
)
from domain.suggest.leak_key import sales_side
from domain.suggest.split import Split, split_leads

SUSPECT_AUC = 0.85
# Engagement is meant to predict (a pricing-page view should): only a near-perfect
# single activity is a suspect, like a "deal closed" event logged as an activity.
ACTIVITY_SUSPECT_AUC = 0.95
# With "days" in the name, a duration between sales steps ("Days Identified Through
# Qualified"): known only once the deal moved through them.
SALES_STEP_WORDS = frozenset({"identified", "qualified", "validated", "elapsed", "closing"})
OUTCOME_WORDS = re.compile(
    r"\b(closed|lost|won|converted|revert(ed)?|ringing|not interested|junk|invalid number|"
    r"wrong number|switched off|already a student|interested in other)\b|\bby [A-Z]",
)
# Share of the filled-in leads whose value reads like an outcome for the column to be one.
OUTCOME_VALUE_SHARE = 0.05
# "Filled mostly for converted leads": converted leads are at least this share of the
# filled-in ones, and fill it in at least FILL_RATIO times as often as the others.
FILLED_CONVERTED_SHARE = 0.5
FILL_RATIO = 2.0


@dataclass(frozen=True)
class Leak:
    """A suspect input: its name, why, and its single-column held-out AUC (NaN: unmeasured)."""

    column: str
    reason: str
    auc: float = math.nan


def find_leaks(
    model: ScoringModel,
    outcome: Outcome,
    *,
    min_age_days: int | None = None,
    holdout: float = 0.3,
    seed: int = 0,
    base: Definition | None = None,
) -> list[Leak]:
    """Every suspect attribute or activity type, strongest first (see the module doc);
    `base` places each lead's MQL moment (without it: the moments sales recorded)."""
    # What a follow-up action can move: read in one place, which `leak_check_key` digests.
    side = sales_side(model, outcome, min_age_days=min_age_days, base=base)
    eligible, y, moments = side.eligible, side.reached, side.moments
    if eligible.sum() < 2:
        return []
    split = split_leads(eligible, side.result.times["created_at"], holdout=holdout, seed=seed)
    leaks = []
    for attribute in candidate_attributes(model):
        leak = attribute_leak(model, attribute, split, y)
        if leak is None and column_kind(model, attribute) == "date":
            leak = _after_mql(attribute, date_after_share(model, attribute, moments))
        if leak is not None:
            leaks.append(leak)
    for activity_type, stage in activity_keys(model):
        counts = model.engagement.counts(Source(activity_type, stage, None, None))[1]
        auc = _two_sided(roc_auc(counts[split.holdout], y[split.holdout]))
        if (
            auc is not None
            and auc >= ACTIVITY_SUSPECT_AUC
            and activity_type not in {leak.column for leak in leaks}
        ):
            leaks.append(Leak(activity_type, _auc_reason(auc), auc))
    named = {leak.column for leak in leaks}
    for activity_type in dict.fromkeys(key[0] for key in activity_keys(model)):
        measured = activity_after_share(model, activity_type, moments)
        if activity_type not in named and (leak := _after_mql(activity_type, measured)):
            leaks.append(leak)
    return sorted(leaks, key=lambda leak: (-np.nan_to_num(leak.auc, nan=-1), leak.column))


def _after_mql(column: str, measured: tuple[float, int] | None) -> Leak | None:
    return Leak(column, after_reason(*measured)) if measured and is_after(measured) else None


def leakage_suspects(
    model: ScoringModel,
    outcome: Outcome,
    *,
    min_age_days: int | None = None,
    base: Definition | None = None,
) -> list[tuple[str, float]]:
    """(input, single-column held-out AUC) of every suspect, strongest first."""
    leaks = find_leaks(model, outcome, min_age_days=min_age_days, base=base)
    return [(leak.column, leak.auc) for leak in leaks]


def attribute_leak(
    model: ScoringModel, attribute: str, split: Split, outcomes: np.ndarray
) -> Leak | None:
    """Why `attribute` looks like leakage (the first reason found), or None."""
    auc = holdout_auc(model, attribute, split, outcomes)
    named = sorted(attribute_words(attribute) & AFTER_SALES_WORDS)
    measured = math.nan if auc is None else auc
    if auc is not None and auc >= SUSPECT_AUC:
        return Leak(attribute, _auc_reason(auc), measured)
    column = model.leads[attribute]
    positions = np.concatenate([split.train, split.holdout])
    numeric = column_kind(model, attribute) in ("number", "date")
    examples = [] if numeric else outcome_values(column.iloc[positions])
    if examples:
        shown = ", ".join(f'"{value}"' for value in examples)
        return Leak(attribute, f"its values read like sales outcomes or notes ({shown})", measured)
    filled = _filled_mostly_converted(column.iloc[positions], outcomes[positions])
    if filled is not None:
        return Leak(attribute, filled, measured)
    if named:
        reason = f"its name ({', '.join(named)}) says it is only known after sales worked the lead"
        return Leak(attribute, reason, measured)
    words = attribute_words(attribute)
    if "days" in words and words & SALES_STEP_WORDS:
        reason = "it counts days between sales steps, only known once sales worked the lead"
        return Leak(attribute, reason, measured)
    return None


def holdout_auc(
    model: ScoringModel, attribute: str, split: Split, outcomes: np.ndarray
) -> float | None:
    """ROC AUC on the held-out leads of the conversion rate each value had in training."""
    codes = _codes(model, attribute, split.train)
    y = np.asarray(outcomes, dtype=float)
    size = int(codes.max()) + 1
    n = np.bincount(codes[split.train], minlength=size)
    hits = np.bincount(codes[split.train], weights=y[split.train], minlength=size)
    overall = float(y[split.train].mean()) if split.train.size else 0.0
    rates = np.where(n > 0, hits / np.maximum(n, 1), overall)
    return roc_auc(rates[codes[split.holdout]], y[split.holdout] > 0)


def outcome_values(values: pd.Series, most: int = 3) -> list[str]:
    """Up to `most` frequent values that read like outcomes or sales notes, when such values
    fill at least OUTCOME_VALUE_SHARE of the filled-in leads (else none)."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return []
    counts = text.value_counts()
    hits = counts[[bool(OUTCOME_WORDS.search(v)) or bool(OUTCOME_WORDS.search(v.casefold()))
                   for v in counts.index]]  # fmt: skip
    if hits.sum() < OUTCOME_VALUE_SHARE * text.size:
        return []
    return [str(v) for v in hits.index[:most]]


def _filled_mostly_converted(values: pd.Series, outcomes: np.ndarray) -> str | None:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # each value checked once
    blank = (pd.Series(uniques, dtype=object).astype("string").str.strip() == "").to_numpy(bool)
    filled = (codes >= 0) & ~np.append(blank, True)[codes]
    y = np.asarray(outcomes, dtype=bool)
    if filled.all() or not filled.any() or y.all() or not y.any():
        return None
    fill_converted, fill_others = filled[y].mean(), filled[~y].mean()
    share_converted = y[filled].mean()
    if share_converted >= FILLED_CONVERTED_SHARE and fill_converted >= FILL_RATIO * fill_others:
        return (
            f"it is filled in mostly for converted leads ({percent(fill_converted)} of them, "
            f"{percent(fill_others)} of the others)"
        )
    return None


def _codes(model: ScoringModel, attribute: str, train: np.ndarray) -> np.ndarray:
    """Per lead: its decile (numbers) or its value (rare values and empty ones grouped)."""
    column = model.leads[attribute]
    if column_kind(model, attribute) in ("number", "date"):
        x = numbers(model, attribute)
        present = x[train][~np.isnan(x[train])]
        if present.size == 0:
            return np.zeros(x.size, dtype=np.int64)
        edges = np.unique(np.quantile(present, np.linspace(0, 1, 11)[1:-1]))
        return np.where(np.isnan(x), 0, 1 + np.searchsorted(edges, np.nan_to_num(x), "right"))
    inverse, _ = pd.factorize(casefolded(column))
    counts = np.bincount(inverse[train], minlength=int(inverse.max()) + 1)
    inverse = np.where(counts[inverse] >= min_support(train.size), inverse + 1, 0)
    return np.unique(inverse, return_inverse=True)[1].astype(np.int64)


def _auc_reason(auc: float) -> str:
    return (
        f"alone it predicts the outcome too well (held-out AUC {auc:.2f}): real lead facts "
        "never do, so it is probably recorded after sales worked the lead"
    )


def _two_sided(auc: float | None) -> float | None:
    return None if auc is None else max(auc, 1 - auc)
