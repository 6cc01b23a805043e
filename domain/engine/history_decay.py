"""Decay over the evaluation rows: segments, their reference times and the carry between them.

Within a segment, sum(n_j * 2**((t_j - ref)/h)) is a plain cumulative sum; the factor
2**((ref - t_r)/h) turns it into the decayed total at row r. A segment spans at most a
given number of half-lives, so the scaled values stay within range; a lead's later segment
inherits the decayed total of the row before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.engine.arrays import halves, ranges
from domain.engine.history_cover import Cover

# How many half-lives a segment may span. The compiled pass sums each lead on its own, over
# positive values only: every scaled value is a normal float64 (>= 2**-512) and its sums are
# exact to rounding however far apart their values are, so the usual data (a few years, a
# half-life of a week or more) has no later segments, whose plan takes ~0.3 s at 1M leads.
KERNEL_HALF_LIVES_PER_SEGMENT = 512.0


@dataclass(frozen=True, eq=False)
class DecayPlan:
    """What all rules share for one half-life: segments and their reference times."""

    ref_of_row: np.ndarray  # reference time of the row's segment, in days (one if no later)
    row_factor: np.ndarray  # 2 ** ((reference - row time) / half-life)
    later: np.ndarray  # first rows of segments that continue a lead, ascending
    carry_factor: np.ndarray  # per row of such a segment: decay since the row before it


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
