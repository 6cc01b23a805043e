"""The inputs a suggestion may use, built so that each one is exactly what a rule scores.

Each attribute is read by the kind of its values (`columns.column_kind`), not its storage:
- numbers (also text that parses as numbers) give range inputs ">= t" at the places where
  the training leads' conversion rate steps (`binning`), shown as "Time on site >= 1,087";
- a yes/no attribute gives one input (its "yes" value): one fact, at most one rule;
- text gives one `equals` input per value held by at least `min_support` training leads
  (rarer values are the baseline, worth 0 points).
- `email` gives `endswith "@domain"` inputs for frequent domains shared by several
  companies (free mail, schools): a domain of one company would be a rule about one lead.
- Every activity type (per content stage where the data has stages) gives count inputs
  "at least t" at the places where the training leads' conversion rate steps with its
  whole count (undecayed, all time), learnt exactly like the ranges of numbers
  (`binning`): count rules, "at least 3 pricing page views: +20". (Measured on the demo
  data against per-occurrence inputs, held-out AUC over three seeds: SQL 0.9585 vs
  0.9589, Won 0.9168 vs 0.9078; keeping both kinds was no better.)
  Without outcomes to place the steps, one per-occurrence input instead: its decayed
  count as of today, capped at the 95th percentile of the training leads that have any,
  so points x min(count, cap) is what the engine computes.

Masks and counts come from the scoring engine itself (`fit_mask`, the engagement cache) or
read the column exactly as `domain.engine.fit` does, so a suggested rule scores a lead exactly as
its input said.
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.definition import EngagementRule, FitRule
from domain.engine.engagement import Source, Term
from domain.engine.fit import casefolded
from domain.engine.scoring import ScoringModel
from domain.suggest.binning import learn_steps
from domain.suggest.columns import column_kind, numbers, yes_value

# Never inputs: identifiers, free text per person, and the creation time itself.
IDENTIFIER_COLUMNS = frozenset(
    {"lead_id", "external_id", "name", "company", "created_at", "email", "custom"}
)
# Name parts of attributes that are usually only known after sales worked the lead.
AFTER_SALES_WORDS = frozenset(
    {
        "owner", "rep", "sdr", "sr", "seller", "assignee", "status", "stage", "lifecycle",
        "reason", "outcome", "won", "lost", "closed", "close", "closing", "disqualified",
        "notes", "note", "converted", "sql", "sal",
    }
)  # fmt: skip
MAX_VALUES = 30
CAP_QUANTILE = 0.95
# A rule must match at least 30 training leads, or 1% of them when that is fewer (never
# fewer than MIN_SUPPORT): rarer facts are noise, and too many to read.
SUPPORT_LEADS = 30
SUPPORT_SHARE = 0.01
MIN_SUPPORT = 10
# Text columns with more distinct values than this share of the leads are identifiers.
IDENTIFIER_SHARE = 0.5
# An e-mail domain rule needs leads of this many companies (else it is about one company).
MIN_COMPANIES = 3


_CANDIDATES: weakref.WeakKeyDictionary[ScoringModel, tuple[str, ...]] = weakref.WeakKeyDictionary()


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


def min_support(n_train: int) -> int:
    """Training leads a rule must match at least (see SUPPORT_LEADS)."""
    return max(MIN_SUPPORT, min(SUPPORT_LEADS, math.ceil(SUPPORT_SHARE * n_train)))


def candidate_attributes(model: ScoringModel) -> list[str]:
    """Lead attributes a suggestion can use (or the user can exclude), in column order.

    Leaves out identifiers (ids, names, e-mail, company, creation time, text with mostly
    distinct values) and columns without two different values.
    """
    if model in _CANDIDATES:
        return list(_CANDIDATES[model])
    leads = model.leads
    names = []
    for column in leads.columns:
        if column in IDENTIFIER_COLUMNS:
            continue
        values = leads[column].dropna()
        distinct = values.nunique()
        if distinct < 2:
            continue
        if column_kind(model, str(column)) == "text" and distinct > max(
            MAX_VALUES, IDENTIFIER_SHARE * len(values)
        ):
            continue
        names.append(str(column))
    _CANDIDATES[model] = tuple(names)
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
    outcomes: np.ndarray | None = None,
) -> list[Feature]:
    """Every candidate input, with ranges, frequent values and caps learnt on `train` only
    (`outcomes`, per lead, places the ranges and count steps; without them numbers get no
    range inputs and activities per-occurrence inputs)."""
    support = min_support(train.size)
    features: list[Feature] = []
    for attribute in attributes:
        kind = column_kind(model, attribute)
        if kind in ("number", "date") and outcomes is not None:
            features += _range_features(model, attribute, train, outcomes[train], support)
        elif kind == "yesno":
            features += _yes_features(model, attribute, train, support)
        elif kind == "text":
            features += _value_features(model, attribute, train, support)
    if email_domains and "email" in model.leads.columns:
        features += _domain_features(model, train, support)
    for activity_type, stage in activity_keys:
        if outcomes is not None:
            features += _count_features(model, activity_type, stage, train, outcomes, support)
            continue
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
    model: ScoringModel, attribute: str, train: np.ndarray, support: int
) -> list[Feature]:
    # Keys exactly as `domain.engine.fit` compares them (stripped, case-folded; "" when missing).
    keys = casefolded(model.leads[attribute]).to_numpy(dtype=object)
    counts = pd.Series(keys[train]).value_counts()
    counts = counts[(counts.index != "") & (counts >= support)]
    features = []
    for key in sorted(counts.index[:MAX_VALUES], key=lambda k: (-counts[k], str(k))):
        mask = keys == key
        spelled = model.leads[attribute][mask].astype(str).str.strip()
        value = str(spelled.mode().iloc[0])
        rule = FitRule(
            id=f"{attribute}={value}", attribute=attribute, operator="equals", value=value,
            points=0, label=f"{attribute} is {value}",
        )  # fmt: skip
        features.append(Feature(rule.describe(), "fit", attribute, rule, mask.astype(float)))
    return features


def _yes_features(
    model: ScoringModel, attribute: str, train: np.ndarray, support: int
) -> list[Feature]:
    value = yes_value(model.leads[attribute])
    if value is None:
        return []
    rule = FitRule(
        id=f"{attribute}={value}", attribute=attribute, operator="equals", value=value,
        points=0, label=f"{attribute} is {value}",
    )  # fmt: skip
    feature = _fit_feature(model, rule)
    matched = int(feature.values[train].sum())
    return [feature] if min(matched, train.size - matched) >= support else []


def _range_features(
    model: ScoringModel, attribute: str, train: np.ndarray, outcomes: np.ndarray, support: int
) -> list[Feature]:
    values = numbers(model, attribute)
    unit = " days before creation" if column_kind(model, attribute) == "date" else ""
    features = []
    with np.errstate(invalid="ignore"):
        for step in learn_steps(values[train], outcomes, support):
            at = _number(step)
            rule = FitRule(
                id=f"{attribute}>={at}", attribute=attribute, operator=">=", value=at,
                points=0, label=f"{attribute} >= {at:,g}{unit}",
            )  # fmt: skip
            mask = values >= step  # exactly what domain.engine.fit computes for ">="
            features.append(Feature(rule.describe(), "fit", attribute, rule, mask.astype(float)))
    return features


def _domain_features(model: ScoringModel, train: np.ndarray, support: int) -> list[Feature]:
    emails = model.leads["email"].iloc[train].dropna().astype(str).str.casefold()
    if emails.empty:  # no e-mail at all: rpartition of nothing has no column 2
        return []
    domains = pd.Series([e.rpartition("@")[2] for e in emails], index=emails.index, dtype=object)
    counts = domains[domains != ""].value_counts()
    companies = _companies_per_domain(model, domains)
    features = []
    for domain in sorted(counts[counts >= support].index[:MAX_VALUES]):
        if companies is not None and companies.get(domain, 0) < MIN_COMPANIES:
            continue
        rule = FitRule(
            id=f"email@{domain}", attribute="email", operator="endswith", value=f"@{domain}",
            points=0, label=f"e-mail at {domain}",
        )  # fmt: skip
        features.append(_fit_feature(model, rule))
    return features


def _companies_per_domain(model: ScoringModel, domains: pd.Series) -> pd.Series | None:
    """Distinct companies per e-mail domain (None when the leads have no company column)."""
    if "company" not in model.leads.columns:
        return None
    company = model.leads["company"].loc[domains.index].astype("string").str.casefold()
    return company.groupby(domains).nunique()


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


def _count_features(
    model: ScoringModel,
    activity_type: str,
    stage: str | None,
    train: np.ndarray,
    outcomes: np.ndarray,
    support: int,
) -> list[Feature]:
    """Count inputs "at least t" where the conversion rate steps with the whole count."""
    counts = model.engagement.counts(Source(activity_type, stage, None, None))[1]
    features = []
    for step in learn_steps(counts[train], outcomes[train], support):
        at = max(round(step), 1)
        rule = EngagementRule(
            id=f"{activity_type}.{stage}>={at}" if stage else f"{activity_type}>={at}",
            activity_type=activity_type,
            content_stage=stage,  # type: ignore[arg-type]
            points=0,
            min_count=at,
        )
        # 0/1 per lead: the engine's own step with one point.
        reached = Term.of(rule.model_copy(update={"points": 1.0}), None).apply(counts)
        features.append(Feature(rule.describe(), "engagement", activity_type, rule, reached))
    return features


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
