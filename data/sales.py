"""Sales outcomes of worked leads: SAL, conversation, BANT, opportunity, won/lost, exits.

Every step's odds rise with fit and intent, so a good score really predicts wins. Each step
comes a delay after the previous one; whatever would happen after as_of has not happened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from data.leads import LeadTraits
from data.sampling import DAY, HOUR, chance, lognormal, pick, sigmoid, take_str, to_utc
from data.touches import Worked, plan_touches, touch_frame, worked_leads
from domain.definitions.definition import BANT_FACTS
from domain.engine.frames import SALES_FACT_COLUMNS

REASONS: tuple[str, ...] = (
    "no budget", "student", "competitor", "bad timing", "not reachable", "no decision",
)  # fmt: skip
NO_BUDGET, STUDENT, COMPETITOR, BAD_TIMING, NOT_REACHABLE, NO_DECISION = range(6)
LOST_REASON_WEIGHTS = (0.3, 0, 0.3, 0.2, 0, 0.2)
# By segment (SMB, Mid-market, Enterprise): sales cycle and typical deal value.
CYCLE_DAYS = np.array([30.0, 55.0, 90.0])
DEAL_SIZE = np.array([9_000.0, 32_000.0, 110_000.0])
DATE_COLUMNS = (
    "accepted_at", "conversation_at", "bant_at", "opportunity_at", "won_at", "lost_at",
    "disqualified_at", "recycled_at",
)  # fmt: skip


def make_sales(
    rng: np.random.Generator,
    traits: LeadTraits,
    hot: np.ndarray,
    external_ids: ExtensionArray,
    as_of: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The touches and the sales facts (one row per touched lead with anything recorded)."""
    worked = worked_leads(rng, traits, hot)
    fit, intent = traits.fit[worked.lead], traits.intent[worked.lead]
    n = len(worked.lead)
    accepted = ~worked.prospected & chance(rng, sigmoid(3 * (fit - 0.5) + intent - 0.35), n)
    plan = plan_touches(
        rng, worked.first_touch, chance(rng, _talk_odds(worked, accepted, fit, intent), n)
    )
    # Accepting comes after the first touch and, at the latest, at the conversation.
    wait = np.fmin(lognormal(rng, 3 * HOUR, 1.0, n), plan.conversation - worked.first_touch)
    facts = {
        "accepted_at": np.where(accepted, np.floor(worked.first_touch + wait), np.nan),
        "conversation_at": plan.conversation,
        **_qualify(rng, traits, worked.lead, plan.conversation),
    }
    last_touch = plan.at[np.cumsum(plan.count) - 1]
    facts |= _exits(rng, traits, worked, facts, last_touch)
    for column in DATE_COLUMNS:
        facts[column] = np.where(facts[column] < as_of, facts[column], np.nan)
    # Reps stop touching a lead once it is won, lost, disqualified or back in nurture.
    closed = np.fmin.reduce([facts[c] for c in DATE_COLUMNS[4:]])
    touches = touch_frame(rng, plan, worked, traits, external_ids, np.fmin(closed, as_of))
    return touches, _facts_frame(facts, worked, external_ids, as_of)


def _talk_odds(
    worked: Worked, accepted: np.ndarray, fit: np.ndarray, intent: np.ndarray
) -> np.ndarray:
    """Chance of a real conversation; speed-to-lead matters (HBR: the first hour is gold)."""
    speed = -0.3 * np.log1p(np.nan_to_num(worked.delay_hours))
    handed_over = sigmoid(2.2 + 1.5 * (fit - 0.5) + 2.0 * (intent - 0.35) + speed)
    cold = sigmoid(-0.6 + 1.5 * (fit - 0.5))
    return np.where(worked.prospected, cold, np.where(accepted, handed_over, 0.25))


