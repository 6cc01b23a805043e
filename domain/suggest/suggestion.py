"""Suggest weights: fit an interpretable model on the stored leads and turn it into rules.

Method (see README, "Does the score predict?"):
1. Judge the leads old enough to have had the chance to reach the outcome (30 days for
   SQL, 90 for Won). Outcome: reached the stage by the as-of moment.
2. Split them: time-based when creation dates exist (oldest train, newest held out), else
   random with the seed.
3. Inputs: the base definition's own rules that match some training lead (`base_rules`;
   the others are listed as matching none of the leads), then what they do not cover
   (`features`): ranges of numbers and dates, one input per yes/no attribute, frequent
   text values, e-mail domains of several companies, and every activity type's count
   steps ("at least 3 pricing page views") learnt like ranges; inputs repeating another's
   information are dropped (`prune`). Excluded: identifiers, the leakage guard's suspects
   (`leakage`, with inputs first seen after the base's MQL moment for most leads:
   `after_mql`; unless `default_exclusions=False` or `include` names them) and whatever
   `exclude` names.
4. Fit an L2-regularised logistic regression on the training leads that shrinks towards
   the base definition (`fit`): its score is an unpenalised input, so only changes to its
   points and new rules pay the penalty. The penalty's strength, and whether activity
   decays with the base's half-life or not at all, are chosen by cross-validation on the
   training leads. Keep the `max_rules` inputs that move the ranking most, refit on them
   (shrinking towards the base's kept rules), and turn the model into points (`rules`):
   the strongest input is worth 30 points, inputs worth under 2 are dropped. New values
   of one attribute with the same points become one `in` rule; a rule whose points go
   against its explanation given the other rules (`explain`) is dropped and the rest
   refitted. The penalty and the inputs are chosen on a weighted sample of at most
   12,000 training leads (all converted ones kept), so 100,000 leads take seconds.
5. The suggested definition is the base definition with its fit and engagement rules
   (and decay half-life) replaced, and the MQL threshold re-set so that about as many
   leads become MQLs as under the base (`volume`; a warning when no threshold keeps it
   within 5%): the teams compare rankings, not volumes.
6. Both definitions are scored by the real engine on the same leads; the AUCs are those of
   the total scores Baton would rank by. Scores are today's (activity up to the as-of
   moment), for the current and the suggested definition alike, so the comparison is fair;
   activity after a conversion therefore counts too; `warnings` names every suspect of
   the leakage guard, left out or knowingly used, and why.
7. `improves` says whether the suggestion ranks the held-out leads at least as well as
   the current definition. When it does not, a warning says so plainly: keep the current
   rules (the held-out figures are a measurement, never used to pick the suggestion).

Why start from the base (measured in the README): fitted from nothing, a hundred free
inputs learnt noise from a few dozen wins and lost to the hand-made default on held-out
leads; the base pools values the way people who know the market do ("SaaS or Fintech").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from domain.calibration.quality import Outcome, mature_leads, min_age_for, outcome_reached, roc_auc
from domain.definitions.definition import Definition, EngagementRule, FitRule
from domain.engine.scoring import ScoringModel
from domain.suggest.base_rules import (
    base_engagement_features,
    base_fit_features,
    without_duplicates,
)
from domain.suggest.checks import SuggestionError, check_counts, check_split, holdout_verdict
from domain.suggest.features import (
    Feature,
    activity_keys,
    build_features,
    candidate_attributes,
)
from domain.suggest.fit import (
    LogisticFit,
    cross_validated,
    feature_matrix,
    fit_logistic,
    priors,
    sample_rows,
)
from domain.suggest.leakage import Leak, find_leaks
from domain.suggest.prune import distinct_information, leak_warnings, matching_only
from domain.suggest.result import Suggestion
from domain.suggest.rules import SuggestedRule, strongest, to_rules
from domain.suggest.split import Split, split_leads
from domain.suggest.volume import mql_count, volume_warning, with_matching_threshold

# Decay half-lives tried besides the base definition's own (None: no decay).
HALF_LIFE_CHOICES: tuple[float | None, ...] = (None,)
# Refits after dropping inputs whose points contradict their explanation.
SIGN_ROUNDS = 4
Progress = Callable[[float, str], None]


def _silent(share: float, what: str) -> None:
    """The progress listener of callers that do not listen."""


@dataclass(frozen=True, eq=False)
class Prepared:
    """The judged leads, their split, outcomes and candidate inputs (before fitting).

    Activity inputs depend on the decay half-life: one list per half-life considered.
    """

    split: Split
    outcomes: np.ndarray  # per lead in model order
    fit_features: list[Feature]
    engagement_features: dict[float | None, list[Feature]]
    excluded: tuple[str, ...]
    min_age_days: int
    leaks: tuple[Leak, ...] = ()
    unmatched: tuple[str, ...] = ()  # current rules that match no training lead

    def features(self, half_life: float | None) -> list[Feature]:
        """Every input when activities decay with `half_life` (one of the prepared ones)."""
        return self.fit_features + self.engagement_features[half_life]


def prepare(
    model: ScoringModel,
    base: Definition,
    *,
    outcome: Outcome,
    holdout: float = 0.3,
    seed: int = 0,
    exclude: Sequence[str] = (),
    include: Sequence[str] = (),
    min_age_days: int | None = None,
    default_exclusions_on: bool = True,
    progress: Progress | None = None,
) -> Prepared:
    """Steps 1-3 of the method; raises SuggestionError when the data cannot support it."""
    report = progress or _silent
    days = min_age_for(outcome, min_age_days)
    current = model.score(base)
    eligible = mature_leads(current, model.as_of.value, days)
    outcomes = outcome_reached(current, outcome)
    check_counts(int(eligible.sum()), int((outcomes & eligible).sum()), outcome, days)
    split = split_leads(eligible, current.times["created_at"], holdout=holdout, seed=seed)
    check_split(split, outcomes)
    report(0.1, "Checking every column for leakage")
    leaks = tuple(
        find_leaks(model, outcome, min_age_days=days, holdout=holdout, seed=seed, base=base)
    )
    excluded = set(exclude)
    if default_exclusions_on:
        excluded |= {leak.column for leak in leaks} - set(include)
    report(0.25, "Learning ranges and frequent values on the training leads")
    attributes = [a for a in candidate_attributes(model) if a not in excluded]
    keys = [key for key in activity_keys(model) if key[0] not in excluded]
    base_fit, unmatched = matching_only(base_fit_features(model, base, excluded), split.train)
    fit_features = base_fit + without_duplicates(
        build_features(
            model, split.train, attributes=attributes, activity_keys=[], half_life=None,
            email_domains="email" not in excluded, outcomes=outcomes,
        ),
        base_fit,
    )  # fmt: skip
    fit_features = distinct_information(fit_features, split.train)
    engagement_features = {}
    for half_life in dict.fromkeys((base.decay_half_life_days, *HALF_LIFE_CHOICES)):
        own = base_engagement_features(model, base, split.train, half_life, excluded)
        own, silent = matching_only(own, split.train)
        unmatched += [name for name in silent if name not in unmatched]
        new = build_features(
            model, split.train, attributes=[], activity_keys=keys, half_life=half_life,
            email_domains=False, outcomes=outcomes,
        )  # fmt: skip
        engagement_features[half_life] = own + without_duplicates(new, own)
    if not fit_features and not any(engagement_features.values()):
        raise SuggestionError(
            "no usable inputs: the leads have no attribute with values shared by enough "
            "leads and no activity log (or every input was excluded)"
        )
    return Prepared(
        split, outcomes, fit_features, engagement_features, tuple(sorted(excluded)), days,
        leaks, tuple(unmatched),
    )  # fmt: skip


def suggest(
    model: ScoringModel,
    base: Definition,
    *,
    outcome: Outcome,
    holdout: float = 0.3,
    seed: int = 0,
    exclude: Sequence[str] = (),
    include: Sequence[str] = (),
    max_rules: int = 25,
    min_age_days: int | None = None,
    default_exclusions: bool = True,
    progress: Progress | None = None,
) -> Suggestion:
    """Fit rules that predict `outcome` (see the module docstring for the method).

    Leakage suspects are excluded unless `default_exclusions` is False or `include` names
    them; `progress(share done, what)` hears how far the work is.
    """
    report = progress or _silent
    # One BLAS/OpenMP thread: the fits are small and sparse, and on a shared, busy machine
    # thread pools only fight each other (measured: 3x faster at load 10 on 2 cores).
    with model.lock, threadpool_limits(limits=1):
        prepared = prepare(
            model, base, outcome=outcome, holdout=holdout, seed=seed, exclude=exclude,
            include=include, min_age_days=min_age_days,
            default_exclusions_on=default_exclusions, progress=report,
        )  # fmt: skip
        half_life, features, fitted, rules = fit_model(
            prepared, seed=seed, max_rules=max_rules, outcome=outcome, progress=report
        )
        split, y = prepared.split, prepared.outcomes
        if not rules:
            raise SuggestionError(f"no input predicts reaching {outcome} on these leads")
        report(0.85, "Setting the MQL threshold that keeps today's MQL volume")
        suggested = _suggested_definition(model, base, rules, half_life)
        report(0.93, "Scoring both definitions on the held-out leads")
        current_total = model.score(base).total
        suggested_total = model.score(suggested).total
        warnings = leak_warnings(prepared.leaks, prepared.excluded, rules)
        volume = (mql_count(model, base), mql_count(model, suggested))
        warnings += volume_warning(*volume)
    holdout_current = _auc(current_total, y, split.holdout)
    holdout_suggested = _auc(suggested_total, y, split.holdout)
    verdict = holdout_verdict(holdout_current, holdout_suggested)
    warnings = warnings if verdict is None else (verdict, *warnings)
    report(1.0, "Done")
    return Suggestion(
        outcome=outcome,
        definition=suggested,
        rules=rules,
        auc_train_current=_auc(current_total, y, split.train),
        auc_train_suggested=_auc(suggested_total, y, split.train),
        auc_holdout_current=holdout_current,
        auc_holdout_suggested=holdout_suggested,
        split=split.kind,
        n_train=int(split.train.size),
        n_holdout=int(split.holdout.size),
        n_positive_train=int(y[split.train].sum()),
        n_positive_holdout=int(y[split.holdout].sum()),
        warnings=warnings,
        excluded=prepared.excluded,
        auc_train_model=_model_auc(fitted, features, y, split.train),
        auc_holdout_model=_model_auc(fitted, features, y, split.holdout),
        min_age_days=prepared.min_age_days,
        leaks=prepared.leaks,
        unmatched=prepared.unmatched,
        mql_current=volume[0],
        mql_suggested=volume[1],
    )


def fit_model(
    prepared: Prepared,
    *,
    seed: int,
    max_rules: int,
    outcome: str = "sql",
    progress: Progress | None = None,
) -> tuple[float | None, list[Feature], LogisticFit, tuple[SuggestedRule, ...]]:
    """Pick the half-life and penalty by cross-validation on the training leads, keep the
    `max_rules` inputs that move the ranking most and refit on them (shrinking towards the
    base's rules among them), so that the rules are the whole model. Inputs whose points
    contradict their explanation are dropped and the rest refitted."""
    train, y = prepared.split.train, prepared.outcomes[prepared.split.train]
    rows, weights = sample_rows(y, seed=seed)
    report = progress or _silent
    best: tuple[float, float | None, float] | None = None
    choices = list(prepared.engagement_features)  # the base's half-life first: wins ties
    for position, half_life in enumerate(choices):
        report(
            0.4 + 0.3 * position / len(choices),
            f"Cross-validating the penalty on the training leads ({position + 1} of "
            f"{len(choices)})",
        )
        candidates = prepared.features(half_life)
        sample = feature_matrix(candidates, train[rows])
        c, score = cross_validated(
            sample, y[rows], seed=seed, prior=priors(candidates), weights=weights
        )
        if best is None or score > best[0]:
            best = (score, half_life, c)
    assert best is not None
    _, half_life, c = best
    candidates = prepared.features(half_life)
    sample = feature_matrix(candidates, train[rows])
    full = fit_logistic(sample, y[rows], seed=seed, c=c, prior=priors(candidates), weights=weights)
    report(0.7, f"Keeping the {max_rules} strongest inputs and turning them into points")
    kept = strongest(candidates, full, max_rules, train) or list(range(len(candidates)))
    matrix = feature_matrix(candidates, train)
    for _ in range(SIGN_ROUNDS):
        features = [candidates[i] for i in kept]
        refit = fit_logistic(matrix[:, kept], y, seed=seed, c=c, prior=priors(features))
        rules, contradicted = to_rules(
            features, refit, train=train, outcomes=prepared.outcomes, outcome=outcome,
            max_rules=max_rules,
        )  # fmt: skip
        if not contradicted:
            break
        kept = [k for position, k in enumerate(kept) if position not in set(contradicted)]
    return half_life, features, refit, rules


def _suggested_definition(
    model: ScoringModel, base: Definition, rules: tuple[SuggestedRule, ...], half_life: float | None
) -> Definition:
    fit_rules = [r.rule for r in rules if isinstance(r.rule, FitRule)]
    engagement_rules = [r.rule for r in rules if isinstance(r.rule, EngagementRule)]
    draft = base.replace(
        fit_rules=fit_rules, engagement_rules=engagement_rules, decay_half_life_days=half_life
    )
    highest = sum(max(r.max_points, 0.0) for r in rules)
    lowest = sum(min(r.max_points, 0.0) for r in rules)
    return with_matching_threshold(model, base, draft, math.floor(lowest), math.ceil(highest) + 1)


def _auc(total: np.ndarray, outcomes: np.ndarray, positions: np.ndarray) -> float:
    auc = roc_auc(total[positions], outcomes[positions])
    return math.nan if auc is None else auc


def _model_auc(
    fitted: LogisticFit, features: list[Feature], outcomes: np.ndarray, positions: np.ndarray
) -> float:
    scores = fitted.linear(feature_matrix(features, positions))
    return _auc(scores, outcomes[positions], np.arange(positions.size))
