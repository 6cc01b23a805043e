"""The NumPy path the compiled pass (domain/engine/history_kernel.py) is tested against.

It was the engine's own until the compiled pass replaced it: a dozen NumPy passes per rule
over a "full" cover (every covered row listed), with running totals summed across all
leads, so its segments span at most 8 half-lives to keep their differences exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.engine.arrays import ranges, read_only
from domain.engine.history import ActivityHistory
from domain.engine.history_decay import DecayPlan, decay_plan, longest_lead_time, scaled_entries

# Values within 2**8 keep differences of totals across all leads exact enough.
HALF_LIVES_PER_SEGMENT = 8.0
# Covered rows per step of the gathers and casts below.
_STEP = 1 << 19


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
        for lo in range(0, self.rows.size, _STEP):  # casting first is faster
            out[self.rows[lo : lo + _STEP]] = self.values[lo : lo + _STEP].astype(dtype)
        return out

    def as_of(self) -> np.ndarray:
        """One value per lead: the count at its as-of row (float64)."""
        out = np.zeros(self.n_leads)
        out[self.leads] = self.values[self.last]
        return out


def covered_counts(
    h: ActivityHistory, keys: np.ndarray, half_life: float | None, window_days: int | None
) -> CoveredCounts:
    """Per covered row: occurrences of `keys` up to the row's time, decayed, within the
    window (the other rows are 0)."""
    cover = make_full_cover(h, keys)
    counts, plan = cover.counts, None
    if half_life is not None:
        longest = longest_lead_time(h.row_time, h.lead_start)
        plan = decay_plan(
            h.row_time, h.row_lead, h.lead_start, longest, half_life, HALF_LIVES_PER_SEGMENT
        )
        counts = scaled_entries(cover, plan, half_life)  # reads what a Cover has
    if cover.slot is not None:
        counts = np.bincount(cover.slot, weights=counts, minlength=cover.span.size)
    later = later_segments(cover, plan, h.row_lead)
    totals = restarted_totals(np.cumsum(counts, dtype=np.float64), cover, later)
    if plan is not None:
        for lo in range(0, totals.size, _STEP):
            totals[lo : lo + _STEP] *= plan.row_factor[cover.rows[lo : lo + _STEP]]
        if later is not None:
            carry(cover, totals, later, plan)
    if window_days is not None:
        _drop_outside_window(h, cover, totals, half_life, window_days)
    return CoveredCounts(
        h.n_rows, h.n_leads, read_only(cover.rows), totals, cover.leads, cover.last
    )


def _drop_outside_window(
    h: ActivityHistory,
    cover: FullCover,
    totals: np.ndarray,
    half_life: float | None,
    window_days: int,
) -> None:
    # Occurrences on days <= row day - window no longer count: subtract the total as it
    # stood at the lead's last row on or before that day, decayed to the row's time.
    at, source, gap = _window(h, cover, window_days)
    outside = totals[source]
    if half_life is not None:
        outside *= np.exp2(-gap / half_life)
    totals[at] -= outside


def _window(
    h: ActivityHistory, cover: FullCover, window_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Covered rows with covered occurrences outside the window, and the last such row."""
    span = int(h.row_day.max()) + 2 if h.n_rows else 2
    lead = h.row_lead[cover.rows].astype(np.int64)
    day = h.row_day[cover.rows]
    composite = lead * span + day
    target = lead * span + np.maximum(day - window_days, -1)
    last_outside = np.searchsorted(composite, target, side="right") - 1
    lead_first = np.repeat(cover.first, np.diff(np.r_[cover.first, cover.rows.size]))
    at = np.flatnonzero(last_outside >= lead_first)
    source = last_outside[at]
    gap = h.row_time[cover.rows[at]] - h.row_time[cover.rows[source]]
    return at.astype(np.int32), source.astype(np.int32), gap


@dataclass(frozen=True, eq=False)
class FullCover:
    """For one key set: its entries, and the rows from each lead's first entry on."""

    entry_rows: np.ndarray  # their rows
    counts: np.ndarray  # their occurrences (float32: whole numbers, exact)
    times: np.ndarray  # their latest occurrence, in days
    slot: np.ndarray | None  # index into the distinct entry rows (None: all distinct)
    span: np.ndarray  # per distinct entry row: covered rows until the next one
    lead_first_span: np.ndarray  # per distinct entry row: the first one of its lead
    rows: np.ndarray  # covered rows, ascending
    leads: np.ndarray  # covered leads
    first: np.ndarray  # position in `rows` of each covered lead's first row
    last: np.ndarray  # ... and of its last (as-of) row


