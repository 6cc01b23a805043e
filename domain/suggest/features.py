"""The inputs a suggestion may use, built so that each one is exactly what a rule scores.

- A categorical attribute gives one `equals` fit rule per frequent value (values seen on
  fewer than `min_support` training leads are grouped with the missing ones as the
  baseline, worth 0 points); numeric attributes with few levels are treated the same way.
- A numeric attribute gives quantile bins of the training leads: `<=` for the lowest,
  `between` in the middle, `>=` for the highest (missing values: the baseline).
- `email` gives `endswith "@domain"` rules for frequent domains (free mail, competitors).
- Every activity type (per content stage where the data has stages) gives one engagement
  rule: its decayed count as of today under the base definition's half-life, capped at the
  95th percentile of the training leads that have any, so points x min(count, cap) is what
  the engine computes for a rule with that cap.

Masks and counts come from the scoring engine itself (`fit_mask`, the engagement cache),
so a suggested rule scores a lead exactly as its feature said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definition import EngagementRule, FitRule
from domain.engagement import Source
from domain.scoring import ScoringModel

# Never inputs: identifiers, free text per person, and the creation time itself.
IDENTIFIER_COLUMNS = frozenset(
    {"lead_id", "external_id", "name", "company", "created_at", "email", "custom"}
)
# Name parts of attributes that are usually only known after sales worked the lead.
AFTER_SALES_WORDS = frozenset(
    {
        "owner", "rep", "sdr", "sr", "seller", "assignee", "status", "stage", "lifecycle",
        "reason", "outcome", "won", "lost", "closed", "close", "deal", "amount", "revenue",
        "disqualified", "notes", "note", "converted", "opportunity", "sql", "sal",
    }
)  # fmt: skip
N_BINS = 5
MAX_VALUES = 30
MAX_LEVELS_AS_CATEGORIES = 12
CAP_QUANTILE = 0.95
MIN_SUPPORT_SHARE = 0.002
MIN_SUPPORT = 10
# Text columns with more distinct values than this share of the leads are identifiers.
IDENTIFIER_SHARE = 0.5


@dataclass(frozen=True, eq=False)
class Feature:
    """One input of the logistic model and the rule that scores it (with 0 points)."""

    name: str
    kind: str  # "fit" or "engagement"
    source: str  # the attribute or the activity type
    rule: FitRule | EngagementRule
    values: np.ndarray  # per lead, in the model's lead order (0/1 for fit rules)
    cap_count: float | None = None  # engagement: occurrences at which the rule is capped
    prior: float = 0.0  # the base definition's points for this rule (0: a new input)


def attribute_words(name: str) -> set[str]:
    """The lower-case word parts of an attribute name ("custom.Lead_Status" -> lead, status)."""
    return set(re.split(r"[^a-z0-9]+", name.casefold())) - {""}


def candidate_attributes(model: ScoringModel) -> list[str]:
    """Lead attributes a suggestion can use (or the user can exclude), in column order.

    Leaves out identifiers (ids, names, e-mail, company, creation time, text with mostly
    distinct values) and columns without two different values.
    """
    leads = model.leads
    names = []
    for column in leads.columns:
        if column in IDENTIFIER_COLUMNS:
            continue
        values = leads[column].dropna()
        distinct = values.nunique() if not _is_numeric(leads[column]) else None
        if values.nunique() < 2:
            continue
        if distinct is not None and distinct > max(MAX_VALUES, IDENTIFIER_SHARE * len(values)):
            continue
        names.append(str(column))
    return names


def default_exclusions(model: ScoringModel) -> list[str]:
    """Candidate attributes excluded unless asked for: their names say they are only known
    after sales worked the lead (owner, status, stage, reason, won/lost, deal amount...)."""
    return [a for a in candidate_attributes(model) if attribute_words(a) & AFTER_SALES_WORDS]


def build_features(
    model: ScoringModel,
    train: np.ndarray,
    *,
    attributes: list[str],
    activity_keys: list[tuple[str, str | None]],
    half_life: float | None,
    email_domains: bool = True,
) -> list[Feature]:
    """Every candidate input, with bins, frequent values and caps learnt on `train` only."""
    min_support = max(MIN_SUPPORT, int(MIN_SUPPORT_SHARE * train.size))
    features: list[Feature] = []
    for attribute in attributes:
        column = model.leads[attribute]
        numeric = _is_numeric(column) and column.nunique() > MAX_LEVELS_AS_CATEGORIES
        if numeric:
            features += _bin_features(model, attribute, train)
        else:
            features += _value_features(model, attribute, train, min_support)
    if email_domains and "email" in model.leads.columns:
        features += _domain_features(model, train, min_support)
    for activity_type, stage in activity_keys:
        feature = _activity_feature(model, train, activity_type, stage, half_life)
        if feature is not None:
            features.append(feature)
    return features


def activity_keys(model: ScoringModel) -> list[tuple[str, str | None]]:
    """(activity type, content stage or None) per engagement input: per stage where the data
    has stages for a type, else the whole type."""
    history = model.history
    staged: dict[str, set[str]] = {}
    for activity_type, stage in zip(history.key_types, history.key_stages, strict=True):
        staged.setdefault(activity_type, set())
        if stage is not None:
            staged[activity_type].add(stage)
    keys: list[tuple[str, str | None]] = []
    for activity_type in sorted(staged):
        stages = sorted(staged[activity_type])
        keys += [(activity_type, s) for s in stages] if stages else [(activity_type, None)]
    return keys


def _fit_feature(model: ScoringModel, rule: FitRule) -> Feature:
    return Feature(
        name=rule.describe(),
        kind="fit",
        source=rule.attribute,
        rule=rule,
        values=model.fit_mask(rule).astype(np.float64),
    )


def _value_features(
    model: ScoringModel, attribute: str, train: np.ndarray, min_support: int
) -> list[Feature]:
    column = model.leads[attribute].iloc[train].dropna()
    if column.empty:
        return []
    numeric = _is_numeric(column)
    keys = column if numeric else column.astype(str).str.strip().str.casefold()
    counts = keys.value_counts()
    frequent = counts[counts >= min_support].index[:MAX_VALUES]
    features = []
    for key in sorted(frequent, key=lambda k: (-counts[k], str(k))):
        if numeric:
            value: str | int | float = _number(float(key))
        else:
            value = str(column[keys == key].astype(str).str.strip().mode().iloc[0])
        rule = FitRule(
            id=f"{attribute}={value}",
            attribute=attribute,
            operator="equals",
            value=value,
            points=0,
            label=f"{attribute} is {value}",
        )
        features.append(_fit_feature(model, rule))
    return features


def _bin_features(model: ScoringModel, attribute: str, train: np.ndarray) -> list[Feature]:
    numbers = pd.to_numeric(model.leads[attribute].iloc[train], errors="coerce").dropna()
    if numbers.nunique() < 2:
        return []
    edges = np.unique(np.quantile(numbers, np.linspace(0, 1, N_BINS + 1)[1:-1]))
    bins = np.searchsorted(edges, numbers.to_numpy(), side="right")
    features = []
    for number in range(edges.size + 1):
        inside = numbers.to_numpy()[bins == number]
        if inside.size == 0:
            continue
        low, high = _number(float(inside.min())), _number(float(inside.max()))
        value: int | float | tuple[int | float, int | float]
        if number == 0:
            operator, value, label = "<=", high, f"{attribute} <= {high:g}"
        elif number == edges.size:
            operator, value, label = ">=", low, f"{attribute} >= {low:g}"
        else:
            operator, value, label = "between", (low, high), f"{attribute} {low:g}–{high:g}"
        rule = FitRule(
            id=f"{attribute}#{number}",
            attribute=attribute,
            operator=operator,  # type: ignore[arg-type]
            value=value,
            points=0,
            label=label,
        )
        features.append(_fit_feature(model, rule))
    return features


def _domain_features(model: ScoringModel, train: np.ndarray, min_support: int) -> list[Feature]:
    emails = model.leads["email"].iloc[train].dropna().astype(str).str.casefold()
    if emails.empty:  # no e-mail at all: rpartition of nothing has no column 2
        return []
    domains = emails.str.rpartition("@")[2]
    counts = domains[domains != ""].value_counts()
    features = []
    for domain in sorted(counts[counts >= min_support].index[:MAX_VALUES]):
        rule = FitRule(
            id=f"email@{domain}",
            attribute="email",
            operator="endswith",
            value=f"@{domain}",
            points=0,
            label=f"e-mail at {domain}",
        )
        features.append(_fit_feature(model, rule))
    return features


def _activity_feature(
    model: ScoringModel,
    train: np.ndarray,
    activity_type: str,
    stage: str | None,
    half_life: float | None,
) -> Feature | None:
    counts = model.engagement.counts(Source(activity_type, stage, half_life, None))[1]
    present = counts[train][counts[train] > 1e-9]
    if present.size < MIN_SUPPORT:
        return None
    cap = float(np.quantile(present, CAP_QUANTILE))
    name = f"{activity_type} ({stage})" if stage else activity_type
    rule = EngagementRule(
        id=f"{activity_type}.{stage}" if stage else activity_type,
        activity_type=activity_type,
        content_stage=stage,  # type: ignore[arg-type]
        points=0,
        label=name,
    )
    return Feature(
        name=name,
        kind="engagement",
        source=activity_type,
        rule=rule,
        values=np.minimum(counts, cap),
        cap_count=cap,
    )


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
