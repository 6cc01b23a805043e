"""Decay over the evaluation rows: segments, their reference times and the carry between them.

Within a segment, sum(n_j * 2**((t_j - ref)/h)) is a plain cumulative sum; the factor
2**((ref - t_r)/h) turns it into the decayed total at row r. A segment spans at most a
given number of half-lives, so the scaled values stay within range; a lead's later segment
inherits the decayed total of the row before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.engine.arrays import expand, halves, ranges
from domain.engine.history_cover import Cover

# How many half-lives a segment may span. The compiled pass sums each lead on its own, over
# positive values only: every scaled value is a normal float64 (>= 2**-512) and its sums are
# exact to rounding however far apart their values are, so the usual data (a few years, a
# half-life of a week or more) has no later segments, whose plan takes ~0.3 s at 1M leads.
KERNEL_HALF_LIVES_PER_SEGMENT = 512.0
# The NumPy path (the compiled pass's test reference) subtracts running totals across all
# leads: values within 2**8 keep those differences exact enough.
NUMPY_HALF_LIVES_PER_SEGMENT = 8.0


@dataclass(frozen=True, eq=False)
class DecayPlan:
    """What all rules share for one half-life: segments and their reference times."""

    ref_of_row: np.ndarray  # reference time of the row's segment, in days (one if no later)
    row_factor: np.ndarray  # 2 ** ((reference - row time) / half-life)
    later: np.ndarray  # first rows of segments that continue a lead, ascending
    later_lead: np.ndarray  # their leads
    carry_factor: np.ndarray  # per row of such a segment: decay since the row before it


@dataclass(frozen=True, eq=False)
class Later:
    """For one cover and half-life: the rows of segments that continue a lead.

    Grouped by the segment's rank within its lead (a lead's first later segment, its
    second...): `at` holds such rows' positions in the cover, `previous` the position of
    the row just before their segment.
    """

    at: tuple[np.ndarray, ...]
    previous: tuple[np.ndarray, ...]


def longest_lead_time(row_time: np.ndarray, lead_start: np.ndarray) -> float:
    """The longest time between a lead's first and last rows (rows are in time order)."""
    starts, ends = lead_start[:-1], lead_start[1:]
    has_rows = ends > starts
    if not has_rows.any():
        return 0.0
    return float(np.max(row_time[ends[has_rows] - 1] - row_time[starts[has_rows]]))


def _lead_offsets(
    row_time: np.ndarray, row_lead: np.ndarray, lead_start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, time since the lead's first row; where leads change."""
    first_time = row_time[lead_start[:-1]]
    since_first = row_time - np.repeat(first_time, np.diff(lead_start))
    return since_first, row_lead[1:] != row_lead[:-1]


def decay_plan(
    row_time: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
    longest: float,
    half_life: float,
    half_lives_per_segment: float,
) -> DecayPlan:
    """Segments and reference times for one half-life (`longest`: longest_lead_time)."""
    n_rows = row_time.size
    span = half_life * half_lives_per_segment
    segment_start, later = _segments(row_time, row_lead, lead_start, longest, span)
    # A lead's last segment ends with its as-of row, at the as-of time; an earlier one
    # ends just before the next (later) segment of the lead. Without later segments
    # every row has the as-of time as reference: one value is kept.
    as_of_time = row_time[-1] if n_rows else 0.0
    ref_of_row = np.full(n_rows if later.size else 1, as_of_time)
    if later.size:
        begins = segment_start[np.searchsorted(segment_start, later) - 1]
        rows = np.repeat(begins, later - begins) + ranges(later - begins)
        ref_of_row[rows] = np.repeat(row_time[later - 1], later - begins)
    exponent = ref_of_row - row_time
    exponent /= half_life
    return DecayPlan(
        ref_of_row=ref_of_row,
        row_factor=halves(np.exp2, exponent),
        later=later,
        later_lead=row_lead[later],
        carry_factor=_carry_factor(row_time, segment_start, later, half_life),
    )


def _segments(
    row_time: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
    longest: float,
    span: float,
) -> tuple[np.ndarray, np.ndarray]:
    """First rows of all segments (each at most `span` days), and of those that continue a
    lead (later ones)."""
    if np.floor(longest / span) == 0:  # every row is in its lead's first segment
        return lead_start[:-1], np.empty(0, dtype=np.int64)
    # Computed here, not kept: 47 MB at 1M leads that usual half-lives never need.
    since_first, lead_changes = _lead_offsets(row_time, row_lead, lead_start)
    # Whole numbers as floats: comparing them is comparing their int64 values.
    epoch = since_first / span
    np.floor(epoch, out=epoch)
    new_segment = np.ones(row_time.size, dtype=bool)
    new_segment[1:] = lead_changes | (epoch[1:] != epoch[:-1])
    segment_start = np.flatnonzero(new_segment)
    return segment_start, segment_start[1:][~lead_changes[segment_start[1:] - 1]]


def _carry_factor(
    row_time: np.ndarray, segment_start: np.ndarray, later: np.ndarray, half_life: float
) -> np.ndarray:
    """Per row of a lead's later segment: the decay since the segment's previous row."""
    if not later.size:
        return np.zeros(0)
    length = np.diff(np.r_[segment_start, row_time.size])[np.searchsorted(segment_start, later)]
    rows = np.repeat(later, length) + ranges(length)
    gap = row_time[rows] - row_time[np.repeat(later - 1, length)]
    factor = np.zeros(row_time.size)
    factor[rows] = np.exp2(-gap / half_life)
    return factor


def scaled_entries(cover: Cover, plan: DecayPlan, half_life: float) -> np.ndarray:
    """Each entry's occurrences decayed to its segment's reference time (float64).

    Within a segment, sum(n_j * 2**((t_j - ref)/h)) is a plain cumulative sum; the factor
    2**((ref - t_r)/h) turns it into the decayed total at row r.
    """
    ref = plan.ref_of_row[cover.entry_rows] if plan.later.size else plan.ref_of_row[0]
    scaled = np.subtract(cover.times, ref)  # in place from here: one temporary
    scaled /= half_life
    np.exp2(scaled, out=scaled)
    scaled *= cover.counts
    return scaled


def later_segments(cover: Cover, plan: DecayPlan | None) -> Later | None:
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
        at.append(np.arange(size.sum()) + expand(start[chosen] - offsets, size))
        previous.append(expand(start[chosen] - 1, size))
    return Later(tuple(at), tuple(previous))


def restarted_totals(running: np.ndarray, cover: Cover, later: Later | None) -> np.ndarray:
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


def carry(cover: Cover, totals: np.ndarray, later: Later, plan: DecayPlan) -> None:
    """A later segment of a lead inherits the decayed total of the lead's previous row."""
    # Segments are handled in order of their position within the lead, so the row they
    # inherit from is final.
    for at, previous in zip(later.at, later.previous, strict=True):
        inherited = totals[previous]
        inherited *= plan.carry_factor[cover.rows[at]]
        totals[at] += inherited