def make_full_cover(h: ActivityHistory, keys: np.ndarray) -> FullCover:
    """The cover of the entries of `keys`, every covered row listed (int32 positions)."""
    picked = h._positions(keys)
    row_lead, lead_start = h.row_lead, h.lead_start
    entry_rows = h.entry_row[picked]
    distinct = np.ones(entry_rows.size, dtype=bool)
    distinct[1:] = entry_rows[1:] != entry_rows[:-1]
    all_distinct = bool(distinct.all())
    starts = entry_rows if all_distinct else entry_rows[distinct]
    lead = row_lead[starts]
    # Each distinct entry row covers the rows up to the next one, or to its lead's end.
    ends = np.minimum(np.r_[starts[1:], row_lead.size], lead_start[lead + 1])
    span = (ends - starts).astype(np.int32)
    del ends
    new_lead = np.ones(lead.size, dtype=bool)
    new_lead[1:] = lead[1:] != lead[:-1]
    span_start = _int32(np.cumsum(span, dtype=np.int64) - span)
    first = span_start[new_lead]
    size = int(span.sum(dtype=np.int64))
    return FullCover(
        entry_rows=entry_rows,
        counts=h.entry_n[picked],
        times=h.entry_time[picked],
        slot=None if all_distinct else _minus_one(np.cumsum(distinct, dtype=np.int32)),
        span=span,
        lead_first_span=_int32(np.flatnonzero(new_lead))[
            _minus_one(np.cumsum(new_lead, dtype=np.int32))
        ],
        rows=_covered_rows(_int32(starts), span),
        leads=read_only(lead[new_lead]),
        first=first,
        last=read_only(np.r_[first[1:], size] - 1 if first.size else first),
    )


def _covered_rows(starts: np.ndarray, span: np.ndarray) -> np.ndarray:
    """`span` rows from each start (int32 throughout)."""
    rows = ranges(span, np.int32)
    rows += np.repeat(starts, span)
    return rows


def _minus_one(values: np.ndarray) -> np.ndarray:
    values -= 1
    return values


def _int32(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int32, copy=False)


@dataclass(frozen=True, eq=False)
class Later:
    """For one cover and half-life: the rows of segments that continue a lead.

    Grouped by the segment's rank within its lead (a lead's first later segment, its
    second...): `at` holds such rows' positions in the cover, `previous` the position of
    the row just before their segment.
    """

    at: tuple[np.ndarray, ...]
    previous: tuple[np.ndarray, ...]


def later_segments(cover: FullCover, plan: DecayPlan | None, row_lead: np.ndarray) -> Later | None:
    """The covered rows of segments that continue a lead (None if there are none)."""
    if plan is None or not plan.later.size or not cover.leads.size:
        return None
    later_lead = row_lead[plan.later]
    index = np.minimum(np.searchsorted(cover.leads, later_lead), cover.leads.size - 1)
    first_row = cover.rows[cover.first[index]]
    keep = (cover.leads[index] == later_lead) & (plan.later > first_row)
    if not keep.any():
        return None
    start = (cover.first[index] + (plan.later - first_row))[keep]
    length = np.minimum(np.r_[start[1:], cover.rows.size], cover.last[index][keep] + 1)
    length -= start
    lead = later_lead[keep]
    new_lead = np.r_[True, lead[1:] != lead[:-1]]
    rank = np.arange(start.size) - np.flatnonzero(new_lead)[np.cumsum(new_lead) - 1]
    at, previous = [], []
    for step in range(int(rank.max()) + 1):
        chosen = rank == step
        size = length[chosen]
        offsets = np.cumsum(size) - size
        at.append(np.arange(size.sum()) + expand(start[chosen] - offsets, size))
        previous.append(expand(start[chosen] - 1, size))
    return Later(tuple(at), tuple(previous))


def restarted_totals(running: np.ndarray, cover: FullCover, later: Later | None) -> np.ndarray:
    """Per covered row, the running total since the start of its lead's segment.

    `running` is the cumulative sum at each distinct entry row; a segment's total is that
    minus the running total just before the segment began (before the lead's first covered
    row, or before a later segment's first row).
    """
    before = np.r_[0.0, running][cover.lead_first_span]
    totals = np.repeat(running - before, cover.span)
    if later is not None:
        span_end = np.cumsum(cover.span, dtype=np.int64)
        for at, previous in zip(later.at, later.previous, strict=True):
            at_span = np.searchsorted(span_end, at, side="right")
            previous_span = np.searchsorted(span_end, previous, side="right")
            totals[at] = running[at_span] - running[previous_span]
    return totals


def carry(cover: FullCover, totals: np.ndarray, later: Later, plan: DecayPlan) -> None:
    """A later segment of a lead inherits the decayed total of the lead's previous row."""
    # Segments are handled in order of their position within the lead, so the row they
    # inherit from is final.
    for at, previous in zip(later.at, later.previous, strict=True):
        inherited = totals[previous]
        inherited *= plan.carry_factor[cover.rows[at]]
        totals[at] += inherited


def expand(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """np.repeat(values, lengths) for integers (lengths > 0), faster for many short runs."""
    out = np.zeros(int(lengths.sum()), dtype=np.int64)
    if out.size:
        out[0] = values[0]
        out[np.cumsum(lengths[:-1])] = np.diff(values)
        np.cumsum(out, out=out)
    return out
