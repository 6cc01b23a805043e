"""The pre-aggregated activity history the scoring engine re-scores from.

Built once per data version from the database's GROUP BY (lead x type x content stage x
day). A lead's score can only peak right after one of its activity days, so the running
score is evaluated on "evaluation rows": one per (lead, activity day), plus one row per lead
at the as-of moment. Rows are sorted by lead, then time. For a set of activity keys, a
half-life and a window, `decayed_counts` gives the decayed number of occurrences at every
row: weights and thresholds then re-score from those arrays without touching the log.

A key set's count is 0 on every row before a lead's first entry of those keys, so only the
"covered" rows (each such lead's rows from that entry on) are computed; the arithmetic on
them is the same, in the same order, as on all rows (the skipped rows only add 0.0).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from domain.frames import SECONDS_PER_DAY, to_utc

NS_PER_DAY = SECONDS_PER_DAY * 10**9
# Decay is computed against a per-segment reference time; a segment spans at most this many
# half-lives so that scaled values stay within 2**8 and float64 sums stay exact enough.
_HALF_LIVES_PER_SEGMENT = 8.0
# Arrays derived once and shared by the rules (per key set, half-life or window); how many
# of each kind are kept. A cover holds one int64 per covered row.
_KEPT = {"keys": 64, "cover": 32, "decay": 1, "window": 32, "index": 1, "static": 1}


@dataclass(frozen=True, eq=False)
class CoveredCounts:
    """`decayed_counts` without its zeros: `values` at `rows`, 0 on every other row."""

    n_rows: int
    n_leads: int
    rows: np.ndarray  # covered rows, ascending
    values: np.ndarray  # float64
    leads: np.ndarray  # the leads that have covered rows
    last: np.ndarray  # position in `rows` of each such lead's last (as-of) row

    def dense(self, dtype: type = np.float64) -> np.ndarray:
        """One value per evaluation row."""
        out: np.ndarray = np.zeros(self.n_rows, dtype=dtype)
        out[self.rows] = self.values.astype(dtype, copy=False)  # casting first is faster
        return out

    def as_of(self) -> np.ndarray:
        """One value per lead: the count at its as-of row (float64)."""
        out = np.zeros(self.n_leads)
        out[self.leads] = self.values[self.last]
        return out


@dataclass(frozen=True, eq=False)
class _Cover:
    """For one key set: its entries, and the rows from each lead's first entry on."""

    key: bytes
    picked: np.ndarray  # positions of the key set's entries, ascending
    entry_rows: np.ndarray  # their rows
    counts: np.ndarray  # their occurrences (float64)
    times: np.ndarray  # their latest occurrence, in days
    slot: np.ndarray | None  # index into the distinct entry rows (None: all distinct)
    span: np.ndarray  # per distinct entry row: covered rows until the next one
    span_start: np.ndarray  # per distinct entry row: its position in `rows`
    span_of_row: np.ndarray  # per covered row: its distinct entry row (np.repeat, prepared)
    lead_first_span: np.ndarray  # per distinct entry row: the first one of its lead
    rows: np.ndarray  # covered rows, ascending
    leads: np.ndarray  # covered leads
    first: np.ndarray  # position in `rows` of each covered lead's first row
    last: np.ndarray  # ... and of its last (as-of) row


@dataclass(frozen=True, eq=False)
class _DecayPlan:
    """What all rules share for one half-life: segments and their reference times."""

    ref_of_row: np.ndarray  # reference time of the row's segment, in days (one if no later)
    row_factor: np.ndarray  # 2 ** ((reference - row time) / half-life)
    later: np.ndarray  # first rows of segments that continue a lead, ascending
    later_lead: np.ndarray  # their leads
    carry_factor: np.ndarray  # per row of such a segment: decay since the row before it


@dataclass(frozen=True, eq=False)
class _Later:
    """For one cover and half-life: the rows of segments that continue a lead.

    Grouped by the segment's rank within its lead (a lead's first later segment, its
    second...): `at` holds such rows' positions in the cover, `previous` the position of
    the row just before their segment.
    """

    at: tuple[np.ndarray, ...]
    previous: tuple[np.ndarray, ...]


