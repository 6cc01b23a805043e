"""Sales follow-up: who gets worked, how fast, and the touches reps log."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from data import names
from data.leads import LeadTraits
from data.sampling import (
    HOUR,
    WORK_DAY,
    chance,
    cumsum_in_run,
    from_work_time,
    lognormal,
    owners,
    pick_rows,
    rank_in_run,
    take_str,
    to_utc,
    to_work_time,
)

CHANNELS: tuple[str, ...] = ("call", "email", "meeting", "linkedin")
OUTCOMES: tuple[str, ...] = (
    "connected", "no_answer", "voicemail", "replied", "no_reply",
    "connection_accepted", "meeting_held", "no_show",
)  # fmt: skip
# Channel mix by phase: before the first conversation, the conversation, after it.
PHASE_CHANNELS = np.array([[0.45, 0.35, 0.0, 0.20], [0.7, 0.0, 0.3, 0.0], [0.2, 0.35, 0.45, 0.0]])
# OUTCOME_ODDS[phase][channel] over OUTCOMES; only the conversation phase talks for real.
OUTCOME_ODDS = np.array(
    [
        [[0, 0.6, 0.4, 0, 0, 0, 0, 0], [0, 0, 0, 0.15, 0.85, 0, 0, 0],
         [0, 0, 0, 0, 0, 0, 0, 1.0], [0, 0, 0, 0.1, 0.7, 0.2, 0, 0]],
        [[1.0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1.0, 0, 0, 0],
         [0, 0, 0, 0, 0, 0, 1.0, 0], [0, 0, 0, 0, 1.0, 0, 0, 0]],
        [[0.6, 0.4, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0.6, 0.4, 0, 0, 0],
         [0, 0, 0, 0, 0, 0, 0.8, 0.2], [0, 0, 0, 0.5, 0.5, 0, 0, 0]],
    ]
)  # fmt: skip
PROSPECTED_SHARE = 0.03  # of Suspects, taken from the outbound lists


@dataclass(frozen=True)
class Worked:
    """Leads sales went after, one row each (positions into the leads frame)."""

    lead: np.ndarray
    first_touch: np.ndarray  # epoch seconds; may lie past as_of (not touched yet)
    prospected: np.ndarray  # outbound prospecting, no marketing hand-over
    delay_hours: np.ndarray  # hot moment to first touch (NaN when prospected)


def worked_leads(rng: np.random.Generator, traits: LeadTraits, hot: np.ndarray) -> Worked:
    """Hot leads a rep picks up (each rep neglects some) plus a few prospected Suspects."""
    hot_leads = np.flatnonzero(~np.isnan(hot))
    owner, fit = traits.owner[hot_leads], traits.fit[hot_leads]
    neglect = np.asarray(names.REP_NEGLECT)[owner] + 0.15 * (0.5 - fit)
    taken = hot_leads[~chance(rng, neglect, len(hot_leads))]
    slowness = np.asarray(names.REP_SLOWNESS)[traits.owner[taken]]
    # Delays run in working time, so a lead that turns hot on Friday night waits for Monday.
    # Some reps jump on hand-raisers within minutes; usually it's a working day or more.
    fast = chance(rng, 0.35 / slowness, len(taken))
    delay = np.where(
        fast,
        lognormal(rng, 0.3 * HOUR, 0.8, len(taken)),
        lognormal(rng, WORK_DAY * slowness, 1.3, len(taken)),
    )
    pool = np.flatnonzero(traits.suspect & traits.outbound)
    share = PROSPECTED_SHARE * traits.suspect.sum() / max(len(pool), 1)
    # Reps prospect accounts that look like customers.
    prospects = pool[chance(rng, share * 2 * traits.fit[pool], len(pool))]
    since = np.concatenate([hot[taken], traits.created[prospects]])
    wait = np.concatenate([delay, lognormal(rng, 3 * WORK_DAY, 1.0, len(prospects))])
    first_touch = np.maximum(np.floor(from_work_time(to_work_time(since) + wait)), since)
    prospected = np.repeat([False, True], [len(taken), len(prospects)])
    lead = np.concatenate([taken, prospects])
    order = np.argsort(lead, kind="stable")  # frames come out in lead order
    return Worked(
        lead=lead[order],
        first_touch=first_touch[order],
        prospected=prospected[order],
        delay_hours=np.where(prospected, np.nan, (first_touch - since) / HOUR)[order],
    )


@dataclass(frozen=True)
class TouchPlan:
    """The touches reps make on worked leads (row-aligned with Worked)."""

    count: np.ndarray  # touches per worked lead
    at: np.ndarray  # epoch seconds of every touch, grouped per worked lead
    conversation: np.ndarray  # per worked lead: epoch second of the real talk, NaN if none


def plan_touches(rng: np.random.Generator, first_touch: np.ndarray, talks: np.ndarray) -> TouchPlan:
    """A first touch plus 1-8 more, days apart; one of them is the conversation, if any."""
    count = 1 + np.clip(rng.poisson(3.0, len(first_touch)), 1, 8)
    # At least an hour apart, so exactly one touch sits at the conversation's second.
    gap = np.maximum(lognormal(rng, 1.5 * WORK_DAY, 0.9, count.sum()), HOUR)
    first = rank_in_run(count) == 0
    gap[first] = 0.0
    at = to_work_time(np.repeat(first_touch, count)) + cumsum_in_run(gap, count)
    at = np.where(first, np.repeat(first_touch, count), np.floor(from_work_time(at)))
    nth = np.minimum(rng.geometric(0.45, len(count)) - 1, count - 1)
    talk_at = at[np.cumsum(count) - count + nth]
    return TouchPlan(count, at, np.where(talks, talk_at, np.nan))


def touch_frame(
    rng: np.random.Generator,
    plan: TouchPlan,
    worked: Worked,
    traits: LeadTraits,
    external_ids: ExtensionArray,
    until: np.ndarray,
) -> pd.DataFrame:
    """One row per touch before `until` (per worked lead: as_of, or when the lead closed)."""
    row = owners(plan.count)
    talk = plan.conversation[row]
    phase = np.where(np.isnan(talk) | (plan.at < talk), 0, np.where(plan.at == talk, 1, 2))
    channel = pick_rows(rng, PHASE_CHANNELS[phase])
    outcome = pick_rows(rng, OUTCOME_ODDS[phase, channel])
    lead = worked.lead[row]
    rep = np.where(
        chance(rng, 0.05, len(row)), rng.integers(0, len(names.REPS), len(row)), traits.owner[lead]
    )
    keep = plan.at < until[row]
    return pd.DataFrame(
        {
            "lead_external_id": external_ids.take(lead[keep]),
            "touched_at": to_utc(plan.at[keep]),
            "rep": take_str(names.REPS, rep[keep]),
            "channel": take_str(CHANNELS, channel[keep]),
            "outcome": take_str(OUTCOMES, outcome[keep]),
        }
    )