def _qualify(
    rng: np.random.Generator, traits: LeadTraits, lead: np.ndarray, talk_at: np.ndarray
) -> dict[str, np.ndarray]:
    """BANT answers after a conversation, then opportunity, close and deal value."""
    n, fit, intent = len(lead), traits.fit[lead], traits.intent[lead]
    base = 2.6 * (fit - 0.5) + 2.4 * (intent - 0.35)
    senior = traits.seniority[lead] <= 2  # C-level, VP, Director decide
    odds = np.column_stack([0.3 + base, -0.6 + 2.0 * senior + base, 1.3 + base, 0.5 + base])
    bant = rng.random((n, 4)) < sigmoid(odds)
    talked = ~np.isnan(talk_at)
    never_buy = traits.student[lead] | traits.competitor[lead]
    qualified = talked & (bant.sum(axis=1) >= 3) & bant[:, 2] & ~never_buy
    opportunity = qualified & chance(
        rng, sigmoid(0.5 + 1.5 * (fit - 0.5) + 1.5 * (intent - 0.35)), n
    )
    segment = traits.segment[lead]
    bant_at = np.floor(talk_at + lognormal(rng, HOUR, 1.0, n))
    opportunity_at = np.where(
        opportunity, np.floor(bant_at + lognormal(rng, 5 * DAY, 0.8, n)), np.nan
    )
    close_at = np.floor(opportunity_at + lognormal(rng, CYCLE_DAYS[segment] * DAY, 0.6, n))
    won = chance(rng, sigmoid(-1.5 + 3.5 * (fit - 0.5) + 2.0 * (intent - 0.35)), n)
    return {
        "bant": np.where(talked[:, None], bant, False),
        "qualified": qualified,
        "bant_at": bant_at,
        "opportunity_at": opportunity_at,
        "won_at": np.where(won, close_at, np.nan),
        "lost_at": np.where(won, np.nan, close_at),
        "amount": np.where(
            opportunity, np.round(lognormal(rng, DEAL_SIZE[segment], 0.6, n), -2), np.nan
        ),
    }


def _exits(
    rng: np.random.Generator,
    traits: LeadTraits,
    worked: Worked,
    facts: dict[str, np.ndarray],
    last_touch: np.ndarray,
) -> dict[str, np.ndarray]:
    """Disqualified or recycled (back to nurture), and why; lost deals get a reason too."""
    n, lead = len(worked.lead), worked.lead
    talked, qualified = ~np.isnan(facts["bant_at"]), facts["qualified"]
    has_opportunity = ~np.isnan(facts["opportunity_at"])
    u = rng.random(n)
    # First matching case wins: (condition, reason, recycled?, disqualified?).
    cases = [
        (traits.student[lead], STUDENT, False, True),
        (traits.competitor[lead], COMPETITOR, False, True),
        (has_opportunity, -1, False, False),
        (qualified, BAD_TIMING, u < 0.6, False),
        (talked & ~facts["bant"][:, 0], NO_BUDGET, False, True),
        (talked, BAD_TIMING, u < 0.7, False),
        (~talked & (u < 0.55), NOT_REACHABLE, False, True),
        (~talked & (u > 0.85), BAD_TIMING, True, False),
    ]
    conditions, reasons, recycles, dq = (list(column) for column in zip(*cases, strict=True))
    reason = np.select(conditions, reasons, -1)
    recycled, disqualified = (
        np.select(conditions, recycles, False),
        np.select(conditions, dq, False),
    )
    reason[~(recycled | disqualified)] = -1
    latest = np.fmax.reduce([worked.first_touch, facts["accepted_at"], facts["bant_at"]])
    # Unreachable leads are given up some days after the last unanswered touch.
    latest = np.where(talked, latest, last_touch)
    exit_at = np.floor(latest + lognormal(rng, 3 * DAY, 0.8, n))
    lost = ~np.isnan(facts["lost_at"])
    reason[lost] = pick(rng, LOST_REASON_WEIGHTS, lost.sum())
    return {
        "disqualified_at": np.where(disqualified, exit_at, np.nan),
        "recycled_at": np.where(recycled, exit_at, np.nan),
        "reason": reason,
    }


def _facts_frame(
    facts: dict[str, np.ndarray], worked: Worked, external_ids: ExtensionArray, as_of: float
) -> pd.DataFrame:
    """Touched leads with at least one recorded fact; BANT is None until it was asked."""
    recorded = np.column_stack([~np.isnan(facts[c]) for c in DATE_COLUMNS]).any(axis=1)
    rows = np.flatnonzero(recorded & (worked.first_touch < as_of))
    asked = ~np.isnan(facts["bant_at"][rows])
    ended = ~np.isnan(np.fmin.reduce([facts[c][rows] for c in DATE_COLUMNS[5:]]))
    has_opportunity = ~np.isnan(facts["opportunity_at"][rows])
    columns: dict[str, object] = {"lead_external_id": external_ids.take(worked.lead[rows])}
    for column in SALES_FACT_COLUMNS[1:]:
        if column in BANT_FACTS:
            answers = facts["bant"][rows, BANT_FACTS.index(column)].astype(object)
            columns[column] = np.where(asked, answers, None)
        elif column == "amount":
            columns[column] = np.where(has_opportunity, facts["amount"][rows], np.nan)
        elif column == "reason":
            columns[column] = take_str(REASONS, np.where(ended, facts["reason"][rows], -1))
        elif column in facts:
            columns[column] = to_utc(facts[column][rows]).array
        else:  # a fact the demo does not generate (qualified_at: imports only)
            columns[column] = to_utc(np.full(rows.size, np.nan)).array
    return pd.DataFrame(columns)
