"""Lifecycle stages: what sales recorded, and how it combines with the MQL moment.

Times are int64 epoch nanoseconds with NEVER (int64 max) for "not reached", so that
"first of" is a plain minimum and arrays stay numeric.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.definition import BANT_FACTS, SqlCriteria
from domain.engine.frames import CONVERSATION_OUTCOMES, to_utc

# The main line, in order: a lead's highest stage is the furthest it got, kept forever.
FUNNEL_STAGES: tuple[str, ...] = ("Suspect", "Lead", "MQL", "SAL", "SQL", "Opportunity", "Won")
SIDE_STAGES: tuple[str, ...] = ("Lost", "Disqualified", "Recycled")
ALL_STAGES: tuple[str, ...] = FUNNEL_STAGES + SIDE_STAGES
STAGE_DATE_COLUMNS: dict[str, str] = {
    "Suspect": "created_at",
    "Lead": "lead_at",
    "MQL": "mql_at",
    "SAL": "sal_at",
    "SQL": "sql_at",
    "Opportunity": "opportunity_at",
    "Won": "won_at",
}
NEVER = np.iinfo(np.int64).max

_FACT_TIMES = (
    "accepted_at",
    "conversation_at",
    "bant_at",
    "opportunity_at",
    "won_at",
    "lost_at",
    "disqualified_at",
    "recycled_at",
    "qualified_at",
)


@dataclass(frozen=True, eq=False)
class SalesTimeline:
    """Per lead (in lead order): what sales did, as of a moment."""

    created: np.ndarray
    first_touch: np.ndarray
    touches: np.ndarray  # number of touches
    times: dict[str, np.ndarray]  # the _FACT_TIMES, conversation filled from touches
    bant: dict[str, np.ndarray]  # bool per BANT fact


def build_sales_timeline(
    lead_ids: np.ndarray,
    created_at: pd.Series,
    touches: pd.DataFrame,
    sales_facts: pd.DataFrame,
    as_of_ns: int,
) -> SalesTimeline:
    """Collect the sales side per lead; anything recorded after `as_of_ns` is left out."""
    index = pd.Index(lead_ids)
    n = lead_ids.size
    facts_pos = index.get_indexer(sales_facts["lead_id"]) if len(sales_facts) else np.array([])
    known = facts_pos >= 0
    recorded_at = {}
    for column in _FACT_TIMES:
        values = np.full(n, NEVER, dtype=np.int64)
        # Frames built before `qualified_at` existed may lack it: never recorded.
        if len(sales_facts) and column in sales_facts:
            values[facts_pos[known]] = _ns(sales_facts[column])[known]
        recorded_at[column] = values
    times = {c: np.where(v <= as_of_ns, v, NEVER) for c, v in recorded_at.items()}
    # Answers recorded after the as-of moment were not known then.
    answers_known = (recorded_at["bant_at"] <= as_of_ns) | (recorded_at["bant_at"] == NEVER)
    bant = {}
    for fact in BANT_FACTS:
        flags = np.zeros(n, dtype=bool)
        if len(sales_facts):
            answer = sales_facts[fact].astype("boolean").fillna(False).to_numpy(bool)
            flags[facts_pos[known]] = answer[known]
        bant[fact] = flags & answers_known
    first_touch, conversation, count = _touch_summary(index, touches, as_of_ns)
    times["conversation_at"] = np.minimum(times["conversation_at"], conversation)
    return SalesTimeline(
        created=_ns(created_at),
        first_touch=first_touch,
        touches=count,
        times=times,
        bant=bant,
    )


def _touch_summary(
    index: pd.Index, touches: pd.DataFrame, as_of_ns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(index)
    first = np.full(n, NEVER, dtype=np.int64)
    conversation = np.full(n, NEVER, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    if touches.empty:
        return first, conversation, count
    pos = index.get_indexer(touches["lead_id"])
    at = _ns(touches["touched_at"])
    keep = (pos >= 0) & (at <= as_of_ns)
    pos, at = pos[keep], at[keep]
    outcome = touches["outcome"].astype("string").str.casefold().to_numpy()[keep]
    np.minimum.at(first, pos, at)
    talked = pd.Series(outcome).isin(CONVERSATION_OUTCOMES).to_numpy(bool)
    np.minimum.at(conversation, pos[talked], at[talked])
    count += np.bincount(pos, minlength=n)
    return first, conversation, count


def sql_times(sales: SalesTimeline, criteria: SqlCriteria) -> np.ndarray:
    """When each lead met the SQL criteria, or the CRM said it reached SQL (NEVER if
    neither)."""
    answered = sum(sales.bant[fact].astype(np.int64) for fact in BANT_FACTS)
    met = answered >= criteria.min_bant
    for fact in criteria.mandatory:
        met &= sales.bant[fact]
    times = sales.times
    conversation = times["conversation_at"]
    # The answers are dated when recorded; else by the conversation or the acceptance.
    evidence = np.where(
        times["bant_at"] != NEVER,
        times["bant_at"],
        np.where(conversation != NEVER, conversation, times["accepted_at"]),
    )
    if criteria.require_conversation:
        met &= conversation != NEVER
        evidence = np.maximum(evidence, np.where(conversation != NEVER, conversation, 0))
    by_criteria = np.where(met & (evidence != NEVER), evidence, NEVER)
    return np.minimum(by_criteria, times["qualified_at"])


def stage_codes(
    lead_at: np.ndarray, mql_at: np.ndarray, sql_at: np.ndarray, sales: SalesTimeline
) -> tuple[np.ndarray, np.ndarray]:
    """(highest funnel stage index, current stage index into ALL_STAGES) per lead."""
    t = sales.times
    reached = [
        lead_at != NEVER,
        mql_at != NEVER,
        t["accepted_at"] != NEVER,
        sql_at != NEVER,
        (t["opportunity_at"] != NEVER) | (t["lost_at"] != NEVER),
        t["won_at"] != NEVER,
    ]
    highest = np.zeros(lead_at.size, dtype=np.int64)
    for code, flags in enumerate(reached, start=1):
        highest[flags] = code
    main_latest = np.zeros(lead_at.size, dtype=np.int64)
    for times in (lead_at, mql_at, t["accepted_at"], sql_at, t["opportunity_at"]):
        main_latest = np.maximum(main_latest, np.where(times != NEVER, times, 0))
    # The later of disqualification and recycling wins, if it is not older than progress.
    disqualified = np.where(t["disqualified_at"] != NEVER, t["disqualified_at"], -1)
    recycled = np.where(t["recycled_at"] != NEVER, t["recycled_at"], -1)
    side = np.maximum(disqualified, recycled)
    side_code = np.where(
        recycled >= disqualified, ALL_STAGES.index("Recycled"), ALL_STAGES.index("Disqualified")
    )
    current = np.where((side >= 0) & (side >= main_latest), side_code, highest)
    current = np.where(t["lost_at"] != NEVER, ALL_STAGES.index("Lost"), current)
    current = np.where(t["won_at"] != NEVER, ALL_STAGES.index("Won"), current)
    return highest, current


def to_timestamps(values: np.ndarray) -> pd.Series:
    """NEVER-coded ns back to tz-aware UTC timestamps (NaT for never)."""
    # A view of the ns as datetime64 (int64's minimum is NaT): pd.to_datetime on the
    # integers takes ~100x longer (0.2 s per column of 100,000 leads).
    stamps = np.where(values == NEVER, np.iinfo(np.int64).min, values).astype(np.int64)
    return pd.Series(pd.DatetimeIndex(stamps.view("M8[ns]")).tz_localize("UTC"))


def _ns(series: pd.Series) -> np.ndarray:
    stamps = to_utc(series)
    values = stamps.astype("int64").to_numpy()
    return np.where(stamps.isna().to_numpy(), NEVER, values)
