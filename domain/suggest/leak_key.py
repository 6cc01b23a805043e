"""What the leakage guard reads that a follow-up action can move, and a key for it.

The guard (`leakage.find_leaks`) costs about half a second at 100,000 leads. A follow-up
action (a touch, a reassign, a stage) moves the sales version, yet nearly never what the
guard reads: which leads are judged, which reached the outcome, each lead's hand-off
moment and the owner column. Keying the guard's cache on those (`leak_check_key`) keeps
its answer after such an action and recomputes it exactly when one of them moved.
Everything else it reads (attributes, activity history) belongs to the data version.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.calibration.quality import Outcome, mature_leads, min_age_for, outcome_reached
from domain.definitions.definition import Definition
from domain.engine.frames import NS_PER_DAY
from domain.engine.scoring import ScoreResult, ScoringModel
from domain.suggest.after_mql import handoff_moments

AS_OF = -2  # a hand-off moment that is the as-of moment (never handed off)
# Keys per model (a model never changes once built): a page run without an action since
# pays nothing for the key.
_KEYS: weakref.WeakKeyDictionary[ScoringModel, dict[tuple[object, ...], str]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class SalesSide:
    """Per lead: judged (old enough), reached the outcome, hand-off moment."""

    result: ScoreResult
    eligible: np.ndarray
    reached: np.ndarray
    moments: np.ndarray


def sales_side(
    model: ScoringModel,
    outcome: Outcome,
    *,
    min_age_days: int | None = None,
    base: Definition | None = None,
) -> SalesSide:
    result = model.score(Definition(hand_raisers=()))
    eligible = mature_leads(result, model.as_of.value, min_age_for(outcome, min_age_days))
    handed_off = model.score(base) if base is not None else result
    moments = handoff_moments(handed_off, model.as_of.value)
    return SalesSide(result, eligible, outcome_reached(result, outcome), moments)


def leak_check_key(
    model: ScoringModel,
    outcome: Outcome,
    *,
    min_age_days: int | None = None,
    base: Definition | None = None,
) -> str:
    """A digest of what `find_leaks` reads from the sales side; equal digests (within one
    data version) give equal suspects.

    The as-of moment moves with every action, but the guard reads it only as the hand-off
    moment of leads never handed off, where only its day counts (a date on a later day;
    an activity is never first seen after it, as the history ends no later): it is
    keyed by its day then.
    """
    known = _KEYS.setdefault(model, {})
    asked = (outcome, min_age_days, None if base is None else base.fingerprint())
    if asked not in known:
        known[asked] = _digest(model, outcome, min_age_days=min_age_days, base=base)
    return known[asked]


def _digest(
    model: ScoringModel, outcome: Outcome, *, min_age_days: int | None, base: Definition | None
) -> str:
    side = sales_side(model, outcome, min_age_days=min_age_days, base=base)
    as_of = model.as_of.value
    digest = hashlib.blake2b(digest_size=16)
    moments = side.moments
    if as_of >= model.history.as_of_ns:
        moments = np.where(moments == as_of, AS_OF, moments)
        digest.update(f"day {as_of // NS_PER_DAY}".encode())
    else:
        digest.update(f"at {as_of}".encode())
    for values in (side.eligible, side.reached, moments):
        digest.update(np.ascontiguousarray(values).tobytes())
    if "owner" in model.leads.columns:  # the one attribute a follow-up action moves
        owners = pd.util.hash_pandas_object(model.leads["owner"], index=False)
        digest.update(owners.to_numpy().tobytes())
    return digest.hexdigest()
