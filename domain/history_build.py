"""Building the activity history from the database's GROUP BY counts (see domain/history.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.frames import to_utc
from domain.history import NS_PER_DAY, ActivityHistory


def build_history(
    activity_counts: pd.DataFrame, lead_ids: np.ndarray, as_of: pd.Timestamp
) -> ActivityHistory:
    """Evaluation rows from the GROUP BY counts; activities after `as_of` are left out."""
    as_of_ns = int(as_of.value)
    n_leads = int(lead_ids.size)
    entries = _entries(activity_counts, lead_ids, as_of_ns)
    as_of_day = as_of_ns // NS_PER_DAY
    span = as_of_day + 2
    # One row per (lead, day) with activity, plus a sentinel day per lead for the as-of row.
    # One stable sort gives the rows (as np.unique would) and the entries in row order.
    entry_composite = entries.pos * span + entries.day
    all_composite = np.concatenate([entry_composite, np.arange(n_leads) * span + span - 1])
    by_row = np.argsort(all_composite, kind="stable")
    ordered = all_composite[by_row]
    new_row = np.ones(ordered.size, dtype=bool)
    new_row[1:] = ordered[1:] != ordered[:-1]
    row_composite = ordered[new_row]
    row_of = np.empty(ordered.size, dtype=np.int64)
    row_of[by_row] = np.cumsum(new_row) - 1
    order = by_row[by_row < entry_composite.size]
    entry_row = row_of[order]
    row_lead = row_composite // span
    row_day = np.minimum(row_composite % span, as_of_day)
    entry_ns = np.minimum(entries.last_ns, as_of_ns)[order]
    row_ns = np.full(row_composite.size, as_of_ns, dtype=np.int64)
    if entry_row.size:  # the latest activity of each row's day
        starts = np.flatnonzero(np.r_[True, entry_row[1:] != entry_row[:-1]])
        row_ns[entry_row[starts]] = np.maximum.reduceat(entry_ns, starts)
    return ActivityHistory(
        n_leads=n_leads,
        as_of_ns=as_of_ns,
        row_lead=row_lead,
        row_day=row_day,
        row_ns=row_ns,
        row_time=row_ns / NS_PER_DAY,
        lead_start=np.r_[0, np.cumsum(np.bincount(row_lead, minlength=n_leads))],
        key_types=entries.key_types,
        key_stages=entries.key_stages,
        entry_row=entry_row,
        entry_key=entries.key[order],
        entry_n=entries.n.astype(np.float64)[order],
        entry_time=entry_ns / NS_PER_DAY,
        entry_first_ns=entries.first_ns[order],
    )


@dataclass(frozen=True, eq=False)
class _Entries:
    """The GROUP BY rows of known leads up to the as-of moment, as arrays."""

    pos: np.ndarray
    key: np.ndarray  # index into key_types / key_stages; -1 when the type is missing
    key_types: tuple[str, ...]
    key_stages: tuple[str | None, ...]
    day: np.ndarray
    n: np.ndarray
    first_ns: np.ndarray
    last_ns: np.ndarray


def _entries(activity_counts: pd.DataFrame, lead_ids: np.ndarray, as_of_ns: int) -> _Entries:
    pos = pd.Index(lead_ids).get_indexer(activity_counts["lead_id"])
    first_ns = to_utc(activity_counts["first_at"]).astype("int64").to_numpy()
    last_ns = to_utc(activity_counts["last_at"]).astype("int64").to_numpy()
    # An activity without a type matches no rule and is no engagement: leave it out.
    typed = activity_counts["activity_type"].notna().to_numpy()
    keep = (pos >= 0) & (first_ns <= as_of_ns) & typed
    key, key_types, key_stages = _keys(activity_counts, keep)
    return _Entries(
        pos=pos[keep].astype(np.int64),
        key=key,
        key_types=key_types,
        key_stages=key_stages,
        day=activity_counts["day"].to_numpy(dtype=np.int64)[keep],
        n=activity_counts["n"].to_numpy()[keep],
        first_ns=first_ns[keep],
        last_ns=last_ns[keep],
    )


def _keys(
    activity_counts: pd.DataFrame, keep: np.ndarray
) -> tuple[np.ndarray, tuple[str, ...], tuple[str | None, ...]]:
    """Key index per kept row: (type, stage) pairs numbered in order of first appearance."""
    type_code, types = pd.factorize(activity_counts["activity_type"].astype(str))
    stage = activity_counts["content_stage"]  # a missing stage is "", as an empty one
    stage_code, stages = pd.factorize(stage.astype(str).fillna(""))
    pair = (type_code * max(len(stages), 1) + stage_code)[keep]
    known = type_code[keep] >= 0  # a missing type matches no key
    key = np.full(pair.size, -1, dtype=np.int64)
    key[known], pairs = pd.factorize(pair[known])
    width = max(len(stages), 1)
    return (
        key,
        tuple(str(types[p // width]) for p in pairs),
        tuple(str(stages[p % width]) or None for p in pairs),
    )
