"""The scoring engine: leads + aggregated activities + sales facts + a definition -> stages.

`ScoringModel` is built once per data version (and as-of moment); `score(definition)` is
then cheap enough to run on every slider move. Everything is vectorised over leads. What
only part of a definition decides (fit scores, hand-raiser and SQL moments) is cached, and
leads are placed in the lifecycle again only where their MQL or SQL moment moved.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition, FitRule, SqlCriteria
from domain.engine.arrays import return_freed_arrays
from domain.engine.crossing import first_hits
from domain.engine.engagement import EngagementCache, Term
from domain.engine.fit import fit_mask
from domain.engine.frames import normalise_timestamps, utc_timestamp
from domain.engine.history_build import build_history
from domain.engine.stages import (
    ALL_STAGES,
    FUNNEL_STAGES,
    NEVER,
    SalesTimeline,
    build_sales_timeline,
    sql_times,
    stage_codes,
    to_timestamps,
)

# Scores are sums of floats; a lead exactly at the threshold must count as reaching it.
TOLERANCE = 1e-6
# Evaluation rows keep decayed counts in float32, so their comparison is a bit looser.
_ROW_TOLERANCE = 1e-4
_CACHED_DEFINITION_PARTS = 8
# Above this share of leads whose MQL or SQL moment moved, place every lead again.
_RESTAGE_SHARE = 0.25


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Per lead (in the model's lead order) scores, stage times (epoch ns) and stages."""

    lead_id: np.ndarray
    fit: np.ndarray
    engagement: np.ndarray
    mql_reason: np.ndarray  # 0 none, 1 score, 2 fit alone, 3 hand-raiser
    times: dict[str, np.ndarray]  # lead_at, mql_at, sal_at, sql_at, opportunity_at, won_at...
    highest: np.ndarray  # index into FUNNEL_STAGES
    current: np.ndarray  # index into ALL_STAGES
    threshold: float

    @property
    def total(self) -> np.ndarray:
        return self.fit + self.engagement

    def stage_counts(self) -> dict[str, int]:
        """Leads that reached each funnel stage (cumulative, so counts never increase)."""
        per_stage = np.bincount(self.highest, minlength=len(FUNNEL_STAGES))
        reached = np.cumsum(per_stage[::-1])[::-1]
        return dict(zip(FUNNEL_STAGES, (int(c) for c in reached), strict=True))

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per lead, indexed by lead_id."""
        total = self.total
        data: dict[str, object] = {
            "fit_score": self.fit,
            "engagement_score": self.engagement,
            "score": total,
            "mql_now": total >= self.threshold - TOLERANCE,
            "mql_reason": pd.Categorical.from_codes(
                self.mql_reason, ["", "score", "fit", "hand-raiser"]
            ),
        }
        for name, values in self.times.items():
            data[name] = to_timestamps(values).array
        data["highest_stage"] = pd.Categorical.from_codes(self.highest, FUNNEL_STAGES, ordered=True)
        data["stage"] = pd.Categorical.from_codes(self.current, ALL_STAGES)
        mql_index = FUNNEL_STAGES.index("MQL")
        data["mql_bypassed"] = (self.highest > mql_index) & (self.times["mql_at"] == NEVER)
        return pd.DataFrame(data, index=pd.Index(self.lead_id, name="lead_id"))


class ScoringModel:
    """Everything that does not depend on the definition, prepared once."""

    def __init__(
        self,
        leads: pd.DataFrame,
        activity_counts: pd.DataFrame,
        touches: pd.DataFrame,
        sales_facts: pd.DataFrame,
        as_of: object | None = None,
    ) -> None:
        self.leads = normalise_timestamps(leads).reset_index(drop=True)
        # A server keeps this model: what building and decay changes free must not stay.
        return_freed_arrays(8 * len(self.leads))
        self.lead_ids = self.leads["lead_id"].to_numpy()
        if pd.Index(self.lead_ids).has_duplicates:
            raise ValueError("lead_id must be unique in the leads frame")
        self.as_of = utc_timestamp(as_of if as_of is not None else pd.Timestamp.now(tz="UTC"))
        self.history = build_history(activity_counts, self.lead_ids, self.as_of)
        self.sales = build_sales_timeline(
            self.lead_ids, self.leads["created_at"], touches, sales_facts, self.as_of.value
        )
        self.engagement = EngagementCache(self.history)
        all_keys = np.ones(len(self.history.key_types), dtype=bool)
        self.first_activity = self.history.first_occurrence_ns(all_keys)
        self._fit_masks: dict[FitRule, np.ndarray] = {}
        self._fits: OrderedDict[tuple[FitRule, ...], np.ndarray] = OrderedDict()
        self._fit_rows: tuple[np.ndarray, np.ndarray] | None = None
        self._hand_raised: dict[frozenset[str], np.ndarray] = {}
        self._sql_at: dict[SqlCriteria, np.ndarray] = {}
        self._lead_at = np.minimum(self.first_activity, self.sales.first_touch)
        self._placed: _Placement | None = None
        self._lead_first = np.zeros(self.history.n_rows, dtype=bool)
        self._lead_first[self.history.lead_start[:-1]] = True
        # One model is shared by every session of the app (one thread each); scoring
        # updates its caches in place, so one score runs at a time.
        self.lock = threading.RLock()

    def with_sales(
        self,
        touches: pd.DataFrame,
        sales_facts: pd.DataFrame,
        owners: pd.Series | None = None,
        as_of: object | None = None,
    ) -> ScoringModel:
        """This model with other sales records (and owners, indexed by lead id), as of a
        later moment (default: this model's), so that a touch logged just now counts.

        What sales record is cheap to place again; the activity history, the engagement
        cache and the hand-raiser moments are shared with this model, never rebuilt (so
        activity stays counted up to this model's moment), and a follow-up action costs
        a fraction of loading the model. Fit scores are recomputed only when an owner
        changed (a fit rule may name the owner).
        """
        clone = copy.copy(self)
        if as_of is not None:
            clone.as_of = max(self.as_of, utc_timestamp(as_of))
        if owners is not None and "owner" in self.leads.columns:
            new_owners = owners.reindex(self.lead_ids).to_numpy(dtype=object)
            current = self.leads["owner"].to_numpy(dtype=object)
            if not pd.Series(current).equals(pd.Series(new_owners)):
                clone.leads = self.leads.copy(deep=False)
                clone.leads["owner"] = new_owners
                # Only rules on the owner see the move: the other masks and fits still
                # hold (recomputing them all took most of a bulk reassign's second).
                clone._fit_masks = {
                    rule: mask for rule, mask in self._fit_masks.items() if not _on_owner(rule)
                }
                clone._fits = OrderedDict(
                    (rules, fit)
                    for rules, fit in self._fits.items()
                    if not any(_on_owner(rule) for rule in rules)
                )
        clone.sales = build_sales_timeline(
            self.lead_ids, self.leads["created_at"], touches, sales_facts, clone.as_of.value
        )
        clone._lead_at = np.minimum(self.first_activity, clone.sales.first_touch)
        clone._sql_at = {}
        clone._placed = None
        return clone

    @property
    def n_leads(self) -> int:
        return int(self.lead_ids.size)

    @property
    def activity_types(self) -> list[str]:
        return sorted(set(self.history.key_types))

    def fit_mask(self, rule: FitRule) -> np.ndarray:
        """Which leads match a fit rule; none do when the data lacks its attribute."""
        key = rule.model_copy(update={"points": 0.0, "id": "", "label": ""})
        if key not in self._fit_masks:
            if rule.attribute in self.leads.columns:
                self._fit_masks[key] = fit_mask(self.leads, rule)
            else:
                self._fit_masks[key] = np.zeros(self.n_leads, dtype=bool)
        return self._fit_masks[key]

    def missing_attributes(self, definition: Definition) -> list[str]:
        """Attributes that fit rules name but the lead data does not have (they match no one)."""
        names = {rule.attribute for rule in definition.fit_rules}
        return sorted(names - set(self.leads.columns))

    def fit_scores(self, definition: Definition) -> np.ndarray:
        return self._fit(definition.fit_rules).copy()

    def terms(self, definition: Definition) -> list[Term]:
        return [Term.of(r, definition.decay_half_life_days) for r in definition.engagement_rules]

    def score(self, definition: Definition) -> ScoreResult:
        """Score every lead under `definition` and place it in the lifecycle."""
        with self.lock:
            return self._score(definition)

    def _score(self, definition: Definition) -> ScoreResult:
        fit = self._fit(definition.fit_rules)
        terms = self.terms(definition)
        engagement = self.engagement.now(terms)
        threshold = definition.mql_threshold
        by_score = self._score_crossing(fit, terms, threshold)
        by_fit = np.where(fit >= threshold - TOLERANCE, self.sales.created, NEVER)
        by_hand = self._hand_raiser_times(definition.hand_raisers)
        mql_at = np.minimum(np.minimum(by_score, by_fit), by_hand)
        reason = _reasons(mql_at, by_hand, by_fit)
        sql_at = self._sql_times(definition.sql_criteria)
        highest, current = self._stage_codes(mql_at, sql_at)
        t = self.sales.times
        return ScoreResult(
            lead_id=self.lead_ids,
            fit=fit.copy(),
            engagement=engagement,
            mql_reason=reason,
            times={
                "created_at": self.sales.created,
                "lead_at": self._lead_at.copy(),
                "mql_at": mql_at,
                "sal_at": t["accepted_at"],
                "sql_at": sql_at.copy(),
                "opportunity_at": t["opportunity_at"],
                "won_at": t["won_at"],
                "lost_at": t["lost_at"],
                "disqualified_at": t["disqualified_at"],
                "recycled_at": t["recycled_at"],
                "first_touch_at": self.sales.first_touch,
            },
            highest=highest,
            current=current,
            threshold=threshold,
        )

    def _fit(self, rules: tuple[FitRule, ...]) -> np.ndarray:
        """Fit score per lead (cached; never hand it out without copying)."""
        fit = self._fits.get(rules)
        if fit is None:
            fit = np.zeros(self.n_leads)
            for rule in rules:
                # Same sums as `fit += points * mask`: adding 0.0 elsewhere changes nothing.
                np.add(fit, rule.points, out=fit, where=self.fit_mask(rule))
            self._fits[rules] = fit
            if len(self._fits) > _CACHED_DEFINITION_PARTS:
                self._fits.popitem(last=False)
        return fit

    def _hand_raiser_times(self, hand_raisers: tuple[str, ...]) -> np.ndarray:
        key = frozenset(hand_raisers)
        if key not in self._hand_raised:
            keys = self.history.key_mask(set(hand_raisers))
            self._hand_raised[key] = self.history.first_occurrence_ns(keys)
        return self._hand_raised[key]

    def _sql_times(self, criteria: SqlCriteria) -> np.ndarray:
        if criteria not in self._sql_at:
            self._sql_at[criteria] = sql_times(self.sales, criteria)
        return self._sql_at[criteria]

    def _stage_codes(self, mql_at: np.ndarray, sql_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """stage_codes for every lead, recomputed only where the MQL or SQL moment moved."""
        placed = self._placed
        if placed is not None:
            moved_at = mql_at != placed.mql_at
            if sql_at is not placed.sql_at:
                moved_at |= sql_at != placed.sql_at
            moved = np.flatnonzero(moved_at)
        if placed is None or moved.size > _RESTAGE_SHARE * self.n_leads:
            highest, current = stage_codes(self._lead_at, mql_at, sql_at, self.sales)
            self._placed = _Placement(mql_at.copy(), sql_at, highest.copy(), current.copy())
            return highest, current
        if moved.size:
            highest, current = stage_codes(
                self._lead_at[moved], mql_at[moved], sql_at[moved], _take(self.sales, moved)
            )
            placed.mql_at[moved] = mql_at[moved]
            placed.highest[moved] = highest
            placed.current[moved] = current
        placed.sql_at = sql_at
        return placed.highest.copy(), placed.current.copy()

    def _score_crossing(self, fit: np.ndarray, terms: list[Term], threshold: float) -> np.ndarray:
        """Epoch ns of the first evaluation row whose running score reached the threshold."""
        history = self.history
        out = np.full(self.n_leads, NEVER, dtype=np.int64)
        if not terms:
            return out
        rows = self.engagement.rows(terms)
        if self._fit_rows is None or self._fit_rows[0] is not fit:
            self._fit_rows = (fit, fit[history.row_lead])
        # Compare engagement with what the lead's fit leaves to reach, per row.
        limit = threshold - _ROW_TOLERANCE
        first = first_hits(rows, self._fit_rows[1], limit, history, self._lead_first)
        out[history.row_lead[first]] = history.row_ns[first]
        return out


def _reasons(mql_at: np.ndarray, by_hand: np.ndarray, by_fit: np.ndarray) -> np.ndarray:
    """np.select([never, by hand, by fit], [0, 3, 2], default=1), without masked writes."""
    reason = np.add(mql_at == by_fit, 1, dtype=np.int8)  # 2 by fit, else 1
    np.maximum(reason, np.multiply(mql_at == by_hand, 3, dtype=np.int8), out=reason)
    reason *= mql_at != NEVER
    return reason.astype(np.int64)


@dataclass(eq=False)
class _Placement:
    """The last lifecycle placement: private copies, updated where leads moved."""

    mql_at: np.ndarray
    sql_at: np.ndarray
    highest: np.ndarray
    current: np.ndarray


def _take(sales: SalesTimeline, positions: np.ndarray) -> SalesTimeline:
    """The sales timeline of some leads only."""
    changes: dict[str, Any] = {}
    for item in fields(sales):
        value = getattr(sales, item.name)
        if isinstance(value, dict):
            changes[item.name] = {key: array[positions] for key, array in value.items()}
        else:
            changes[item.name] = value[positions]
    return replace(sales, **changes)


def _on_owner(rule: FitRule) -> bool:
    """Whether a fit rule reads the owner, the one lead attribute sales actions change."""
    return rule.attribute == "owner"