@dataclass(frozen=True, eq=False)
class ActivityHistory:
    """Evaluation rows and the aggregated activity entries that fall on them."""

    n_leads: int
    as_of_ns: int
    row_lead: np.ndarray  # lead position per row (int64)
    row_day: np.ndarray  # day number per row (int64); the as-of row has the as-of day
    row_ns: np.ndarray  # exact time per row, epoch ns: latest activity that day, or as-of
    row_time: np.ndarray  # the same in days (float64), for decay arithmetic
    lead_start: np.ndarray  # row offsets per lead, length n_leads + 1
    key_types: tuple[str, ...]
    key_stages: tuple[str | None, ...]
    entry_row: np.ndarray  # row of each aggregated entry, sorted ascending
    entry_key: np.ndarray  # key index of each entry
    entry_n: np.ndarray  # occurrences (float64)
    entry_time: np.ndarray  # latest occurrence that day, in days (float64)
    entry_first_ns: np.ndarray  # first occurrence that day, epoch ns (int64)
    _plans: dict[str, OrderedDict[Hashable, Any]] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _building: dict[tuple[str, Hashable], threading.Lock] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def n_rows(self) -> int:
        return int(self.row_lead.size)

    @property
    def as_of_rows(self) -> np.ndarray:
        """The row of each lead that stands for the as-of moment (its last row)."""
        return self.lead_start[1:] - 1

    def key_mask(self, activity_types: set[str], content_stage: str | None = None) -> np.ndarray:
        """Which keys match an activity type set, optionally one content stage."""
        return np.array(
            [
                t in activity_types and (content_stage is None or s == content_stage)
                for t, s in zip(self.key_types, self.key_stages, strict=True)
            ],
            dtype=bool,
        )

    def decayed_counts(
        self, keys: np.ndarray, half_life: float | None, window_days: int | None
    ) -> np.ndarray:
        """Per row: occurrences of `keys` up to the row's time, decayed, within the window."""
        return self.covered_counts(keys, half_life, window_days).dense()

    def covered_counts(
        self, keys: np.ndarray, half_life: float | None, window_days: int | None
    ) -> CoveredCounts:
        """`decayed_counts` on the covered rows only (the others are 0)."""
        cover = self._cover(keys)
        counts, plan = cover.counts, None
        if half_life is not None:
            plan = self._decay_plan(half_life)
            # Within a segment, sum(n_j * 2**((t_j - ref)/h)) is a plain cumulative sum;
            # the factor 2**((ref - t_r)/h) turns it into the decayed total at row r.
            ref = plan.ref_of_row[cover.entry_rows] if plan.later.size else plan.ref_of_row[0]
            counts = counts * np.exp2((cover.times - ref) / half_life)
        if cover.slot is not None:
            counts = np.bincount(cover.slot, weights=counts, minlength=cover.span.size)
        later = self._later_segments(cover, plan)
        totals = _restarted_totals(np.cumsum(counts, dtype=np.float64), cover, later)
        if plan is not None:
            totals *= plan.row_factor[cover.rows]
            if later is not None:
                _carry(cover, totals, later, plan)
        if window_days is not None:
            self._drop_outside_window(cover, totals, half_life, window_days)
        return CoveredCounts(
            self.n_rows, self.n_leads, _read_only(cover.rows), totals, cover.leads, cover.last
        )

    def first_occurrence_ns(self, keys: np.ndarray) -> np.ndarray:
        """Per lead: epoch ns of the first occurrence of any of `keys` (int64 max if none)."""
        never = np.iinfo(np.int64).max
        out = np.full(self.n_leads, never, dtype=np.int64)
        picked = self._positions(keys)
        if not picked.size:
            return out
        leads = self.row_lead[self.entry_row[picked]]
        firsts = self.entry_first_ns[picked]
        starts = np.flatnonzero(np.r_[True, leads[1:] != leads[:-1]])
        out[leads[starts]] = np.minimum.reduceat(firsts, starts)
        return out

    def _remember(self, kind: str, key: Hashable, make: Callable[[], Any]) -> Any:
        # Rules are computed on two threads: a thread that needs a plan another thread is
        # building waits for it (one lock per plan) instead of building it again.
        with self._lock:
            plans = self._plans.setdefault(kind, OrderedDict())
            if key in plans:
                plans.move_to_end(key)
                return plans[key]
            building = self._building.setdefault((kind, key), threading.Lock())
        with building:
            with self._lock:
                if key in plans:
                    return plans[key]
            plan = make()
            with self._lock:
                plans[key] = plan
                if len(plans) > _KEPT[kind]:
                    plans.popitem(last=False)
                self._building.pop((kind, key), None)
            return plan

    def _positions(self, keys: np.ndarray) -> np.ndarray:
        """Ascending positions of the entries whose key is in `keys` (a boolean mask)."""
        wanted = np.flatnonzero(keys)
        return self._remember("keys", wanted.tobytes(), lambda: self._gather_keys(wanted))

    def _gather_keys(self, wanted: np.ndarray) -> np.ndarray:
        order, bounds = self._remember("index", None, self._key_index)
        parts = [order[bounds[k] : bounds[k + 1]] for k in wanted]
        if bounds[0] and wanted.size and wanted[-1] == len(self.key_types) - 1:
            # Entries without a type have key -1, which a key mask reads as its last key.
            parts.append(order[: bounds[0]])
        if len(parts) == 1:
            return parts[0]
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.intp)

    def _key_index(self) -> tuple[np.ndarray, np.ndarray]:
        # Entries grouped by key (a stable sort keeps each group in ascending position).
        codes = self.entry_key.astype(np.int16 if len(self.key_types) < 2**15 else np.int64)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(self.key_types) + 1))
        return order, bounds

    def _cover(self, keys: np.ndarray) -> _Cover:
        key = np.flatnonzero(keys).tobytes()
        return self._remember("cover", key, lambda: self._make_cover(key, keys))

    def _make_cover(self, key: bytes, keys: np.ndarray) -> _Cover:
        picked = self._positions(keys)
        entry_rows = self.entry_row[picked]
        distinct = np.ones(entry_rows.size, dtype=bool)
        distinct[1:] = entry_rows[1:] != entry_rows[:-1]
        starts = entry_rows[distinct]
        lead = self.row_lead[starts]
        # Each distinct entry row covers the rows up to the next one, or to its lead's end.
        ends = np.minimum(np.r_[starts[1:], self.n_rows], self.lead_start[lead + 1])
        span = ends - starts
        new_lead = np.ones(lead.size, dtype=bool)
        new_lead[1:] = lead[1:] != lead[:-1]
        span_start = np.cumsum(span) - span
        first = span_start[new_lead]
        size = int(span.sum())
        return _Cover(
            key=key,
            picked=picked,
            entry_rows=entry_rows,
            counts=self.entry_n[picked],
            times=self.entry_time[picked],
            slot=None if distinct.all() else np.cumsum(distinct) - 1,
            span=span,
            span_start=span_start,
            span_of_row=_expand(np.arange(span.size), span),
            lead_first_span=np.flatnonzero(new_lead)[np.cumsum(new_lead) - 1],
            rows=np.repeat(starts, span) + _ranges(span),
            leads=_read_only(lead[new_lead]),
            first=first,
            last=_read_only(np.r_[first[1:], size] - 1 if first.size else first),
        )

    def _decay_plan(self, half_life: float) -> _DecayPlan:
        return self._remember("decay", half_life, lambda: self._make_decay_plan(half_life))

    def _make_decay_plan(self, half_life: float) -> _DecayPlan:
        segment_start, later = self._segments(half_life)
        # A lead's last segment ends with its as-of row, at the as-of time; an earlier one
        # ends just before the next (later) segment of the lead. Without later segments
        # every row has the as-of time as reference: one value is kept.
        as_of_time = self.row_time[-1] if self.n_rows else 0.0
        ref_of_row = np.full(self.n_rows if later.size else 1, as_of_time)
        if later.size:
            begins = segment_start[np.searchsorted(segment_start, later) - 1]
            rows = np.repeat(begins, later - begins) + _ranges(later - begins)
            ref_of_row[rows] = np.repeat(self.row_time[later - 1], later - begins)
        exponent = ref_of_row - self.row_time
        exponent /= half_life
        return _DecayPlan(
            ref_of_row=ref_of_row,
            row_factor=_halves(np.exp2, exponent),
            later=later,
            later_lead=self.row_lead[later],
            carry_factor=self._carry_factor(segment_start, later, half_life),
        )

    def _segments(self, half_life: float) -> tuple[np.ndarray, np.ndarray]:
        """First rows of all segments, and of those that continue a lead (later ones)."""
        since_first, lead_changes, longest = self._remember("static", None, self._lead_offsets)
        span = half_life * _HALF_LIVES_PER_SEGMENT
        if np.floor(longest / span) == 0:  # every row is in its lead's first segment
            return self.lead_start[:-1], np.empty(0, dtype=np.int64)
        # Whole numbers as floats: comparing them is comparing their int64 values.
        epoch = since_first / span
        np.floor(epoch, out=epoch)
        new_segment = np.ones(self.n_rows, dtype=bool)
        new_segment[1:] = lead_changes | (epoch[1:] != epoch[:-1])
        segment_start = np.flatnonzero(new_segment)
        return segment_start, segment_start[1:][~lead_changes[segment_start[1:] - 1]]

    def _carry_factor(
        self, segment_start: np.ndarray, later: np.ndarray, half_life: float
    ) -> np.ndarray:
        """Per row of a lead's later segment: the decay since the segment's previous row."""
        if not later.size:
            return np.zeros(0)
        length = np.diff(np.r_[segment_start, self.n_rows])[np.searchsorted(segment_start, later)]
        rows = np.repeat(later, length) + _ranges(length)
        gap = self.row_time[rows] - self.row_time[np.repeat(later - 1, length)]
        factor = np.zeros(self.n_rows)
        factor[rows] = np.exp2(-gap / half_life)
        return factor

    def _lead_offsets(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Per row, time since the lead's first row (and its maximum); where leads change."""
        first_time = self.row_time[self.lead_start[:-1]]
        since_first = self.row_time - np.repeat(first_time, np.diff(self.lead_start))
        longest = float(since_first.max()) if since_first.size else 0.0
        return since_first, self.row_lead[1:] != self.row_lead[:-1], longest

    def _later_segments(self, cover: _Cover, plan: _DecayPlan | None) -> _Later | None:
        """The covered rows of segments that continue a lead (None if there are none)."""
        if plan is None or not plan.later.size or not cover.leads.size:
            return None
        index = np.minimum(np.searchsorted(cover.leads, plan.later_lead), cover.leads.size - 1)
        first_row = cover.rows[cover.first[index]]
        keep = (cover.leads[index] == plan.later_lead) & (plan.later > first_row)
        if not keep.any():
            return None
        start = (cover.first[index] + (plan.later - first_row))[keep]
        length = np.minimum(np.r_[start[1:], cover.rows.size], cover.last[index][keep] + 1)
        length -= start
        lead = plan.later_lead[keep]
        new_lead = np.r_[True, lead[1:] != lead[:-1]]
        rank = np.arange(start.size) - np.flatnonzero(new_lead)[np.cumsum(new_lead) - 1]
        at, previous = [], []
        for step in range(int(rank.max()) + 1):
            chosen = rank == step
            size = length[chosen]
            offsets = np.cumsum(size) - size
            at.append(np.arange(size.sum()) + _expand(start[chosen] - offsets, size))
            previous.append(_expand(start[chosen] - 1, size))
        return _Later(tuple(at), tuple(previous))

    def _drop_outside_window(
        self, cover: _Cover, totals: np.ndarray, half_life: float | None, window_days: int
    ) -> None:
        # Occurrences on days <= row day - window no longer count: subtract the total as it
        # stood at the lead's last row on or before that day, decayed to the row's time.
        at, source, gap = self._remember(
            "window", (cover.key, window_days), lambda: self._window(cover, window_days)
        )
        outside = totals[source]
        if half_life is not None:
            outside *= np.exp2(-gap / half_life)
        totals[at] -= outside

    def _window(self, cover: _Cover, window_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Covered rows with covered occurrences outside the window, and the last such row."""
        span = int(self.row_day.max()) + 2 if self.n_rows else 2
        lead, day = self.row_lead[cover.rows], self.row_day[cover.rows]
        composite = lead * span + day
        target = lead * span + np.maximum(day - window_days, -1)
        last_outside = np.searchsorted(composite, target, side="right") - 1
        lead_first = np.repeat(cover.first, np.diff(np.r_[cover.first, cover.rows.size]))
        at = np.flatnonzero(last_outside >= lead_first)
        source = last_outside[at]
        return at, source, self.row_time[cover.rows[at]] - self.row_time[cover.rows[source]]


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


def _restarted_totals(running: np.ndarray, cover: _Cover, later: _Later | None) -> np.ndarray:
    """Per covered row, the running total since the start of its lead's segment.

    `running` is the cumulative sum at each distinct entry row; a segment's total is that
    minus the running total just before the segment began (before the lead's first covered
    row, or before a later segment's first row).
    """
    before = np.r_[0.0, running][cover.lead_first_span]
    totals = (running - before)[cover.span_of_row]
    for at, previous in zip(later.at, later.previous, strict=True) if later else ():
        totals[at] = running[cover.span_of_row[at]] - running[cover.span_of_row[previous]]
    return totals


def _carry(cover: _Cover, totals: np.ndarray, later: _Later, plan: _DecayPlan) -> None:
    """A later segment of a lead inherits the decayed total of the lead's previous row."""
    # Segments are handled in order of their position within the lead, so the row they
    # inherit from is final.
    for at, previous in zip(later.at, later.previous, strict=True):
        inherited = totals[previous]
        inherited *= plan.carry_factor[cover.rows[at]]
        totals[at] += inherited


def _read_only(values: np.ndarray) -> np.ndarray:
    """A view that cannot write into a cached array."""
    view = values.view()
    view.flags.writeable = False
    return view


def _halves(function: Callable[..., np.ndarray], values: np.ndarray) -> np.ndarray:
    """An element-wise function of a long array, in place, in two halves on two threads."""
    middle = values.size // 2
    with ThreadPoolExecutor(2) as pool:
        halves = [
            pool.submit(function, part, out=part) for part in (values[:middle], values[middle:])
        ]
        for half in halves:
            half.result()
    return values


def _expand(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """np.repeat(values, lengths) for integers (lengths > 0), faster for many short runs."""
    out = np.zeros(int(lengths.sum()), dtype=np.int64)
    if out.size:
        out[0] = values[0]
        out[np.cumsum(lengths[:-1])] = np.diff(values)
        np.cumsum(out, out=out)
    return out


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """0..len-1 for each length, concatenated."""
    ends = np.cumsum(lengths)
    return np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - lengths, lengths)
